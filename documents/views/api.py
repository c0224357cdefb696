"""Thin views of the JSON API (/api/...); the JSON itself is built in documents.exports.api."""

from django.conf import settings
from django.urls import reverse
from django.views.decorators.http import require_safe

from documents.cache_responses import cache_response_for_anonymous
from documents.exports import api as serial
from documents.exports.annotations import ANNO_MEDIA_TYPE, note_annotation
from documents.exports.metadata import prefetch_authors
from documents.models import Document, Entity, Note

from .responses import base_url, json_response, page_number, problem, strict_page


def _page(request, queryset, serialize):
    """A page of results: {"count", "next", "previous", "results"}; None for a page that does not exist."""
    page = strict_page(queryset, page_number(request), getattr(settings, "EDITION_API_PAGE_SIZE", 100))
    if page is None:
        return None
    url = base_url(request) + request.path
    return {
        "count": page.paginator.count,
        "next": f"{url}?page={page.number + 1}" if page.has_next() else None,
        "previous": f"{url}?page={page.number - 1}" if page.has_previous() else None,
        "results": serialize(list(page.object_list)),
    }


@require_safe
@cache_response_for_anonymous("api", params=())
def index(request):
    """The API's entry: where each list lives."""
    root = base_url(request)
    names = {
        "documents": "documents:api-document-list",
        "people": "documents:api-people-list",
        "places": "documents:api-places-list",
        "organisations": "documents:api-organisations-list",
        "dts": "documents:dts-entry",
        "openapi": "documents:api-openapi",
    }
    return json_response({key: root + reverse(name) for key, name in names.items()})


@require_safe
@cache_response_for_anonymous("api", params=("page",))
def document_list(request):
    root = base_url(request)

    def serialize(documents):
        prefetch_authors(documents)
        return [serial.document_summary(d, root) for d in documents]

    # The documents proper; a collection's matter (its text outside the documents) stays at its own URL.
    data = _page(request, Document.objects.without_matter().with_counts().in_order(), serialize)
    if data is None:
        return problem(404, f"no page {request.GET.get('page')!r}")
    return json_response(data)


@require_safe
@cache_response_for_anonymous("api", params=("version",))
def document_detail(request, slug):
    document = Document.objects.filter(slug=slug).first()
    if document is None:
        return problem(404, f"no document {slug!r}")
    data = serial.document_detail(document, base_url(request))
    if request.GET.get("version"):  # ?version=<n>: the text of that version (docs/versions.md)
        from documents.exports.versions import apply_version
        from documents.services.version_text import get_version

        version = get_version(document, request.GET["version"])
        if version is None:
            return problem(404, f"no version {request.GET['version']!r} of {slug!r}")
        data = apply_version(data, version, base_url(request))
    return json_response(data)


@require_safe
@cache_response_for_anonymous("api", params=())
def note_detail(request, uuid):
    """A note as a W3C Annotation (published notes; drafts only for editors)."""
    note = Note.objects.visible_to(request.user).select_related("document").filter(uuid=uuid).first()
    if note is None:
        return problem(404, f"no note {uuid}")
    return json_response(note_annotation(note, base_url(request)), content_type=ANNO_MEDIA_TYPE)


@require_safe
@cache_response_for_anonymous("api", params=("page",))
def entity_list(request, kind):
    root = base_url(request)
    data = _page(
        request,
        serial.entity_list_queryset(kind),
        lambda entities: [serial.entity_summary(e, root) for e in entities],
    )
    if data is None:
        return problem(404, f"no page {request.GET.get('page')!r}")
    return json_response(data)


@require_safe
@cache_response_for_anonymous("api", params=())
def entity_detail(request, key, kind):
    entity = Entity.objects.filter(kind=kind, key=key).select_related("affiliation").first()
    if entity is None:
        return problem(404, f"no {Entity.Kind(kind).label.lower()} {key!r}")
    return json_response(serial.entity_detail(entity, base_url(request)))
