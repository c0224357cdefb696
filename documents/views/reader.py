"""Thin views of the reading interface; page assembly lives in documents.render."""

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from documents.cache import cache_page_for_anonymous, not_stored, one_of, page_number
from documents.exports import export
from documents.i18n import alias_for_language, localise_names
from documents.models import Collection, DateMention, Document, Entity, Passage
from documents.render.collections import collection_nav
from documents.render.indexes import entity_context
from documents.render.listing import SORTS, ListFilters, date_histogram, form_choices, period_param
from documents.render.map import map_context
from documents.render.page import compare_context, reader_context
from documents.render.reader_pages import anchor_page, off_page_targets, reader_page
from documents.render.timeline import timeline_svg
from documents.services.version_text import latest_version

#: Documents per page of the home page's list (and of its timeline).
HOME_PER_PAGE = 50
#: Collections listed on the home page (all of them: /collections/).
HOME_COLLECTIONS = 10
#: Entries per page of the people, places and organisations indexes.
ENTITIES_PER_PAGE = 100

VIEWS = ("reading", "diplomatic")
VIEW_COOKIE = "edition_view"
KIND_PAGES = {
    "person": {"title": _("People"), "list": "documents:people", "item": "documents:person"},
    "place": {"title": _("Places"), "list": "documents:places", "item": "documents:place"},
    "org": {"title": _("Organisations"), "list": "documents:organisations", "item": "documents:organisation"},
}


def remembered_view(request) -> str:
    value = request.COOKIES.get(VIEW_COOKIE)
    return value if value in VIEWS else "reading"


def _remember(response, view):
    response.set_cookie(VIEW_COOKIE, view, max_age=365 * 24 * 3600, samesite="Lax")
    return response


def _clamped(page, request):
    """True when ?page= asked for a page beyond the last one (served as the last page, but not cached)."""
    return str(page.number) != request.GET.get("page", "1")


HOME_PARAMS = {
    "page": page_number,
    "kind": one_of(*Document.Kind.values),
    "from": period_param,
    "to": period_param,
    "speaker": str.strip,  # an unknown key is a 404 (not stored)
    "sort": one_of(*SORTS),
}


@cache_page_for_anonymous(params=HOME_PARAMS)
def home(request):
    """The introduction, one page of the document list (filtered and sorted by ?kind=, ?from=, ?to=,
    ?speaker=, ?sort=: documents/render/listing.py), a histogram of the dates of ALL the selected documents
    and the timeline of that page's documents (HOME_PER_PAGE at a time, ?page=N)."""
    try:
        filters = ListFilters.from_get(request.GET)
    except Entity.DoesNotExist:
        raise Http404("No such speaker.") from None
    selection = filters.apply(Document.objects.without_matter())
    page = Paginator(selection, HOME_PER_PAGE).get_page(request.GET.get("page"))
    documents = list(page.object_list)
    mentions = (
        DateMention.objects.filter(passage__document__in=[d.pk for d in documents])
        .select_related("passage__document")
        .order_by("when")
    )
    numbers = Passage.objects.filter(document__in={m.passage.document_id for m in mentions}).paragraph_numbers()
    context = {
        "documents": documents,
        "page_obj": page,
        "timeline": mark_safe(timeline_svg(mentions, numbers)),  # noqa: S308 -- built with lxml
        "event_count": len(mentions),
        "collections": Collection.objects.with_counts().in_order()[:HOME_COLLECTIONS],
        "collection_total": Collection.objects.count(),
        "filters": filters,
        "filter_query": filters.query(page=None),
        "choices": form_choices(),
        "histogram": date_histogram(selection, filters),
    }
    response = render(request, "documents/home.html", context)
    return not_stored(response) if _clamped(page, request) else response


def document(request, slug):
    """The reader. The view is chosen by ?view= and remembered in a cookie; a URL without ?view= from a
    reader who chose the diplomatic text redirects to ?view=diplomatic, so that every page is a function
    of its URL alone and is cached by URL (for anonymous readers). The cookie is read and set here, outside
    the cache: a cached page is never served in place of that redirect and carries no cookie."""
    asked = request.GET.get("view")
    if asked not in VIEWS and remembered_view(request) != "reading":
        query = request.GET.copy()
        query["view"] = remembered_view(request)
        return redirect(f"{request.path}?{query.urlencode()}")
    response = document_page(request, slug)
    if response.status_code == 200 and asked in VIEWS and request.COOKIES.get(VIEW_COOKIE) != asked:
        _remember(response, asked)  # only when the choice changes: unchanged pages carry no cookie
    return response


