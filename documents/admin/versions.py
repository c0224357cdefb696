"""A document's versions in the admin: the list (inline), and restoring one as a new version.

Restoring is like an import (the text changes for every reader), so, as the import, it is for
superusers only; it first shows what it will change (a dry run: the word diff and the editors'
notes it will move), then restores on a POST. Nothing is ever deleted (docs/versions.md).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from documents.models import Document, DocumentVersion
from documents.services.import_writer import ImportFailed
from documents.services.restore import RestoreError, restore_version

from .base import TeiSourcedInline


class DocumentVersionInline(TeiSourcedInline):
    model = DocumentVersion
    fields = ["number", "created", "origin", "message", "notes_moved_count", "links"]
    readonly_fields = fields
    ordering = ["-number"]
    verbose_name = "version"
    verbose_name_plural = "versions (citable: every published state of the text)"

    def notes_moved_count(self, obj):
        return len(obj.notes_moved or [])

    notes_moved_count.short_description = "notes moved"

    def links(self, obj):
        if obj.pk is None:
            return ""
        doc = obj.document
        items = [(obj.get_absolute_url(), "read")]
        if obj.number > 1:
            items.append((reverse("documents:document-changes", kwargs={"slug": doc.slug}) + f"?to={obj.number}",
                          "changes"))  # fmt: skip
        latest = doc.versions.order_by("-number").values_list("number", flat=True).first()
        if obj.number != latest:
            items.append((reverse("admin:documents_document_restore", args=[doc.pk, obj.number]), "restore…"))
        return format_html_join(" · ", '<a href="{}">{}</a>', items)

    links.short_description = ""


def restore_view(model_admin, request, pk, number):
    """GET: what restoring version <number> would change (dry run). POST: restore it as a new version."""
    if not (request.user.is_active and request.user.is_superuser):
        raise PermissionDenied
    document = get_object_or_404(Document, pk=pk)
    if not document.versions.filter(number=number).exists():
        raise Http404(f"{document.slug} has no version {number}")
    change_url = reverse("admin:documents_document_change", args=[document.pk])
    if request.method == "POST":
        try:
            result = restore_version(document, number, message=request.POST.get("message", ""))
        except (RestoreError, ImportFailed) as exc:
            model_admin.message_user(request, f"Nothing was restored: {exc}", messages.ERROR)
            return redirect(change_url)
        if result.version is None:
            model_admin.message_user(request, f"The text is already that of version {number}: nothing to restore.")
        else:
            model_admin.message_user(
                request, format_html("Version {} restored as version {}.", number, result.version.number),
                messages.SUCCESS,
            )  # fmt: skip
        return redirect(change_url)
    try:
        preview = restore_version(document, number, dry_run=True)
    except (RestoreError, ImportFailed) as exc:
        model_admin.message_user(request, f"This version cannot be restored: {exc}", messages.ERROR)
        return redirect(change_url)
    context = {
        **model_admin.admin_site.each_context(request),
        "title": f"Restore version {number} of “{document.title}”",
        "opts": model_admin.model._meta,
        "document": document,
        "number": number,
        "preview": preview.report,
        "warnings": preview.warnings,
        "change_url": change_url,
    }
    return TemplateResponse(request, "admin/documents/document/restore.html", context)
