"""Thin views of the editing area: exports that carry the editors' work."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404

from documents.exports import export, media_type
from documents.models import Document


def document_tei(request, slug):
    """The document as TEI with its current published notes and links (drafts never leave the admin)."""
    doc = get_object_or_404(Document, slug=slug)
    response = HttpResponse(export("tei", doc), content_type=media_type("tei"))
    response["Content-Disposition"] = f'inline; filename="{doc.slug}.xml"'
    return response
