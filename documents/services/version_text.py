"""Reading a recorded version back: its passages (in order), its structure and header, from the snapshots."""

from __future__ import annotations

import json
from dataclasses import dataclass

from documents.models import DocumentVersion, Snapshot


@dataclass
class VersionPassage:
    """A passage as it stood in a version (the attributes the renderer and the exports read)."""

    anchor: str
    kind: str
    tei: str
    reading_text: str
    diplomatic_text: str
    section: str
    turn: str
    snapshot_id: int
    order: int = 0


def version_passages(version: DocumentVersion, snapshots: dict[int, Snapshot] | None = None) -> list[VersionPassage]:
    """The version's passages in order (one query, unless the snapshots are given)."""
    if snapshots is None:
        snapshots = Snapshot.objects.in_bulk({entry[1] for entry in version.entries})
    out = []
    for order, (anchor, snap_id, section, turn) in enumerate(version.entries):
        snap = snapshots[snap_id]
        out.append(VersionPassage(anchor, snap.kind, snap.tei, snap.reading_text, snap.diplomatic_text,
                                  section, turn, snap_id, order))  # fmt: skip
    return out


def version_structure(version: DocumentVersion) -> dict:
    """Header fields, participants, sections and turns of the version ({} when not recorded)."""
    if version.structure_id is None:
        return {}
    if not hasattr(version, "_structure"):
        version._structure = json.loads(version.structure.tei or "{}")
    return version._structure


def version_header(version: DocumentVersion) -> str:
    return version.header.tei if version.header_id else ""


def version_notes(version: DocumentVersion) -> list[dict] | None:
    """The TEI file's own notes in the version (None when the version did not record them)."""
    if version.tei_notes_id is None:
        return None
    return json.loads(version.tei_notes.tei or "[]")


def get_version(document, number) -> DocumentVersion | None:
    try:
        number = int(number)
    except (TypeError, ValueError):
        return None
    return document.versions.filter(number=number).first() if number > 0 else None


def latest_version(document) -> DocumentVersion | None:
    """The document's latest version (memoised on the instance), None for a document never versioned."""
    if not hasattr(document, "_latest_version"):
        document._latest_version = document.versions.order_by("-number").first() if document.pk else None
    return document._latest_version


def version_passage(version: DocumentVersion, anchor: str) -> VersionPassage | None:
    """One passage of a version (for citing it), with `speaker` (the name as written) and `number`."""
    for number, entry in enumerate(version.entries, 1):
        if entry[0] == anchor:
            snap = Snapshot.objects.get(pk=entry[1])
            passage = VersionPassage(anchor, snap.kind, snap.tei, snap.reading_text, snap.diplomatic_text,
                                     entry[2], entry[3], entry[1], number - 1)  # fmt: skip
            turns = {t["xml_id"]: t for t in version_structure(version).get("turns", [])}
            turn = turns.get(entry[3]) if entry[3] else None
            passage.speaker = (turn or {}).get("speaker_label", "").rstrip(": ")
            passage.document_id = version.document_id
            passage.number = number
            return passage
    return None


def version_citation_tree(version: DocumentVersion):
    """The version's DTS citation tree (section -> turn -> paragraph), built from its recorded structure as
    documents.services.citation_tree builds the current one (no query beyond the version's structure)."""
    from .citation_tree import PARAGRAPH, SECTION, TURN, CitationTree, Unit, sorted_units

    structure = version_structure(version)
    sections = {
        s["xml_id"]: Unit(s["xml_id"], SECTION, 0, title=s.get("heading", ""), rank=0, attrib=s)
        for s in structure.get("sections", [])
    }
    turns = {
        t["xml_id"]: Unit(t["xml_id"], TURN, 0, title=t.get("speaker_label", ""), rank=1, attrib=t)
        for t in structure.get("turns", [])
    }
    roots: list = []

    def attach(unit, parent):
        unit.parent = parent
        (parent.children if parent else roots).append(unit)

    for section in sections.values():
        attach(section, sections.get(section.attrib.get("parent")))
    for turn in turns.values():
        attach(turn, sections.get(turn.attrib.get("section")))
    for position, (anchor, _snap, section, turn) in enumerate(version.entries):
        passage = Unit(anchor, PARAGRAPH, 0, rank=2, position=position)
        parent = turns.get(turn) or sections.get(section)
        attach(passage, parent)
        node = parent
        while node is not None and node.position > position:
            node.position = position
            node = node.parent

    def order(units):
        units[:] = sorted_units(units)
        for unit in units:
            order(unit.children)
        return units

    return CitationTree(order(roots))
