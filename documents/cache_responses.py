"""Whole responses (search pages, W3C annotations, DTS, the JSON API) cached for anonymous clients.

Built on documents.cache's public `cached_fragment` and `read_params`, so the entries carry the content
version and every change (a note published, an import) invalidates them like the reader's pages. Unlike
`cache_page_for_anonymous`, a cached response keeps the headers its view set (CORS, Link, X-Robots-Tag,
Content-Disposition) and the key holds EDITION_BASE_URL, the origin of the absolute URLs these responses
contain.

Only GET/HEAD requests of anonymous clients, and only 200 responses that set no cookie, are stored; signed-in
users (editors see drafts) are never served from the cache. Responses carry `X-Edition-Cache: hit|miss` when
they were looked up.
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone

from documents.cache import cached_fragment, read_params

#: Headers never replayed from the cache (set per request by middleware or the server).
_NOT_STORED = {"content-length", "set-cookie", "x-edition-cache", "date"}


class _NotStored(Exception):
    """Raised from inside cached_fragment's render() so that a response is returned without being stored."""

    def __init__(self, response):
        super().__init__("not cacheable")
        self.response = response


def cacheable_request(request) -> bool:
    user = getattr(request, "user", None)
    return request.method in ("GET", "HEAD") and not (user is not None and user.is_authenticated)


def _render(response):
    if hasattr(response, "render") and callable(response.render) and not getattr(response, "is_rendered", True):
        response = response.render()
    return response


def cache_response_for_anonymous(name: str, params: tuple[str, ...] = ()):
    """View decorator: the view's 200 responses to anonymous GETs, stored by path, the query parameters
    the view reads (`params`: the view sees only these, so junk parameters make neither entries nor
    renders, issue 19.3) and the content version. The origin in the key is settings.EDITION_BASE_URL,
    which every absolute URL of the response is built from (never the request's Host, issue 19.1)."""
    wanted = dict.fromkeys(params, str)

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if not cacheable_request(request):
                return view(request, *args, **kwargs)
            called = []
            full_get, request.GET = request.GET, read_params(request, wanted)

            def render():
                called.append(True)
                response = _render(view(request, *args, **kwargs))
                if response.status_code != 200 or response.cookies or response.streaming:
                    raise _NotStored(response)
                headers = [(k, v) for k, v in response.items() if k.lower() not in _NOT_STORED]
                return (bytes(response.content), headers)

            key = (settings.EDITION_BASE_URL, request.path, request.GET.urlencode(), timezone.localdate().isoformat())
            try:
                content, headers = cached_fragment(f"response:{name}", *key, render=render)
            except _NotStored as skipped:
                return skipped.response
            finally:
                request.GET = full_get
            response = HttpResponse(content)
            for header, value in headers:
                response[header] = value
            response["X-Edition-Cache"] = "miss" if called else "hit"
            return response

        return wrapper

    return decorator
