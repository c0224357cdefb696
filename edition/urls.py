"""Top-level URLs: the admin, the language switcher and the edition app."""

from django.contrib import admin
from django.urls import include, path

from documents.views.language import set_language

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("documents.urls")),
    path("i18n/setlang/", set_language, name="set_language"),  # the switcher's POST (docs/i18n.md)
]

# A database that cannot be reached answers 503 (documents/views/errors.py); other errors a plain 500.
handler500 = "documents.views.errors.server_error"
