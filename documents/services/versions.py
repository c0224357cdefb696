"""Recording citable versions of documents, called by the importer inside its per-file transaction.

    record_versions(file_writer, dirty)   # DocumentsWriter.write_text, after the text and notes are written

Every document the import wrote whose content (header, structure, passages, TEI notes) differs from
its latest version gets a new version: number + 1, the import's date, the change note (the import's
``--message``, else the ``revisionDesc/change`` entries new in this header). Passage texts, headers and
structures are content-addressed Snapshots, so what did not change is not stored again. The editors'
notes the import re-anchored or orphaned (documents.services.anchoring saves them with a change reason)
are listed on the version. Nothing here deletes anything. See docs/versions.md.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from dataclasses import dataclass

from django.db.models import OuterRef, Subquery
from django.utils import timezone
from lxml import etree

from documents.models import DocumentVersion, Note, Snapshot

from .import_sql import insert_objects

CHUNK = 500
#: Fields of DocumentData kept in a version's structure snapshot (passages, notes, header go elsewhere).
_NOT_STRUCTURE = {"passages", "notes", "header_tei", "fingerprint", "line"}
_REANCHORED = "re-anchored"


def _digest(kind: str, tei: str, reading: str = "", diplomatic: str = "", spans: dict | None = None) -> str:
    """The content address of a snapshot: SHA-256 over its parts, NUL-separated (spans as sorted JSON)."""
    extra = json.dumps(spans, sort_keys=True, ensure_ascii=False) if spans else ""
    return hashlib.sha256("\x00".join((kind, tei, reading, diplomatic, extra)).encode("utf-8")).hexdigest()


def _json(value) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def _plain(value):
    """Dataclasses (and lists of them) as plain dicts, without `line` keys: a line number is where a
    thing stands in the file, not its content. (dataclasses.asdict deep-copies: too slow for FRUS.)"""
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if hasattr(value, "__dataclass_fields__"):
        # A note's empty `n` (no @n) is left out too, so versions recorded before notes kept @n are unchanged.
        return {k: _plain(v) for k, v in vars(value).items() if k != "line" and not (k == "n" and v == "")}
    return value


def structure_json(data) -> str:
    """The document's scalar fields, participants, sections and turns as JSON (a DocumentData without text)."""
    return _json({k: _plain(v) for k, v in vars(data).items() if k not in _NOT_STRUCTURE})


def notes_json(data) -> str:
    """The file's own notes, in a fixed order (the order they are written in the file is not content)."""
    return _json(sorted(_plain(data.notes), key=lambda n: (n["xml_id"], n["anchor"], str(n["start"]), n["body"])))


def passage_spans(passage) -> dict:
    if not passage.mentions and not passage.dates:
        return {}
    return {"mentions": _plain(passage.mentions), "dates": _plain(passage.dates)}


class SnapshotStore:
    """Collects snapshots by content address, then stores the missing ones in a few queries."""

    def __init__(self):
        self.rows: dict[str, dict] = {}

    def add(self, kind: str, tei: str, reading: str = "", diplomatic: str = "", spans: dict | None = None) -> str:
        spans = spans or {}
        digest = _digest(kind, tei, reading, diplomatic, spans)
        if digest not in self.rows:
            self.rows[digest] = {"digest": digest, "kind": kind[:50], "tei": tei, "reading_text": reading,
                                 "diplomatic_text": diplomatic, "spans": spans}  # fmt: skip
        return digest

    def add_passage(self, p) -> str:
        return self.add(p.kind, p.tei, p.reading, p.diplomatic, passage_spans(p))

    def save(self) -> dict[str, int]:
        digests = list(self.rows)
        ids: dict[str, int] = {}
        for i in range(0, len(digests), CHUNK):
            chunk = digests[i : i + CHUNK]
            ids.update(Snapshot.objects.filter(digest__in=chunk).values_list("digest", "pk"))
        missing = [self.rows[d] for d in digests if d not in ids]
        insert_objects(Snapshot, missing)
        new = [row["digest"] for row in missing]
        for i in range(0, len(new), CHUNK):
            ids.update(Snapshot.objects.filter(digest__in=new[i : i + CHUNK]).values_list("digest", "pk"))
        return ids


def latest_versions(document_ids) -> dict[int, DocumentVersion]:
    """document id -> its latest version, in one query per CHUNK documents."""
    ids = list(document_ids)
    top = DocumentVersion.objects.filter(document_id=OuterRef("document_id")).order_by("-number").values("number")[:1]
    found: dict[int, DocumentVersion] = {}
    for i in range(0, len(ids), CHUNK):
        rows = DocumentVersion.objects.filter(document_id__in=ids[i : i + CHUNK], number=Subquery(top))
        found.update((v.document_id, v) for v in rows)
    return found


_REVISION_DESC = re.compile(r"<revisionDesc\b.*?</revisionDesc>|<revisionDesc\b[^>]*/>", re.DOTALL)


@functools.lru_cache(maxsize=64)
def header_identity(header_tei: str) -> str:
    """What makes two headers the same for versioning: all but revisionDesc (the history itself, which
    the TEI export writes from the versions: an exported file imported back is not a new version)."""
    return hashlib.sha256(_REVISION_DESC.sub("", header_tei).encode("utf-8")).hexdigest()


# -- change notes -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Change:
    when: str
    who: str
    text: str


