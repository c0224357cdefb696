"""Word-level differences between two versions of a document, passage by passage (difflib over word tokens).

    diff_versions(old_version, new_version) -> VersionDiff

Passages are aligned by anchor (their permalink ids), in the order of the newer version; a passage
whose snapshot is the same in both is unchanged. Each changed passage carries the word diff of its
reading text and of its diplomatic text as (op, text) segments, op in equal / insert / delete.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from documents.models import Snapshot

from .version_text import version_passages, version_structure

#: Words, runs of whitespace and single punctuation marks: a diff never splits a word.
TOKEN = re.compile(r"\s+|\w+|[^\w\s]")
#: Header fields compared between versions (their labels for the change page).
HEADER_FIELDS = {"title": "Title", "subtitle": "Subtitle", "date_text": "Date", "venue": "Place",
                 "summary": "Summary", "review_note": "Review note", "source_note": "Source note"}  # fmt: skip


def tokens(text: str) -> list[str]:
    return TOKEN.findall(text)


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """(op, text) segments turning `old` into `new`; consecutive segments of one op are merged."""
    a, b = tokens(old), tokens(new)
    out: list[tuple[str, str]] = []

    def emit(op, text):
        if not text:
            return
        if out and out[-1][0] == op:
            out[-1] = (op, out[-1][1] + text)
        else:
            out.append((op, text))

    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            emit("equal", "".join(a[i1:i2]))
        else:
            emit("delete", "".join(a[i1:i2]))
            emit("insert", "".join(b[j1:j2]))
    return out


def trimmed(segments: list[tuple[str, str]], words: int = 8) -> list[tuple[str, str]]:
    """The segments with long unchanged stretches cut to `words` words of context around each change."""
    out = []
    for i, (op, text) in enumerate(segments):
        if op != "equal":
            out.append((op, text))
            continue
        parts = tokens(text)
        keep = words * 2  # tokens: words and the spaces between them
        if len(parts) > 2 * keep:
            head = "".join(parts[:keep]) if i > 0 else ""  # just after the previous change
            tail = "".join(parts[-keep:]) if i < len(segments) - 1 else ""  # just before the next one
            text = f"{head} … {tail}"
        out.append((op, text))
    return out


def _header_text(tei: str) -> str:
    from lxml import etree

    from documents.tei.parser import make_parser

    try:
        return " ".join("".join(etree.fromstring(tei.encode("utf-8"), make_parser()).itertext()).split())
    except etree.XMLSyntaxError:
        return tei


@dataclass
class PassageChange:
    anchor: str
    status: str  # changed | added | removed | markup (the TEI changed, not its words)
    reading: list[tuple[str, str]]
    diplomatic: list[tuple[str, str]]
    number: int | None = None  # its paragraph number in the newer version (the older for a removed one)

    @property
    def words_changed(self) -> int:
        return sum(len(re.findall(r"\w+", text)) for op, text in self.reading if op != "equal")


@dataclass
class VersionDiff:
    old: object
    new: object
    passages: list[PassageChange] = field(default_factory=list)
    header: list[dict] = field(default_factory=list)  # [{"field", "label", "diff"}]
    header_tei_changed: bool = False
    header_text: list[tuple[str, str]] = field(default_factory=list)  # word diff of the header's text, trimmed
    unchanged: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.passages or self.header or self.header_tei_changed)


def _change(p, q, number) -> PassageChange:
    if p.reading_text == q.reading_text and p.diplomatic_text == q.diplomatic_text:
        return PassageChange(q.anchor, "markup", [("equal", q.reading_text)], [("equal", q.diplomatic_text)], number)
    return PassageChange(q.anchor, "changed", word_diff(p.reading_text, q.reading_text),
                         word_diff(p.diplomatic_text, q.diplomatic_text), number)  # fmt: skip


def diff_versions(old, new) -> VersionDiff:
    snapshots = Snapshot.objects.in_bulk({e[1] for e in old.entries} | {e[1] for e in new.entries})
    before, after = version_passages(old, snapshots), version_passages(new, snapshots)
    result = VersionDiff(old=old, new=new)
    a, b = [p.anchor for p in before], [p.anchor for p in after]
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            for p, q, number in zip(before[i1:i2], after[j1:j2], range(j1 + 1, j2 + 1), strict=True):
                if p.snapshot_id == q.snapshot_id:
                    result.unchanged += 1
                    continue
                result.passages.append(_change(p, q, number))
            continue
        kept = {p.anchor: p for p in before[i1:i2]}
        for number, q in enumerate(after[j1:j2], j1 + 1):  # replaced anchors that exist on both sides still pair up
            p = kept.pop(q.anchor, None) or next((x for x in before if x.anchor == q.anchor), None)
            if p is None:
                result.passages.append(PassageChange(q.anchor, "added", [("insert", q.reading_text)],
                                                     [("insert", q.diplomatic_text)], number))  # fmt: skip
            elif p.snapshot_id != q.snapshot_id:
                result.passages.append(
                    PassageChange(
                        q.anchor,
                        "changed",
                        word_diff(p.reading_text, q.reading_text),
                        word_diff(p.diplomatic_text, q.diplomatic_text),
                        number,
                    )
                )
            else:
                result.unchanged += 1
        new_anchors = set(b)
        for offset, p in enumerate(before[i1:i2], i1 + 1):
            if p.anchor not in new_anchors:
                result.passages.append(PassageChange(p.anchor, "removed", [("delete", p.reading_text)],
                                                     [("delete", p.diplomatic_text)], offset))  # fmt: skip
    old_s, new_s = version_structure(old), version_structure(new)
    for name, label in HEADER_FIELDS.items():
        x, y = str(old_s.get(name) or ""), str(new_s.get(name) or "")
        if x != y:
            result.header.append({"field": name, "label": label, "diff": word_diff(x, y)})
    result.header_tei_changed = old.header_id != new.header_id
    if result.header_tei_changed:
        texts = dict(Snapshot.objects.filter(pk__in=[old.header_id, new.header_id]).values_list("pk", "tei"))
        before_text, after_text = _header_text(texts.get(old.header_id, "")), _header_text(texts.get(new.header_id, ""))
        result.header_text = trimmed(word_diff(before_text, after_text))
    return result
