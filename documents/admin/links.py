"""Passage links (which minutes passage answers which memorandum passage): editors add and edit them."""

from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from documents.models import Note, PassageLink


class PassageLinkForm(forms.ModelForm):
    """Pick two passages; their documents and anchors (kept for re-imports) are filled in."""

    class Meta:
        model = PassageLink
        fields = ["source", "target", "kind", "description", "status"]
        help_texts = {
            "source": "The passage that answers or repeats (search by anchor id or words).",
            "target": "The passage it answers or repeats.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("source", "target"):
            if name in self.fields:  # absent when the admin shows a TEI link read-only
                self.fields[name].required = True

    def clean(self):
        cleaned = super().clean()
        source, target = cleaned.get("source"), cleaned.get("target")
        if source and target:
            if source.pk == target.pk:
                raise forms.ValidationError("A passage cannot be linked to itself.")
            link = self.instance
            link.source_document_id, link.source_anchor = source.document_id, source.anchor
            link.target_document_id, link.target_anchor = target.document_id, target.anchor
            duplicate = PassageLink.objects.filter(
                source_document=source.document_id,
                source_anchor=source.anchor,
                target_document=target.document_id,
                target_anchor=target.anchor,
                kind=cleaned.get("kind"),
            ).exclude(pk=link.pk)
            if duplicate.exists():
                raise forms.ValidationError("These passages are already linked with this kind.")
        return cleaned


@admin.register(PassageLink)
class PassageLinkAdmin(SimpleHistoryAdmin):
    form = PassageLinkForm
    list_display = ["__str__", "kind", "status", "provenance", "description"]
    list_filter = ["kind", "status", "provenance", "source_document"]
    list_select_related = ["source_document", "target_document"]
    search_fields = ["source_anchor", "target_anchor", "description"]
    autocomplete_fields = ["source", "target"]
    readonly_fields = ["provenance", "source_document", "source_anchor", "target_document", "target_anchor"]

    def has_change_permission(self, request, obj=None):
        # Links from the TEI are rewritten by every import: edit them in the TEI, not here.
        if obj is not None and obj.provenance == Note.Provenance.TEI:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.provenance == Note.Provenance.TEI:
            return False
        return super().has_delete_permission(request, obj)