@cache_page_for_anonymous(params={"view": one_of(*VIEWS), "speaker": str.strip, "page": page_number})
def document_page(request, slug):
    """The reader page for the URL's ?view= (default reading), ?speaker= and, in a long document, ?page=
    (documents/render/reader_pages.py; a speaker's turns are shown on one page)."""
    documents = Document.objects.select_related("collection", "collection_section").with_neighbours()
    doc = get_object_or_404(documents, slug=slug)
    view = request.GET.get("view")
    speaker = request.GET.get("speaker", "").strip()
    page = None if speaker else reader_page(doc, int(request.GET.get("page") or 1))
    if page is None and not speaker:
        raise Http404("No such page of this document.")
    context = reader_context(
        doc, user=request.user, view=view if view in VIEWS else "reading", speaker=speaker or None, page=page
    )
    if speaker and context["speaker"] is None:
        raise Http404(f"No speaker {speaker!r} in this document.")
    localise_names([p["entity"] for p in context["participants"]] + context["entities"])  # no query in English
    context["reader_page"] = page
    context["off_page"] = off_page_targets(doc, page) if page is not None else []
    places = [e for e in context["entities"] if e.kind == "place"]
    if places:
        title = _("Places mentioned in %(title)s") % {"title": doc.title}
        context["place_map"] = map_context(places, ident="document-map", title=title)
    context["others"] = Document.objects.linked_to(doc)
    context["latest_version"] = latest_version(doc)
    context["collection_nav"] = collection_nav(doc)
    return render(request, "documents/document.html", context)


def document_at(request, slug, anchor):
    """/documents/<slug>/at/<anchor>/: to the reader page holding that passage, turn or division."""
    doc = get_object_or_404(Document, slug=slug)
    number = anchor_page(doc, anchor)
    if number is None:
        raise Http404("No such passage in this document.")
    query = f"?page={number}" if number > 1 else ""
    return redirect(f"{doc.get_absolute_url()}{query}#{anchor}")


def document_text(request, slug):
    """The document as plain text: ?view=diplomatic (the witness as written) or reading (default)."""
    doc = get_object_or_404(Document, slug=slug)
    view = request.GET.get("view", "reading")
    if view not in {"reading", "diplomatic"}:
        view = "reading"
    body = export("text", doc, view=view)
    return HttpResponse(body, content_type="text/plain; charset=utf-8")


@cache_page_for_anonymous(params={"left": one_of(*VIEWS), "right": one_of(*VIEWS)})
def compare(request, left, right):
    """Two documents (or one in its two views) side by side, linked passages marked on both sides."""
    left_doc = get_object_or_404(Document, slug=left)
    right_doc = left_doc if right == left else get_object_or_404(Document, slug=right)
    left_view = request.GET.get("left") if request.GET.get("left") in VIEWS else "reading"
    default_right = "diplomatic" if left_doc.pk == right_doc.pk and left_view == "reading" else left_view
    right_view = request.GET.get("right") if request.GET.get("right") in VIEWS else default_right
    context = compare_context(left_doc, right_doc, left_view, right_view)
    context["documents"] = Document.objects.in_order()
    context["same"] = left_doc.pk == right_doc.pk
    return render(request, "documents/compare.html", context)


@cache_page_for_anonymous(params={"page": page_number})
def entity_list(request, kind):
    """One page (ENTITIES_PER_PAGE, ?page=N) of an index, each entry with its numbers of mentions and
    turns, counted for that page's entities only (counting every entity's mentions at once grew with
    the corpus: over a minute at 100,000 documents)."""
    page = KIND_PAGES[kind]
    listing = Entity.objects.filter(kind=kind).select_related("affiliation").order_by("sort_name", "name", "pk")
    page_obj = Paginator(listing, ENTITIES_PER_PAGE).get_page(request.GET.get("page"))
    entities = list(page_obj.object_list)
    counts = Entity.objects.filter(pk__in=[e.pk for e in entities]).mention_and_turn_counts()
    for entity in entities:
        entity.num_mentions, entity.num_turns = counts.get(entity.pk, (0, 0))
    localise_names(entities)
    context = {"entities": entities, "page_obj": page_obj, "kind": kind, "page": page, "item": page["item"]}
    if kind == "place" and entities:
        title = str(_("Map of the places of the edition"))
        context["place_map"] = map_context(entities, ident="places-map", title=title)
    response = render(request, "documents/entity_list.html", context)
    return not_stored(response) if _clamped(page_obj, request) else response


@cache_page_for_anonymous(params={})
def entity(request, key, kind):
    obj = get_object_or_404(Entity.objects.select_related("affiliation"), key=key, kind=kind)
    context = entity_context(obj)
    context["page"] = KIND_PAGES[kind]
    context["local_alias"] = alias_for_language(obj, aliases=context["aliases"])
    return render(request, "documents/entity.html", context)
