"""Superusers re-import the edition's TEI directory from the admin (the importer service, as import_tei).

Editors cannot import (issue: "Superusers import"). Nothing is uploaded: the view imports
settings.EDITION_TEI_DIR, the files deployed with the code, optionally as a dry run.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse


def import_view(model_admin, request):
    if not (request.user.is_active and request.user.is_superuser):
        raise PermissionDenied
    report = None
    if request.method == "POST":
        from documents.services.importer import TEIImporter

        dry_run = bool(request.POST.get("dry_run"))
        # A dry run previews each new version: its word diff and the editors' notes it will move.
        report = TEIImporter(preview=dry_run, message=request.POST.get("message", "")).import_paths(
            [settings.EDITION_TEI_DIR], dry_run=dry_run
        )
        level = messages.ERROR if report.failed else messages.SUCCESS
        model_admin.message_user(request, report.summary_lines()[0], level)
    context = {
        **model_admin.admin_site.each_context(request),
        "title": "Import the TEI files",
        "opts": model_admin.model._meta,
        "directory": settings.EDITION_TEI_DIR,
        "report": report,
    }
    return TemplateResponse(request, "admin/documents/document/import.html", context)
