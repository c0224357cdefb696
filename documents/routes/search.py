"""URLs of the search area."""

from django.urls import path

from documents.views import search

urlpatterns = [
    path("search/", search.search, name="search"),
]
