"""Facet counts over the matching entries: document, speaker, type, date, people and places.

Each facet is a few GROUP BY queries on the matching entries (the match is a subquery), so
the number of queries does not grow with the number of hits.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count
from django.db.models.functions import ExtractYear

from documents.models import Document, Entity, Mention, SearchEntry

TOP = 12


@dataclass
class FacetItem:
    value: str  # the query-string value that selects it
    label: str
    count: int


@dataclass
class Facet:
    param: str  # the query-string parameter
    title: str
    items: list[FacetItem] = field(default_factory=list)


@dataclass
class Facets:
    documents: Facet
    speakers: Facet
    types: Facet
    dates: Facet
    people: Facet
    places: Facet

    def __iter__(self):
        return iter([self.types, self.documents, self.speakers, self.dates, self.people, self.places])


def _grouped(matched, column: str, limit: int = TOP) -> list[tuple[int, int]]:
    rows = (
        matched.exclude(**{f"{column}__isnull": True})
        .values(column)
        .annotate(n=Count("id"))
        .order_by("-n", column)[:limit]
    )
    return [(row[column], row["n"]) for row in rows]


def _dates(matched) -> Facet:
    """By year; by day when every hit falls in one year (the two 1962 documents)."""
    years = list(
        matched.exclude(date__isnull=True).annotate(y=ExtractYear("date")).values("y").annotate(n=Count("id")).order_by("y")
    )
    facet = Facet("date", "Date")
    if len(years) == 1:
        for row in matched.exclude(date__isnull=True).values("date").annotate(n=Count("id")).order_by("date")[:31]:
            day = row["date"].isoformat()
            facet.items.append(FacetItem(day, f"{row['date'].day} {row['date']:%B %Y}", row["n"]))
    else:
        for row in years:
            facet.items.append(FacetItem(str(row["y"]), str(row["y"]), row["n"]))
    return facet


def compute_facets(matched) -> Facets:
    docs = _grouped(matched, "document_id")
    titles = dict(Document.objects.filter(pk__in=[d for d, _ in docs]).values_list("pk", "slug"))
    labels = dict(Document.objects.filter(pk__in=[d for d, _ in docs]).values_list("pk", "title"))
    documents = Facet("document", "Document", [FacetItem(titles[d], labels[d], n) for d, n in docs])

    speakers_rows = _grouped(matched, "speaker_id")
    entities = Entity.objects.in_bulk([s for s, _ in speakers_rows])
    speakers = Facet("speaker", "Speaker", [FacetItem(entities[s].key, entities[s].name, n) for s, n in speakers_rows])

    kinds = dict(SearchEntry.Kind.choices)
    types = Facet("type", "Type", [FacetItem(k, kinds[k], n) for k, n in _grouped(matched, "kind")])

    mentioned = (
        Mention.objects.filter(passage_id__in=matched.exclude(passage_id__isnull=True).values("passage_id"))
        .filter(entity__kind__in=[Entity.Kind.PERSON, Entity.Kind.PLACE])
        .values("entity_id", "entity__kind", "entity__key", "entity__name")
        .annotate(n=Count("passage_id", distinct=True))
        .order_by("-n", "entity__name")
    )
    people, places = Facet("person", "People mentioned"), Facet("place", "Places mentioned")
    for row in mentioned:
        facet = people if row["entity__kind"] == Entity.Kind.PERSON else places
        if len(facet.items) < TOP:
            facet.items.append(FacetItem(row["entity__key"], row["entity__name"], row["n"]))
    return Facets(documents, speakers, types, _dates(matched), people, places)
