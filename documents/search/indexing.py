"""Writing the search index: SearchEntry rows for passages and published notes.

Entry points (all idempotent; call them inside the caller's transaction):
- `index_document(document)`: rewrite every entry of a document (on import);
- `index_note(note)`: rewrite the entry of one note (on every note save/delete);
- `refresh_names(entity_ids)`: rewrite the names of the passages mentioning these entities;
- `rebuild(progress)`: rewrite everything, document by document.

An entry's `names` field holds the preferred names and all aliases of the entities mentioned
in the passage, so a search for 张汉夫 or Sinkiang finds passages that mention the entity
under another spelling. On PostgreSQL the stored tsvector is computed here, in the same
transaction; on SQLite the FTS5 triggers keep the full-text table in step.
"""

from __future__ import annotations

import html

import nh3
from django.contrib.postgres.search import SearchVector
from django.db import connection
from django.db.models import Value

from documents.markup import render_markdown
from documents.models import Document, EntityAlias, Mention, Note, Passage, SearchEntry

from . import tokens
from .query import MARK_END, MARK_START

BATCH = 2000


def _plain(text: str) -> str:
    """Text safe to index: no highlight marker characters, white space normalised."""
    return " ".join((text or "").replace(MARK_START, " ").replace(MARK_END, " ").split())


def note_text(note: Note) -> str:
    """A note body (Markdown) as plain text."""
    return _plain(html.unescape(nh3.clean(render_markdown(note.body), tags=set())))


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
    aliases = EntityAlias.objects.filter(entity_id__in=list(entity_names)).order_by()
    for entity_id, alias in aliases.values_list("entity_id", "name"):
        entity_names[entity_id].append(alias)
    return {
        pid: (_plain(" ".join(n for e in ents for n in entity_names[e])), ents) for pid, ents in by_passage.items()
    }


def vector_expression():
    """The PostgreSQL tsvector of an entry: its text weighted A, the entity names B (English config)."""
    return SearchVector("text", weight="A", config=Value("english")) + SearchVector(
        "names", weight="B", config=Value("english")
    )


def _update_vectors(queryset):
    if connection.vendor == "postgresql":
        queryset.update(search_vector=vector_expression())


COLUMNS = ("kind", "document_id", "passage_id", "note_id", "turn_id", "speaker_id", "anchor", "order", "date",
           "text", "names", "filters")


def _insert(rows: list[tuple]) -> None:
    """Insert entry rows with one executemany (the ORM's bulk_create costs more than the index itself)."""
    if not rows:
        return
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(SearchEntry._meta.db_table)} ({', '.join(quote(c) for c in COLUMNS)}) "
        f"VALUES ({', '.join(['%s'] * len(COLUMNS))})"
    )
    with connection.cursor() as cursor:
        for i in range(0, len(rows), BATCH):
            cursor.executemany(sql, rows[i : i + BATCH])


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
    SearchEntry.objects.filter(document=document).delete()
    date = connection.ops.adapt_datefield_value(document.date)
    mentioned = _mentioned(Mention.objects.filter(passage__document_id=document.pk))
    rows = []
    passages = Passage.objects.filter(document=document).order_by("order")
    for pk, turn_id, speaker_id, anchor, order, text in passages.values_list(
        "pk", "turn_id", "turn__speaker_id", "anchor", "order", "reading_text"
    ):
        names, entity_ids = mentioned.get(pk, ("", []))
        rows.append((
            SearchEntry.Kind.PASSAGE.value, document.pk, pk, None, turn_id, speaker_id, anchor, order, date,
            _plain(text), names, tokens.for_entry(document.pk, speaker_id, "passage", document.date, entity_ids),
        ))
    notes = Note.objects.published().filter(document=document).select_related("passage__turn").order_by()
    rows += [_note_row(n, document, mentioned, date) for n in notes]
    _insert(rows)
    _update_vectors(SearchEntry.objects.filter(document=document))
    return len(rows)


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
    _update_vectors(SearchEntry.objects.filter(note_id=note.pk))


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
    """Rewrite the whole index document by document; progress(i, total, document) is called per document."""
    counts = {"documents": 0, "passages": 0, "notes": 0, "entries": 0}
    documents = list(Document.objects.order_by("pk").only("pk", "slug", "date", "title"))
    if not dry_run:
        clear(connection)
    for i, document in enumerate(documents, 1):
        counts["documents"] += 1
        counts["passages"] += Passage.objects.filter(document=document).count()
        counts["notes"] += Note.objects.published().filter(document=document).count()
        if not dry_run:
            counts["entries"] += index_document(document)
        if progress:
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
