"""Collections, documents, sections, speaker turns and passages: read-only (the TEI is their source)."""

from urllib.parse import urlencode

from django.contrib import admin
from django.db.models import Count
from django.urls import path, reverse
from django.utils.html import format_html

from documents.models import Collection, Document, Passage, Section, Turn

from .base import TeiSourcedAdmin, excerpt
from .importing import import_view
from .versions import DocumentVersionInline, restore_view


@admin.register(Document)
class DocumentAdmin(TeiSourcedAdmin):
    list_display = ["title", "slug", "kind", "date", "num_passages", "num_notes"]
    list_filter = ["kind"]
    search_fields = ["title", "slug", "subtitle"]
    readonly_fields = [
        "slug", "xml_id", "kind", "title", "subtitle", "summary", "date", "date_text", "time_text", "venue",
        "review_note", "source_note", "language", "sort_key", "source_file", "metadata", "header_tei",
        "created", "modified", "passages_link",
    ]  # fmt: skip
    exclude = []
    inlines = [DocumentVersionInline]

    def get_urls(self):
        view = self.admin_site.admin_view(lambda request: import_view(self, request))
        restore = self.admin_site.admin_view(lambda request, pk, number: restore_view(self, request, pk, number))
        return [
            path("import/", view, name="documents_document_import"),
            path("<int:pk>/restore/<int:number>/", restore, name="documents_document_restore"),
            *super().get_urls(),
        ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_counts().annotate(num_notes=Count("notes", distinct=True))

    @admin.display(description="passages", ordering="num_passages")
    def num_passages(self, obj):
        return obj.num_passages

    @admin.display(description="notes", ordering="num_notes")
    def num_notes(self, obj):
        return obj.num_notes

    @admin.display(description="text")
    def passages_link(self, obj):
        url = reverse("admin:documents_passage_changelist") + "?" + urlencode({"document__id__exact": obj.pk})
        return format_html('<a href="{}">The {} passages of this document</a>', url, obj.passages.count())


@admin.register(Collection)
class CollectionAdmin(TeiSourcedAdmin):
    list_display = ["title", "slug", "order", "source_file"]
    search_fields = ["title", "slug"]
    readonly_fields = ["slug", "title", "subtitle", "source_file", "matter", "order", "metadata", "header_tei",
                       "created", "modified"]  # fmt: skip
    list_select_related = ["source_file"]


@admin.register(Section)
class SectionAdmin(TeiSourcedAdmin):
    list_display = ["__str__", "kind", "heading", "order"]
    list_filter = ["document"]
    list_select_related = ["document"]
    search_fields = ["xml_id", "heading"]
    readonly_fields = ["document", "parent", "xml_id", "kind", "heading", "order"]


@admin.register(Turn)
class TurnAdmin(TeiSourcedAdmin):
    list_display = ["xml_id", "document", "speaker_label", "speaker", "order"]
    list_filter = ["document"]
    list_select_related = ["document", "speaker"]
    search_fields = ["xml_id", "speaker_label", "speaker__name"]
    readonly_fields = ["document", "section", "xml_id", "speaker", "speaker_label", "who", "order"]


@admin.register(Passage)
class PassageAdmin(TeiSourcedAdmin):
    """Passages are searched by the note form's autocomplete: by anchor id or by words of the text."""

    list_display = ["anchor", "document", "kind", "speaker", "text_excerpt", "add_note_link"]
    list_filter = ["document", "kind"]
    list_select_related = ["document", "turn__speaker"]
    search_fields = ["anchor", "reading_text", "diplomatic_text"]
    ordering = ["document", "order"]
    readonly_fields = [
        "document", "anchor", "kind", "order", "section", "turn", "reading_text", "diplomatic_text", "tei",
        "add_note_link",
    ]  # fmt: skip

    @admin.display(description="speaker")
    def speaker(self, obj):
        return obj.turn.speaker_label if obj.turn else ""

    @admin.display(description="reading text")
    def text_excerpt(self, obj):
        return excerpt(obj.reading_text)

    @admin.display(description="")
    def add_note_link(self, obj):
        url = reverse("admin:documents_note_add") + "?" + urlencode({"document": obj.document_id, "passage": obj.pk})
        return format_html('<a href="{}">Add a note</a>', url)
