"""Full-text backends, chosen by the database in use (`backend_for(connection)`).

Each backend answers these questions for a parsed query (`queryset` carries the facet filters):
- `match(queryset, parsed)`: the entries matching (a queryset);
- `count(...)`: how many entries match, up to COUNT_LIMIT (then COUNT_LIMIT + 1);
- `ranked_ids(queryset, parsed, offset, limit)`: one page of entry ids, best first;
- `ordered_ids(...)`: one page of entry ids in index (edition) order, cheap even for huge hit sets;
- `facet_rows(...)`: facets.FACET_COLUMNS of the first hits in edition order (for the facets);
- `snippets(parsed, ids)`: {id: (text snippet, names snippet)}, with MARK_START/MARK_END
  around the hits; the caller escapes the text and turns the markers into <mark>.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.exceptions import ImproperlyConfigured
from django.db import connection as default_connection
from django.db.models import F, Value
from django.db.models.expressions import RawSQL

from documents.models import SearchEntry

from .facets import FACET_COLUMNS, facet_rows
from .highlight import query_words, snippets_for
from .query import ParsedQuery
from .schema import FTS

#: The FTS table's tokenizer (schema.py), for the highlighting's temporary table.
TOKENIZE = "porter unicode61 remove_diacritics 2"


def _clauses(filters) -> list[list[str]] | None:
    """The active filters as token clauses ([] without filters; None when not expressible)."""
    return filters.token_clauses() if filters is not None and filters.active else []


class SQLiteFTS5Backend:
    """SQLite FTS5: porter-stemmed unicode61 tokens, bm25 ranking, snippet()/highlight()."""

    name = "SQLite FTS5"
    #: bm25 column weights: a hit in the passage text counts more than one in the entity names.
    WEIGHTS = "1.0, 0.5, 0.0"

    def match(self, queryset, parsed: ParsedQuery):
        return queryset.filter(id__in=RawSQL(f"SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s", [self._expr(parsed)]))

    @staticmethod
    def _expr(parsed: ParsedQuery, token_clauses=()) -> str:
        """The reader's words searched in text and names only; filter tokens in the filters column."""
        expr = "{text names} : (" + parsed.fts5() + ")"
        for clause in token_clauses:
            expr += " AND filters : (" + " OR ".join(f'"{t}"' for t in clause) + ")"
        return expr

    def _select(self, what: str, queryset, parsed: ParsedQuery, filters) -> tuple[str, list]:
        clauses = _clauses(filters)
        sql = f"SELECT {what} FROM {FTS} WHERE {FTS} MATCH %s"
        params: list = [self._expr(parsed, clauses or ())]
        if clauses is None:  # not expressible as tokens: filter through the entries table
            sub_sql, sub_params = queryset.values("id").query.sql_with_params()
            sql += f" AND rowid IN ({sub_sql})"
            params += list(sub_params)
        return sql, params

    def _fetch(self, sql, params) -> list:
        with default_connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    #: Counting walks the word's whole doclist: ~8 ms for 160,000 hits at 10,000 documents, ten
    #: times that at 100,000. Counts stop here, as on PostgreSQL, and the page says "more than".
    COUNT_LIMIT = 5_000

    def count(self, queryset, parsed: ParsedQuery, filters=None) -> int:
        """The number of hits, or COUNT_LIMIT + 1 when there are more (straight from the FTS
        doclists: no lookup per hit in the entries table)."""
        sql, params = self._select("rowid", queryset, parsed, filters)
        return self._fetch(f"SELECT count(*) FROM ({sql} LIMIT %s)", [*params, self.COUNT_LIMIT + 1])[0][0]

    def ranked_ids(self, queryset, parsed: ParsedQuery, offset: int, limit: int, filters=None) -> list[int]:
        sql, params = self._select("rowid", queryset, parsed, filters)
        sql += f" ORDER BY bm25({FTS}, {self.WEIGHTS}), rowid LIMIT %s OFFSET %s"
        return [row[0] for row in self._fetch(sql, [*params, limit, offset])]

    def facet_rows(self, queryset, parsed: ParsedQuery, limit: int, filters=None) -> list[tuple]:
        """The facet columns of the first `limit` hits in edition order."""
        sql, params = self._select("rowid", queryset, parsed, filters)
        return facet_rows(SearchEntry.objects.filter(id__in=RawSQL(f"{sql} ORDER BY rowid LIMIT %s", [*params, limit])))

    def ordered_ids(self, queryset, parsed: ParsedQuery, offset: int, limit: int, filters=None) -> list[int]:
        """Hits in index (edition) order: FTS5 walks its doclists in rowid order and stops early."""
        sql, params = self._select("rowid", queryset, parsed, filters)
        sql += " ORDER BY rowid LIMIT %s OFFSET %s"
        return [row[0] for row in self._fetch(sql, [*params, limit, offset])]

    def snippets(self, parsed: ParsedQuery, ids: list[int]) -> dict[int, tuple[str, str]]:
        """Linear highlighting (search/highlight.py): FTS5's snippet() is quadratic in the hits of a row."""
        rows = SearchEntry.objects.filter(id__in=ids).values_list("id", "text", "names")
        return snippets_for(rows, lambda candidates: self.matching_words(parsed, candidates))

    @staticmethod
    def matching_words(parsed: ParsedQuery, candidates: set[str]) -> set[str]:
        """Which candidate words match a query word, stemmed by FTS5's own tokenizer (a temporary table
        with one word per row: no row has more than one hit)."""
        terms = query_words(parsed)
        if not terms or not candidates:
            return set()
        expr = " OR ".join('"' + t.replace('"', '""') + '"' for t in terms)
        table = "temp.edition_highlight"
        with default_connection.cursor() as cursor:
            cursor.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS {table} USING fts5(w, tokenize='{TOKENIZE}')")
            cursor.execute(f"DELETE FROM {table}")  # the connection's own table (temp): no other reader
            cursor.executemany(f"INSERT INTO {table}(w) VALUES (%s)", [(w,) for w in candidates])
            cursor.execute(f"SELECT w FROM {table} WHERE edition_highlight MATCH %s", [expr])
            return {row[0] for row in cursor.fetchall()}


