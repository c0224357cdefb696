"""URLs of the editing area: the TEI export with the editors' notes (the admin lives under /admin/)."""

from django.urls import path

from documents.views import editing

urlpatterns = [
    path("documents/<slug:slug>/tei.xml", editing.document_tei, name="document-tei"),
]
