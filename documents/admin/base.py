"""Shared admin behaviour: the TEI is the source of the text, so its models are read-only."""

from django.contrib import admin


class TeiSourcedAdmin(admin.ModelAdmin):
    """View-only admin for data the importer writes: nobody adds or edits it here.

    Only superusers may delete (a document with notes is protected by the database).
    """

    list_per_page = 50

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser


class TeiSourcedInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def excerpt(text: str, length: int = 80) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= length else text[: length - 1] + "…"
