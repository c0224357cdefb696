"""Template tags for citing: the Cite panel, reference-manager metadata, last-modified.

    {% load citation_tags %}
    {% citation_meta document %}   in <head>: Highwire citation_* and Dublin Core meta tags,
                                   schema.org JSON-LD, canonical and alternate links, the copy script
    {% cite_panel document %}      a "Cite" panel (<details>) for the document
    {% cite_panel passage %}       ... or for one passage (paragraph)
    {% cite_panel obj expanded=True %}  ... open (the cite page, /documents/<slug>/cite/)
    {% last_modified document %}   "Last modified <time>" line

No tag queries the database per passage: authors are resolved once per document instance,
and a passage's turn/speaker come from the reader's `Passage.objects.for_reader()`.
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from documents.exports import media_type
from documents.exports.annotations import ANNO_MEDIA_TYPE
from documents.exports.citation import apa, chicago
from documents.exports.links import base, document_url, fragment_url, version_url
from documents.exports.metadata import (
    Creator,
    citation_data,
    content_modified,
    document_authors,
    record_url,
)
from documents.models import Passage
from documents.services.version_text import latest_version

register = template.Library()

DOWNLOAD_LABELS = (("bibtex", "BibTeX"), ("ris", "RIS"), ("csl-json", "CSL-JSON"))


def _base(context) -> str | None:
    """The public origin from settings.EDITION_BASE_URL, never the request's Host (issue 19.1)."""
    return base()


def _split(obj):
    if isinstance(obj, Passage):
        return obj.document, obj
    return obj, None


@register.inclusion_tag("documents/snippets/cite.html", takes_context=True)
def cite_panel(context, obj, expanded=False, version=None, passage=None):
    """A Cite panel for a Document or a Passage: Chicago and APA, permalink, access date, downloads.

    version=<DocumentVersion> cites that version at its own URL (a passage of it given as passage=);
    without it the citation names the latest version. The panel links to the other of the two.
    """
    document, own = _split(obj)
    passage = passage or own
    base = _base(context)
    accessed = timezone.localdate()
    params = {"passage": passage.anchor} if passage else {}
    if version is not None:
        params["version"] = version.number
    query = "?" + urlencode(params) if params else ""
    latest = latest_version(document)
    fragment = f"#{passage.anchor}" if passage else ""

    def cite_url(fmt):
        return reverse("documents:document-cite", kwargs={"slug": document.slug, "fmt": fmt}) + query

    cite_page = reverse("documents:cite-page", kwargs={"slug": document.slug})
    other = None  # the other citation offered: of this (pinned) version from the latest, or of the latest
    if version is not None:
        other = {"label": "Latest version", "url": document_url(document, base) + fragment,
                 "cite": cite_page + ("?" + urlencode({"passage": passage.anchor}) if passage else ""),
                 "what": "the latest version"}  # fmt: skip
    elif latest is not None:
        other = {"label": f"This version ({latest.number})", "url": version_url(latest, base) + fragment,
                 "cite": cite_page + "?" + urlencode({**params, "version": latest.number}),
                 "what": f"version {latest.number} (permanent: its words never change)"}  # fmt: skip
    permalink = version_url(version, base) + fragment if version is not None else (
        fragment_url(document, passage.anchor, base) if passage else document_url(document, base))
    return {
        "panel_id": (f"cite-{passage.anchor}" if passage else f"cite-{document.slug}")
        + (f"-v{version.number}" if version is not None else ""),
        "passage": passage,
        "document": document,
        "expanded": expanded,
        "version": version or latest,
        "pinned": version is not None,
        "other": other,
        "permalink": permalink,
        "chicago": mark_safe(chicago(document, passage, base_url=base, accessed=accessed, html=True, version=version)),
        "apa": mark_safe(apa(document, passage, base_url=base, accessed=accessed, html=True, version=version)),
        "accessed": accessed,
        "modified": content_modified(document),
        "downloads": [
            {"label": label, "url": cite_url(fmt), "type": media_type(fmt).split(";")[0]}
            for fmt, label in DOWNLOAD_LABELS
        ],
    }


def _json_ld_volume(data, agent) -> dict:
    """schema.org isPartOf of a foreign document: its own volume (or collection), series, editors, date."""
    part = {"@type": "PublicationVolume" if data.volume else "Collection", "name": data.container}
    if data.volume:
        part["volumeNumber"] = data.volume
    if data.series:
        part["isPartOf"] = {"@type": "CreativeWorkSeries", "name": data.series}
    if data.editors:
        part["editor"] = [agent(e) for e in data.editors]
    if data.container_date:
        part["datePublished"] = data.container_date
    return part


