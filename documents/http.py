"""HTTP caching and CORS, done once for every response (docs/api.md, "HTTP: caching and CORS").

`EditionHTTPMiddleware`:

- **Validators.** Every successful GET/HEAD response (pages and machine-readable data alike) gets a
  strong `ETag` (a hash of its bytes, so it changes exactly when the representation does) and a
  `Last-Modified`: the time this very representation was first served (remembered per ETag in the
  cache; a view may set its own). `If-None-Match` and `If-Modified-Since` are answered with `304 Not
  Modified` (`If-None-Match` wins when both are sent, RFC 9110 13.2.2).
- **Cache-Control**, unless the view or another middleware set one (editors' pages are `private`):
  anonymous requests `public, max-age=<EDITION_HTTP_MAX_AGE>` (default 60 s; caches revalidate with
  the ETag after that), requests carrying a session cookie `private, no-cache` (they may show drafts).
- **CORS** on machine-readable URLs (`MACHINE_READABLE`): `Access-Control-Allow-Origin: *` on every
  response, errors and 304s included, with `Access-Control-Expose-Headers` (Link, ETag, ...), and
  `OPTIONS` (a CORS preflight or not) answered `204` with the allowed methods and headers.
- **Problems, not pages**, under `/api/` and `/dts/`: an HTML error response (an unknown path, a
  method not allowed) is replaced by the same status as RFC 9457 problem details.
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date, parse_http_date_safe

from documents.views.responses import problem

#: Paths of machine-readable responses (CORS): the JSON API, DTS, OAI-PMH, note permalinks (JSON-LD),
#: a document's TEI, plain text, annotations and citation downloads, sitemap, robots.txt, OpenAPI.
MACHINE_READABLE = re.compile(
    r"^/(?:api|dts|oai)(?:/|$)"
    r"|^/notes/"
    r"|^/documents/[^/]+/(?:tei\.xml|text\.txt|annotations\.jsonld|cite\.[A-Za-z-]+)$"
    r"|^/(?:sitemap\.xml|robots\.txt)$"
)
PROBLEM_PATHS = re.compile(r"^/(?:api|dts)(?:/|$)")
EXPOSED = "Link, ETag, Last-Modified, Content-Disposition, Content-Language, Location"
ALLOWED_METHODS = "GET, HEAD, OPTIONS"
ALLOWED_HEADERS = "Accept, Accept-Language, If-None-Match, If-Modified-Since, Cache-Control"
PREFLIGHT_MAX_AGE = "86400"
SEEN_TIMEOUT = 60 * 60 * 24 * 365  # how long the first-served time of a representation is remembered
NOT_CACHED = ("/admin/", "/static/")


def is_machine_readable(path: str) -> bool:
    return bool(MACHINE_READABLE.match(path))


def strong_etag(content: bytes) -> str:
    return '"' + hashlib.sha256(content).hexdigest()[:32] + '"'


def first_served(etag: str) -> datetime:
    """When this representation was first served (now if unknown): a Last-Modified that is never too old.

    Any later time is safe too (a client then revalidates once more than needed), so a cache that
    forgets, is shared by several servers or is down only makes If-Modified-Since answers less frequent.
    """
    now = datetime.now(tz=UTC).replace(microsecond=0)
    key = f"http-seen:{etag.strip(chr(34))}"
    try:
        cache = caches["default"]
        seen = cache.get(key)
        if seen is None:
            cache.add(key, now.timestamp(), SEEN_TIMEOUT)
            seen = cache.get(key, now.timestamp())
        return datetime.fromtimestamp(min(float(seen), now.timestamp()), tz=UTC)
    except Exception:  # noqa: BLE001 - a cache outage must not fail the response: "now" is always correct
        return now


def add_cors(response: HttpResponse) -> HttpResponse:
    if "Access-Control-Allow-Origin" not in response:
        response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = EXPOSED
    return response


def preflight(request) -> HttpResponse:
    response = HttpResponse(status=204)
    response["Allow"] = ALLOWED_METHODS
    response["Access-Control-Allow-Methods"] = ALLOWED_METHODS
    asked = request.headers.get("Access-Control-Request-Headers", "")
    response["Access-Control-Allow-Headers"] = ALLOWED_HEADERS + (f", {asked}" if asked else "")
    response["Access-Control-Max-Age"] = PREFLIGHT_MAX_AGE
    return response


def _html_error_as_problem(response: HttpResponse) -> HttpResponse:
    if response.status_code < 400 or "html" not in response.get("Content-Type", ""):
        return response
    replaced = problem(response.status_code, "no such resource" if response.status_code == 404 else
                       response.reason_phrase.lower())  # fmt: skip
    for header in ("Allow", "Retry-After", "WWW-Authenticate"):
        if header in response:
            replaced[header] = response[header]
    return replaced


def _validators(request, response: HttpResponse) -> HttpResponse:
    """ETag, Last-Modified and Cache-Control on a 200 to GET/HEAD; 304 when the client has it."""
    if request.method not in ("GET", "HEAD") or response.status_code != 200 or response.streaming:
        return response
    if request.path_info.startswith(NOT_CACHED):
        return response
    if not response.has_header("ETag"):
        response["ETag"] = strong_etag(response.content)
    if not response.has_header("Last-Modified"):
        response["Last-Modified"] = http_date(first_served(response["ETag"]).timestamp())
    if not response.has_header("Cache-Control"):
        if request.COOKIES.get(settings.SESSION_COOKIE_NAME):
            response["Cache-Control"] = "private, no-cache"
        else:
            response["Cache-Control"] = f"public, max-age={settings.EDITION_HTTP_MAX_AGE}"
    if request.COOKIES.get(settings.SESSION_COOKIE_NAME) or "private" in response["Cache-Control"]:
        patch_vary_headers(response, ("Cookie",))
    last_modified = parse_http_date_safe(response["Last-Modified"])
    return get_conditional_response(request, etag=response["ETag"], last_modified=last_modified, response=response)


class EditionHTTPMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        open_data = is_machine_readable(path)
        if request.method == "OPTIONS" and open_data:
            return add_cors(preflight(request))
        response = self.get_response(request)
        if PROBLEM_PATHS.match(path):
            response = _html_error_as_problem(response)
        response = _validators(request, response)
        if open_data:
            add_cors(response)
        return response
