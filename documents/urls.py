"""The app's URLs, one module per area so that areas evolve independently."""

from .routes import api, discovery, editing, reader, search

app_name = "documents"

urlpatterns = [*reader.urlpatterns, *editing.urlpatterns, *search.urlpatterns, *api.urlpatterns,
               *discovery.urlpatterns]
