"""Collections: a volume, a corpus or this edition; the documents they hold and the text outside them.

A collection's division hierarchy (compilations, chapters, subchapters, front and back matter) is the
sections of its *matter* document (kind "matter"), whose passages are the text outside the documents
(headings, headnotes, lists of papers and persons, the index): stored, rendered, annotated and searched
as every passage is. Documents point at their collection, their section and their order in it.
"""

from django.db import models
from django.urls import reverse

#: The slug of the edition's own collection (the files using the ent: prefix).
EDITION_COLLECTION = "edition"


class CollectionQuerySet(models.QuerySet):
    def in_order(self):
        return self.order_by("order", "title", "pk")

    def with_counts(self):
        """Each collection with its number of documents (the matter not counted) and their first and last dates."""
        documents = ~models.Q(documents__kind="matter")
        return self.annotate(
            num_documents=models.Count("documents", filter=documents, distinct=True),
            first_date=models.Min("documents__date", filter=documents),
            last_date=models.Max("documents__date", filter=documents),
        )


class Collection(models.Model):
    """A file holding many documents (teiCorpus, FRUS volume), a foreign file, or the edition itself."""

    slug = models.SlugField(max_length=200, unique=True, help_text="Stable URL identifier.")
    title = models.CharField(max_length=500)
    subtitle = models.CharField(max_length=500, blank=True)
    header_tei = models.TextField(blank=True, help_text="The collection's TEI header, serialized (read-only).")
    metadata = models.JSONField(
        default=dict, blank=True, help_text="Citation facts stated by the header: series, volume, publisher, ..."
    )
    source_file = models.ForeignKey(
        "documents.SourceFile",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="collections",
        help_text="The file the collection was imported from (empty for the edition's own collection).",
    )
    matter = models.OneToOneField(
        "documents.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="matter_of",
        help_text="The document holding the text outside the documents; its sections are the collection's.",
    )
    order = models.PositiveIntegerField(default=0, help_text="Position on the home page.")
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    objects = CollectionQuerySet.as_manager()

    class Meta:
        ordering = ["order", "title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("documents:collection", kwargs={"collection": self.slug})
