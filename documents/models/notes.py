"""Editorial notes (W3C text-quote anchored) and links between passages.

Notes written by editors (provenance=editor) are never deleted by an import: when their
passage changes or disappears they are re-anchored or kept as orphans (passage=None).
"""

import re
import uuid

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

#: The UUIDv5 namespace of notes from the TEI (RFC 9562 name-based ids): uuid5(NAMESPACE_URL,
#: "tag:edition.notes,2026:note"). Never change it: every imported note's permalink derives from it.
NOTE_UUID_NAMESPACE = uuid.UUID("c546e1d2-1ac5-5fc0-857c-30af1157ccf0")
_EXPORTED_ID = re.compile(r"^n-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$")


def note_uuid(document_slug: str, xml_id: str) -> uuid.UUID:
    """The stable UUID of a note read from the TEI: the same on every install.

    A note the edition exported itself (``xml:id="n-<uuid>"``, documents/exports/tei.py) gets that
    UUID back, so a restore from ``export_edition`` keeps every ``/notes/<uuid>/`` permalink; any
    other note gets ``uuid5(NOTE_UUID_NAMESPACE, "<document slug>/<xml:id>")``.
    """
    match = _EXPORTED_ID.match(xml_id)
    if match:
        return uuid.UUID(match.group(1))
    return uuid.uuid5(NOTE_UUID_NAMESPACE, f"{document_slug}/{xml_id}")


class NoteQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Note.Status.PUBLISHED)

    def visible_to(self, user):
        """Published notes for everyone; drafts too for editors (users who may change notes)."""
        if user is not None and user.is_authenticated and user.has_perm("documents.change_note"):
            return self
        return self.published()

    def needs_attention(self):
        return self.filter(anchor_status__in=[Note.AnchorStatus.REVIEW, Note.AnchorStatus.ORPHAN])


class Note(models.Model):
    """An editorial note on a span of a passage's reading text.

    The target follows the W3C Web Annotation model: the passage (by anchor id) plus a
    TextQuoteSelector (exact, prefix, suffix) and a TextPositionSelector (start, end) in the
    passage's reading text. A note at a point (e.g. a TEI footnote marker) has exact="" and start=end.
    """

    class Kind(models.TextChoices):
        EDITORIAL = "editorial", "Editorial note"
        TRANSLATION = "translation", "Translation note"
        CROSSREF = "crossref", "Cross-reference"
        COMMENTARY = "commentary", "Commentary"
        SOURCE = "source", "Source note"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    class Provenance(models.TextChoices):
        TEI = "tei", "TEI file"
        EDITOR = "editor", "Editor"

    class AnchorStatus(models.TextChoices):
        OK = "ok", "Anchored"
        MOVED = "moved", "Re-anchored automatically"
        REVIEW = "review", "Approximate match: needs review"
        ORPHAN = "orphan", "Orphan: anchor text not found"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False, help_text="Stable public identifier.")
    xml_id = models.CharField(max_length=200, blank=True, help_text="xml:id in the TEI (for TEI notes and exports).")
    document = models.ForeignKey(
        "documents.Document",
        on_delete=models.PROTECT,
        related_name="notes",
        help_text="Deleting a document that has notes is refused, so notes are never lost with it.",
    )
    passage = models.ForeignKey(
        "documents.Passage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notes",
        help_text="The annotated passage; empty for an orphan.",
    )
    anchor = models.CharField(max_length=200, blank=True, help_text="Anchor id of the passage (kept for orphans).")
    exact = models.TextField(blank=True, help_text="The exact words annotated (TextQuoteSelector).")
    prefix = models.CharField(max_length=200, blank=True, help_text="Text just before the words.")
    suffix = models.CharField(max_length=200, blank=True, help_text="Text just after the words.")
    start = models.PositiveIntegerField(null=True, blank=True, help_text="Start offset in the reading text.")
    end = models.PositiveIntegerField(null=True, blank=True, help_text="End offset (exclusive) in the reading text.")
    body = models.TextField(help_text="The note, in Markdown.")
    n = models.CharField(
        max_length=20,
        blank=True,
        help_text="The number the source prints for this note (TEI note/@n), shown in place of the edition's "
        "own count; empty for notes the source does not number.",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.EDITORIAL)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    provenance = models.CharField(max_length=10, choices=Provenance.choices, default=Provenance.EDITOR)
    anchor_status = models.CharField(max_length=10, choices=AnchorStatus.choices, default=AnchorStatus.OK)
    old_context = models.TextField(blank=True, help_text="The passage text around the anchor before it was lost.")
    anchor_candidates = models.JSONField(
        default=list,
        blank=True,
        help_text="Where the words might be now, when a re-import could not decide (the editor chooses): "
        "a list of {anchor, start, end, exact, score, kind, context}.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, help_text="Incremented on every save (optimistic locking).")

    history = HistoricalRecords()
    objects = NoteQuerySet.as_manager()

    class Meta:
        ordering = ["document", "passage__order", "start", "created"]
        constraints = [
            # A span is either absent (whole passage) or well-formed.
            models.CheckConstraint(
                condition=models.Q(start__isnull=True)
                | models.Q(end__isnull=True)
                | models.Q(end__gte=models.F("start")),
                name="note_span_ordered",
            ),
        ]
        indexes = [models.Index(fields=["document", "status"], name="note_doc_status")]

    def __str__(self):
        words = self.exact[:40] or self.anchor
        # A form posted without its document (a malformed request) clears document_id: still printable.
        slug = self.document.slug if self.document_id else "no document"
        return f"{self.get_kind_display()} on “{words}” ({slug})"

    def save(self, *args, **kwargs):
        """Every save of an existing note increments `version` (the admin refuses stale saves)."""
        if not self._state.adding:
            self.version = (self.version or 0) + 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
        super().save(*args, **kwargs)


class PassageLink(models.Model):
    """A pair of passages that answer or repeat each other (TEI linkGrp, or added by an editor)."""

    class Kind(models.TextChoices):
        ANSWERS = "answers", "answers"
        REPEATS = "repeats", "repeats"
        RELATED = "related", "related"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    xml_id = models.CharField(max_length=200, blank=True)
    source = models.ForeignKey(
        "documents.Passage", null=True, blank=True, on_delete=models.SET_NULL, related_name="links_out"
    )
    target = models.ForeignKey(
        "documents.Passage", null=True, blank=True, on_delete=models.SET_NULL, related_name="links_in"
    )
    source_document = models.ForeignKey("documents.Document", on_delete=models.PROTECT, related_name="+")
    target_document = models.ForeignKey("documents.Document", on_delete=models.PROTECT, related_name="+")
    source_anchor = models.CharField(max_length=200, help_text="Kept so a link survives a re-import.")
    target_anchor = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.RELATED)
    description = models.CharField(max_length=500, blank=True)
    provenance = models.CharField(max_length=10, choices=Note.Provenance.choices, default=Note.Provenance.EDITOR)
    status = models.CharField(max_length=10, choices=Note.Status.choices, default=Note.Status.PUBLISHED)
    source_file = models.ForeignKey(
        "documents.SourceFile",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="links",
        help_text="For links from the TEI: the file they come from (replaced when it is re-imported).",
    )
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["source_document", "source_anchor"]
        constraints = [
            # The same pair is linked once per kind.
            models.UniqueConstraint(
                fields=["source_document", "source_anchor", "target_document", "target_anchor", "kind"],
                name="passagelink_unique_pair",
            ),
        ]

    def __str__(self):
        source = f"{self.source_document.slug}#{self.source_anchor}"
        return f"{source} {self.kind} {self.target_document.slug}#{self.target_anchor}"
