"""The language switcher's target: Django's `set_language`, guarded by the request's origin (docs/i18n.md).

Every reader page carries the switcher, and those pages are cached for anonymous readers and shared by
them (documents/cache.py, HTTP `public`): a CSRF token in the form would be one reader's secret served to
all, and the page cache stores no response that sets a cookie. So the form carries no token; instead a
cross-site POST is refused from what browsers say about it (`Sec-Fetch-Site`, `Origin`), which is what a
forged language change would be. The worst a forged one could do is change a reader's interface language.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.http import HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language


def cross_site(request) -> bool:
    if request.headers.get("Sec-Fetch-Site", "") == "cross-site":
        return True
    origin = request.headers.get("Origin")
    if origin and origin != "null":
        return urlsplit(origin).netloc.lower() != request.get_host().lower()
    return origin == "null"


@csrf_exempt  # see the module docstring: the origin check stands in for the token
@require_POST
def set_language(request):
    if cross_site(request):
        return HttpResponseForbidden("A language change must come from this site's own switcher.")
    return django_set_language(request)
