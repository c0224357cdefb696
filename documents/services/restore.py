"""Restoring an earlier version of a document as a new version (never destructive).

    restore_version(document, number, message="")  -> RestoreResult

The version's recorded content (header, structure, passages with their mentions and dates, TEI
notes) is rebuilt as the importer's DocumentData and written by the importer's own document writer,
in one transaction: passages are updated in place by anchor, editors' notes re-anchored (or kept as
orphans) exactly as for a re-import, the search index told, and a new version recorded with
origin "restore". Every earlier version stays as it was. `dry_run=True` does all that and rolls it
back, returning what it would do (the admin's preview). The TEI file on disk is not changed: a later
import of a changed file (or --force) writes the file's text again, as a further version.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from documents.models import DocumentVersion, Snapshot
from documents.tei.mapping import fingerprint
from documents.tei.mapping_types import (
    DateData,
    DocumentData,
    FileData,
    MentionData,
    NoteData,
    ParticipantData,
    PassageData,
    Problem,
    Ref,
    SectionData,
    TurnData,
)

from .import_documents import DocumentsWriter, doc_values
from .import_writer import FileWriter, ImportFailed
from .importer import new_counts
from .version_text import version_header, version_notes, version_structure


class RestoreError(Exception):
    pass


@dataclass
class RestoreResult:
    version: DocumentVersion | None  # the new version (None: the text is already that of the version)
    notes_kept: dict = field(default_factory=dict)
    report: dict | None = None  # what record_versions reported (diff when previewed)
    warnings: list[Problem] = field(default_factory=list)


def _ref(value) -> Ref | None:
    return Ref(key=value["key"], raw=value.get("raw", value["key"]), line=0) if value else None


def document_data(version: DocumentVersion) -> DocumentData:
    """The version as the importer's DocumentData (what a TEI file with that text would map to)."""
    structure = dict(version_structure(version))
    if not structure:
        raise RestoreError(f"version {version.number} has no recorded structure: it cannot be restored")
    participants = [ParticipantData(_ref(p["ref"]), p["role"], p.get("description", ""))
                    for p in structure.pop("participants", []) if p.get("ref")]  # fmt: skip
    sections = [SectionData(s["xml_id"], s.get("kind", ""), s.get("heading", ""), s.get("order", 0), s.get("parent"))
                for s in structure.pop("sections", [])]  # fmt: skip
    turns = [TurnData(t["xml_id"], t.get("who", ""), _ref(t.get("speaker")), t.get("speaker_label", ""),
                      t.get("order", 0), t.get("section"), label_in_text=t.get("label_in_text", False))
             for t in structure.pop("turns", [])]  # fmt: skip
    snapshots = Snapshot.objects.in_bulk({e[1] for e in version.entries})
    passages = []
    for order, (anchor, snap_id, section, turn) in enumerate(version.entries):
        snap = snapshots[snap_id]
        spans = snap.spans or {}
        mentions = [
            MentionData(_ref(m["ref"]), m["text"], m["start"], m["end"], m.get("element", ""), m.get("type", ""))
            for m in spans.get("mentions", [])
            if m.get("ref")
        ]
        dates = [DateData(d["when"], d["text"], d["start"], d["end"]) for d in spans.get("dates", [])]
        passages.append(PassageData(anchor, snap.kind, order, snap.tei, snap.reading_text, snap.diplomatic_text,
                                    section or None, turn or None, mentions, dates))  # fmt: skip
    notes = version_notes(version)
    if notes is None:  # not recorded (a version made before notes were kept): today's TEI notes stay
        notes = [
            {"xml_id": n.xml_id, "kind": n.kind, "body": n.body, "anchor": n.anchor, "exact": n.exact,
             "prefix": n.prefix, "suffix": n.suffix, "start": n.start, "end": n.end, "n": n.n}
            for n in version.document.notes.filter(provenance="tei").order_by("pk")
        ]  # fmt: skip
    known = {f for f in DocumentData.__dataclass_fields__} - {"participants", "sections", "turns", "passages", "notes"}
    data = DocumentData(
        **{k: v for k, v in structure.items() if k in known},
        header_tei=version_header(version),
        participants=participants,
        sections=sections,
        turns=turns,
        passages=passages,
        notes=[NoteData(**{k: v for k, v in n.items() if k != "line"}) for n in notes],
    )
    data.slug = version.document.slug
    data.fingerprint = fingerprint(data)
    return data


def restore_version(document, number: int, message: str = "", dry_run: bool = False) -> RestoreResult:
    """Write version `number` of `document` as its new latest version (see the module docstring)."""
    version = document.versions.filter(number=number).first()
    if version is None:
        raise RestoreError(f"{document.slug} has no version {number}")
    data = document_data(version)
    source = document.source_file
    path = source.path if source is not None else f"{document.slug}.xml"
    writer = FileWriter(FileData(path=path, ours=False, documents=[data]), "", new_counts(), source)
    writer.version_origin, writer.version_restored_from = DocumentVersion.Origin.RESTORE, version.number
    writer.version_message = message.strip() or f"Restored version {version.number}."
    writer.version_preview = dry_run
    writer.source = source
    result = RestoreResult(version=None)
    with transaction.atomic():
        writer.load_entity_keys()
        documents = DocumentsWriter(writer)
        documents.check_refs(data)  # an entity deleted since: a warning (ours=False), its mention is left out
        for name, value in doc_values(data, document.source_file_id).items():
            setattr(document, name, value)
        document.modified = timezone.now()
        dirty = [(data, document, False)]
        documents.save_documents(dirty)
        documents.write_text(dirty)
        if writer.problems:
            raise ImportFailed(writer.problems)
        made = getattr(writer, "versions", [])
        result.report = made[0] if made else None
        result.notes_kept = dict(writer.notes_kept)
        result.warnings = list(writer.warnings)
        if made and not dry_run:
            result.version = document.versions.get(number=made[0]["number"])
        if dry_run:
            transaction.set_rollback(True)
    if hasattr(document, "_latest_version"):
        del document._latest_version
    if dry_run:
        document.refresh_from_db()
    return result
