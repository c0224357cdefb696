"""Small helpers shared by the machine-readable views (citations, annotations, API, DTS)."""

from __future__ import annotations

import json
from http import HTTPStatus

from django.http import HttpResponse

from documents.exports import links

PROBLEM_JSON = "application/problem+json"


def base_url(request=None) -> str:
    """The site's public origin, e.g. 'https://edition.example.org': settings.EDITION_BASE_URL, never the
    request's Host header (a client-chosen Host would end up in cached pages and permalinks)."""
    return links.base()


def open_data(response: HttpResponse) -> HttpResponse:
    """Public, read-only data: any web page may fetch it (CORS)."""
    response["Access-Control-Allow-Origin"] = "*"
    return response


def json_response(data, content_type: str = "application/json", status: int = 200) -> HttpResponse:
    body = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    return open_data(HttpResponse(body.encode(), content_type=content_type, status=status))


def problem(status: int, detail: str) -> HttpResponse:
    """An error as RFC 9457 problem details: {"type", "title", "status", "detail"}."""
    data = {"type": "about:blank", "title": HTTPStatus(status).phrase, "status": status, "detail": detail}
    return json_response(data, content_type=PROBLEM_JSON, status=status)


def wants_json(request) -> bool:
    """True when the client asks for JSON(-LD) rather than a page."""
    accept = request.headers.get("Accept", "")
    return request.GET.get("format") in {"json", "jsonld"} or "json" in accept.split(",")[0]


def page_number(request) -> int | None:
    """The ?page= parameter (1-based) or None if it is not a positive integer."""
    raw = request.GET.get("page", "1")
    return int(raw) if raw.isdigit() and int(raw) > 0 else None


def strict_page(object_list, number: int | None, size: int):
    """Page `number` (1-based) of `object_list` in pages of `size` (django.core.paginator.Page), or None
    when there is no such page. The one pagination of the JSON endpoints (the API, DTS); HTML pages use
    ``Paginator(...).get_page`` (which falls back to the nearest page instead)."""
    from django.core.paginator import InvalidPage, Paginator

    if number is None:
        return None
    try:
        return Paginator(object_list, size).page(number)
    except InvalidPage:
        return None
