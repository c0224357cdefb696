"""The edition's admin, one module per area.

The text (documents, sections, turns, passages, entities) comes from the TEI and is
read-only here; editors add and revise notes and passage links. See docs/editing.md.
"""

from django.contrib import admin
from django.contrib.admin.views.autocomplete import AutocompleteJsonView

from documents.models import Passage

from . import entities, links, notes, text  # noqa: F401  (registers the ModelAdmins)
from .base import excerpt


class EditionAutocompleteView(AutocompleteJsonView):
    """Autocomplete results that show a passage's words, not only its anchor id."""

    def serialize_result(self, obj, to_field_name):
        result = super().serialize_result(obj, to_field_name)
        if isinstance(obj, Passage):
            result["text"] = f"{obj} — {excerpt(obj.reading_text, 70)}"
        return result


def _autocomplete_view(request):
    return EditionAutocompleteView.as_view(admin_site=admin.site)(request)


admin.site.autocomplete_view = _autocomplete_view
