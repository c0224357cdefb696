"""Thin views: citations of a document or passage, its W3C annotations, note permalinks."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from documents.cache_responses import cache_response_for_anonymous
from documents.exports import export, extension, media_type
from documents.exports.annotations import ANNO_MEDIA_TYPE, note_annotation
from documents.exports.citation import CITATION_FORMATS, DOWNLOADS
from documents.exports.links import note_target_path
from documents.models import Document, Note
from documents.services.version_text import get_version, version_passage

from .responses import base_url, json_response, open_data, wants_json


def _cited(request, document, anchor):
    """(version or None, passage or None, its paragraph number) named by ?version= and ?passage=; 404 if unknown.

    With ?version=<n> the passage is the one of that version (documents.services.version_text)."""
    version = None
    if request.GET.get("version"):
        version = get_version(document, request.GET["version"])
        if version is None:
            raise Http404(f"{document.slug} has no version {request.GET['version']!r}")
    if not anchor:
        return version, None, None
    if version is not None:
        passage = version_passage(version, anchor)
        if passage is None:
            raise Http404(f"no passage {anchor!r} in version {version.number}")
        return version, passage, passage.number
    passage = get_object_or_404(document.passages.select_related("turn__speaker"), anchor=anchor)
    return None, passage, document.passages.filter(order__lte=passage.order).count()  # as numbered in the reader


@require_safe
def document_cite(request, slug, fmt):
    """/documents/<slug>/cite.<fmt>[?passage=<anchor>]: Chicago/APA text, or a BibTeX/RIS/CSL-JSON download."""
    if fmt not in CITATION_FORMATS:
        raise Http404(f"unknown citation format {fmt!r}")
    document = get_object_or_404(Document, slug=slug)
    anchor = request.GET.get("passage")
    version, passage, _ = _cited(request, document, anchor)
    body = export(fmt, document, passage=passage, base_url=base_url(request), version=version)
    response = open_data(HttpResponse(body, content_type=media_type(fmt)))
    if fmt in DOWNLOADS:
        name = f"{document.slug}-{anchor}" if anchor else document.slug
        response["Content-Disposition"] = f'attachment; filename="{name}.{extension(fmt)}"'
    return response


@require_safe
def cite_page(request, slug):
    """/documents/<slug>/cite/[?passage=<anchor>]: a page holding the Cite panel of a paragraph (or of the
    document), open. The reader's per-paragraph "Cite" links point here; cite.js shows its panel inline."""
    document = get_object_or_404(Document, slug=slug)
    version, passage, number = _cited(request, document, request.GET.get("passage"))
    context = {"document": document, "passage": passage, "number": number, "version": version}
    return render(request, "documents/cite_page.html", context)


@require_safe
@cache_response_for_anonymous("annotations", params=())
def document_annotations(request, slug):
    """The document's published notes as a W3C AnnotationPage."""
    document = get_object_or_404(Document, slug=slug)
    body = export("annotations", document, base_url=base_url(request))
    return open_data(HttpResponse(body, content_type=ANNO_MEDIA_TYPE))


@require_safe
def note(request, uuid):
    """A note's permalink: to its passage in the reader, or its W3C annotation when JSON(-LD) is asked for."""
    found = get_object_or_404(Note.objects.visible_to(request.user).select_related("document"), uuid=uuid)
    if wants_json(request):
        response = json_response(note_annotation(found, base_url(request)), content_type=ANNO_MEDIA_TYPE)
    else:
        response = redirect(note_target_path(found))
    patch_vary_headers(response, ["Accept"])
    return response
