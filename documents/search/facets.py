"""Facet counts over the matching entries: type, document, speaker, date, people and places.

Facets are counted over at most FACET_LIMIT hits, so their cost does not grow with the corpus:
when a search matches more, they are counted over its first FACET_LIMIT hits in edition order
and the page says so (`Facets.sampled`). Two queries in all: the hits' facet columns, and the
people and places mentioned in their passages.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count

from documents.models import Document, Entity, Mention, SearchEntry

TOP = 12
FACET_LIMIT = 2000


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
    counted: int = 0  # hits the counts are over
    sampled: bool = False  # True when counted < total hits

    def __iter__(self):
        return iter([self.types, self.documents, self.speakers, self.dates, self.people, self.places])


def _top(counter: Counter, limit: int = TOP):
    return sorted(counter.items(), key=lambda kv: (-kv[1], str(kv[0])))[:limit]


def _dates(dates: Counter) -> Facet:
    """By year; by day when every hit falls in one year (the two 1962 documents)."""
    facet = Facet("date", "Date")
    years = Counter()
    for day, n in dates.items():
        years[day.year] += n
    if len(years) == 1:
        for day, n in sorted(dates.items())[:31]:
            facet.items.append(FacetItem(day.isoformat(), f"{day.day} {day:%B %Y}", n))
    else:
        facet.items = [FacetItem(str(y), str(y), n) for y, n in sorted(years.items())]
    return facet


def compute_facets(sample, total: int) -> Facets:
    """Facets over `sample` (a subquery of entry ids: all hits, or the first FACET_LIMIT of `total`)."""
    entries = SearchEntry.objects.filter(id__in=sample)
    rows = entries.order_by().values_list("document_id", "speaker_id", "kind", "date")
    docs, speakers, kinds, dates = Counter(), Counter(), Counter(), Counter()
    counted = 0
    for document_id, speaker_id, kind, date in rows:
        counted += 1
        docs[document_id] += 1
        kinds[kind] += 1
        if speaker_id:
            speakers[speaker_id] += 1
        if date:
            dates[date] += 1
    top_docs = _top(docs)
    doc_info = {pk: (slug, title) for pk, slug, title in
                Document.objects.filter(pk__in=[d for d, _ in top_docs]).values_list("pk", "slug", "title")}
    documents = Facet("document", "Document", [FacetItem(*doc_info[d], n) for d, n in top_docs if d in doc_info])
    top_speakers = _top(speakers)
    entities = Entity.objects.in_bulk([s for s, _ in top_speakers])
    speaker_items = [FacetItem(entities[s].key, entities[s].name, n) for s, n in top_speakers if s in entities]
    speaker_facet = Facet("speaker", "Speaker", speaker_items)
    labels = dict(SearchEntry.Kind.choices)
    types = Facet("type", "Type", [FacetItem(k, labels[k], n) for k, n in _top(kinds)])
    # People and places mentioned in the hits' passages (for a note: the annotated passage).
    counts = dict(
        Mention.objects.filter(passage_id__in=entries.exclude(passage_id__isnull=True).order_by().values("passage_id"))
        .order_by()
        .values("entity_id")
        .annotate(n=Count("passage_id", distinct=True))
        .values_list("entity_id", "n")
    ) if counted else {}
    mentioned = Entity.objects.filter(pk__in=counts, kind__in=[Entity.Kind.PERSON, Entity.Kind.PLACE])
    people, places = Facet("person", "People mentioned"), Facet("place", "Places mentioned")
    for entity in sorted(mentioned.only("pk", "kind", "key", "name"), key=lambda e: (-counts[e.pk], e.name)):
        facet = people if entity.kind == Entity.Kind.PERSON else places
        if len(facet.items) < TOP:
            facet.items.append(FacetItem(entity.key, entity.name, counts[entity.pk]))
    return Facets(documents, speaker_facet, types, _dates(dates), people, places, counted, counted < total)
