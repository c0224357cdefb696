"""Every URL of the edition app, in one place, grouped by area (the admin lives under /admin/).

Each route names the thin view that serves it (documents/views/<area>.py); page assembly lives in
documents/render/, exports in documents/exports/. docs/architecture.md describes the flow.
"""

from django.contrib.sitemaps.views import sitemap
from django.urls import path

from documents.sitemaps import SITEMAPS
from documents.views import api, books, cite, collections, discovery, dts, editing, reader, search, versions

app_name = "documents"

#: The three entity indexes: (URL segment, Entity.kind, name of one entity's page).
ENTITY_KINDS = (("people", "person", "person"), ("places", "place", "place"), ("organisations", "org", "organisation"))


def entity_routes(prefix: str, list_view, detail_view, list_name: str, detail_name: str) -> list:
    """An index and an entity page for each kind: <prefix><segment>/ and <prefix><segment>/<key>/."""
    routes = []
    for segment, kind, item in ENTITY_KINDS:
        routes.append(path(f"{prefix}{segment}/", list_view, {"kind": kind}, name=list_name.format(segment=segment)))
        routes.append(
            path(f"{prefix}{segment}/<str:key>/", detail_view, {"kind": kind},
                 name=detail_name.format(segment=segment, item=item))
        )  # fmt: skip
    return routes


urlpatterns = [
    # -- reading: home, documents, plain text, side by side, entity indexes ------------------------
    path("", reader.home, name="home"),
    path("documents/<slug:slug>/", reader.document, name="document"),
    # A passage, turn or division of a long (paged) document: redirects to its page (docs/reader.md).
    path("documents/<slug:slug>/at/<str:anchor>/", reader.document_at, name="document-at"),
    path("documents/<slug:slug>/text.txt", reader.document_text, name="document-text"),
    # Citable versions (docs/versions.md): the text of version n, and the word diff between two versions.
    path("documents/<slug:slug>/v/<int:number>/", versions.document_version, name="document-version"),
    path("documents/<slug:slug>/changes/", versions.document_changes, name="document-changes"),
    path("compare/<slug:left>/<slug:right>/", reader.compare, name="compare"),
    # A collection (a volume, a corpus, this edition): its table of contents and timeline (docs/reader.md).
    path("collections/", collections.collection_list, name="collections"),
    path("collections/<slug:collection>/", collections.collection, name="collection"),
    # The text with its notes as footnotes, as a book: one document, or the whole edition (docs/reader.md).
    path("documents/<slug:slug>/book.pdf", books.document_pdf, name="document-pdf"),
    path("documents/<slug:slug>/book.epub", books.document_epub, name="document-epub"),
    path("edition.pdf", books.edition_pdf, name="edition-pdf"),
    path("edition.epub", books.edition_epub, name="edition-epub"),
    *entity_routes("", reader.entity_list, reader.entity, "{segment}", "{item}"),
    # -- editing: the TEI export with the editors' notes -------------------------------------------
    path("documents/<slug:slug>/tei.xml", editing.document_tei, name="document-tei"),
    # -- search ------------------------------------------------------------------------------------
    path("search/", search.search, name="search"),
    # -- citations, note permalinks, W3C annotations ------------------------------------------------
    # Citations of a document or (?passage=<anchor>) of one passage: chicago, apa, bibtex, ris, csl-json.
    path("documents/<slug:slug>/cite.<str:fmt>", cite.document_cite, name="document-cite"),
    # The Cite panel of a paragraph (?passage=<anchor>) or of the document, as a page of its own.
    path("documents/<slug:slug>/cite/", cite.cite_page, name="cite-page"),
    path("documents/<slug:slug>/annotations.jsonld", cite.document_annotations, name="document-annotations"),
    # A note's permalink: redirects to its passage; JSON-LD (its W3C annotation) on request.
    path("notes/<uuid:uuid>/", cite.note, name="note"),
    # -- the JSON API --------------------------------------------------------------------------------
    path("api/", api.index, name="api-index"),
    path("api/documents/", api.document_list, name="api-document-list"),
    path("api/documents/<slug:slug>/", api.document_detail, name="api-document-detail"),
    path("api/notes/<uuid:uuid>/", api.note_detail, name="api-note-detail"),
    *entity_routes("api/", api.entity_list, api.entity_detail, "api-{segment}-list", "api-{segment}-detail"),
    # -- Distributed Text Services 1.0 ---------------------------------------------------------------
    path("dts/", dts.entry, name="dts-entry"),
    path("dts/collection/", dts.collection, name="dts-collection"),
    path("dts/navigation/", dts.navigation, name="dts-navigation"),
    path("dts/document/", dts.document, name="dts-document"),
    # -- harvesters and clients: sitemap.xml, robots.txt, OAI-PMH, the OpenAPI description -----------
    path("robots.txt", discovery.robots_txt, name="robots"),
    path("oai", discovery.oai_pmh, name="oai"),
    path("api/openapi.json", discovery.openapi_description, name="api-openapi"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
]
