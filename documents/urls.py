"""Every URL of the edition app, in one place, grouped by area (the admin lives under /admin/).

Each route names the thin view that serves it (documents/views/<area>.py); page assembly lives in
documents/render/, exports in documents/exports/. docs/architecture.md describes the flow.
"""

from django.urls import path

from documents.views import api, cite, dts, editing, reader, search

app_name = "documents"

urlpatterns = [
    # -- reading: home, documents, plain text, side by side, entity indexes ------------------------
    path("", reader.home, name="home"),
    path("documents/<slug:slug>/", reader.document, name="document"),
    path("documents/<slug:slug>/text.txt", reader.document_text, name="document-text"),
    path("compare/<slug:left>/<slug:right>/", reader.compare, name="compare"),
    path("people/", reader.entity_list, {"kind": "person"}, name="people"),
    path("places/", reader.entity_list, {"kind": "place"}, name="places"),
    path("organisations/", reader.entity_list, {"kind": "org"}, name="organisations"),
    path("people/<str:key>/", reader.entity, {"kind": "person"}, name="person"),
    path("places/<str:key>/", reader.entity, {"kind": "place"}, name="place"),
    path("organisations/<str:key>/", reader.entity, {"kind": "org"}, name="organisation"),
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
    path("api/people/", api.entity_list, {"kind": "person"}, name="api-people-list"),
    path("api/people/<str:key>/", api.entity_detail, {"kind": "person"}, name="api-people-detail"),
    path("api/places/", api.entity_list, {"kind": "place"}, name="api-places-list"),
    path("api/places/<str:key>/", api.entity_detail, {"kind": "place"}, name="api-places-detail"),
    path("api/organisations/", api.entity_list, {"kind": "org"}, name="api-organisations-list"),
    path("api/organisations/<str:key>/", api.entity_detail, {"kind": "org"}, name="api-organisations-detail"),
    # -- Distributed Text Services 1.0 ---------------------------------------------------------------
    path("dts/", dts.entry, name="dts-entry"),
    path("dts/collection/", dts.collection, name="dts-collection"),
    path("dts/navigation/", dts.navigation, name="dts-navigation"),
    path("dts/document/", dts.document, name="dts-document"),
]
