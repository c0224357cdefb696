"""The search index: one row per searchable unit (a passage, or a published note).

Rows are derived data, written only by `documents.search.indexing` (on import, on every note
change, and by `manage.py rebuild_search_index`); never edit them by hand. The full-text part
depends on the database:

- SQLite: an FTS5 virtual table `documents_searchentry_fts` (external content = this table,
  kept in step by triggers), created by migration 0002 and re-ensured by the rebuild command.
- PostgreSQL: `search_vector`, a stored tsvector with a GIN index, filled by the index code.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models


class SearchEntry(models.Model):
    """A passage or a published note, denormalised for full-text search and facets."""

    class Kind(models.TextChoices):
        PASSAGE = "passage", "Passage"
        NOTE = "note", "Note"

    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PASSAGE)
    # No separate index on document: searchentry_doc_order (document, order) serves it.
    document = models.ForeignKey("documents.Document", on_delete=models.CASCADE, related_name="+", db_index=False)
    passage = models.ForeignKey(
        "documents.Passage",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="The passage (for a note: the annotated passage; empty for an orphan note).",
    )
    note = models.ForeignKey("documents.Note", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    turn = models.ForeignKey("documents.Turn", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    speaker = models.ForeignKey(
        "documents.Entity",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who speaks the passage (copied from its turn), for the speaker facet.",
    )
    anchor = models.CharField(max_length=200, blank=True, help_text="Passage anchor the hit links to.")
    order = models.PositiveIntegerField(default=0, help_text="Passage order within the document.")
    date = models.DateField(null=True, blank=True, help_text="The document's date, for the date facet.")
    text = models.TextField(help_text="The searched text: the passage's reading text, or the note as plain text.")
    names = models.TextField(
        blank=True, help_text="Names and aliases of the entities mentioned in the passage, space separated."
    )
    filters = models.TextField(
        blank=True,
        help_text="Filter tokens (document, speaker, type, dates, entities mentioned), matched by the "
        "full-text index together with the words.",
    )
    search_vector = SearchVectorField(
        null=True,
        editable=False,
        help_text="PostgreSQL only: weighted tsvector of text (A), names (B) and filter tokens (D).",
    )

    class Meta:
        # No default ordering: every query orders explicitly (rank, or id = edition order), and a
        # default ordering by document would add a join and a sort to every facet query.
        verbose_name_plural = "search entries"
        indexes = [
            # Re-indexing by document (and the FK); every index costs time on each of a million inserts.
            models.Index(fields=["document", "order"], name="searchentry_doc_order"),
            models.Index(fields=["date"], name="searchentry_date"),
        ]
        constraints = [
            # A row is a passage (with a passage) or a note (with a note), never both kinds at once.
            models.CheckConstraint(
                condition=(models.Q(kind="passage", note__isnull=True, passage__isnull=False))
                | models.Q(kind="note", note__isnull=False),
                name="searchentry_kind_matches_target",
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.document_id}#{self.anchor}"
