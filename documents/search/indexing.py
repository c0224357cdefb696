"""Writing the search index: SearchEntry rows for passages and published notes.

Entry points (all idempotent; call them inside the caller's transaction):
- `index_documents(documents)`: rewrite every entry of many documents with a constant number of
  queries (on import: once per file, through the `documents_imported` signal);
- `index_document(document)`: the same for one document;
- `index_note(note)`: rewrite the entry of one note (on every note save/delete);
- `refresh_names(entity_ids)`: rewrite the names of the passages mentioning these entities;
- `rebuild(progress)`: rewrite everything, REBUILD_BATCH documents at a time.

An entry's `names` field holds the preferred names and all aliases of the entities mentioned
in the passage, so a search for 章汉夫 or Sinkiang finds passages that mention the entity
under another spelling. On PostgreSQL the stored tsvector is computed here, in the same
transaction; on SQLite the FTS5 triggers keep the full-text table in step.
"""

from __future__ import annotations

import html
import re

import nh3
from django.contrib.postgres.search import SearchVector
from django.db import connection
from django.db.models import Value

from documents.markup import render_markdown
from documents.models import Document, EntityAlias, Mention, Note, Passage, SearchEntry

from . import tokens
from .query import MARK_END, MARK_START

BATCH = 2000
#: Documents indexed together (their ids are query parameters; SQLite allows a limited number).
DOCS_BATCH = 500
#: Documents per batch of a rebuild (progress is reported after each batch).
REBUILD_BATCH = 100


def _plain(text: str) -> str:
    """Text safe to index: no highlight marker characters, white space normalised."""
    return " ".join((text or "").replace(MARK_START, " ").replace(MARK_END, " ").split())


#: What Markdown could turn into something else than its own text: inline syntax, entities, escapes
#: other than \[ and \], control characters, and block markers (lists, quotes, headings, rules)
#: at the start of a line. A body without any of these renders to exactly its own words.
_MARKDOWN = re.compile(r"[\\`*_\[\]<>&~|!#=+\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|^[ \t]*(?:[-+*>#=_]|\d{1,9}[.)])", re.M)


def markdown_text(body: str) -> str:
    """A Markdown body as plain text, through the renderer (what readers see, without tags)."""
    return _plain(html.unescape(nh3.clean(render_markdown(body), tags=set())))


def note_text(note: Note) -> str:
    """A note body (Markdown) as plain text. Most imported notes are plain words (FRUS: "File No.
    861.51/131", "\\[Telegram\\]"): those skip the Markdown renderer, with the same result."""
    body = note.body or ""
    if _MARKDOWN.search(body.replace("\\[", "").replace("\\]", "")):
        return markdown_text(body)
    return _plain(body.replace("\\[", "[").replace("\\]", "]"))


def _names_for(passage_ids) -> dict[int, str]:
    """passage id -> 'Name alias alias Name2 ...' for the entities mentioned in each passage."""
    mentions = Mention.objects.filter(passage_id__in=passage_ids)
    return {pid: names for pid, (names, _) in _mentioned(mentions).items()}


def _mentioned(mentions) -> dict[int, tuple[str, list[int]]]:
    """passage id -> (names and aliases of the entities mentioned, their ids), for a Mention queryset."""
    entity_names: dict[int, list[str]] = {}
    by_passage: dict[int, list[int]] = {}
    for passage_id, entity_id, name in mentions.order_by().values_list("passage_id", "entity_id", "entity__name"):
        entity_names.setdefault(entity_id, [name])
        by_passage.setdefault(passage_id, [])
        if entity_id not in by_passage[passage_id]:
            by_passage[passage_id].append(entity_id)
    # A subquery, not a list of ids: a batch of documents may mention more entities than SQLite has parameters.
    aliases = EntityAlias.objects.filter(entity_id__in=mentions.order_by().values("entity_id")).order_by()
    for entity_id, alias in aliases.values_list("entity_id", "name"):
        entity_names[entity_id].append(alias)
    return {
        pid: (_plain(" ".join(n for e in ents for n in entity_names[e])), ents) for pid, ents in by_passage.items()
    }


def vector_expression():
    """The PostgreSQL tsvector of an entry: its text weighted A and the entity names B (English
    config), and its filter tokens (zzspk12, zzy1962, ...) weighted D and left as they are
    (`simple` config), so that facet filters are part of the full-text match (see backends)."""
    return (
        SearchVector("text", weight="A", config=Value("english"))
        + SearchVector("names", weight="B", config=Value("english"))
        + SearchVector("filters", weight="D", config=Value("simple"))
    )


def _update_vectors(queryset):
    if connection.vendor == "postgresql":
        queryset.update(search_vector=vector_expression())


