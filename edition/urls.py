"""Top-level URLs: the admin and the edition app."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("documents.urls")),
]

# A database that cannot be reached answers 503 (documents/views/errors.py); other errors a plain 500.
handler500 = "documents.views.errors.server_error"
