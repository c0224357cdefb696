"""Writing the documents of one file: batched across documents (a FRUS volume holds 478).

Documents whose fingerprint is unchanged are not touched. For the others, sections, turns,
passages and TEI notes are updated in place by their ids (so anchors, note UUIDs and the
editors' notes pointing at them survive), new ones are created and vanished ones deleted;
mentions, dates and participations are rewritten. Editors' notes are then re-anchored.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from pathlib import Path

from django.db import connection
from django.utils import timezone

from documents.models import (
    DateMention,
    Document,
    Mention,
    Note,
    Participation,
    Passage,
    PassageLink,
    Section,
    SourceFile,
    Turn,
)
from documents.services.anchoring import reanchor_document_notes
from documents.signals import document_imported
from documents.tei.mapping_types import DocumentData

DOC_FIELDS = (
    "xml_id", "source_file", "kind", "title", "subtitle", "summary", "date", "date_text", "time_text", "venue",
    "review_note", "source_note", "language", "sort_key", "header_tei", "metadata", "fingerprint", "modified",
)
PASSAGE_FIELDS = ("section", "turn", "kind", "order", "tei", "reading_text", "diplomatic_text", "html")
NOTE_FIELDS = (
    "passage", "anchor", "exact", "prefix", "suffix", "start", "end", "body", "kind", "anchor_status", "modified",
)


def _doc_values(data: DocumentData, source_pk: int) -> dict:
    return {
        "xml_id": data.xml_id[:200],
        "source_file_id": source_pk,
        "kind": data.kind,
        "title": data.title[:500],
        "subtitle": data.subtitle[:500],
        "summary": data.summary,
        "date": date.fromisoformat(data.date) if data.date else None,
        "date_text": data.date_text[:200],
        "time_text": data.time_text[:100],
        "venue": data.venue[:300],
        "review_note": data.review_note[:300],
        "source_note": data.source_note,
        "language": data.language[:20],
        "sort_key": data.sort_key[:100],
        "header_tei": data.header_tei,
        "metadata": data.metadata,
        "fingerprint": data.fingerprint,
    }


def insert_rows(model, fields: tuple[str, ...], rows: list[tuple]) -> None:
    """INSERT plain tuples with executemany (no model instances: the ORM's per-object cost is
    most of an import's time). For tables whose rows need no defaults and no returned keys."""
    if not rows:
        return
    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(f).column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({marks})"
    with connection.cursor() as cursor:
        for i in range(0, len(rows), 2000):
            cursor.executemany(sql, rows[i : i + 2000])


def _upsert(model, existing: dict, wanted: list, fields, counts) -> dict:
    """Create or update objects keyed by `key`; returns {key: obj}. Unchanged objects are not written."""
    create, update, result = [], [], {}
    now = timezone.now()
    for k, values in wanted:
        obj = existing.get(k)
        if obj is None:
            obj = model(**values)
            create.append(obj)
        elif any(getattr(obj, f) != v for f, v in values.items()):
            for f, v in values.items():
                setattr(obj, f, v)
            if "modified" in fields:  # bulk_update does not run auto_now
                obj.modified = now
            update.append(obj)
        else:
            counts.unchanged += 1
        result[k] = obj
    model.objects.bulk_create(create, batch_size=500)
    if update:
        model.objects.bulk_update(update, fields, batch_size=500)
    counts.created += len(create)
    counts.updated += len(update)
    return result


class DocumentsWriter:
    def __init__(self, file_writer):
        self.fw = file_writer
        self.counts = file_writer.counts
        self.source = file_writer.source

    def write(self, docs: list[DocumentData]) -> None:
        fw = self.fw
        existing = Document.objects.in_bulk([d.slug for d in docs], field_name="slug")
        dirty: list[tuple[DocumentData, Document, bool]] = []
        for data in docs:
            obj = existing.get(data.slug)
            if obj is not None and obj.source_file_id not in (None, self.source.pk):
                other = SourceFile.objects.filter(pk=obj.source_file_id).values_list("path", flat=True).first()
                if other and Path(other).exists():
                    fw.problem(data.line, f"slug {data.slug!r} is already used by a document imported from {other}")
                    continue
            if obj is not None and obj.fingerprint == data.fingerprint and obj.source_file_id == self.source.pk:
                self.counts["documents"].unchanged += 1
                self.counts["passages"].unchanged += len(data.passages)
                self.counts["turns"].unchanged += len(data.turns)
                self.counts["notes"].unchanged += len(data.notes)
                continue
            self.check_refs(data)
            values = _doc_values(data, self.source.pk)
            if obj is None:
                dirty.append((data, Document(slug=data.slug, **values), True))
            else:
                for f, v in values.items():
                    setattr(obj, f, v)
                obj.modified = timezone.now()  # bulk_update does not run auto_now
                dirty.append((data, obj, False))
        self.remove_vanished({d.slug for d in docs})
        if fw.problems or not dirty:
            return
        Document.objects.bulk_create([obj for _, obj, new in dirty if new], batch_size=500)
        Document.objects.bulk_update([obj for _, obj, new in dirty if not new], DOC_FIELDS, batch_size=500)
        self.counts["documents"].created += sum(1 for *_, new in dirty if new)
        self.counts["documents"].updated += sum(1 for *_, new in dirty if not new)
        self.write_text(dirty)

    def check_refs(self, data: DocumentData) -> None:
        fw = self.fw
        for p in data.participants:
            fw.entity(p.ref, "particDesc person @sameAs")
        for t in data.turns:
            fw.entity(t.speaker, "@who")
        for passage in data.passages:
            for m in passage.mentions:
                fw.entity(m.ref, "@ref")

    def remove_vanished(self, slugs: set[str]) -> None:
        """Documents no longer in the file: deleted, unless editors' notes or links refer to them."""
        for doc in Document.objects.filter(source_file=self.source).exclude(slug__in=slugs):
            editor_notes = doc.notes.filter(provenance=Note.Provenance.EDITOR).exists()
            links = PassageLink.objects.filter(source_document=doc).exclude(source_file=self.source).exists()
            links = links or PassageLink.objects.filter(target_document=doc).exists()
            if editor_notes or links:
                self.fw.warn(0, f"document {doc.slug!r} is no longer in the file; kept: notes or links refer to it")
                continue
            PassageLink.objects.filter(source_document=doc).delete()
            doc.notes.all().delete()
            doc.delete()
            self.counts["documents"].deleted += 1

    # -- text -------------------------------------------------------------------------------
    def write_text(self, dirty) -> None:
        fw = self.fw
        old_docs = [obj.pk for _, obj, new in dirty if not new]
        by_doc = defaultdict(dict)
        for s in Section.objects.filter(document_id__in=old_docs):
            by_doc["sections"][(s.document_id, s.xml_id)] = s
        for t in Turn.objects.filter(document_id__in=old_docs):
            by_doc["turns"][(t.document_id, t.xml_id)] = t
        old_texts: dict[int, dict[str, str]] = defaultdict(dict)
        for p in Passage.objects.filter(document_id__in=old_docs):
            by_doc["passages"][(p.document_id, p.anchor)] = p
            old_texts[p.document_id][p.anchor] = p.reading_text
        for n in Note.objects.filter(document_id__in=old_docs, provenance=Note.Provenance.TEI):
            by_doc["notes"][(n.document_id, n.xml_id)] = n

        sections = _upsert(
            Section,
            by_doc["sections"],
            [((obj.pk, s.xml_id), {"document_id": obj.pk, "xml_id": s.xml_id[:200], "kind": s.kind[:50],
                                    "heading": s.heading, "order": s.order})
             for data, obj, _ in dirty for s in data.sections],
            ["kind", "heading", "order"], _Discard(),
        )
        parents = []
        for data, obj, _ in dirty:
            for s in data.sections:
                section = sections[(obj.pk, s.xml_id)]
                parent = sections[(obj.pk, s.parent)].pk if s.parent else None
                if section.parent_id != parent:
                    section.parent_id = parent
                    parents.append(section)
        Section.objects.bulk_update(parents, ["parent"], batch_size=500)

        def section_pk(doc_pk, xml_id):
            return sections[(doc_pk, xml_id)].pk if xml_id and (doc_pk, xml_id) in sections else None

        turns = _upsert(
            Turn,
            by_doc["turns"],
            [((obj.pk, t.xml_id), {"document_id": obj.pk, "xml_id": t.xml_id[:200], "who": t.who,
                                    "speaker_id": fw.entity_pks.get(t.speaker.key) if t.speaker else None,
                                    "speaker_label": t.speaker_label, "order": t.order,
                                    "section_id": section_pk(obj.pk, t.section)})
             for data, obj, _ in dirty for t in data.turns],
            ["who", "speaker", "speaker_label", "order", "section"], self.counts["turns"],
        )
        wanted = []
        for data, obj, _ in dirty:
            for p in data.passages:
                old = by_doc["passages"].get((obj.pk, p.anchor))
                html = old.html if old is not None and old.tei == p.tei else ""
                wanted.append(((obj.pk, p.anchor), {
                    "document_id": obj.pk, "anchor": p.anchor, "kind": p.kind, "order": p.order, "tei": p.tei,
                    "reading_text": p.reading, "diplomatic_text": p.diplomatic, "html": html,
                    "section_id": section_pk(obj.pk, p.section),
                    "turn_id": turns[(obj.pk, p.turn)].pk if p.turn else None,
                }))
        passages = _upsert(Passage, by_doc["passages"], wanted, PASSAGE_FIELDS, self.counts["passages"])
        self.write_spans(dirty, passages, old_docs)
        self.write_notes(dirty, passages, by_doc["notes"])
        # Delete what vanished (after everything points to the new rows).
        for kind, model, current in (("passages", Passage, passages), ("turns", Turn, turns),
                                     ("sections", Section, sections)):
            stale = [o.pk for k, o in by_doc[kind].items() if k not in current]
            if stale:
                model.objects.filter(pk__in=stale).delete()
                if kind in self.counts:
                    self.counts[kind].deleted += len(stale)
        self.reanchor(dirty, old_texts, passages)
        for _, obj, new in dirty:
            for receiver, result in document_imported.send_robust(sender=Document, document=obj, created=new):
                if isinstance(result, Exception):  # derived data is stale; the import itself stands
                    name = getattr(receiver, "__qualname__", repr(receiver))
                    self.fw.warn(0, f"{obj.slug}: document_imported receiver {name} failed: {result!r}")

    def write_spans(self, dirty, passages, old_docs) -> None:
        fw = self.fw
        if old_docs:
            Mention.objects.filter(passage__document_id__in=old_docs).delete()
            DateMention.objects.filter(passage__document_id__in=old_docs).delete()
            Participation.objects.filter(document_id__in=old_docs).delete()
        mentions, dates, parts = [], [], {}
        for data, obj, _ in dirty:
            for p in data.passages:
                pk = passages[(obj.pk, p.anchor)].pk
                for m in p.mentions:
                    entity = fw.entity_pks.get(m.ref.key)
                    if entity:
                        mentions.append((pk, entity, m.text, m.start, m.end))
                for d in p.dates:
                    when = connection.ops.adapt_datefield_value(date.fromisoformat(d.when))
                    dates.append((pk, when, d.text, d.start, d.end))
            for order, part in enumerate(data.participants):
                entity = fw.entity_pks.get(part.ref.key)
                if entity and (obj.pk, entity, part.role) not in parts:
                    parts[(obj.pk, entity, part.role)] = (obj.pk, entity, part.role, part.description, order)
        # Plain rows, no model instances: these tables are only ever rewritten whole per document.
        insert_rows(Mention, ("passage", "entity", "text", "start", "end"), mentions)
        insert_rows(DateMention, ("passage", "when", "text", "start", "end"), dates)
        insert_rows(Participation, ("document", "entity", "role", "description", "order"), list(parts.values()))

    def write_notes(self, dirty, passages, existing) -> None:
        wanted = []
        for data, obj, _ in dirty:
            for n in data.notes:
                wanted.append(((obj.pk, n.xml_id), {
                    "document_id": obj.pk, "xml_id": n.xml_id[:200], "passage_id": passages[(obj.pk, n.anchor)].pk,
                    "anchor": n.anchor, "exact": n.exact, "prefix": n.prefix[:200], "suffix": n.suffix[:200],
                    "start": n.start, "end": n.end, "body": n.body, "kind": n.kind,
                    "anchor_status": Note.AnchorStatus.OK, "provenance": Note.Provenance.TEI,
                    "status": Note.Status.PUBLISHED,
                }))
        current = _upsert(Note, existing, wanted, NOTE_FIELDS, self.counts["notes"])
        stale = [o.pk for k, o in existing.items() if k not in current]
        if stale:
            Note.objects.filter(pk__in=stale).delete()
            self.counts["notes"].deleted += len(stale)

    def reanchor(self, dirty, old_texts, passages) -> None:
        """Re-attach editors' notes of updated documents whose passages changed or vanished."""
        updated = {obj.pk: (data, obj) for data, obj, new in dirty if not new}
        with_notes = set(
            Note.objects.filter(document_id__in=updated, provenance=Note.Provenance.EDITOR)
            .values_list("document_id", flat=True)
            .distinct()
        )
        for pk in with_notes:
            data, obj = updated[pk]
            new_texts = {p.anchor: p.reading for p in data.passages}
            if all(new_texts.get(a) == t for a, t in old_texts[pk].items()):
                continue
            for key, value in reanchor_document_notes(obj, old_texts[pk]).items():
                self.fw.notes_kept[key] = self.fw.notes_kept.get(key, 0) + value


class _Discard:
    """Counts nobody reads (sections are not reported)."""

    created = updated = unchanged = deleted = 0
