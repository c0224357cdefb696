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
from django.db.models import Q
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
    note_uuid,
)
from documents.services.anchoring import reanchor_document_notes
from documents.signals import document_imported, documents_imported
from documents.tei.mapping_types import DocumentData

from .import_sql import insert_objects, insert_rows, update_rows
from .versions import record_versions

DOC_FIELDS = (
    "xml_id", "source_file", "kind", "title", "subtitle", "summary", "date", "date_text", "time_text", "venue",
    "review_note", "source_note", "language", "sort_key", "header_tei", "metadata", "fingerprint", "modified",
)
#: What a re-import rewrites (attnames); `modified` is bumped for notes.
SECTION_FIELDS = ("kind", "heading", "order")
TURN_FIELDS = ("who", "speaker_id", "speaker_label", "label_in_text", "order", "section_id")
PASSAGE_FIELDS = ("section_id", "turn_id", "kind", "order", "tei", "reading_text", "diplomatic_text")
NOTE_FIELDS = ("passage_id", "anchor", "exact", "prefix", "suffix", "start", "end", "body", "kind", "anchor_status",
               "n")  # fmt: skip


def doc_values(data: DocumentData, source_pk: int) -> dict:
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


def _existing(model, key_field: str, doc_pks, attnames: tuple[str, ...], **filters) -> dict:
    """{(document pk, key): (pk, {attname: value})} of the rows of the given documents, in one query."""
    if not doc_pks:
        return {}
    names = ("pk", "document_id", key_field, *attnames)
    rows = model.objects.filter(document_id__in=doc_pks, **filters).order_by().values_list(*names)
    return {(r[1], r[2]): (r[0], dict(zip(attnames, r[3:], strict=True))) for r in rows}


def _upsert(model, key_field, existing: dict, wanted: list, fields, counts, *, stamp=False, pks=True,
            on_create=None) -> dict:
    """Create or update rows keyed by (document pk, key); returns {key: pk} (pk None when pks=False).

    wanted: [(key, {attname: value})]. A row is rewritten when any of its values differs; only
    `fields` (attnames) are written then (plus `modified` when stamp: plain UPDATEs skip auto_now).
    Unchanged rows are not written. on_create(key) -> {attname: value}: what only a new row gets.
    """
    create, update, result = [], [], {}
    now = timezone.now()
    for key, values in wanted:
        old = existing.get(key)
        if old is None:
            create.append({**values, **on_create(key)} if on_create else values)
            result[key] = None
            continue
        pk, current = old
        result[key] = pk
        if any(current[f] != v for f, v in values.items()):
            update.append((*(values[f] for f in fields), *((now,) if stamp else ()), pk))
        else:
            counts.unchanged += 1
    insert_objects(model, create)
    update_rows(model, [*fields, *(("modified",) if stamp else ())], update)
    counts.created += len(create)
    counts.updated += len(update)
    if create and pks:
        docs = {values["document_id"] for values in create}
        rows = model.objects.filter(document_id__in=docs).order_by().values_list("document_id", key_field, "pk")
        for doc, ident, pk in rows:
            if result.get((doc, ident), 0) is None:
                result[(doc, ident)] = pk
    return result