COLUMNS = ("kind", "document_id", "passage_id", "note_id", "turn_id", "speaker_id", "anchor", "order", "date",
           "text", "names", "filters")


def _rows_per_statement() -> int:
    """SQLite: as many rows per INSERT as its bound-parameter limit allows (999 on old builds)."""
    import sqlite3

    if connection.vendor != "sqlite":
        return BATCH
    connection.ensure_connection()
    try:
        limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    except (AttributeError, sqlite3.Error):  # Python < 3.11 or another driver
        limit = connection.features.max_query_params or 999
    return max(1, min(BATCH, limit // len(COLUMNS)))


#: PostgreSQL array types of COLUMNS, for the INSERT ... SELECT FROM unnest(...) of _insert_with_vectors.
_ARRAY_TYPES = ("text", "bigint", "bigint", "bigint", "bigint", "bigint", "text", "integer", "date", "text", "text",
                "text")  # fmt: skip


def _vector_sql() -> tuple[str, list]:
    """The SQL of vector_expression() over the columns of the search entry table, as the ORM compiles it."""
    from django.db.models.sql import Query

    query = Query(SearchEntry)
    sql, params = query.get_compiler(connection=connection).compile(vector_expression().resolve_expression(query))
    return sql, list(params)


def _insert_with_vectors(cursor, rows: list[tuple]) -> None:
    """PostgreSQL: the rows and their stored tsvector in one statement per BATCH rows (an INSERT from
    unnest() of one array per column, aliased as the entry table so the ORM's vector expression applies).
    Inserting the rows and then computing the vectors in an UPDATE wrote every row, and its GIN
    entries, twice: half of an import's indexing time."""
    quote = connection.ops.quote_name
    table = quote(SearchEntry._meta.db_table)
    columns = ", ".join(quote(c) for c in COLUMNS)
    vector, vector_params = _vector_sql()
    arrays = ", ".join(f"%s::{kind}[]" for kind in _ARRAY_TYPES)
    sql = (
        f"INSERT INTO {table} ({columns}, {quote('search_vector')}) "
        f"SELECT {', '.join(f'{table}.{quote(c)}' for c in COLUMNS)}, {vector} "
        f"FROM unnest({arrays}) AS {table} ({columns})"
    )
    for i in range(0, len(rows), BATCH):
        chunk = rows[i : i + BATCH]
        cursor.execute(sql, [*vector_params, *(list(column) for column in zip(*chunk, strict=True))])


def _insert(rows: list[tuple]) -> None:
    """Insert entry rows in as few statements as possible (the ORM's bulk_create costs more than
    the index itself); on PostgreSQL with their stored tsvector (_insert_with_vectors).

    On SQLite every INSERT statement makes the FTS5 trigger flush its pending terms to a new index
    segment, so an `executemany` (one statement per row) cost ~75 µs a row, ten times the
    tokenizing itself: rows go in multi-row INSERTs instead (bench/bench_import.py).
    """
    if not rows:
        return
    quote = connection.ops.quote_name
    head = f"INSERT INTO {quote(SearchEntry._meta.db_table)} ({', '.join(quote(c) for c in COLUMNS)}) VALUES "
    one = f"({', '.join(['%s'] * len(COLUMNS))})"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _insert_with_vectors(cursor, rows)
            return
        if connection.vendor != "sqlite":
            for i in range(0, len(rows), BATCH):
                cursor.executemany(head + one, rows[i : i + BATCH])
            return
        step = _rows_per_statement()
        for i in range(0, len(rows), step):
            chunk = rows[i : i + step]
            cursor.execute(head + ", ".join([one] * len(chunk)), [value for row in chunk for value in row])


def _note_row(note: Note, document: Document, mentioned: dict, date) -> tuple:
    passage = note.passage
    speaker_id = passage.turn.speaker_id if passage and passage.turn_id else None
    entity_ids = mentioned.get(passage.pk, ("", []))[1] if passage else []
    return (
        SearchEntry.Kind.NOTE.value, document.pk, note.passage_id, note.pk, passage.turn_id if passage else None,
        speaker_id, passage.anchor if passage else note.anchor, passage.order if passage else 0, date,
        note_text(note), "", tokens.for_entry(document.pk, speaker_id, "note", document.date, entity_ids),
    )


def index_document(document: Document) -> int:
    """Rewrite all entries of `document` (its passages and published notes); returns how many were written."""
    return index_documents([document])


def index_documents(documents) -> int:
    """Rewrite all entries of many documents with a constant number of queries per DOCS_BATCH
    documents (not per document); returns how many entries were written."""
    documents = list(documents)
    written = 0
    for i in range(0, len(documents), DOCS_BATCH):
        written += _index_batch({d.pk: d for d in documents[i : i + DOCS_BATCH]})
    return written


def _index_batch(documents: dict[int, Document]) -> int:
    pks = list(documents)
    SearchEntry.objects.filter(document_id__in=pks).delete()
    mentioned = _mentioned(Mention.objects.filter(passage__document_id__in=pks))
    dates = {pk: connection.ops.adapt_datefield_value(d.date) for pk, d in documents.items()}
    rows: dict[int, list[tuple]] = {pk: [] for pk in pks}  # per document, so entries keep their order
    passages = Passage.objects.filter(document_id__in=pks).order_by("document_id", "order")
    for pk, doc_pk, turn_id, speaker_id, anchor, order, text in passages.values_list(
        "pk", "document_id", "turn_id", "turn__speaker_id", "anchor", "order", "reading_text"
    ):
        document = documents[doc_pk]
        names, entity_ids = mentioned.get(pk, ("", []))
        rows[doc_pk].append((
            SearchEntry.Kind.PASSAGE.value, doc_pk, pk, None, turn_id, speaker_id, anchor, order, dates[doc_pk],
            _plain(text), names, tokens.for_entry(doc_pk, speaker_id, "passage", document.date, entity_ids),
        ))
    notes = Note.objects.published().filter(document_id__in=pks).select_related("passage__turn").order_by()
    for note in notes:
        rows[note.document_id].append(_note_row(note, documents[note.document_id], mentioned, dates[note.document_id]))
    flat = [row for pk in pks for row in rows[pk]]
    _insert(flat)  # with the stored vectors on PostgreSQL
    return len(flat)


def index_note(note: Note) -> None:
    """Rewrite the entry of one note: present only while the note is published and exists."""
    SearchEntry.objects.filter(note_id=note.pk).delete()
    if note.pk is None or note.status != Note.Status.PUBLISHED:
        return
    if not Note.objects.filter(pk=note.pk).exists():  # deleted in the meantime
        return
    note = Note.objects.select_related("document", "passage__turn").get(pk=note.pk)
    mentioned = _mentioned(Mention.objects.filter(passage_id=note.passage_id)) if note.passage_id else {}
    _insert([_note_row(note, note.document, mentioned, connection.ops.adapt_datefield_value(note.document.date))])


def clear(connection) -> None:
    """Empty the index. On SQLite the FTS table is emptied directly (not row by row through the
    triggers, which would corrupt it if it had drifted from its content table), and its
    table and triggers are (re)created if missing."""
    from .schema import FTS, SQLITE_DROP, ensure_schema

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            for sql in SQLITE_DROP[:3]:  # the triggers only
                cursor.execute(sql)
            SearchEntry.objects.all().delete()
            ensure_schema(connection)
            cursor.execute(f"INSERT INTO {FTS}({FTS}) VALUES ('delete-all')")
    else:
        ensure_schema(connection)  # before the DELETE: PostgreSQL refuses CREATE INDEX with pending FK triggers
        SearchEntry.objects.all().delete()


def rebuild(progress=None, dry_run: bool = False) -> dict[str, int]:
    """Rewrite the whole index in batches of documents; progress(i, total, document) is called per document."""
    counts = {"documents": 0, "passages": 0, "notes": 0, "entries": 0}
    documents = list(Document.objects.order_by("pk").only("pk", "slug", "date", "title"))
    if not dry_run:
        clear(connection)
    for start in range(0, len(documents), REBUILD_BATCH):
        batch = documents[start : start + REBUILD_BATCH]
        pks = [d.pk for d in batch]
        counts["documents"] += len(batch)
        counts["passages"] += Passage.objects.filter(document_id__in=pks).count()
        counts["notes"] += Note.objects.published().filter(document_id__in=pks).count()
        if not dry_run:
            counts["entries"] += index_documents(batch)
        if progress:
            for i, document in enumerate(batch, start + 1):
                progress(i, len(documents), document)
    return counts


def refresh_names(entity_ids) -> int:
    """Recompute `names` of the passage entries mentioning these entities; only changed rows are written."""
    passage_ids = sorted(set(Mention.objects.filter(entity_id__in=entity_ids).values_list("passage_id", flat=True)))
    changed = 0
    for i in range(0, len(passage_ids), BATCH):
        chunk = passage_ids[i : i + BATCH]
        names = _names_for(chunk)
        entries = SearchEntry.objects.filter(kind=SearchEntry.Kind.PASSAGE, passage_id__in=chunk)
        entries = entries.only("id", "passage_id", "names")
        stale = []
        for entry in entries:
            new = names.get(entry.passage_id, "")
            if entry.names != new:
                entry.names = new
                stale.append(entry)
        SearchEntry.objects.bulk_update(stale, ["names"], batch_size=BATCH)
        _update_vectors(SearchEntry.objects.filter(pk__in=[e.pk for e in stale]))
        changed += len(stale)
    return changed
