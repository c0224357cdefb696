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
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from documents.exports import media_type
from documents.exports.annotations import ANNO_MEDIA_TYPE
from documents.exports.citation import apa, chicago
from documents.exports.links import base, document_url, fragment_url
from documents.exports.metadata import content_modified, document_authors, publisher
from documents.models import Passage

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
def cite_panel(context, obj, expanded=False):
    """A Cite panel for a Document or a Passage: Chicago and APA, permalink, access date, downloads."""
    document, passage = _split(obj)
    base = _base(context)
    accessed = timezone.localdate()
    query = "?" + urlencode({"passage": passage.anchor}) if passage else ""

    def cite_url(fmt):
        return reverse("documents:document-cite", kwargs={"slug": document.slug, "fmt": fmt}) + query

    return {
        "panel_id": f"cite-{passage.anchor}" if passage else f"cite-{document.slug}",
        "passage": passage,
        "document": document,
        "expanded": expanded,
        "permalink": fragment_url(document, passage.anchor, base) if passage else document_url(document, base),
        "chicago": mark_safe(chicago(document, passage, base_url=base, accessed=accessed, html=True)),  # escaped
        "apa": mark_safe(apa(document, passage, base_url=base, accessed=accessed, html=True)),  # escaped
        "accessed": accessed,
        "modified": content_modified(document),
        "downloads": [
            {"label": label, "url": cite_url(fmt), "type": media_type(fmt).split(";")[0]}
            for fmt, label in DOWNLOAD_LABELS
        ],
    }


def _json_ld(document, url, authors) -> str:
    data = {
        "@context": "https://schema.org",
        "@type": "CreativeWork",
        "@id": url,
        "url": url,
        "name": document.title,
        "inLanguage": document.language,
        "isPartOf": {"@type": "Collection", "name": settings.EDITION_TITLE},
        "publisher": {"@type": "Organization", "name": publisher()},
        "dateModified": content_modified(document).isoformat(),
    }
    if authors:
        data["author"] = [{"@type": "Organization" if a.is_org else "Person", "name": a.name} for a in authors]
    if document.date:
        data["dateCreated"] = document.date.isoformat()
    if document.kind != "other":
        data["genre"] = document.get_kind_display()
    if document.summary:
        data["description"] = document.summary
    text = json.dumps(data, ensure_ascii=False, indent=2)
    # Safe inside <script>: no "</script>", no HTML comment or entity tricks.
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


@register.inclusion_tag("documents/snippets/citation_meta.html", takes_context=True)
def citation_meta(context, document):
    """<head> metadata for reference managers (Zotero reads citation_* and DC.*) and search engines."""
    base = _base(context)
    url = document_url(document, base)
    authors = document_authors(document)
    slug = document.slug
    return {
        "document": document,
        "modified": content_modified(document),
        "url": url,
        "authors": authors,
        "date": document.date.strftime("%Y/%m/%d") if document.date else "",
        "container": settings.EDITION_TITLE,
        "publisher": publisher(),
        "json_ld": mark_safe(_json_ld(document, url, authors)),  # escaped for <script> above
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
