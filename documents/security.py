"""Small security middleware (settings.MIDDLEWARE), see docs/deployment.md.

- `RejectNulMiddleware`: a NUL byte (``%00``) in the path or the query string is a 400 before any
  view runs. PostgreSQL refuses NUL in text (a 500 from every lookup that used such a value) and no
  slug, key, anchor or query of the edition can contain one (issue 19.9).
- `client_ip`: the client's address for django-axes (login throttling) behind reverse proxies.
- `PermissionsPolicyMiddleware`: a ``Permissions-Policy`` header turning off browser features the
  edition never uses (issue 17.1).
"""

from __future__ import annotations

from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.http import HttpResponseBadRequest

NUL_MESSAGE = "Bad request: the address contains a NUL character (%00)."


def _has_nul(request) -> bool:
    if "\x00" in request.path or "\x00" in request.path_info:
        return True
    query = request.META.get("QUERY_STRING", "")
    return "\x00" in query or b"\x00" in unquote_to_bytes(query.replace("+", " "))


class RejectNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_nul(request):
            return HttpResponseBadRequest(NUL_MESSAGE, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


def client_ip(request) -> str:
    """The client's address for the login throttling: REMOTE_ADDR, or behind EDITION_PROXY_COUNT trusted
    reverse proxies the address the outermost of them saw (X-Forwarded-For, counted from the right)."""
    proxies = getattr(settings, "EDITION_PROXY_COUNT", 0)
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if proxies > 0 and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


DEFAULT_PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), encrypted-media=(), fullscreen=(), "
    "geolocation=(), gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), "
    "picture-in-picture=(), publickey-credentials-get=(), screen-wake-lock=(), sync-xhr=(), usb=(), "
    "xr-spatial-tracking=(), interest-cohort=()"
)


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.value = getattr(settings, "EDITION_PERMISSIONS_POLICY", DEFAULT_PERMISSIONS_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        if self.value:
            response.headers.setdefault("Permissions-Policy", self.value)
        return response
