"""People, places and organisations, their roles in documents and their mentions in passages."""

from django.db import models
from django.urls import reverse


class EntityQuerySet(models.QuerySet):
    def people(self):
        return self.filter(kind=Entity.Kind.PERSON)

    def places(self):
        return self.filter(kind=Entity.Kind.PLACE)

    def organisations(self):
        return self.filter(kind=Entity.Kind.ORGANISATION)

    def speaking(self):
        """The entities that speak at least one turn."""
        from .documents import Turn

        return self.filter(pk__in=Turn.objects.filter(speaker__isnull=False).values("speaker_id"))

    def speaking_in(self, documents):
        """The entities that speak at least one turn in `documents` (a Document queryset; one subquery)."""
        from .documents import Turn

        turns = Turn.objects.filter(speaker__isnull=False, document__in=documents.order_by().values("pk"))
        return self.filter(pk__in=turns.values("speaker_id"))

    def mention_and_turn_counts(self) -> dict[int, tuple[int, int]]:
        """entity pk -> (mentions, turns spoken) for the entities of this queryset that have any, in two
        queries (grouped counts of just these entities: counting every entity at once grows with the corpus)."""
        from .documents import Turn

        ids = self.order_by().values("pk")  # a subquery, not a query of its own
        count = models.Count("pk")
        mentions = dict(Mention.objects.filter(entity__in=ids).order_by().values_list("entity").annotate(n=count))
        turns = dict(Turn.objects.filter(speaker__in=ids).order_by().values_list("speaker").annotate(n=count))
        return {pk: (mentions.get(pk, 0), turns.get(pk, 0)) for pk in mentions.keys() | turns.keys()}


class Entity(models.Model):
    """A person, place or organisation from the TEI entity lists (listPerson, listPlace, listOrg)."""

    class Kind(models.TextChoices):
        PERSON = "person", "Person"
        PLACE = "place", "Place"
        ORGANISATION = "org", "Organisation"

    key = models.CharField(
        max_length=200,
        unique=True,
        help_text="Stable identifier: the xml:id in the entity list (namespaced for foreign corpora).",
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    name = models.CharField(max_length=300, help_text="Preferred display name.")
    sort_name = models.CharField(max_length=300, blank=True)
    description = models.TextField(blank=True, help_text="Who or what this is (plain text from the TEI).")
    affiliation = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
        help_text="Organisation a person belongs to (the side they speak for).",
    )
    data = models.JSONField(default=dict, blank=True, help_text="Further facts (dates, geo, idno, ...).")
    source_file = models.ForeignKey(
        "documents.SourceFile",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="entities",
        help_text="The TEI file that defines the entity (the importer updates it from there).",
    )
    reviewed = models.BooleanField(
        default=True,
        help_text="False for an index entry made from a name with no pointer (persName without @ref/@key), "
        "keyed by its normalised form, until an editor has reviewed or merged it (docs/editing.md).",
    )

    objects = EntityQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "sort_name", "name"]
        verbose_name_plural = "entities"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        route = {"person": "documents:person", "place": "documents:place", "org": "documents:organisation"}
        return reverse(route[self.kind], kwargs={"key": self.key})


class EntityAlias(models.Model):
    """Another name of an entity (other script, spelling or language), searchable."""

    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=300)
    lang = models.CharField(max_length=20, blank=True, help_text="xml:lang of the name, e.g. zh-Hans, ru.")
    merged_key = models.CharField(
        max_length=200,
        blank=True,
        db_index=True,
        help_text="The key of an entry an editor merged into this entity: a re-import maps that key here.",
    )

    class Meta:
        ordering = ["entity", "name"]
        constraints = [
            # The same spelling is recorded once per entity (and once more for an entry merged into it).
            models.UniqueConstraint(fields=["entity", "name", "lang", "merged_key"], name="alias_unique_per_entity"),
        ]
        verbose_name_plural = "entity aliases"

    def __str__(self):
        return f"{self.name} ({self.lang})" if self.lang else self.name


class Participation(models.Model):
    """An entity's role in a document (particDesc): speaker, attendee, interpreter, minute-taker, ..."""

    document = models.ForeignKey("documents.Document", on_delete=models.CASCADE, related_name="participations")
    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="participations")
    role = models.CharField(max_length=50, help_text="speaker, attendee, interpreter, minute-taker, author, ...")
    description = models.CharField(max_length=300, blank=True, help_text="Office held at the time, as given.")
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["document", "order"]
        constraints = [
            # One row per person and role in a document.
            models.UniqueConstraint(fields=["document", "entity", "role"], name="participation_unique_role"),
        ]

    def __str__(self):
        return f"{self.entity} as {self.role} in {self.document.slug}"


class Mention(models.Model):
    """A mention of an entity in a passage (persName/placeName/orgName/name with @ref)."""

    passage = models.ForeignKey("documents.Passage", on_delete=models.CASCADE, related_name="mentions")
    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="mentions")
    text = models.CharField(max_length=500, help_text="The words of the mention (reading text).")
    start = models.PositiveIntegerField(help_text="Start offset in the passage's reading text.")
    end = models.PositiveIntegerField(help_text="End offset (exclusive) in the passage's reading text.")

    class Meta:
        ordering = ["passage", "start"]
        constraints = [
            # An offset span is well-formed.
            models.CheckConstraint(condition=models.Q(end__gte=models.F("start")), name="mention_span_ordered"),
        ]

    def __str__(self):
        return f"{self.text} -> {self.entity.key}"


class DateMention(models.Model):
    """A dated event mentioned in a passage (TEI `<date when>`), for the timeline."""

    passage = models.ForeignKey("documents.Passage", on_delete=models.CASCADE, related_name="date_mentions")
    when = models.DateField(help_text="Normalised date from @when.")
    text = models.CharField(max_length=200, help_text="The date as written (reading text).")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()

    class Meta:
        ordering = ["when", "passage"]
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gte=models.F("start")), name="datemention_span_ordered"),
        ]

    def __str__(self):
        return f"{self.when.isoformat()} in {self.passage}"

    def get_absolute_url(self):
        return self.passage.get_absolute_url()
