"""URLs of the reading interface: home, documents, plain text, entity indexes."""

from django.urls import path

from documents.views import reader

urlpatterns = [
    path("", reader.home, name="home"),
    path("documents/<slug:slug>/", reader.document, name="document"),
    path("documents/<slug:slug>/text.txt", reader.document_text, name="document-text"),
    path("people/<str:key>/", reader.entity, {"kind": "person"}, name="person"),
    path("places/<str:key>/", reader.entity, {"kind": "place"}, name="place"),
    path("organisations/<str:key>/", reader.entity, {"kind": "org"}, name="organisation"),
]
