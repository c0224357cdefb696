"""Thin views of the reading interface."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render

from documents.exports import export
from documents.models import Document, Entity


def home(request):
    documents = Document.objects.in_order()
    return render(request, "documents/home.html", {"documents": documents})


def document(request, slug):
    doc = get_object_or_404(Document, slug=slug)
    passages = doc.passages.for_reader()
    return render(request, "documents/document.html", {"document": doc, "passages": passages})


def document_text(request, slug):
    """The document as plain text: ?view=diplomatic (the witness as written) or reading (default)."""
    doc = get_object_or_404(Document, slug=slug)
    view = request.GET.get("view", "reading")
    if view not in {"reading", "diplomatic"}:
        view = "reading"
    body = export("text", doc, view=view)
    return HttpResponse(body, content_type="text/plain; charset=utf-8")


def entity(request, key, kind):
    obj = get_object_or_404(Entity, key=key, kind=kind)
    mentions = obj.mentions.select_related("passage__document").order_by("passage__document", "passage__order")
    return render(request, "documents/entity.html", {"entity": obj, "mentions": mentions})
