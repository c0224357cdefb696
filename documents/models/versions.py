"""Citable versions of a document: every published state of its text and header is kept.

A version is a list of entries (anchor, snapshot id, section, turn) plus the document's
structure (sections, turns, header fields) and a change note. Passage texts are stored once,
content-addressed (`Snapshot.digest` = SHA-256 of the fragment): a passage unchanged between
versions, or between documents, costs one row. See docs/versions.md.
"""

from django.db import models
from django.urls import reverse


class Snapshot(models.Model):
    """One immutable piece of text, stored once: a passage's TEI with its two texts, a header, TEI notes."""

    digest = models.CharField(max_length=64, unique=True, help_text="SHA-256 of kind and TEI (content address).")
    kind = models.CharField(max_length=50, help_text="TEI element name (p, head, ...), 'teiHeader' or 'notes'.")
    tei = models.TextField(help_text="The TEI fragment, serialized.")
    reading_text = models.TextField(blank=True)
    diplomatic_text = models.TextField(blank=True)
    spans = models.JSONField(default=dict, blank=True, help_text="A passage's mentions and dates (offsets).")

    def __str__(self):
        return f"{self.kind} {self.digest[:12]}"


class DocumentVersionQuerySet(models.QuerySet):
    def latest_first(self):
        return self.order_by("-number")


class DocumentVersion(models.Model):
    """A published state of a document: its number, date, change note and content (by reference)."""

    class Origin(models.TextChoices):
        IMPORT = "import", "Import"
        RESTORE = "restore", "Restore"

    document = models.ForeignKey("documents.Document", on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(help_text="1 for the first import, then 2, 3, ... (never reused).")
    created = models.DateTimeField(help_text="When this version was published (its import).")
    message = models.TextField(blank=True, help_text="The editor's change note (revisionDesc/change or --message).")
    who = models.CharField(max_length=200, blank=True, help_text="revisionDesc/change/@who, if given.")
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.IMPORT)
    restored_from = models.PositiveIntegerField(null=True, blank=True, help_text="The version number restored.")
    header = models.ForeignKey(Snapshot, null=True, on_delete=models.PROTECT, related_name="+")
    tei_notes = models.ForeignKey(
        Snapshot, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text="The TEI file's own notes (JSON), if recorded.",
    )  # fmt: skip
    title = models.CharField(max_length=500, blank=True, help_text="The document's title in this version.")
    structure = models.ForeignKey(
        Snapshot, null=True, on_delete=models.PROTECT, related_name="+",
        help_text="Header fields, participants, sections and turns of this version (JSON).",
    )  # fmt: skip
    entries = models.JSONField(default=list, help_text="[[anchor, snapshot id, section id, turn id], ...] in order.")
    notes_moved = models.JSONField(
        default=list, blank=True, help_text="Editors' notes re-anchored or orphaned by this version's import."
    )

    objects = DocumentVersionQuerySet.as_manager()

    class Meta:
        ordering = ["document", "number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="version_unique_number_per_document"),
        ]

    def __str__(self):
        return f"{self.document.slug} v{self.number}"

    def get_absolute_url(self):
        return reverse("documents:document-version", kwargs={"slug": self.document.slug, "number": self.number})

    @property
    def date(self):
        return self.created.date()