class DocumentsWriter:
    def __init__(self, file_writer):
        self.fw = file_writer
        self.counts = file_writer.counts
        self.source = file_writer.source

    def write(self, docs: list[DocumentData]) -> None:
        fw = self.fw
        # Only what the fingerprint check needs: a FRUS volume's 478 documents each carry its header.
        # One query: the documents named here and those the file held before (to find vanished ones).
        slugs = {d.slug for d in docs}
        existing, vanished_before = {}, False
        for obj in (
            Document.objects.only("pk", "slug", "fingerprint", "source_file_id", "created")
            .filter(Q(slug__in=slugs) | Q(source_file=self.source))
            .order_by()
        ):
            if obj.slug in slugs:
                existing[obj.slug] = obj
            else:
                vanished_before = True
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
            values = doc_values(data, self.source.pk)
            if obj is None:
                dirty.append((data, Document(slug=data.slug, **values), True))
            else:
                for f, v in values.items():
                    setattr(obj, f, v)
                obj.modified = timezone.now()  # bulk_update does not run auto_now
                dirty.append((data, obj, False))
        if vanished_before:
            self.remove_vanished(slugs)
        if fw.problems or not dirty:
            return
        self.save_documents(dirty)
        self.counts["documents"].created += sum(1 for *_, new in dirty if new)
        self.counts["documents"].updated += sum(1 for *_, new in dirty if not new)
        self.write_text(dirty)

    def save_documents(self, dirty) -> None:
        """INSERT the new documents, UPDATE the changed ones (plain rows); new objects get their pks."""
        new = [obj for _, obj, is_new in dirty if is_new]
        for obj in new:  # as bulk_create's pre_save does, object by object
            obj.created = obj.modified = timezone.now()
        attnames = [Document._meta.get_field(f).attname for f in DOC_FIELDS]
        insert_objects(Document, [{"slug": obj.slug, "created": obj.created, **{a: getattr(obj, a) for a in attnames}}
                                  for obj in new])
        if new:
            pks = dict(Document.objects.filter(slug__in=[o.slug for o in new]).values_list("slug", "pk"))
            for obj in new:
                obj.pk = pks[obj.slug]
                obj._state.adding, obj._state.db = False, connection.alias
        update_rows(Document, list(DOC_FIELDS),
                    [(*(getattr(obj, a) for a in attnames), obj.pk) for _, obj, is_new in dirty if not is_new])

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
        """Sections, turns, passages, their spans and the TEI notes of the dirty documents: upserted, the
        vanished rows deleted last; then editors' notes re-anchored, versions recorded, signals sent."""
        old_docs = [obj.pk for _, obj, new in dirty if not new]
        old_sections = _existing(Section, "xml_id", old_docs, ("document_id", "xml_id", *SECTION_FIELDS, "parent_id"))
        old_turns = _existing(Turn, "xml_id", old_docs, ("document_id", "xml_id", *TURN_FIELDS))
        old_passages = _existing(Passage, "anchor", old_docs, ("document_id", "anchor", *PASSAGE_FIELDS))
        old_texts: dict[int, dict[str, str]] = defaultdict(dict)
        for (doc, anchor), (_, row) in old_passages.items():
            old_texts[doc][anchor] = row["reading_text"]
        old_notes = _existing(Note, "xml_id", old_docs, ("document_id", "xml_id", *NOTE_FIELDS, "provenance", "status"),
                              provenance=Note.Provenance.TEI)

        sections = self.write_sections(dirty, old_sections)

        def section_pk(doc_pk, xml_id):
            return sections.get((doc_pk, xml_id)) if xml_id else None

        turns = self.write_turns(dirty, old_turns, section_pk)
        passages = self.write_passages(dirty, old_passages, section_pk, turns)
        self.write_spans(dirty, passages, old_docs)
        self.write_notes(dirty, passages, old_notes)
        # Delete what vanished (after everything points to the new rows).
        for kind, model, old, current in (("passages", Passage, old_passages, passages),
                                          ("turns", Turn, old_turns, turns),
                                          ("sections", Section, old_sections, sections)):
            self.delete_stale(kind, model, old, current)
        self.reanchor(dirty, old_texts, passages)
        record_versions(self.fw, dirty)  # a new citable version of each document whose content changed
        self.send_signals(dirty)

    def write_sections(self, dirty, old_sections) -> dict:
        """The sections upserted, then their parents set (a parent may come after its child)."""
        sections = _upsert(
            Section,
            "xml_id",
            {k: (pk, {f: row[f] for f in row if f != "parent_id"}) for k, (pk, row) in old_sections.items()},
            [((obj.pk, s.xml_id), {"document_id": obj.pk, "xml_id": s.xml_id[:200], "kind": s.kind[:50],
                                    "heading": s.heading, "order": s.order})
             for data, obj, _ in dirty for s in data.sections],
            SECTION_FIELDS, _Discard(),
        )
        parents = []
        for data, obj, _ in dirty:
            for s in data.sections:
                pk = sections[(obj.pk, s.xml_id)]
                parent = sections[(obj.pk, s.parent)] if s.parent else None
                old = old_sections.get((obj.pk, s.xml_id))
                if (old[1]["parent_id"] if old is not None else None) != parent:
                    parents.append((parent, pk))
        update_rows(Section, ["parent_id"], parents)
        return sections

    def write_turns(self, dirty, old_turns, section_pk) -> dict:
        fw = self.fw
        return _upsert(
            Turn,
            "xml_id",
            old_turns,
            [((obj.pk, t.xml_id), {"document_id": obj.pk, "xml_id": t.xml_id[:200], "who": t.who,
                                    "speaker_id": fw.entity_pks.get(t.speaker.key) if t.speaker else None,
                                    "speaker_label": t.speaker_label, "label_in_text": t.label_in_text,
                                    "order": t.order,
                                    "section_id": section_pk(obj.pk, t.section)})
             for data, obj, _ in dirty for t in data.turns],
            TURN_FIELDS, self.counts["turns"],
        )

    def write_passages(self, dirty, old_passages, section_pk, turns) -> dict:
        wanted = []
        for data, obj, _ in dirty:
            for p in data.passages:
                wanted.append(((obj.pk, p.anchor), {
                    "document_id": obj.pk, "anchor": p.anchor, "kind": p.kind, "order": p.order, "tei": p.tei,
                    "reading_text": p.reading, "diplomatic_text": p.diplomatic,
                    "section_id": section_pk(obj.pk, p.section),
                    "turn_id": turns[(obj.pk, p.turn)] if p.turn else None,
                }))
        return _upsert(Passage, "anchor", old_passages, wanted, PASSAGE_FIELDS, self.counts["passages"])

    def delete_stale(self, kind: str, model, old: dict, current: dict) -> None:
        """Delete the rows of `old` that are not in `current` (counted under `kind`)."""
        stale = [pk for k, (pk, _) in old.items() if k not in current]
        if stale:
            model.objects.filter(pk__in=stale).delete()
            if kind in self.counts:
                self.counts[kind].deleted += len(stale)

    def send_signals(self, dirty) -> None:
        """`documents_imported` once for the file (batched receivers: the search index), then
        `document_imported` per document (in_batch=True). A failing receiver is a warning: the
        derived data is stale, the import itself stands."""
        if not dirty:
            return
        documents = [obj for _, obj, _ in dirty]
        created = {obj.pk for _, obj, new in dirty if new}
        for receiver, result in documents_imported.send_robust(sender=Document, documents=documents, created=created):
            if isinstance(result, Exception):
                name = getattr(receiver, "__qualname__", repr(receiver))
                self.fw.warn(0, f"documents_imported receiver {name} failed: {result!r}")
        if not document_imported.has_listeners(Document):
            return
        for _, obj, new in dirty:
            for receiver, result in document_imported.send_robust(
                sender=Document, document=obj, created=new, in_batch=True
            ):
                if isinstance(result, Exception):
                    name = getattr(receiver, "__qualname__", repr(receiver))
                    self.fw.warn(0, f"{obj.slug}: document_imported receiver {name} failed: {result!r}")

    def write_spans(self, dirty, passages, old_docs) -> None:
        fw = self.fw
        if old_docs:
            Mention.objects.filter(passage__document_id__in=old_docs).delete()
            DateMention.objects.filter(passage__document_id__in=old_docs).delete()
            Participation.objects.filter(document_id__in=old_docs).delete()
        mentions, dates, parts = [], [], {}
        adapt_date = connection.ops.adapt_datefield_value
        for data, obj, _ in dirty:
            for p in data.passages:
                pk = passages[(obj.pk, p.anchor)]
                for m in p.mentions:
                    entity = fw.entity_pks.get(m.ref.key)
                    if entity:
                        mentions.append((pk, entity, m.text, m.start, m.end))
                for d in p.dates:
                    dates.append((pk, adapt_date(date.fromisoformat(d.when)), d.text, d.start, d.end))
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
                    "document_id": obj.pk, "xml_id": n.xml_id[:200], "passage_id": passages[(obj.pk, n.anchor)],
                    "anchor": n.anchor, "exact": n.exact, "prefix": n.prefix[:200], "suffix": n.suffix[:200],
                    "start": n.start, "end": n.end, "body": n.body, "kind": n.kind, "n": n.n,
                    "anchor_status": Note.AnchorStatus.OK, "provenance": Note.Provenance.TEI,
                    "status": Note.Status.PUBLISHED,
                }))
        # Vanished TEI notes go first, so a note that comes back under its exported id (n-<uuid>) gets its UUID.
        keys = {key for key, _ in wanted}
        stale = [pk for k, (pk, _) in existing.items() if k not in keys]
        if stale:
            Note.objects.filter(pk__in=stale).delete()
            self.counts["notes"].deleted += len(stale)
        slugs = {obj.pk: obj.slug for _, obj, _ in dirty}
        new_ids = {key: note_uuid(slugs[key[0]], key[1]) for key, _ in wanted if key not in existing}
        taken = set(Note.objects.filter(uuid__in=new_ids.values()).values_list("uuid", flat=True))
        seen = set()
        for key in list(new_ids):
            if new_ids[key] not in taken and new_ids[key] not in seen:
                seen.add(new_ids[key])
                continue
            # e.g. a backup imported beside the database it came from: the note keeps a stable id of its own.
            new_ids[key] = note_uuid(slugs[key[0]], f"{key[1]}#copy")
            self.fw.warn(0, f"{slugs[key[0]]}: note {key[1]!r}: its UUID is already used by another note; "
                            f"given {new_ids[key]}")

        def stable_uuid(key):  # a new note's UUID from its document and xml:id (models.notes.note_uuid)
            return {"uuid": new_ids[key]}

        _upsert(Note, "xml_id", existing, wanted, NOTE_FIELDS, self.counts["notes"], stamp=True, pks=False,
                on_create=stable_uuid)

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
