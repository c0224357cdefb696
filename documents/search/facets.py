"""Facet counts over the matching entries: type, document, speaker, date, people and places.

Facets are counted over at most FACET_LIMIT hits, so their cost does not grow with the corpus:
when a search matches more, they are counted over its first FACET_LIMIT hits in edition order
and the page says so (`Facets.sampled`). Two queries in all: the hits' facet columns, and the
people and places mentioned in their passages.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db import connection
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


def _day(value) -> dt.date | None:
    """A date column as the driver returns it (a date on PostgreSQL, an ISO string on SQLite)."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _raw_rows(queryset) -> list[tuple]:
    """The queryset's rows as the driver returns them: thousands of hits are counted, so no
    per-row conversion (the ORM's converters cost more than the query here)."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def compute_facets(sample, total: int) -> Facets:
    """Facets over `sample` (a subquery of entry ids: all hits, or the first FACET_LIMIT of `total`)."""
    entries = SearchEntry.objects.filter(id__in=sample)
    combos = Counter(_raw_rows(entries.order_by().values_list("document_id", "speaker_id", "kind", "date")))
    docs, speakers, kinds, dates = Counter(), Counter(), Counter(), Counter()
    counted = 0
    for (document_id, speaker_id, kind, date), n in combos.items():
        counted += n
        docs[document_id] += n
        kinds[kind] += n
        if speaker_id:
            speakers[speaker_id] += n
        if date:
            dates[_day(date)] += n
    top_docs = _top(docs)
    doc_info = {pk: (slug, title) for pk, slug, title in
                Document.objects.filter(pk__in=[d for d, _ in top_docs]).values_list("pk", "slug", "title")}
    documents = Facet("document", "Document", [FacetItem(*doc_info[d], n) for d, n in top_docs if d in doc_info])
    top_speakers = _top(speakers)
    speaker_info = {pk: (key, name) for pk, key, name in
                    Entity.objects.filter(pk__in=[s for s, _ in top_speakers]).values_list("pk", "key", "name")}
    speaker_items = [FacetItem(*speaker_info[s], n) for s, n in top_speakers if s in speaker_info]
    speaker_facet = Facet("speaker", "Speaker", speaker_items)
    labels = dict(SearchEntry.Kind.choices)
    types = Facet("type", "Type", [FacetItem(k, labels[k], n) for k, n in _top(kinds)])
    # People and places mentioned in the hits' passages (for a note: the annotated passage), with
    # their names in the same query: hundreds of entities can be mentioned, twelve of each are shown.
    mentioned = (
        Mention.objects.filter(
            passage_id__in=entries.exclude(passage_id__isnull=True).order_by().values("passage_id"),
            entity__kind__in=[Entity.Kind.PERSON, Entity.Kind.PLACE],
        )
        .order_by()
        .values_list("entity__kind", "entity__key", "entity__name")
        .annotate(n=Count("passage_id", distinct=True))
    ) if counted else []
    people, places = Facet("person", "People mentioned"), Facet("place", "Places mentioned")
    for kind, key, name, n in sorted(mentioned, key=lambda row: (-row[3], row[2])):
        facet = people if kind == Entity.Kind.PERSON else places
        if len(facet.items) < TOP:
            facet.items.append(FacetItem(key, name, n))
    return Facets(documents, speaker_facet, types, _dates(dates), people, places, counted, counted < total)
