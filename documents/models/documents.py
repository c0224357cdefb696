"""Documents and their text: source files, documents, sections, speaker turns, passages."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from documents.tei.speakers import speaker_display


def reader_page_size() -> int:
    """Passages per reader page: a longer document is paged (?page=N) by its passages' order."""
    return max(1, int(getattr(settings, "EDITION_READER_PAGE_PASSAGES", 200)))


def reader_page_of(order: int) -> int:
    """The reader page (1-based) that shows the passage at position `order`."""
    return order // reader_page_size() + 1


class SourceFile(models.Model):
    """A TEI file the importer has read; its checksum lets unchanged files be skipped."""

    path = models.CharField(
        max_length=500, unique=True, help_text="Path of the TEI file as given to the importer (resolved)."
    )
    checksum = models.CharField(max_length=64, help_text="SHA-256 of the file's bytes at the last import.")
    imported_at = models.DateTimeField(auto_now=True, help_text="When the file was last imported.")

    class Meta:
        ordering = ["path"]

    def __str__(self):
        return self.path


class DocumentQuerySet(models.QuerySet):
    def in_order(self):
        return self.order_by("sort_key", "date", "slug")

    def without_matter(self):
        """The documents proper: not the text outside them that a collection keeps as its matter."""
        return self.exclude(kind=Document.Kind.MATTER)

    def in_collection(self, collection):
        """A collection's documents in their order (the matter left out)."""
        return self.without_matter().filter(collection=collection).order_by(*COLLECTION_ORDER)

    def with_neighbours(self):
        """Each document with the pks of the previous and next documents of its collection (`previous_pk`,
        `next_pk`), computed in the same query; positions (collection_order) are distinct in a collection."""
        siblings = self.model.objects.without_matter().filter(collection_id=models.OuterRef("collection_id"))
        before = siblings.filter(collection_order__lt=models.OuterRef("collection_order")).order_by("-collection_order")
        after = siblings.filter(collection_order__gt=models.OuterRef("collection_order")).order_by("collection_order")
        return self.annotate(
            previous_pk=models.Subquery(before.values("pk")[:1]), next_pk=models.Subquery(after.values("pk")[:1])
        )

    def neighbours(self, document) -> tuple:
        """(previous, next) document of `document` in its collection, or None: one query when `document`
        comes from with_neighbours(), two otherwise."""
        if document.collection_id is None or document.kind == Document.Kind.MATTER:
            return None, None
        if not hasattr(document, "previous_pk"):
            document = self.with_neighbours().only("pk").get(pk=document.pk)
        wanted = [pk for pk in (document.previous_pk, document.next_pk) if pk]
        found = self.filter(pk__in=wanted).only("slug", "title", "date").in_bulk() if wanted else {}
        previous, following = found.get(document.previous_pk), found.get(document.next_pk)
        return previous, following

    def filtered(self, *, kind: str = "", date_from=None, date_to=None, speaker=None):
        """The documents of a kind, dated within [date_from, date_to], in which `speaker` speaks a turn
        (each filter only when given; the home page's list, documents/render/listing.py)."""
        qs = self
        if kind:
            qs = qs.filter(kind=kind)
        if date_from is not None:
            qs = qs.filter(date__gte=date_from)
        if date_to is not None:
            qs = qs.filter(date__lte=date_to)
        if speaker is not None:
            qs = qs.filter(pk__in=Turn.objects.filter(speaker=speaker).values("document_id"))
        return qs

    def sorted_by(self, sort: str = ""):
        """'date' (undated last), '-date', 'title', or the edition's order."""
        if sort == "date":
            return self.order_by(models.F("date").asc(nulls_last=True), "sort_key", "slug")
        if sort == "-date":
            return self.order_by(models.F("date").desc(nulls_last=True), "sort_key", "slug")
        if sort == "title":
            return self.order_by("title", "slug")
        return self.in_order()

    def with_counts(self):
        return self.annotate(
            num_passages=models.Count("passages", distinct=True),
            num_turns=models.Count("turns", distinct=True),
        )

    def linked_to(self, document):
        """The other documents that share published links with `document`, in order (for side by side)."""
        from .notes import Note, PassageLink

        links = PassageLink.objects.filter(
            models.Q(source_document=document) | models.Q(target_document=document), status=Note.Status.PUBLISHED
        )
        ids = {i for pair in links.values_list("source_document_id", "target_document_id") for i in pair}
        return self.in_order().filter(pk__in=ids - {document.pk})