class PostgresBackend:
    """PostgreSQL: stored weighted tsvector + GIN index, websearch_to_tsquery, ts_rank, ts_headline.

    The facet filters are tokens in the tsvector too (the entry's `filters`, weight D, `simple`
    config), so a filtered search is one GIN lookup that intersects posting lists (GIN's fast scan
    skips through a common word's list) instead of a BitmapAnd of a common word's whole bitmap
    with a B-tree index. And one search reads the matching rows once: `_hits` fetches up to
    COUNT_LIMIT + 1 ids with their rank, and the count, the ranked page and the facet sample are
    all taken from that list (each used to be a query of its own, each visiting the same rows).
    """

    name = "PostgreSQL full-text search"
    CONFIG = "english"
    #: Counting and ranking a hit means reading its row from the table (the GIN index alone cannot
    #: count, and ts_rank needs the vector): a random heap page per hit once the table outgrows
    #: memory. So counting stops here, lower than FTS5's limit (which counts from its doclists), and
    #: larger result sets are listed in edition order; the page says "more than 1,000".
    COUNT_LIMIT = 1_000

    def __init__(self):
        self._memo: dict = {}

    def _query(self, parsed: ParsedQuery):
        return SearchQuery(parsed.websearch(), search_type="websearch", config=Value(self.CONFIG))

    @staticmethod
    def _filter_query(filters):
        """(tsquery of the filter tokens or None, whether the filters are all in it)."""
        clauses = _clauses(filters)  # remembered by the Filters object: no second date lookup
        if clauses is None:  # not expressible as tokens (a very long date range)
            return None, False
        if not clauses:
            return None, True
        expr = " & ".join("(" + " | ".join(clause) + ")" for clause in clauses)  # tokens are [a-z0-9] only
        return SearchQuery(expr, search_type="raw", config=Value("simple")), True

    def match(self, queryset, parsed: ParsedQuery, filters=None):
        tokens, complete = self._filter_query(filters)
        base = SearchEntry.objects.all() if complete else queryset  # else the ORM filters stay
        query = self._query(parsed)
        return base.filter(search_vector=query & tokens if tokens is not None else query)

    def _hits(self, queryset, parsed: ParsedQuery, filters) -> list[tuple]:
        """Up to COUNT_LIMIT + 1 matching rows (id, rank, *FACET_COLUMNS), in storage order; one
        query per search."""
        clauses = _clauses(filters)
        key = (parsed.websearch(), repr(clauses), str(queryset.query) if clauses is None else "")
        if key not in self._memo:
            rows = (
                self.match(queryset, parsed, filters)
                .order_by()
                .annotate(rank=SearchRank(F("search_vector"), self._query(parsed)))
                .values_list("id", "rank", *FACET_COLUMNS)[: self.COUNT_LIMIT + 1]
            )
            self._memo[key] = list(rows)
        return self._memo[key]

    def count(self, queryset, parsed: ParsedQuery, filters=None) -> int:
        """The number of hits, or COUNT_LIMIT + 1 when there are more."""
        return len(self._hits(queryset, parsed, filters))

    def ranked_ids(self, queryset, parsed: ParsedQuery, offset: int, limit: int, filters=None) -> list[int]:
        ranked = sorted(self._hits(queryset, parsed, filters), key=lambda row: (-row[1], row[0]))
        return [row[0] for row in ranked[offset : offset + limit]]

    def ordered_ids(self, queryset, parsed: ParsedQuery, offset: int, limit: int, filters=None) -> list[int]:
        hits = self._hits(queryset, parsed, filters)
        if len(hits) <= self.COUNT_LIMIT:  # every hit is in hand
            return sorted(row[0] for row in hits)[offset : offset + limit]
        # More hits than were fetched: walk the primary key in order until the page is full.
        return list(self.match(queryset, parsed, filters).order_by("id").values_list("id", flat=True)[
            offset : offset + limit])

    def facet_rows(self, queryset, parsed: ParsedQuery, limit: int, filters=None) -> list[tuple]:
        """The facet columns of the first `limit` hits in edition order, from the rows `_hits` read
        (no second visit to the table); when there are more than COUNT_LIMIT hits, of the first
        `limit` of the COUNT_LIMIT + 1 fetched (in storage order: close to edition order, not exact)."""
        return [row[2:] for row in sorted(self._hits(queryset, parsed, filters))[:limit]]

    def snippets(self, parsed: ParsedQuery, ids: list[int]) -> dict[int, tuple[str, str]]:
        """Linear highlighting (search/highlight.py): ts_headline is quadratic in the hits of a row."""
        rows = SearchEntry.objects.filter(id__in=ids).values_list("id", "text", "names")
        return snippets_for(rows, lambda candidates: self.matching_words(parsed, candidates))

    def matching_words(self, parsed: ParsedQuery, candidates: set[str]) -> set[str]:
        """Which candidate words match a query word, stemmed by PostgreSQL's own configuration."""
        terms = query_words(parsed)
        if not terms or not candidates:
            return set()
        query = " or ".join('"' + t.replace('"', " ") + '"' for t in terms)
        sql = (
            "SELECT w FROM unnest(%s::text[]) AS w "
            "WHERE to_tsvector(%s::regconfig, w) @@ websearch_to_tsquery(%s::regconfig, %s)"
        )
        with default_connection.cursor() as cursor:
            cursor.execute(sql, [sorted(candidates), self.CONFIG, self.CONFIG, query])
            return {row[0] for row in cursor.fetchall()}


def backend_for(connection=None):
    connection = connection or default_connection
    if connection.vendor == "postgresql":
        return PostgresBackend()
    if connection.vendor == "sqlite":
        return SQLiteFTS5Backend()
    raise ImproperlyConfigured(f"no search backend for database vendor {connection.vendor!r} (SQLite or PostgreSQL)")
