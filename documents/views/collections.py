"""Thin views of the collections: the list of collections and one collection's table of contents
(the page is assembled in documents.render.collections)."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from documents.cache import cache_page_for_anonymous, not_stored, page_number
from documents.models import Collection, Entity
from documents.render.collections import collection_context
from documents.render.listing import ListFilters

from .reader import HOME_PARAMS

#: Collections per page of /collections/ (an archive of many files may hold many).
COLLECTIONS_PER_PAGE = 50


@cache_page_for_anonymous(params={"page": page_number})
def collection_list(request):
    """Every collection with its number of documents and the range of their dates, COLLECTIONS_PER_PAGE a page."""
    listing = Collection.objects.with_counts().in_order()
    page = Paginator(listing, COLLECTIONS_PER_PAGE).get_page(request.GET.get("page"))
    response = render(request, "documents/collections.html", {"collections": page.object_list, "page_obj": page})
    return not_stored(response) if str(page.number) != request.GET.get("page", "1") else response


@cache_page_for_anonymous(params=HOME_PARAMS)
def collection(request, collection):
    """A collection's facts, its table of contents (sections, headnotes, documents with dates), its documents
    filtered and sorted as on the home page (?kind=, ?from=, ?to=, ?speaker=, ?sort=, ?page=), a histogram
    of their dates and its timeline."""
    obj = get_object_or_404(Collection.objects.select_related("matter", "source_file"), slug=collection)
    try:
        filters = ListFilters.from_get(request.GET)
    except Entity.DoesNotExist:
        raise Http404("No such speaker.") from None
    context = collection_context(obj, filters, request.GET.get("page"))
    response = render(request, "documents/collection.html", context)
    matches = context["page_obj"]
    clamped = matches is not None and str(matches.number) != request.GET.get("page", "1")
    return not_stored(response) if clamped else response
