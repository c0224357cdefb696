"""Distributed Text Services 1.0 (https://dtsapi.org/versions/v1.0/): entry, Collection,
Navigation and Document endpoints. The edition is one root collection whose members are its
documents (Resources); each has one citation tree: section -> turn -> paragraph.

The views check the parameters; the responses are built in documents/exports/dts_api.py (JSON-LD)
and documents/exports/dts.py (TEI). Errors follow the specification (400 for ill-formed requests,
404 for unknown resources, refs, trees or media types) with an RFC 9457 JSON body.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.http import HttpResponse
from django.views.decorators.http import require_safe

from documents.cache_responses import cache_response_for_anonymous
from documents.exports import dts as dts_export
from documents.exports import dts_api
from documents.exports.dts_api import LD_JSON, TEI
from documents.models import Document
from documents.services.citation_tree import build_tree, build_trees

from .responses import json_response, page_number, problem


@require_safe
@cache_response_for_anonymous("dts", params=())
def entry(request):
    return json_response(dts_api.entry(), content_type=LD_JSON)


@require_safe
@cache_response_for_anonymous("dts", params=("id", "nav", "page"))
def collection(request):
    """The root collection (the edition) or one Resource (a document); nav=parents lists parents."""
    ident = request.GET.get("id") or dts_api.ROOT_ALIAS
    nav = request.GET.get("nav", "children")
    if nav not in {"children", "parents"}:
        return problem(400, "nav must be 'children' or 'parents'")
    page = page_number(request)
    if page is None:
        return problem(400, "page must be a positive integer")
    total = Document.objects.count()
    if dts_api.is_root(ident):
        if nav == "parents":  # the root has no parents
            return json_response(dts_api.root_collection([], {}, total), content_type=LD_JSON)
        size = getattr(settings, "EDITION_DTS_PAGE_SIZE", 100)
        last = max(1, -(-total // size))
        if page > last:
            return problem(404, f"no page {page}")
        documents = list(Document.objects.in_order()[(page - 1) * size : page * size])
        data = dts_api.root_collection(documents, build_trees(documents), total, page, last)
        return json_response(data, content_type=LD_JSON)
    document = dts_api.find_document(ident)
    if document is None:
        return problem(404, f"no collection or resource {ident!r}")
    data = dts_api.resource_record(document, build_tree(document), nav == "parents", total)
    return json_response(data, content_type=LD_JSON)


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
    document = dts_api.find_document(get["resource"])
    if document is None:
        return None, problem(404, f"no resource {get['resource']!r}")
    if get.get("tree") and (get.get("ref") or get.get("start") or not tree_needs_ref):
        return None, problem(404, f"no citation tree {get['tree']!r}: this resource has only the default tree")
    return document, None


@require_safe
@cache_response_for_anonymous("dts", params=(
    "resource", "ref", "start", "end", "down", "tree", "page", "version"
))
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
    if get.get("version"):  # extension (docs/versions.md): the citation tree of one recorded version
        from documents.services.version_text import get_version, version_citation_tree

        version = get_version(document, get["version"])
        if version is None:
            return problem(404, f"no version {get['version']!r} of {document.slug!r}")
        tree = version_citation_tree(version)
    found = {}
    for name, value in (("ref", ref), ("start", start), ("end", end)):
        if value:
            found[name] = tree.get(value)
            if found[name] is None:
                return problem(404, f"no citable unit {value!r} in {document.slug!r}")
    if start and not tree.in_order(found["start"], found["end"]):
        return problem(400, f"start {start!r} comes after end {end!r}")
    data = dts_api.navigation(document, tree, found, down, request.get_full_path())
    return json_response(data, content_type=LD_JSON)


def _media_type(value: str) -> str:
    """`mediaType=application/tei+xml` written unencoded arrives as 'application/tei xml' ('+' is a space)."""
    return value.strip().replace(" ", "+")


def _version_document(request, doc):
    from documents.exports.versions import VersionRefError, version_tei
    from documents.services.version_text import get_version

    get = request.GET
    version = get_version(doc, get["version"])
    if version is None:
        return problem(404, f"no version {get['version']!r} of {doc.slug!r}")
    if get.get("start") or get.get("end"):
        return problem(400, "start/end cannot be combined with version; use ref")
    try:
        body = version_tei(version, ref=get.get("ref") or None)
    except VersionRefError as exc:
        return problem(404, str(exc))
    response = HttpResponse(body, content_type=dts_export.TEI_MEDIA_TYPE)
    response["Link"] = dts_api.collection_link(doc)
    return response


@require_safe
@cache_response_for_anonymous("dts", params=("resource", "ref", "start", "end", "tree", "mediaType", "version"))
def document(request):
    """TEI of a whole document, or of a ref / start..end part (in dts:wrapper, inside the TEI body)."""
    doc, error = _params(request, tree_needs_ref=True)
    if error:
        return error
    wanted = request.GET.get("mediaType")
    if wanted and _media_type(wanted) != TEI:
        return problem(404, f"media type {wanted!r} is not available; use {TEI!r}")
    get = request.GET
    if get.get("version"):  # extension (docs/versions.md): the text of one recorded version
        return _version_document(request, doc)
    try:
        body = dts_export.document_tei(doc, ref=get.get("ref"), start=get.get("start"), end=get.get("end"))
    except dts_export.RefError as exc:
        return problem(404, f"{exc} in {doc.slug!r}")
    except dts_export.RangeError as exc:
        return problem(400, str(exc))
    response = HttpResponse(body, content_type=dts_export.TEI_MEDIA_TYPE)
    response["Link"] = dts_api.collection_link(doc)
    return response
