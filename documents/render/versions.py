"""Pages of versions: a recorded version read back (/documents/<slug>/v/<n>/) and the change page.

A version page shows the text exactly as it stood (its passages' TEI rendered as in the reader,
same anchors), without the editors' notes of today's text, whose anchors belong to the latest
version. The change page shows the word diff of every changed passage and the notes moved.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.safestring import mark_safe

from documents.models import Entity, Note
from documents.services.version_diff import diff_versions
from documents.services.version_text import version_passages, version_structure
from documents.tei.speakers import speaker_display

from .handlers import url_key
from .page import entity_resolver, passage_tag, safe_render


@dataclass
class VersionRow:
    passage: object
    html: str
    number: int
    show_speaker: bool = False
    grid_row: int = 1  # the passage's row in its block's grid, as in the reader (render/page.py)
    blocks: bool = False  # it holds blocks: a <div> (render/page.py Row)

    @property
    def tag(self):
        return passage_tag(self.passage.kind, self.blocks)


@dataclass
class VersionBlock:
    turn: dict | None
    rows: list[VersionRow] = field(default_factory=list)


def _entities(structure: dict, passages) -> dict[str, Entity]:
    keys = {m["ref"]["key"] for p in passages for m in p.spans.get("mentions", []) if m.get("ref")}
    keys |= {t["speaker"]["key"] for t in structure.get("turns", []) if t.get("speaker")}
    return {e.key: e for e in Entity.objects.filter(key__in=keys)}


def version_context(document, version, view="reading") -> dict:
    from documents.models import Snapshot

    snapshots = Snapshot.objects.in_bulk({e[1] for e in version.entries})
    passages = version_passages(version, snapshots)
    for p in passages:
        p.spans = snapshots[p.snapshot_id].spans or {}
    structure = version_structure(version)
    entities = _entities(structure, passages)
    url = entity_resolver(entities)
    turns = {t["xml_id"]: t for t in structure.get("turns", [])}
    blocks: list[VersionBlock] = []
    for number, passage in enumerate(passages, 1):
        out = safe_render(passage, view, (), url, document.slug)
        turn = turns.get(passage.turn) if passage.turn else None
        if turn is not None:
            speaker = entities.get(url_key(turn["speaker"]["key"])) if turn.get("speaker") else None
            name = speaker.name if speaker is not None else ""
            turn = {
                **turn,
                "entity": speaker,
                "display": speaker_display(name, turn.get("speaker_label", ""), turn.get("who", "")),
            }
        row = VersionRow(passage, mark_safe(out.html), number, blocks=out.blocks)  # noqa: S308 -- from the stored TEI
        same = blocks and (blocks[-1].turn or {}).get("xml_id") == (turn or {}).get("xml_id")
        if same:
            row.grid_row = len(blocks[-1].rows) + 1
            blocks[-1].rows.append(row)
        else:
            blocks.append(VersionBlock(turn, [row]))
            row.show_speaker = turn is not None
    return {"blocks": blocks, "structure": structure, "view": view, "entities": list(entities.values())}


def changes_context(document, old, new, view="reading", user=None) -> dict:
    """The diff between two versions, the change notes of the versions after `old` up to `new`, the notes moved
    (only those `user` may see: drafts are listed for editors only)."""
    diff = diff_versions(old, new)
    low, high = sorted((old.number, new.number))
    between = list(document.versions.filter(number__gt=low, number__lte=high).order_by("number"))
    moved = [dict(item, version=v.number) for v in between for item in v.notes_moved]
    notes = Note.objects.visible_to(user).filter(uuid__in=[m["uuid"] for m in moved])
    by_uuid = {str(n.uuid): n for n in notes.only("uuid", "body", "anchor", "anchor_status", "status")}
    moved = [dict(item, note=by_uuid[item["uuid"]]) for item in moved if item["uuid"] in by_uuid]
    passages = [
        {"change": change, "segments": change.diplomatic if view == "diplomatic" else change.reading}
        for change in diff.passages
    ]
    return {"diff": diff, "passages": passages, "between": between, "moved": moved, "view": view}