@functools.lru_cache(maxsize=64)  # a FRUS volume's 478 documents share one header
def revision_changes(header_tei: str) -> tuple[Change, ...]:
    """The header's revisionDesc/change (and listChange/change) entries, as written."""
    if not header_tei.strip():
        return ()
    from documents.tei.parser import make_parser

    try:
        root = etree.fromstring(header_tei.encode("utf-8"), make_parser())
    except etree.XMLSyntaxError:
        return ()
    found = root.xpath(".//*[local-name()='revisionDesc']//*[local-name()='change']")
    return tuple(Change(c.get("when", ""), c.get("who", ""), " ".join("".join(c.itertext()).split())) for c in found)


def change_note(header_tei: str, previous_header: str | None, given: str = "") -> tuple[str, str]:
    """(message, who) of a new version: the given message, else the change entries new in this header."""
    if given:
        return given.strip(), ""
    old = set(revision_changes(previous_header)) if previous_header is not None else set()
    fresh = sorted((c for c in revision_changes(header_tei) if c not in old), key=lambda c: c.when, reverse=True)
    if not fresh:
        return "", ""
    if previous_header is None:
        fresh = fresh[:1]  # the first version: the latest change describes it
    return "; ".join(c.text for c in fresh if c.text), fresh[0].who


# -- notes moved --------------------------------------------------------------------------------
def notes_moved(previous: dict[int, DocumentVersion]) -> dict[int, list[dict]]:
    """document id -> the editors' notes re-anchored or orphaned since its previous version (this import)."""
    if not previous:
        return {}
    history = Note.history.model
    since = min(v.created for v in previous.values())
    rows = history.objects.filter(
        document_id__in=list(previous), history_date__gt=since, history_change_reason__startswith=_REANCHORED
    ).order_by("history_date", "history_id")
    moved: dict[int, dict[str, dict]] = {}
    for record in rows:
        if record.history_date <= previous[record.document_id].created:
            continue
        by_note = moved.setdefault(record.document_id, {})
        key = str(record.uuid)
        if key not in by_note:
            before = record.prev_record
            by_note[key] = {"uuid": key, "before": _where(before) if before is not None else None}
        reason = record.history_change_reason or ""
        by_note[key].update(
            outcome=reason.split(": ", 1)[-1] if ": " in reason else reason,
            status=record.anchor_status,
            after=_where(record) if record.passage_id else None,
        )
    return {doc: list(notes.values()) for doc, notes in moved.items()}


def _where(record) -> dict:
    return {"anchor": record.anchor, "exact": record.exact, "start": record.start, "end": record.end}


# -- the hook -----------------------------------------------------------------------------------
def record_versions(fw, dirty) -> list[DocumentVersion]:
    """New versions for the documents (DocumentData, Document, is_new) whose content changed.

    Options come from attributes of the file writer `fw`: version_message (the import's --message),
    version_origin / version_restored_from (a restore), version_preview (compute the diff of each new
    version for a dry run). What was recorded is appended to fw.versions (dicts, for the report).
    """
    if not dirty:
        return []
    store = SnapshotStore()
    plans = []
    for data, obj, _ in dirty:
        plans.append(
            (
                data,
                obj,
                store.add("teiHeader", data.header_tei),
                store.add("structure", structure_json(data)),
                store.add("notes", notes_json(data)),
                [(p.anchor, store.add_passage(p), p.section or "", p.turn or "") for p in data.passages],
            )
        )
    ids = store.save()
    latest = latest_versions(obj.pk for _, obj, _ in dirty)
    now = timezone.now()
    create, previous = [], {}
    headers = dict(Snapshot.objects.filter(pk__in=[v.header_id for v in latest.values()]).values_list("pk", "tei"))
    for data, obj, header, structure, notes, entries in plans:
        entries = [[anchor, ids[d], section, turn] for anchor, d, section, turn in entries]
        prev = latest.get(obj.pk)
        if prev is not None and (prev.structure_id, prev.tei_notes_id, prev.entries) == (
            ids[structure],
            ids[notes],
            entries,
        ):
            if prev.header_id == ids[header] or header_identity(headers.get(prev.header_id, "")) == header_identity(
                data.header_tei
            ):
                continue  # the same content (a header differing only in its revisionDesc is the same)
        message, who = change_note(
            data.header_tei, headers.get(prev.header_id, "") if prev else None, getattr(fw, "version_message", "")
        )
        origin = getattr(fw, "version_origin", DocumentVersion.Origin.IMPORT)
        create.append(DocumentVersion(
            document=obj, number=prev.number + 1 if prev else 1, created=now, message=message, who=who[:200],
            origin=origin, restored_from=getattr(fw, "version_restored_from", None), title=data.title[:500],
            header_id=ids[header], structure_id=ids[structure], tei_notes_id=ids[notes], entries=entries,
        ))  # fmt: skip
        if prev is not None:
            previous[obj.pk] = prev
    moved = notes_moved(previous)
    for version in create:
        version.notes_moved = moved.get(version.document_id, [])
    fields = [f.attname for f in DocumentVersion._meta.concrete_fields if not f.primary_key]
    insert_objects(DocumentVersion, [{name: getattr(v, name) for name in fields} for v in create])
    report = fw.__dict__.setdefault("versions", [])
    preview = getattr(fw, "version_preview", False)
    for version in create:
        prev = previous.get(version.document_id)
        item = {"slug": version.document.slug, "number": version.number, "previous": prev.number if prev else None,
                "message": version.message, "notes_moved": version.notes_moved}  # fmt: skip
        if preview and prev is not None:
            from .version_diff import diff_versions

            item["diff"] = diff_versions(prev, version)
        report.append(item)
    return create