def _json_ld(document, url, data) -> str:
    """schema.org: an ArchiveComponent (a CreativeWork describing an archival item), with the holding
    archive, the file, translators and the language translated from when they are known."""

    def agent(creator):
        return {"@type": "Organization" if creator.is_org else "Person", "name": creator.name}

    ld = {
        "@context": "https://schema.org",
        "@type": "ArchiveComponent",
        "@id": url,
        "url": url,
        "name": document.title,
        "inLanguage": document.language,
        "isPartOf": {"@type": "Collection", "name": data.container},
        "publisher": {"@type": "Organization", "name": data.publisher},
        "dateModified": content_modified(document).isoformat(),
    }
    if not data.publisher:  # a foreign volume whose header names none
        del ld["publisher"]
    if data.in_own_container:  # a foreign document: part of its own volume (metadata.container_facts)
        ld["isPartOf"] = _json_ld_volume(data, agent)
    if data.authors:
        ld["author"] = [agent(a) for a in data.authors]
    if data.translators:
        ld["translator"] = [agent(t) for t in data.translators]
    if data.original_language:
        ld["translationOfWork"] = {"@type": "CreativeWork", "inLanguage": data.original_language}
    if data.archive:
        ld["holdingArchive"] = {"@type": "ArchiveOrganization", "name": data.archive}
    optional = (("itemLocation", data.archive_location), ("version", data.version))
    ld.update({key: value for key, value in optional if value})
    if record_url(document):  # the published record the source note cites (w12: provenance)
        ld["isBasedOn"] = record_url(document)
    if document.date:
        ld["dateCreated"] = document.date.isoformat()
    if document.kind != "other":
        ld["genre"] = document.get_kind_display()
    if document.summary:
        ld["description"] = document.summary
    text = json.dumps(ld, ensure_ascii=False, indent=2)
    # Safe inside <script>: no "</script>", no HTML comment or entity tricks.
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


@register.filter
def zotero_name(creator: Creator) -> str:
    """A creator as Zotero's Embedded Metadata translator reads it: "Family, Given" for a person; an
    organisation's name with a trailing comma, which Zotero takes as one single-field name (without
    it, "Government of the Soviet Union" is split into first name "Government of the Soviet" and last
    name "Union"). Google Scholar reads the same "Last, First" convention."""
    if creator.is_org or not creator.family:
        return f"{creator.name.replace(',', '')},"
    return f"{creator.family}, {creator.given}"


@register.inclusion_tag("documents/snippets/citation_meta.html", takes_context=True)
def citation_meta(context, document, version=None):
    """<head> metadata for reference managers (Zotero reads citation_* and DC.*) and search engines.

    Zotero's Embedded Metadata gets the item the downloads give: `bibo.type` Manuscript (no
    `citation_inbook_title`, which makes it a Book Section), the genre as `DC.type`, authors as single
    names, translators as `z.translators`. Embedded Metadata drops every creator but `citation_author`'s
    when a `citation_author` is present, so a document with translators names its authors in `DC.creator`
    only. See docs/api.md, "What each client gets".

    version=<DocumentVersion>: the page of that version (its URL is the canonical one); otherwise the
    metadata name the latest version, if the document has versions."""
    base = _base(context)
    pinned = version is not None
    version = version or latest_version(document)
    url = version_url(version, base) if pinned else document_url(document, base)
    authors = document_authors(document)
    data = citation_data(document, base_url=base, version=version if pinned else None)
    slug = document.slug
    return {
        "document": document,
        "genre": data.genre,
        "translators": data.translators,
        "archive_location": data.archive_location,
        "version": version,
        "pinned": pinned,
        "latest_url": document_url(document, base),
        "version_url": version_url(version, base) if version is not None else "",
        "modified": content_modified(document),
        "url": url,
        "authors": authors,
        "date": document.date.strftime("%Y/%m/%d") if document.date else "",
        "container": data.container,
        "publisher": data.publisher,
        "part_of": data if data.in_own_container else None,  # a foreign document's own volume
        "json_ld": mark_safe(_json_ld(document, url, data)),  # escaped for <script> above
        "record_url": record_url(document),
        "alternates": [
            {"type": ANNO_MEDIA_TYPE, "href": reverse("documents:document-annotations", kwargs={"slug": slug})},
            {
                "type": "application/tei+xml",
                "href": reverse("documents:dts-document") + "?" + urlencode({"resource": slug}),
            },
            {"type": "application/json", "href": reverse("documents:api-document-detail", kwargs={"slug": slug})},
            *[
                {
                    "type": media_type(fmt).split(";")[0],
                    "href": reverse("documents:document-cite", kwargs={"slug": slug, "fmt": fmt}),
                }
                for fmt, _ in DOWNLOAD_LABELS
            ],
        ],  # fmt: skip
    }


@register.inclusion_tag("documents/snippets/last_modified.html")
def last_modified(document):
    return {"modified": content_modified(document)}
