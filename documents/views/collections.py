"""Thin views of the collections: a collection's table of contents (the page is assembled in documents.render)."""

from django.shortcuts import get_object_or_404, render

from documents.cache import cache_page_for_anonymous
from documents.models import Collection
from documents.render.collections import collection_context


@cache_page_for_anonymous(params={})
def collection(request, collection):
    """A collection's facts, its table of contents (sections, headnotes, documents with dates) and its timeline."""
    obj = get_object_or_404(Collection.objects.select_related("matter", "source_file"), slug=collection)
    return render(request, "documents/collection.html", collection_context(obj))
