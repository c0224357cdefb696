"""The search service used by the view (and the benchmarks): `search(q, params, page)`.

It parses the query, applies the facet filters, asks the database's backend for one page of
ranked hits with snippets, groups them by document and turn, and counts facets. It never
raises for bad input: problems become messages on the result.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils.html import escape
from django.utils.safestring import mark_safe

from documents.models import Document, Entity, SearchEntry

from .backends import backend_for
from .budget import is_timeout, time_budget
from .facets import FACET_LIMIT, Facets, compute_facets
from .query import MARK_END, MARK_START, ParsedQuery, parse

log = logging.getLogger(__name__)
PER_PAGE = 20
MAX_PAGE = 500
#: Hits are ranked by relevance up to this many; larger result sets are listed in edition order
#: (ranking every hit of a very common word would make the page slow on a large corpus).
RANK_LIMIT = 5_000


def highlight_html(marked: str) -> str:
    """Escape the text, then turn our private markers (and only them) into <mark> elements."""
    escaped = escape(marked)
    return mark_safe(escaped.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>"))


_UNSET = object()


@dataclass
class Filters:
    """Facet filters from the query string; unknown values are dropped with a message."""

    document: Document | None = None
    speaker: Entity | None = None
    kind: str = ""
    person: Entity | None = None
    place: Entity | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    messages: list[str] = field(default_factory=list)
    _clauses: object = field(default=_UNSET, init=False, repr=False, compare=False)

    @property
    def active(self) -> bool:
        """Whether any filter is set."""
        return any([self.document, self.speaker, self.kind, self.person, self.place, self.date_from, self.date_to])

    def apply(self, queryset):
        from documents.models import Mention

        if self.document:
            queryset = queryset.filter(document=self.document)
        if self.speaker:
            queryset = queryset.filter(speaker=self.speaker)
        if self.kind:
            queryset = queryset.filter(kind=self.kind)
        for entity in (self.person, self.place):
            if entity:
                queryset = queryset.filter(passage_id__in=Mention.objects.filter(entity=entity).values("passage_id"))
        if self.date_from:
            queryset = queryset.filter(date__gte=self.date_from)
        if self.date_to:
            queryset = queryset.filter(date__lte=self.date_to)
        return queryset

    def token_clauses(self) -> list[list[str]] | None:
        """The filters as FTS token clauses (AND of ORs); None when a date range needs too many tokens.
        Computed once per search (an open date range costs two queries), then remembered."""
        if self._clauses is _UNSET:
            self._clauses = self._token_clauses()
        return self._clauses

    def _token_clauses(self) -> list[list[str]] | None:
        from django.db.models import Max, Min

        from . import tokens

        clauses = []
        if self.document:
            clauses.append([tokens.document(self.document.pk)])
        if self.speaker:
            clauses.append([tokens.speaker(self.speaker.pk)])
        if self.kind:
            clauses.append([tokens.kind(self.kind)])
        for entity in (self.person, self.place):
            if entity:
                clauses.append([tokens.entity(entity.pk)])
        if self.date_from or self.date_to:
            # An open end is closed at the first/last date indexed (one index seek each).
            dated = SearchEntry.objects.exclude(date__isnull=True)
            start = self.date_from or dated.aggregate(first=Min("date"))["first"]
            end = self.date_to or dated.aggregate(last=Max("date"))["last"]
            if start is None or end is None:
                return clauses + [["zznodate0"]]
            cover = tokens.date_cover(start, end) if start <= end else ["zznodate0"]
            if cover is None:
                return None
            clauses.append(cover)
        return clauses

    def _date_facet(self, value: str):
        """date=1962 (a year) or date=1962-06-08 (a day), as the date facet links give."""
        if not value:
            return
        try:
            if len(value) == 4 and value.isdigit() and int(value) > 0:
                self.date_from, self.date_to = dt.date(int(value), 1, 1), dt.date(int(value), 12, 31)
            else:
                self.date_from = self.date_to = dt.date.fromisoformat(value)
        except ValueError:
            self.messages.append(f"The date “{value}” is not a year or a date like 1962-06-08; it was ignored.")

    @classmethod
    def from_params(cls, params) -> Filters:
        f = cls()

        def entity(name, kind):
            key = (params.get(name) or "").strip()[:200]
            if not key:
                return None
            found = Entity.objects.filter(key=key, **({"kind": kind} if kind else {})).first()
            if found is None:
                f.messages.append(f"The {name} filter “{key}” is unknown and was ignored.")
            return found

        slug = (params.get("document") or "").strip()[:200]
        if slug:
            f.document = Document.objects.filter(slug=slug).first()
            if f.document is None:
                f.messages.append(f"The document filter “{slug}” is unknown and was ignored.")
        f.speaker = entity("speaker", None)
        f.person = entity("person", Entity.Kind.PERSON)
        f.place = entity("place", Entity.Kind.PLACE)
        kind = (params.get("type") or "").strip()
        if kind in SearchEntry.Kind.values:
            f.kind = kind
        elif kind:
            f.messages.append("The type filter must be “passage” or “note”; it was ignored.")
        f._date_facet((params.get("date") or "").strip()[:10])
        for name, attr in (("from", "date_from"), ("to", "date_to")):
            value = (params.get(name) or "").strip()
            if not value:
                continue
            try:
                setattr(f, attr, dt.date.fromisoformat(value[:10] if len(value) >= 10 else value))
            except ValueError:
                f.messages.append(f"The date “{value[:20]}” is not a date like 1962-06-08; it was ignored.")
        return f


@dataclass
class Hit:
    entry: SearchEntry
    snippet: str
    names: str

    @property
    def url(self) -> str:
        base = self.entry.document.get_absolute_url()
        return f"{base}#{self.entry.anchor}" if self.entry.anchor else base

    @property
    def is_note(self) -> bool:
        return self.entry.kind == SearchEntry.Kind.NOTE


@dataclass
class TurnGroup:
    turn: object
    speaker: Entity | None
    hits: list[Hit]


@dataclass
class DocumentGroup:
    document: Document
    turns: list[TurnGroup]

    @property
    def hit_count(self) -> int:
        return sum(len(t.hits) for t in self.turns)


@dataclass
class SearchResults:
    query: ParsedQuery
    filters: Filters
    page: int = 1
    per_page: int = PER_PAGE
    total: int = 0
    groups: list[DocumentGroup] = field(default_factory=list)
    facets: Facets | None = None
    messages: list[str] = field(default_factory=list)
    error: str = ""
    backend: str = ""
    ranked: bool = True
    total_exact: bool = True  # False: there are more than `total` hits (counting stops at COUNT_LIMIT)
    timed_out: bool = False  # the search's queries ran past settings.EDITION_SEARCH_TIMEOUT_MS and were stopped

    @property
    def num_pages(self) -> int:
        return max(1, min(MAX_PAGE, -(-self.total // self.per_page)))

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def first_index(self) -> int:
        return (self.page - 1) * self.per_page + 1 if self.total else 0

    @property
    def last_index(self) -> int:
        return min(self.total, self.page * self.per_page)


def page_number_of(value) -> int:
    try:
        return max(1, min(MAX_PAGE, int(str(value)[:6])))
    except (TypeError, ValueError):
        return 1


def _group(entries_in_rank_order: list[SearchEntry], snippets) -> list[DocumentGroup]:
    by_doc: dict[int, list[SearchEntry]] = {}
    for entry in entries_in_rank_order:  # documents keep the order of their best hit
        by_doc.setdefault(entry.document_id, []).append(entry)
    groups = []
    for entries in by_doc.values():
        entries.sort(key=lambda e: (e.order, e.kind != SearchEntry.Kind.PASSAGE, e.pk))
        turns: list[TurnGroup] = []
        for entry in entries:
            text, names = snippets.get(entry.pk, ("", ""))
            names_html = highlight_html(names) if MARK_START in names else ""
            hit = Hit(entry, highlight_html(text or entry.text[:300]), names_html)
            if turns and turns[-1].turn is not None and turns[-1].turn == entry.turn:
                turns[-1].hits.append(hit)
            else:
                turns.append(TurnGroup(entry.turn, entry.speaker, [hit]))
        groups.append(DocumentGroup(entries[0].document, turns))
    return groups


def search(q: str | None, params=None, page=1, per_page: int | None = None, facets: bool = True) -> SearchResults:
    """Run a search; `params` is a mapping with the facet filters (e.g. request.GET)."""
    params = params or {}
    per_page = per_page or PER_PAGE
    parsed = parse(q)
    filters = Filters.from_params(params)
    results = SearchResults(query=parsed, filters=filters, page=page_number_of(page), per_page=per_page)
    results.messages = parsed.messages + filters.messages
    if not parsed.is_searchable:
        return results
    backend = backend_for()
    results.backend = backend.name
    try:
        # A savepoint: a failed query must not break the caller's transaction. Every query of the search
        # shares one time budget (documents/search/budget.py).
        with transaction.atomic(), time_budget(getattr(settings, "EDITION_SEARCH_TIMEOUT_MS", 2000)):
            base = filters.apply(SearchEntry.objects.all())
            results.total = backend.count(base, parsed, filters)
            if backend.COUNT_LIMIT and results.total > backend.COUNT_LIMIT:
                results.total, results.total_exact = backend.COUNT_LIMIT, False
            results.page = min(results.page, results.num_pages)
            offset = (results.page - 1) * per_page
            results.ranked = results.total_exact and results.total <= RANK_LIMIT
            if not results.ranked:
                results.messages.append(
                    f"More than {min(RANK_LIMIT, results.total):,} matches: they are listed in the order of the "
                    "edition, not by relevance. Add words, use a phrase or choose a filter to rank them."
                )
            page_ids = backend.ranked_ids if results.ranked else backend.ordered_ids
            ids = page_ids(base, parsed, offset, per_page, filters) if results.total else []
            entries = (
                SearchEntry.objects.filter(id__in=ids)
                .select_related("document", "turn", "speaker", "note")
                # The hits need titles and anchors, not each document's header, metadata or index columns.
                .defer("document__header_tei", "document__metadata", "document__source_note", "names",
                       "filters", "search_vector", "speaker__description", "speaker__data")
            )
            by_id = {e.pk: e for e in entries}
            results.groups = _group([by_id[i] for i in ids if i in by_id], backend.snippets(parsed, ids))
            if facets and results.total:
                # Beyond the counting limit, the facets say what they are: counts over the first hits.
                limit = FACET_LIMIT if results.total_exact else min(FACET_LIMIT, results.total)
                rows = backend.facet_rows(base, parsed, limit, filters)
                results.facets = compute_facets(rows, results.total, results.total_exact)
    except DatabaseError as exc:
        if connection.connection is None:  # the database cannot be reached: a 503 (views/errors.py), not "no hits"
            raise
        results.total, results.groups, results.facets = 0, [], None
        if is_timeout(exc):
            log.warning("search stopped by its time budget: %r", parsed.raw[:200])
            results.timed_out = True
            results.error = "This search took too long and was stopped. Try fewer words, a phrase or a filter."
        else:
            log.exception("search failed for query %r", parsed.raw[:200])
            results.error = "This search could not be run. Try fewer or simpler words."
    return results
