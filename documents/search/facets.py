"""Facet counts over the matching entries: type, document, speaker, date, people and places.

Facets are counted over at most FACET_LIMIT hits, so their cost does not grow with the corpus:
when a search matches more, they are counted over its first FACET_LIMIT hits in edition order
and the page says so (`Facets.sampled`). The backend gives the hits' facet columns and filter
tokens (`facet_rows`: one query on SQLite; on PostgreSQL the rows its one match query already
read); the people and places mentioned come from those tokens (`zzent<pk>`, the same the person
and place filters match, so a facet's count is the number of hits its link keeps); three small
queries name the top documents, speakers and entities.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from dataclasses import dataclass, field

from django.db import connection
from django.db.models.expressions import RawSQL
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from documents.models import Document, Entity, SearchEntry

from . import tokens

TOP = 12
_ENTITY_TOKEN = re.compile(r"\b" + tokens.entity("") + r"(\d+)\b")
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
    sampled: bool = False  # True when counted over only some of the hits

    def __iter__(self):
        return iter([self.types, self.documents, self.speakers, self.dates, self.people, self.places])


def _top(counter: Counter, limit: int = TOP):
    return sorted(counter.items(), key=lambda kv: (-kv[1], str(kv[0])))[:limit]


def _dates(dates: Counter) -> Facet:
    """By year; by day when every hit falls in one year (the two 1962 documents)."""
    facet = Facet("date", _("Date"))
    years = Counter()
    for day, n in dates.items():
        years[day.year] += n
    if len(years) == 1:
        for day, n in sorted(dates.items())[:31]:
            facet.items.append(FacetItem(day.isoformat(), date_format(day, "DATE_FORMAT"), n))
    else:
        facet.items = [FacetItem(str(y), str(y), n) for y, n in sorted(years.items())]
    return facet


def _day(value) -> dt.date | None:
    """A date column as the driver returns it (a date on PostgreSQL, an ISO string on SQLite)."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def ids_subquery(ids):
    """The ids as a subquery over ONE parameter, usable in `pk__in=`: an IN list of thousands of
    ids costs the ORM and psycopg ~7-10 µs an id (the facets pass up to 2,000 hits' ids and
    name the ~1,500 entities they mention). json_each is in every SQLite Django supports."""
    ids = [int(pk) for pk in ids]
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", [ids])
    return RawSQL("SELECT value FROM json_each(%s)", [json.dumps(ids)])


#: The columns of a hit that the facets count, in the order backends return them.
FACET_COLUMNS = ("document_id", "speaker_id", "kind", "date", "filters")


def facet_rows(entries) -> list[tuple]:
    """FACET_COLUMNS of `entries` as the driver returns them: thousands of hits are counted, so no
    per-row conversion (the ORM's converters cost more than the query here)."""
    sql, params = entries.order_by().values_list(*FACET_COLUMNS).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def compute_facets(rows: list[tuple], total: int, exact: bool = True) -> Facets:
    """Facets over `rows` (FACET_COLUMNS of all hits, or of the first of them); `total` is the
    number of hits, or where counting stopped when not `exact`."""
    docs, speakers, kinds, dates = Counter(), Counter(), Counter(), Counter()
    for document_id, speaker_id, kind, date, _tokens in rows:
        docs[document_id] += 1
        kinds[kind] += 1
        if speaker_id:
            speakers[speaker_id] += 1
        if date:
            dates[date] += 1
    counted = len(rows)
    # The entities mentioned in a hit's passage are among its filter tokens (zzent<pk>), exactly
    # what the person and place filters match: a facet counts the hits its link keeps.
    mentioned = Counter(int(pk) for pk in _ENTITY_TOKEN.findall(" ".join(row[4] for row in rows)))
    dates = Counter({_day(d): n for d, n in dates.items()})
    top_docs = _top(docs)
    doc_info = {pk: (slug, title) for pk, slug, title in
                Document.objects.filter(pk__in=[d for d, _ in top_docs]).order_by().values_list("pk", "slug", "title")}
    documents = Facet("document", _("Document"), [FacetItem(*doc_info[d], n) for d, n in top_docs if d in doc_info])
    top_speakers = _top(speakers)
    speaker_rows = Entity.objects.filter(pk__in=[s for s, _ in top_speakers]).order_by()
    speaker_info = {pk: (key, name) for pk, key, name in speaker_rows.values_list("pk", "key", "name")}
    speaker_items = [FacetItem(*speaker_info[s], n) for s, n in top_speakers if s in speaker_info]
    speaker_facet = Facet("speaker", _("Speaker"), speaker_items)
    labels = dict(SearchEntry.Kind.choices)
    types = Facet("type", _("Type"), [FacetItem(k, labels[k], n) for k, n in _top(kinds)])
    people, places = Facet("person", _("People mentioned")), Facet("place", _("Places mentioned"))
    named = Entity.objects.filter(pk__in=ids_subquery(mentioned), kind__in=[Entity.Kind.PERSON, Entity.Kind.PLACE])
    for pk, kind, key, name in sorted(named.order_by().values_list("pk", "kind", "key", "name"),
                                      key=lambda row: (-mentioned[row[0]], row[3])):
        facet = people if kind == Entity.Kind.PERSON else places
        if len(facet.items) < TOP:
            facet.items.append(FacetItem(key, name, mentioned[pk]))
    sampled = counted < total or not exact
    return Facets(documents, speaker_facet, types, _dates(dates), people, places, counted, sampled)
