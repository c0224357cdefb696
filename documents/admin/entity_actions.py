"""Admin actions on index entries: "Merge into..." (with a confirmation page) and "Mark as reviewed".

Who may edit notes (the Editors group, `documents.change_note`) may merge and review index entries: the
entries themselves stay read-only (their words come from the TEI), docs/editing.md.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.template.response import TemplateResponse

from documents.models import Entity
from documents.services.entity_merge import MergeError, merge_entities


def may_review(request) -> bool:
    return request.user.is_active and request.user.is_staff and request.user.has_perm("documents.change_note")


class MergeForm(forms.Form):
    target = forms.ModelChoiceField(
        queryset=Entity.objects.none(), label="Merge into", help_text="The entry that keeps the mentions."
    )

    def __init__(self, *args, kind: str, exclude, **kwargs):
        super().__init__(*args, **kwargs)
        choices = Entity.objects.filter(kind=kind).exclude(pk__in=exclude).order_by("-reviewed", "sort_name", "name")
        self.fields["target"].queryset = choices


@admin.action(description="Merge into…", permissions=["review"])
def merge_into(modeladmin, request, queryset):
    sources = list(queryset.order_by("pk"))
    kinds = {e.kind for e in sources}
    if len(kinds) != 1:
        modeladmin.message_user(request, "Select entries of one kind to merge.", messages.ERROR)
        return None
    form = MergeForm(
        request.POST if "apply" in request.POST else None, kind=kinds.pop(), exclude=[e.pk for e in sources]
    )
    if "apply" in request.POST and form.is_valid():
        target = form.cleaned_data["target"]
        try:
            moved = merge_entities(sources, target)
        except MergeError as exc:
            modeladmin.message_user(request, str(exc), messages.ERROR)
            return None
        names = ", ".join(e.name for e in sources)
        modeladmin.message_user(request, f"Merged {names} into {target.name}: {moved} mention(s) repointed.")
        return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": "Merge index entries",
        "sources": sources,
        "form": form,
        "opts": modeladmin.model._meta,
        "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/documents/entity/merge.html", context)


@admin.action(description="Mark as reviewed", permissions=["review"])
def mark_reviewed(modeladmin, request, queryset):
    count = queryset.filter(reviewed=False).update(reviewed=True)
    modeladmin.message_user(request, f"{count} entr{'y' if count == 1 else 'ies'} marked as reviewed.")
