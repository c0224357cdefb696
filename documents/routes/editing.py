"""URLs of the editing area."""

urlpatterns = []
