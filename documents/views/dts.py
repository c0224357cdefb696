"""Distributed Text Services 1.0 (https://dtsapi.org/versions/v1.0/): entry, Collection,
Navigation and Document endpoints. The edition is one root collection whose members are its
documents (Resources); each has one citation tree: section -> turn -> paragraph.

Errors follow the specification (400 for ill-formed requests, 404 for unknown resources,
refs, trees or media types) with an RFC 9457 JSON body.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from documents.cache_responses import cache_response_for_anonymous
from documents.exports import dts as dts_export
from documents.exports import links
from documents.exports.metadata import document_authors, prefetch_authors, publisher
from documents.models import Document
from documents.services.citation_tree import CitationTree, Unit, build_tree, build_trees

from .responses import base_url, json_response, open_data, page_number, problem

CONTEXT = "https://dtsapi.org/context/v1.0.json"
VERSION = "1.0"
LD_JSON = "application/ld+json"
ROOT_ID = "edition"
TEI = "application/tei+xml"


def _templates():
    return {
        "collection": reverse("documents:dts-collection"),
        "navigation": reverse("documents:dts-navigation"),
        "document": reverse("documents:dts-document"),
    }


def _resource_id(document, request) -> str:
    """A Resource's @id is its document's permalink (an absolute URI)."""
    return links.document_url(document, base_url(request))


def _find_document(value: str):
    """A document by its @id (permalink) or its slug."""
    match = re.search(r"/documents/([^/?#]+)/?$", value)
    slug = match.group(1) if match else value
    return Document.objects.filter(slug=slug).first()


def _dublin_core(document) -> dict:
    """Dublin Core terms; names as [{"lang", "value"}] (a MetadataObject's localisable literals)."""
    lang = document.language

    def names(values):
        return [{"lang": lang, "value": value} for value in values]

    dc = {"title": names([document.title]), "language": [lang], "type": ["Text"]}
    authors = [a.name for a in document_authors(document)]
    if authors:
        dc["creator"] = names(authors)
    if document.date:
        dc["date"] = document.date.isoformat()
    dc["publisher"] = names([publisher()])
    dc["isPartOf"] = names([settings.EDITION_TITLE])
    return dc


def resource(document, request, tree: CitationTree, top_level: bool = False) -> dict:
    t, rid = _templates(), quote(_resource_id(document, request), safe="")
    data = {"@context": CONTEXT, "dtsVersion": VERSION} if top_level else {}
    data.update(
        {
            "@id": _resource_id(document, request),
            "@type": "Resource",
            "title": document.title,
            "totalParents": 1,
            "totalChildren": 0,
            "dublinCore": _dublin_core(document),
            "collection": f"{t['collection']}?id={rid}{{&nav}}",
            "navigation": f"{t['navigation']}?resource={rid}{{&ref,down,start,end,tree,page}}",
            "document": f"{t['document']}?resource={rid}{{&ref,start,end,tree,mediaType}}",
            "download": f"{t['document']}?resource={rid}",
            "mediaTypes": [TEI],
            "citationTrees": [{"@type": "CitationTree", "citeStructure": tree.cite_structure()}],
        }
    )
    if document.summary:
        data["description"] = document.summary
    return data


@require_safe
@cache_response_for_anonymous("dts")
def entry(request):
    t = _templates()
    data = {
        "@context": CONTEXT,
        "dtsVersion": VERSION,
        "@id": reverse("documents:dts-entry"),
        "@type": "EntryPoint",
        "collection": t["collection"] + "{?id,page,nav}",
        "navigation": t["navigation"] + "{?resource,ref,start,end,down,tree,page}",
        "document": t["document"] + "{?resource,ref,start,end,tree,mediaType}",
    }
    return json_response(data, content_type=LD_JSON)


def _root(request, documents_page, total, page, last) -> dict:
    t = _templates()
    data = {
        "@context": CONTEXT,
        "dtsVersion": VERSION,
        "@id": ROOT_ID,
        "@type": "Collection",
        "title": settings.EDITION_TITLE,
        "totalParents": 0,
        "totalChildren": total,
        "collection": t["collection"] + "{?id,page,nav}",
        "dublinCore": {"title": [{"lang": "en", "value": settings.EDITION_TITLE}]},
    }
    prefetch_authors(documents_page)
    trees = build_trees(documents_page)
    data["member"] = [resource(d, request, trees[d.pk]) for d in documents_page]
    if last > 1:
        here = t["collection"] + f"?id={ROOT_ID}&page="
        data["view"] = {
            "@id": f"{here}{page}",
            "@type": "Pagination",
            "first": f"{here}1",
            "previous": f"{here}{max(1, page - 1)}",
            "next": f"{here}{min(last, page + 1)}",
            "last": f"{here}{last}",
        }
    return data


@require_safe
@cache_response_for_anonymous("dts")
def collection(request):
    """The root collection (the edition) or one Resource (a document); nav=parents lists parents."""
    ident = request.GET.get("id", ROOT_ID)
    nav = request.GET.get("nav", "children")
    if nav not in {"children", "parents"}:
        return problem(400, "nav must be 'children' or 'parents'")
    page = page_number(request)
    if page is None:
        return problem(400, "page must be a positive integer")
    if ident == ROOT_ID:
        if nav == "parents":  # the root has no parents
            return json_response(_root(request, [], Document.objects.count(), 1, 1), content_type=LD_JSON)
        size = getattr(settings, "EDITION_DTS_PAGE_SIZE", 100)
        total = Document.objects.count()
        last = max(1, -(-total // size))
        if page > last:
            return problem(404, f"no page {page}")
        documents = list(Document.objects.in_order()[(page - 1) * size : page * size])
        return json_response(_root(request, documents, total, page, last), content_type=LD_JSON)
    document = _find_document(ident)
    if document is None:
        return problem(404, f"no collection or resource {ident!r}")
    data = resource(document, request, build_tree(document), top_level=True)
    if nav == "parents":
        parent = _root(request, [], Document.objects.count(), 1, 1)
        for key in ("@context", "dtsVersion", "member"):
            del parent[key]
        data["member"] = [parent]
    return json_response(data, content_type=LD_JSON)


def _unit(unit: Unit, document, request) -> dict:
    data = {
        "identifier": unit.identifier,
        "@type": "CitableUnit",
        "level": unit.level,
        "parent": unit.parent_identifier,
        "citeType": unit.cite_type,
    }
    if unit.cite_type != "section":
        data["@id"] = links.fragment_url(document, unit.identifier, base_url(request))
    if unit.title:
        data["dublinCore"] = {"title": [{"lang": document.language, "value": unit.title}]}
    return data


def _params(request, tree_needs_ref: bool = False):
    """Validate resource/ref/start/end/tree; return (document, error response).

    Each resource has one (default) citation tree, so any `tree` is unknown (404) -- except on the
    Document endpoint without ref/start/end, where the specification says `tree` has no effect.
    """
    get = request.GET
    if not get.get("resource"):
        return None, problem(400, "the resource parameter is required")
    if get.get("ref") and (get.get("start") or get.get("end")):
        return None, problem(400, "ref cannot be combined with start/end")
    if bool(get.get("start")) != bool(get.get("end")):
        return None, problem(400, "start and end must be given together")
    document = _find_document(get["resource"])
    if document is None:
        return None, problem(404, f"no resource {get['resource']!r}")
    if get.get("tree") and (get.get("ref") or get.get("start") or not tree_needs_ref):
        return None, problem(404, f"no citation tree {get['tree']!r}: this resource has only the default tree")
    return document, None


@require_safe
@cache_response_for_anonymous("dts")
def navigation(request):
    document, error = _params(request)
    if error:
        return error
    get = request.GET
    ref, start, end, down = get.get("ref"), get.get("start"), get.get("end"), get.get("down")
    if down is not None and not re.fullmatch(r"-1|\d+", down):
        return problem(400, "down must be -1 or a non-negative integer")
    down = int(down) if down is not None else None
    if down is None and not (ref or start):
        return problem(400, "give ref, start and end, or down")
    if down == 0 and not ref:
        return problem(400, "down=0 needs a ref")
    tree = build_tree(document)
    found = {}
    for name, value in (("ref", ref), ("start", start), ("end", end)):
        if value:
            found[name] = tree.get(value)
            if found[name] is None:
                return problem(404, f"no citable unit {value!r} in {document.slug!r}")
    if start and not tree.in_order(found["start"], found["end"]):
        return problem(400, f"start {start!r} comes after end {end!r}")
    prefetch_authors([document])
    data = {
        "@context": CONTEXT,
        "dtsVersion": VERSION,
        "@type": "Navigation",
        "@id": request.build_absolute_uri(),
        "resource": resource(document, request, tree),
    }
    for name, unit in found.items():
        data[name] = _unit(unit, document, request)
    if down is not None:
        data["member"] = [_unit(u, document, request) for u in _members(tree, found, down)]
    return json_response(data, content_type=LD_JSON)


def _members(tree: CitationTree, found: dict, down: int) -> list[Unit]:
    if down == 0:  # the ref and its siblings
        ref = found["ref"]
        return ref.parent.children if ref.parent else tree.roots
    if "ref" in found:
        units, base = tree.subtree(found["ref"]), found["ref"].level
    elif "start" in found:
        units, base = tree.span(found["start"], found["end"]), max(found["start"].level, found["end"].level)
    else:
        units, base = tree.units, 0
    return [u for u in units if down == -1 or u.level <= base + down]


@require_safe
@cache_response_for_anonymous("dts")
def document(request):
    """TEI of a whole document, or of a ref / start..end part wrapped in dts:wrapper."""
    doc, error = _params(request, tree_needs_ref=True)
    if error:
        return error
    wanted = request.GET.get("mediaType")
    if wanted and wanted != TEI:
        return problem(404, f"media type {wanted!r} is not available; use {TEI!r}")
    get = request.GET
    try:
        body = dts_export.document_tei(doc, ref=get.get("ref"), start=get.get("start"), end=get.get("end"))
    except dts_export.RefError as exc:
        return problem(404, f"{exc} in {doc.slug!r}")
    except dts_export.RangeError as exc:
        return problem(400, str(exc))
    response = open_data(HttpResponse(body, content_type=dts_export.TEI_MEDIA_TYPE))
    rid = quote(_resource_id(doc, request), safe="")
    response["Link"] = f'<{reverse("documents:dts-collection")}?id={rid}>; rel="collection"'
    return response