#: Order of the documents of a collection: their place in its file (the edition's: as the edition lists them).
COLLECTION_ORDER = ("collection_order", "sort_key", "date", "slug")


class Document(models.Model):
    """One edited document (a TEI `<TEI>` file, or one `<div type="document">` of a larger file)."""

    class Kind(models.TextChoices):
        MINUTES = "minutes", _("Minutes")
        MEMORANDUM = "memorandum", _("Memorandum")
        OTHER = "other", _("Other")
        MATTER = "matter", _("Text outside the documents")

    slug = models.SlugField(max_length=200, unique=True, help_text="Stable URL identifier; never reused.")
    xml_id = models.CharField(max_length=200, help_text="xml:id of the TEI element the document comes from.")
    source_file = models.ForeignKey(
        SourceFile,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents",
        help_text="The TEI file the document was imported from.",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField(max_length=500)
    subtitle = models.CharField(max_length=500, blank=True)
    summary = models.TextField(blank=True, help_text="One-line summary for lists (from the TEI).")
    date = models.DateField(null=True, blank=True, help_text="The document's date (ISO, from date/@when).")
    date_text = models.CharField(max_length=200, blank=True, help_text="The date as written in the text.")
    time_text = models.CharField(max_length=100, blank=True, help_text="Time of day as written, if any.")
    venue = models.CharField(max_length=300, blank=True)
    review_note = models.CharField(max_length=300, blank=True, help_text='E.g. "(Not reviewed by ...)".')
    source_note = models.TextField(blank=True, help_text="Where the witness comes from (sourceDesc), as text.")
    language = models.CharField(max_length=20, default="en")
    sort_key = models.CharField(max_length=100, blank=True, help_text="Ordering within the edition.")
    header_tei = models.TextField(blank=True, help_text="The TEI header, serialized (read-only).")
    metadata = models.JSONField(default=dict, blank=True, help_text="Further header facts (responsibility, etc.).")
    fingerprint = models.CharField(
        max_length=64,
        blank=True,
        help_text="SHA-256 of what the importer wrote for this document: unchanged documents are not rewritten.",
    )
    collection = models.ForeignKey(
        "documents.Collection",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents",
        help_text="The collection (volume, corpus, this edition) the document belongs to.",
    )
    collection_section = models.ForeignKey(
        "documents.Section",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="collection_documents",
        help_text="The section of the collection (a chapter, a subchapter) that holds the document.",
    )
    collection_order = models.PositiveIntegerField(default=0, help_text="Position in the collection's file.")
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True, help_text="Last time the text or metadata changed.")

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["sort_key", "date", "slug"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("documents:document", kwargs={"slug": self.slug})


class Section(models.Model):
    """A structural division of a document (TEI `<div>`), e.g. the minutes' body or the memorandum."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="sections")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    xml_id = models.CharField(max_length=200, help_text="Stable id (xml:id or derived).")
    kind = models.CharField(max_length=50, blank=True, help_text="TEI div/@type.")
    heading = models.CharField(max_length=500, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["document", "order"]
        constraints = [
            # Section ids are citation keys (DTS refs): unique within their document.
            models.UniqueConstraint(fields=["document", "xml_id"], name="section_unique_id_per_document"),
        ]

    def __str__(self):
        return f"{self.document.slug}#{self.xml_id}"


class Turn(models.Model):
    """A speaker turn (TEI `<sp>` or `<u>`): who speaks and the passages they say."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="turns")
    section = models.ForeignKey(Section, null=True, blank=True, on_delete=models.SET_NULL, related_name="turns")
    xml_id = models.CharField(max_length=200, help_text="Stable id (xml:id or derived).")
    speaker = models.ForeignKey(
        "documents.Entity",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="turns",
        help_text="The person speaking (resolved from @who).",
    )
    speaker_label = models.CharField(max_length=300, blank=True, help_text="The <speaker> text as written.")
    who = models.CharField(max_length=300, blank=True, help_text="The raw @who pointer.")
    label_in_text = models.BooleanField(
        default=False,
        help_text="The label is written in the turn's own first paragraph ('NAME: ...', found by import_tei "
        "--detect-speakers): pages and exports do not write it a second time.",
    )
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["document", "order"]
        constraints = [
            # Turn ids are permalinks: unique within their document.
            models.UniqueConstraint(fields=["document", "xml_id"], name="turn_unique_id_per_document"),
        ]

    def __str__(self):
        return f"{self.document.slug}#{self.xml_id} ({self.speaker_label or self.who})"

    @property
    def display_name(self) -> str:
        """Who speaks, for pages and exports: the resolved speaker's name, else the label as written
        (without its colon), else the @who pointer made readable; '' only when the file names nobody."""
        return speaker_display(self.speaker.name if self.speaker_id else "", self.speaker_label, self.who)


class PassageQuerySet(models.QuerySet):
    def in_order(self):
        return self.order_by("document", "order")

    def for_reader(self):
        """The passages of a reader page in order, each with its turn, speaker and the speaker's side
        (affiliation and its parent), in one query (documents.render.page, the Cite panels)."""
        return self.select_related("turn__speaker__affiliation__affiliation").order_by("order")

    def paragraph_numbers(self) -> dict[int, int]:
        """passage pk -> its paragraph number (1-based position in its document), in one query.

        Numbers count the passages of this queryset, so call it on all passages of the documents:
        ``Passage.objects.filter(document_id__in=ids).paragraph_numbers()``.
        """
        numbers, counters = {}, {}
        for pk, doc_id in self.order_by("document", "order", "pk").values_list("pk", "document_id"):
            counters[doc_id] = counters.get(doc_id, 0) + 1
            numbers[pk] = counters[doc_id]
        return numbers

    def anchor_numbers(self) -> dict[str, int]:
        """anchor -> paragraph number, for the passages of one document (``document.passages``)."""
        anchors = self.order_by("order", "pk").values_list("anchor", flat=True)
        return {anchor: n for n, anchor in enumerate(anchors, 1)}


class Passage(models.Model):
    """A paragraph-level unit of text (TEI `<p>`, `<head>`, `<closer>`, ...), the target of notes and links."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="passages")
    section = models.ForeignKey(Section, null=True, blank=True, on_delete=models.SET_NULL, related_name="passages")
    turn = models.ForeignKey(Turn, null=True, blank=True, on_delete=models.SET_NULL, related_name="passages")
    anchor = models.CharField(max_length=200, help_text="Stable anchor id (xml:id); the permalink fragment.")
    kind = models.CharField(max_length=50, default="p", help_text="TEI element name (p, head, closer, ...).")
    order = models.PositiveIntegerField(default=0, help_text="Position in the document (for ordering only).")
    tei = models.TextField(help_text="The passage's TEI fragment, serialized (read-only).")
    reading_text = models.TextField(help_text="Reading text: corrections applied; offsets of notes refer to it.")
    diplomatic_text = models.TextField(help_text="Diplomatic text: the witness as written, slips kept.")

    objects = PassageQuerySet.as_manager()

    class Meta:
        ordering = ["document", "order"]
        constraints = [
            # Anchors are permalinks and note targets: unique within their document.
            models.UniqueConstraint(fields=["document", "anchor"], name="passage_unique_anchor_per_document"),
        ]
        indexes = [models.Index(fields=["document", "order"], name="passage_doc_order")]

    def __str__(self):
        return f"{self.document.slug}#{self.anchor}"

    def get_absolute_url(self):
        """The passage on its reader page: '/documents/<slug>/#anchor', with ?page=N in a long document."""
        page = reader_page_of(self.order)
        query = f"?page={page}" if page > 1 else ""
        return f"{self.document.get_absolute_url()}{query}#{self.anchor}"
