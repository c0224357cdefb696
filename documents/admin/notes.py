"""Editorial notes in the admin: add from the reader, preview, history and revert, "Needs attention".

- The add form accepts GET parameters so the reader can open it pre-filled (docs/editing.md):
  ``document`` (id or slug), ``passage`` (id) or ``anchor``, ``exact`` and ``occurrence``.
- "Preview" posts the form to a view that renders the note exactly as readers see it, without saving.
- Saves are refused when someone else saved the note since the form was opened (Note.version).
- Notes from the TEI are read-only here: the next import would overwrite an edit.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST
from simple_history.admin import SimpleHistoryAdmin

from documents.markup import render_note_body
from documents.models import Document, Note, Passage
from documents.services.anchoring import reanchor_note
from documents.services.anchoring_index import DocumentIndex

from .base import excerpt
from .forms import NoteAdminForm, normalise_words


class NeedsAttentionFilter(admin.SimpleListFilter):
    """Notes whose anchor an import could not keep exactly: approximate matches and orphans."""

    title = "needs attention"
    parameter_name = "attention"

    def lookups(self, request, model_admin):
        return [
            ("any", "Needs attention (review or orphan)"),
            (Note.AnchorStatus.REVIEW, "Approximate match: to review"),
            (Note.AnchorStatus.ORPHAN, "Orphans: words not found"),
            (Note.AnchorStatus.MOVED, "Moved automatically"),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "any":
            return queryset.needs_attention()
        if value in Note.AnchorStatus.values:
            return queryset.filter(anchor_status=value)
        return queryset


NOTE_FIELDS = ("document", "passage", "exact", "occurrence", "kind", "status", "body", "expected_version")
ANCHOR_FIELDS = (
    "in_context", "candidates", "anchor_status", "old_context", "anchor", "prefix", "suffix", "start", "end",
)  # fmt: skip
RECORD_FIELDS = ("provenance", "xml_id", "uuid", "version", "created_by", "created", "modified")


@admin.register(Note)
class NoteAdmin(SimpleHistoryAdmin):
    form = NoteAdminForm
    list_display = ["words", "document", "anchor", "kind", "status", "anchor_status", "provenance", "modified"]
    list_filter = [NeedsAttentionFilter, "status", "kind", "provenance", "document"]
    list_select_related = ["document"]
    search_fields = ["exact", "body", "anchor", "xml_id"]
    autocomplete_fields = ["document", "passage"]
    readonly_fields = ["rendered_body", *ANCHOR_FIELDS, *RECORD_FIELDS]
    actions = ["reanchor_selected", "confirm_anchor", "publish_selected"]
    history_list_display = ["status", "anchor_status", "version"]
    change_form_template = "admin/documents/note/change_form.html"

    def get_fieldsets(self, request, obj=None):
        note = list(NOTE_FIELDS)
        if obj is not None and obj.anchor_status in (Note.AnchorStatus.REVIEW, Note.AnchorStatus.ORPHAN):
            note.insert(note.index("kind"), "anchor_checked")
            if obj.anchor_candidates:
                note.insert(note.index("passage"), "candidate")
        if obj is not None and not self.has_change_permission(request, obj):
            note = [f for f in note if f not in {"occurrence", "expected_version", "anchor_checked", "candidate"}]
        fieldsets = [(None, {"fields": note})]
        if obj is not None:
            fieldsets += [
                ("As readers see it", {"fields": ["rendered_body"]}),
                ("Anchor", {"fields": ANCHOR_FIELDS}),
                ("Record", {"classes": ["collapse"], "fields": RECORD_FIELDS}),
            ]
        return fieldsets

    def get_list_display(self, request):
        if request.GET.get(NeedsAttentionFilter.parameter_name):
            return ["words", "document", "anchor", "anchor_status", "old_context", "candidate_count", "modified"]
        return self.list_display

    # -- display ----------------------------------------------------------------------------------
    @admin.display(description="words", ordering="exact")
    def words(self, obj):
        return excerpt(obj.exact, 50) if obj.exact else f"(whole passage {obj.anchor})"

    @admin.display(description="rendered note")
    def rendered_body(self, obj):
        # render_note_body's output is sanitized by nh3 (allow-list): safe to insert as HTML.
        html = mark_safe(render_note_body(obj.body, obj.document))  # noqa: S308
        return format_html('<div class="note-body">{}</div>', html)

    @admin.display(description="candidates")
    def candidate_count(self, obj):
        return len(obj.anchor_candidates) or "—"

    @admin.display(description="where the words might be now")
    def candidates(self, obj):
        """The candidates a re-import stored (ambiguous or approximate): each in its passage, with its score."""
        if not obj.anchor_candidates:
            return "—"
        items = format_html_join(
            "", "<li><strong>{}</strong>: {} <small>({}, score {})</small></li>",
            ((c["anchor"], c["context"], c["kind"], c["score"]) for c in obj.anchor_candidates),
        )  # fmt: skip
        return format_html('<ol class="anchor-candidates">{}</ol>', items)

    @admin.display(description="words in the passage now")
    def in_context(self, obj):
        passage = obj.passage
        if passage is None and obj.anchor_status == Note.AnchorStatus.REVIEW:
            return "— (not attached: the words could be in several places; choose a candidate above)"
        if passage is None:
            return "— (orphan: no passage; choose one above to re-attach the note)"
        text = passage.reading_text
        if obj.start is None or obj.end is None:
            return format_html("{} <em>(the whole passage)</em>", excerpt(text, 300))
        before = text[max(0, obj.start - 120) : obj.start]
        return format_html("…{}<mark>{}</mark>{}…", before, text[obj.start : obj.end], text[obj.end : obj.end + 120])

    # -- permissions ------------------------------------------------------------------------------
    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.provenance == Note.Provenance.TEI:
            return False  # edit TEI notes in the TEI: the next import rewrites them
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser and super().has_delete_permission(request, obj)

    # -- history: reverting is changing (django-simple-history lets view-only staff post the form) ----
    def history_form_view(self, request, object_id, version_id, extra_context=None):
        current = Note.objects.filter(pk=object_id).first() if str(object_id).isdigit() else None
        may_change = current is not None and self.has_change_permission(request, current)
        if request.method == "POST" and not may_change:
            raise PermissionDenied("Reverting a note needs the permission to change it.")
        request._edition_history_read_only = not may_change
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_readonly_fields(self, request, obj=None):
        if getattr(request, "_edition_history_read_only", False):
            return [field for _name, options in self.get_fieldsets(request, obj) for field in options["fields"]]
        return super().get_readonly_fields(request, obj)

    # -- the add form, pre-filled from the reader ---------------------------------------------------
    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        for name in ("document", "passage"):
            value = str(initial.get(name) or "")
            if value.isdigit() and not (value.isascii() and len(value) <= 18):
                initial.pop(name)  # not an id the database can hold
            elif name == "passage" and value and not value.isdigit():
                initial.pop(name)  # ?passage=xyz: ignored (it was a 500)
        document = initial.get("document")
        if document and not str(document).isdigit():
            found = Document.objects.filter(slug=document).values_list("pk", flat=True).first()
            initial["document"] = found
        anchor = request.GET.get("anchor")
        if anchor and not initial.get("passage"):
            passages = Passage.objects.filter(anchor=anchor)
            if initial.get("document"):
                passages = passages.filter(document=initial["document"])
            initial["passage"] = passages.values_list("pk", flat=True).first()
        passage = initial.get("passage")
        if passage and str(passage).isdigit() and not initial.get("document"):
            initial["document"] = Passage.objects.filter(pk=passage).values_list("document", flat=True).first()
        if "exact" in initial:
            initial["exact"] = normalise_words(initial["exact"])
        return {k: v for k, v in initial.items() if v not in (None, "")}

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
            obj.provenance = Note.Provenance.EDITOR
        super().save_model(request, obj, form, change)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        form = context["adminform"].form
        context["note_conflict"] = form.conflict
        context["note_conflict_diff"] = form.conflict_diff()
        context["preview_url"] = reverse("admin:documents_note_preview")
        if obj is not None and obj.pk:
            context["preview_url"] += f"?note={obj.pk}"
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    # -- preview ----------------------------------------------------------------------------------
    def get_urls(self):
        preview = self.admin_site.admin_view(require_POST(self.preview_view))
        return [path("preview/", preview, name="documents_note_preview"), *super().get_urls()]

    def preview_view(self, request):
        """The note as readers will see it (sanitized Markdown, its words marked), never saved."""
        note_id = request.GET.get("note")
        instance = get_object_or_404(Note, pk=note_id) if note_id else Note()
        allowed = self.has_change_permission(request, instance) if note_id else self.has_add_permission(request)
        if not (allowed or self.has_view_permission(request, instance if note_id else None)):
            raise PermissionDenied
        form = NoteAdminForm(request.POST, instance=instance)
        form.check_version = False
        form.is_valid()
        document = getattr(form, "cleaned_data", {}).get("document") or (
            instance.document if instance.document_id else None
        )
        passage = instance.passage
        marked = None
        if passage is not None:
            text, start, end = passage.reading_text, instance.start, instance.end
            if start is None:
                marked = format_html("{}", text)
            else:
                marked = format_html("{}<mark>{}</mark>{}", text[:start], text[start:end], text[end:])
        context = {
            **self.admin_site.each_context(request),
            "title": "Preview of the note",
            "opts": self.model._meta,
            "form": form,
            "passage": passage,
            "marked_passage": marked,
            "body_html": render_note_body(request.POST.get("body", ""), document),
            "kind_label": dict(Note.Kind.choices).get(request.POST.get("kind"), ""),
            "is_draft": request.POST.get("status") != Note.Status.PUBLISHED,
        }
        return TemplateResponse(request, "admin/documents/note/preview.html", context)

    # -- actions ----------------------------------------------------------------------------------
    @admin.action(description="Re-anchor the selected notes against the current text", permissions=["change"])
    def reanchor_selected(self, request, queryset):
        counts, documents = {}, {}
        for note in queryset.filter(provenance=Note.Provenance.EDITOR).select_related("document"):
            if note.document_id not in documents:  # one index per document, shared by its notes
                passages = {p.anchor: p for p in note.document.passages.order_by("order")}
                documents[note.document_id] = passages, DocumentIndex(passages.values())
            passages, index = documents[note.document_id]
            outcome = reanchor_note(note, passages, {}, index)
            note._change_reason = f"re-anchored by {request.user.get_username()}: {outcome}"
            note.save()
            counts[outcome] = counts.get(outcome, 0) + 1
        summary = ", ".join(f"{n} {outcome}" for outcome, n in sorted(counts.items())) or "no editor's note selected"
        self.message_user(request, f"Re-anchoring: {summary}.", messages.SUCCESS)

    @admin.action(description="Confirm the anchor of the selected notes (approximate matches)", permissions=["change"])
    def confirm_anchor(self, request, queryset):
        done = 0
        attention = queryset.filter(anchor_status__in=[Note.AnchorStatus.REVIEW, Note.AnchorStatus.MOVED])
        for note in attention.filter(passage__isnull=False):
            note.anchor_status, note.old_context, note.anchor_candidates = Note.AnchorStatus.OK, "", []
            note._change_reason = "anchor confirmed"
            note.save()
            done += 1
        orphans = queryset.filter(anchor_status=Note.AnchorStatus.ORPHAN).count()
        questions = queryset.filter(anchor_status=Note.AnchorStatus.REVIEW, passage__isnull=True).count()
        self.message_user(request, f"{done} anchor(s) confirmed.", messages.SUCCESS)
        if orphans:
            self.message_user(
                request,
                f"{orphans} orphan(s) left as they are: open each one and choose its passage and words.",
                messages.WARNING,
            )
        if questions:
            self.message_user(
                request,
                f"{questions} note(s) with several candidates left as they are: open each one and choose one.",
                messages.WARNING,
            )

    @admin.action(description="Publish the selected drafts", permissions=["change"])
    def publish_selected(self, request, queryset):
        done = 0
        for note in queryset.filter(status=Note.Status.DRAFT, provenance=Note.Provenance.EDITOR):
            note.status = Note.Status.PUBLISHED
            note._change_reason = "published"
            note.save()
            done += 1
        self.message_user(request, f"{done} note(s) published.", messages.SUCCESS)
