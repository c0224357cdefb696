"""Writing the search index: SearchEntry rows for passages and published notes.

Entry points (all idempotent; call them inside the caller's transaction):
- `index_document(document)`: rewrite every entry of a document (on import);
- `index_note(note)`: rewrite the entry of one note (on every note save/delete);
- `index_passages(ids)`: rewrite passage entries (e.g. after an entity's aliases change);
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
    return {pid: names for pid, (names, _) in _mentioned(passage_ids).items()}


def _mentioned(passage_ids) -> dict[int, tuple[str, list[int]]]:
    """passage id -> (names and aliases of the entities mentioned, their ids)."""
    mentions = Mention.objects.filter(passage_id__in=passage_ids).values_list("passage_id", "entity_id", "entity__name")
    entity_names: dict[int, list[str]] = {}
    by_passage: dict[int, list[int]] = {}
    for passage_id, entity_id, name in mentions:
        entity_names.setdefault(entity_id, [name])
        by_passage.setdefault(passage_id, [])
        if entity_id not in by_passage[passage_id]:
            by_passage[passage_id].append(entity_id)
    for entity_id, alias in EntityAlias.objects.filter(entity_id__in=entity_names).values_list("entity_id", "name"):
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


def _passage_entries(passages, document) -> list[SearchEntry]:
    passages = list(passages)
    mentioned = _mentioned([p.pk for p in passages])
    entries = []
    for p in passages:
        names, entity_ids = mentioned.get(p.pk, ("", []))
        speaker_id = p.turn.speaker_id if p.turn_id else None
        entries.append(
            SearchEntry(
                kind=SearchEntry.Kind.PASSAGE,
                document_id=document.pk,
                passage_id=p.pk,
                turn_id=p.turn_id,
                speaker_id=speaker_id,
                anchor=p.anchor,
                order=p.order,
                date=document.date,
                text=_plain(p.reading_text),
                names=names,
                filters=tokens.for_entry(document.pk, speaker_id, "passage", document.date, entity_ids),
            )
        )
    return entries


def _note_entry(note: Note, document: Document, mentioned=None) -> SearchEntry:
    passage = note.passage
    speaker_id = passage.turn.speaker_id if passage and passage.turn_id else None
    if passage and mentioned is None:
        mentioned = _mentioned([passage.pk])
    entity_ids = mentioned.get(passage.pk, ("", []))[1] if passage else []
    return SearchEntry(
        kind=SearchEntry.Kind.NOTE,
        document_id=document.pk,
        passage_id=note.passage_id,
        note_id=note.pk,
        turn_id=passage.turn_id if passage else None,
        speaker_id=speaker_id,
        anchor=passage.anchor if passage else note.anchor,
        order=passage.order if passage else 0,
        date=document.date,
        text=note_text(note),
        filters=tokens.for_entry(document.pk, speaker_id, "note", document.date, entity_ids),
    )


def index_document(document: Document) -> int:
    """Rewrite all entries of `document`; returns the number of entries written."""
    SearchEntry.objects.filter(document=document).delete()
    entries = _passage_entries(Passage.objects.filter(document=document).select_related("turn"), document)
    notes = Note.objects.published().filter(document=document).select_related("passage__turn")
    notes = list(notes)
    mentioned = _mentioned([n.passage_id for n in notes if n.passage_id])
    entries += [_note_entry(n, document, mentioned) for n in notes]
    SearchEntry.objects.bulk_create(entries, batch_size=BATCH)
    _update_vectors(SearchEntry.objects.filter(document=document))
    return len(entries)


def index_note(note: Note) -> None:
    """Rewrite the entry of one note: present only while the note is published and exists."""
    SearchEntry.objects.filter(note_id=note.pk).delete()
    if note.pk is None or note.status != Note.Status.PUBLISHED:
        return
    if not Note.objects.filter(pk=note.pk).exists():  # deleted in the meantime
        return
    note = Note.objects.select_related("document", "passage__turn").get(pk=note.pk)
    entry = _note_entry(note, note.document)
    entry.save()
    _update_vectors(SearchEntry.objects.filter(pk=entry.pk))


def index_passages(passage_ids) -> int:
    """Rewrite the entries of the given passages (their notes' entries are unaffected)."""
    count = 0
    passages = Passage.objects.filter(pk__in=list(passage_ids)).select_related("turn", "document")
    by_document: dict[int, list[Passage]] = {}
    for p in passages:
        by_document.setdefault(p.document_id, []).append(p)
    for items in by_document.values():
        ids = [p.pk for p in items]
        SearchEntry.objects.filter(kind=SearchEntry.Kind.PASSAGE, passage_id__in=ids).delete()
        SearchEntry.objects.bulk_create(_passage_entries(items, items[0].document), batch_size=BATCH)
        _update_vectors(SearchEntry.objects.filter(kind=SearchEntry.Kind.PASSAGE, passage_id__in=ids))
        count += len(items)
    return count


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
