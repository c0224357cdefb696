"""Thin views of versions: a version's text (/documents/<slug>/v/<n>/) and what changed between two."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render

from documents.cache import cache_page_for_anonymous, one_of
from documents.models import Document
from documents.render.versions import changes_context, version_context
from documents.services.version_text import get_version, latest_version

VIEWS = ("reading", "diplomatic")


def _view(request) -> str:
    return request.GET.get("view") if request.GET.get("view") in VIEWS else "reading"


@cache_page_for_anonymous(params={"view": one_of(*VIEWS)})  # only what the view reads keys the cache
def document_version(request, slug, number):
    """The text of version <number> as it was published, at the same anchors as the TEI's xml:ids."""
    document = get_object_or_404(Document, slug=slug)
    version = get_version(document, number)
    if version is None:
        raise Http404(f"{slug} has no version {number}")
    latest = latest_version(document)
    context = version_context(document, version, _view(request))
    context.update(document=document, version=version, latest=latest, is_latest=latest.number == version.number,
                   versions=list(document.versions.order_by("-number")))  # fmt: skip
    return render(request, "documents/version.html", context)


@cache_page_for_anonymous(params={"view": one_of(*VIEWS), "from": str, "to": str})  # junk -> 404, not stored
def document_changes(request, slug):
    """?from=<n>&to=<m>: the word diff between two versions (default: the latest and the one before it)."""
    document = get_object_or_404(Document, slug=slug)
    versions = list(document.versions.order_by("-number"))
    context = {"document": document, "versions": versions, "view": _view(request)}
    if len(versions) >= 2 or request.GET.get("from") or request.GET.get("to"):
        default_to = versions[0].number if versions else None
        to = get_version(document, request.GET.get("to") or default_to)
        start = get_version(document, request.GET.get("from") or (to.number - 1 if to else None))
        if to is None or start is None:
            raise Http404("no such version: give from= and to= as version numbers of this document")
        context.update(changes_context(document, start, to, context["view"], user=request.user))
        context.update(old=start, new=to)
    return render(request, "documents/changes.html", context)
