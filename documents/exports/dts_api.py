"""DTS 1.0 JSON-LD (https://dtsapi.org/versions/v1.0/): the entry point, the Collection and
Navigation responses. documents/views/dts.py checks the parameters and calls these.

Every URI is absolute from `settings.EDITION_BASE_URL` (never the request's Host), so the same
resource has the same `@id` whoever asks and however the server is reached: a Resource's `@id` is
its document's permalink, the root collection's the edition's home page; the URI templates and
pagination links are absolute too. A pagination `view` has no `previous` on the first page and no
`next` on the last (DTS 1.0, "Pagination").
"""

from __future__ import annotations

import re
from urllib.parse import quote

from django.conf import settings
from django.urls import reverse

from documents.models import Document
from documents.services.citation_tree import CitationTree, Unit

from . import links
from .metadata import document_authors, prefetch_authors, publisher

CONTEXT = "https://dtsapi.org/context/v1.0.json"
VERSION = "1.0"
LD_JSON = "application/ld+json"
ROOT_ALIAS = "edition"  # accepted as ?id= for the root collection, beside its @id
TEI = "application/tei+xml"


def base() -> str:
    return links.base(settings.EDITION_BASE_URL)


def absolute(path: str) -> str:
    """An absolute URI of a path (with its query) of this site."""
    return base() + path


def endpoints() -> dict[str, str]:
    names = ("entry", "collection", "navigation", "document")
    return {name: absolute(reverse(f"documents:dts-{name}")) for name in names}


def root_id() -> str:
    """The root collection (the edition) is identified by the edition's home page."""
    return absolute(reverse("documents:home"))


def is_root(value: str) -> bool:
    return value in (ROOT_ALIAS, root_id())


def resource_id(document) -> str:
    """A Resource's @id is its document's permalink."""
    return links.document_url(document, base())


def find_document(value: str):
    """A document by its @id (permalink) or its slug."""
    match = re.search(r"/documents/([^/?#]+)/?$", value)
    slug = match.group(1) if match else value
    return Document.objects.filter(slug=slug).first()


def collection_link(document) -> str:
    """The `Link` of a Document endpoint response: the resource's Collection record."""
    return f'<{endpoints()["collection"]}?id={quote(resource_id(document), safe="")}>; rel="collection"'


def entry() -> dict:
    e = endpoints()
    return {
        "@context": CONTEXT,
        "dtsVersion": VERSION,
        "@id": e["entry"],
        "@type": "EntryPoint",
        "collection": e["collection"] + "{?id,page,nav}",
        "navigation": e["navigation"] + "{?resource,ref,start,end,down,tree,page}",
        "document": e["document"] + "{?resource,ref,start,end,tree,mediaType}",
    }


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


def resource(document, tree: CitationTree, top_level: bool = False) -> dict:
    e, rid = endpoints(), quote(resource_id(document), safe="")
    data = {"@context": CONTEXT, "dtsVersion": VERSION} if top_level else {}
    data.update(
        {
            "@id": resource_id(document),
            "@type": "Resource",
            "title": document.title,
            "totalParents": 1,
            "totalChildren": 0,
            "dublinCore": _dublin_core(document),
            "collection": f"{e['collection']}?id={rid}{{&nav}}",
            "navigation": f"{e['navigation']}?resource={rid}{{&ref,down,start,end,tree,page}}",
            "document": f"{e['document']}?resource={rid}{{&ref,start,end,tree,mediaType}}",
            "download": f"{e['document']}?resource={rid}",
            "mediaTypes": [TEI],
            "citationTrees": [{"@type": "CitationTree", "citeStructure": tree.cite_structure()}],
        }
    )
    if document.summary:
        data["description"] = document.summary
    if top_level:  # extension (docs/versions.md): the recorded versions, each readable with &version=<n>
        from .versions import versions_json

        data["versions"] = [
            {**v, "document": f"{e['document']}?resource={rid}&version={v['number']}"}
            for v in versions_json(document, base())
        ]
    return data


def pagination(page: int, last: int) -> dict | None:
    """A Pagination view; None when everything is on one page."""
    if last <= 1:
        return None
    here = endpoints()["collection"] + f"?id={quote(root_id(), safe='')}&page="
    view = {"@id": f"{here}{page}", "@type": "Pagination", "first": f"{here}1"}
    if page > 1:
        view["previous"] = f"{here}{page - 1}"
    if page < last:
        view["next"] = f"{here}{page + 1}"
    view["last"] = f"{here}{last}"
    return view


def root_collection(documents_page, trees: dict, total: int, page: int = 1, last: int = 1) -> dict:
    """The edition as the root collection, with one page of its documents as members."""
    data = {
        "@context": CONTEXT,
        "dtsVersion": VERSION,
        "@id": root_id(),
        "@type": "Collection",
        "title": settings.EDITION_TITLE,
        "totalParents": 0,
        "totalChildren": total,
        "collection": endpoints()["collection"] + "{?id,page,nav}",
        "dublinCore": {"title": [{"lang": "en", "value": settings.EDITION_TITLE}]},
    }
    prefetch_authors(documents_page)
    data["member"] = [resource(d, trees[d.pk]) for d in documents_page]
    view = pagination(page, last)
    if view:
        data["view"] = view
    return data


def resource_record(document, tree: CitationTree, parents: bool, total: int) -> dict:
    """A Resource's own Collection record; with nav=parents its parent (the root) as member."""
    data = resource(document, tree, top_level=True)
    if parents:
        parent = root_collection([], {}, total)
        for key in ("@context", "dtsVersion", "member"):
            del parent[key]
        data["member"] = [parent]
    return data


def unit(u: Unit, document) -> dict:
    data = {
        "identifier": u.identifier,
        "@type": "CitableUnit",
        "level": u.level,
        "parent": u.parent_identifier,
        "citeType": u.cite_type,
    }
    if u.cite_type != "section":
        data["@id"] = links.fragment_url(document, u.identifier, base())
    if u.title:
        data["dublinCore"] = {"title": [{"lang": document.language, "value": u.title}]}
    return data


def members(tree: CitationTree, found: dict, down: int) -> list[Unit]:
    if down == 0:  # the ref and its siblings
        ref = found["ref"]
        return ref.parent.children if ref.parent else tree.roots
    if "ref" in found:
        units, top = tree.subtree(found["ref"]), found["ref"].level
    elif "start" in found:
        units, top = tree.span(found["start"], found["end"]), max(found["start"].level, found["end"].level)
    else:
        units, top = tree.units, 0
    return [u for u in units if down == -1 or u.level <= top + down]


def navigation(document, tree: CitationTree, found: dict, down: int | None, path: str) -> dict:
    """A Navigation response; `path` is the request's path and query (its @id, made absolute)."""
    prefetch_authors([document])
    data = {
        "@context": CONTEXT,
        "dtsVersion": VERSION,
        "@type": "Navigation",
        "@id": absolute(path),
        "resource": resource(document, tree),
    }
    for name, found_unit in found.items():
        data[name] = unit(found_unit, document)
    if down is not None:
        data["member"] = [unit(u, document) for u in members(tree, found, down)]
    return data
