"""URLs of the reading interface: home, documents, plain text, side by side, entity indexes."""

from django.urls import path

from documents.views import reader, versions

urlpatterns = [
    path("", reader.home, name="home"),
    path("documents/<slug:slug>/", reader.document, name="document"),
    path("documents/<slug:slug>/text.txt", reader.document_text, name="document-text"),
    # Citable versions (docs/versions.md): the text of version n, and the word diff between two versions.
    path("documents/<slug:slug>/v/<int:number>/", versions.document_version, name="document-version"),
    path("documents/<slug:slug>/changes/", versions.document_changes, name="document-changes"),
    path("compare/<slug:left>/<slug:right>/", reader.compare, name="compare"),
    path("people/", reader.entity_list, {"kind": "person"}, name="people"),
    path("places/", reader.entity_list, {"kind": "place"}, name="places"),
    path("organisations/", reader.entity_list, {"kind": "org"}, name="organisations"),
    path("people/<str:key>/", reader.entity, {"kind": "person"}, name="person"),
    path("places/<str:key>/", reader.entity, {"kind": "place"}, name="place"),
    path("organisations/<str:key>/", reader.entity, {"kind": "org"}, name="organisation"),
]
