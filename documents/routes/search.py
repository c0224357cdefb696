"""URLs of the search area."""

urlpatterns = []
