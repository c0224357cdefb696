"""Keeping editors' notes attached to their words when the TEI text changes.

The importer calls `reanchor_document_notes(document, old_texts)` inside its per-file
transaction after it has rewritten a document's passages. For every editor's note the
cascade tries, in order:

1. **same position**: the note's words are still at its offsets in its passage (``kept``);
2. **same passage**: the words occur elsewhere in the passage (``moved``);
3. **same document**: the words occur in another passage, e.g. after a passage was split (``moved``);
4. **approximate match**: a span of the passage (then of the document) resembles the words
   above ``EDITION_ANCHOR_THRESHOLD`` (difflib ratio, default 0.75): the note is re-attached to
   that span and marked ``review`` so an editor checks it (``review``);
5. **orphan**: the note is kept with ``passage=None``, ``anchor_status=orphan`` and its old
   context, listed in the admin's "Needs attention" filter, and can be re-attached (``orphaned``).

Nothing is ever deleted here. Notes are saved only when something changed, so an unchanged
re-import leaves no trace in their history. Editors' passage links are re-attached by anchor.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.conf import settings

from documents.models import Note, PassageLink
from documents.tei.mapping_notes import CONTEXT, quote_selector

#: CONTEXT: characters of context kept on either side of the words (TextQuoteSelector prefix/suffix),
#: the importer's (documents.tei.mapping_notes), as quote_selector is.
#: Below this many characters an approximate match is too likely to be wrong: only exact matches count.
MIN_FUZZY_LENGTH = 4
_TOKEN = re.compile(r"\S+")  # a word with its punctuation
_WORD = re.compile(r"\w+")  # letters and digits only


def threshold() -> float:
    return float(getattr(settings, "EDITION_ANCHOR_THRESHOLD", 0.75))


def occurrences(text: str, words: str) -> list[int]:
    """Start offsets of every occurrence of `words` in `text` (overlapping ones included)."""
    hits, pos = [], text.find(words) if words else -1
    while pos != -1:
        hits.append(pos)
        pos = text.find(words, pos + 1)
    return hits


def _context_score(text: str, start: int, end: int, prefix: str, suffix: str) -> int:
    """How many characters of the remembered prefix/suffix still surround text[start:end]."""
    score = 0
    before, after = text[:start], text[end:]
    for i in range(1, min(len(prefix), len(before)) + 1):
        if before[-i] != prefix[-i]:
            break
        score += 1
    for i in range(min(len(suffix), len(after))):
        if after[i] != suffix[i]:
            break
        score += 1
    return score


def _best_occurrence(text: str, note: Note, hits: list[int]) -> int:
    """Among several occurrences, the one whose context matches best, then nearest the old place."""
    length = len(note.exact)
    old = note.start or 0
    return max(
        hits,
        key=lambda h: (_context_score(text, h, h + length, note.prefix, note.suffix), -abs(h - old)),
    )


@dataclass
class Match:
    passage: object
    start: int
    end: int
    how: str  # kept | moved | review
    ratio: float = 1.0


def _trigrams(text: str) -> set[str]:
    text = " ".join(text.lower().split())
    return {text[i : i + 3] for i in range(len(text) - 2)}


def _fuzzy(text: str, words: str, minimum: float) -> tuple[float, int, int] | None:
    """The span of `text` most similar to `words` (difflib ratio), if it reaches `minimum`.

    Spans start and end at word or token boundaries, so "efforts" can match "effort" without
    its full stop. A passage sharing too few character trigrams with the words is skipped, and
    only spans sharing enough trigrams are compared: the cost stays low on long documents.
    """
    if len(words) < MIN_FUZZY_LENGTH or not text:
        return None
    wanted = _trigrams(words)
    if wanted and len(wanted & _trigrams(text)) < len(wanted) * minimum / 2:
        return None
    starts = sorted({m.start() for r in (_TOKEN, _WORD) for m in r.finditer(text)})
    ends = sorted({m.end() for r in (_TOKEN, _WORD) for m in r.finditer(text)})
    lo, hi = len(words) * 0.5, len(words) * 1.5
    matcher = SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(words)  # difflib caches what it learns about the second sequence
    best = None
    for start in starts:
        for end in ends[bisect_right(ends, start) :]:
            size = end - start
            if size > hi:
                break
            if size < lo:
                continue
            matcher.set_seq1(text[start:end])
            if matcher.real_quick_ratio() < minimum or matcher.quick_ratio() < minimum:
                continue
            ratio = matcher.ratio()
            if ratio >= minimum and (best is None or ratio > best[0]):
                best = (ratio, start, end)
    return best


def locate(note: Note, passages: dict) -> Match | None:
    """Run the cascade for one note over the document's passages ({anchor: Passage}, in order)."""
    home = passages.get(note.anchor)
    exact = note.exact
    if not exact:
        # A note on a whole passage (or at a point): it stays while its passage exists.
        if home is None:
            return None
        start, end = note.start, note.end
        if start is not None and start > len(home.reading_text):
            start = end = len(home.reading_text)
        return Match(home, start, end, "kept" if start == note.start else "moved")
    # 1. Same position.
    if home is not None and note.start is not None and home.reading_text[note.start : note.start + len(exact)] == exact:
        return Match(home, note.start, note.start + len(exact), "kept")
    # 2. Same words elsewhere in the passage.
    if home is not None:
        hits = occurrences(home.reading_text, exact)
        if hits:
            start = _best_occurrence(home.reading_text, note, hits)
            return Match(home, start, start + len(exact), "moved")
    # 3. Same words in another passage of the document (the best context wins).
    found = []
    for passage in passages.values():
        if passage is home:
            continue
        text = passage.reading_text
        for hit in occurrences(text, exact):
            found.append((_context_score(text, hit, hit + len(exact), note.prefix, note.suffix), passage, hit))
    if found:
        _, passage, start = max(found, key=lambda f: f[0])
        return Match(passage, start, start + len(exact), "moved")
    # 4. Approximate match: the home passage first, then the others.
    minimum = threshold()
    if home is not None:
        best = _fuzzy(home.reading_text, exact, minimum)
        if best:
            return Match(home, best[1], best[2], "review", best[0])
    candidates = []
    for passage in passages.values():
        if passage is home:
            continue
        best = _fuzzy(passage.reading_text, exact, minimum)
        if best:
            candidates.append((best[0], passage, best[1], best[2]))
    if candidates:
        ratio, passage, start, end = max(candidates, key=lambda c: c[0])
        return Match(passage, start, end, "review", ratio)
    return None


def old_context(note: Note, old_texts: dict[str, str]) -> str:
    """The words in their old surroundings, e.g. '… was handed «the memorandum» on 8 June …'."""
    old = old_texts.get(note.anchor)
    if old and note.exact and note.start is not None and old[note.start : note.start + len(note.exact)] == note.exact:
        before = old[max(0, note.start - 2 * CONTEXT) : note.start]
        after = old[note.start + len(note.exact) : note.start + len(note.exact) + 2 * CONTEXT]
        return f"{note.anchor}: …{before}«{note.exact}»{after}…"
    if note.exact:
        return f"{note.anchor}: …{note.prefix}«{note.exact}»{note.suffix}…"
    return f"{note.anchor}: {old[: 4 * CONTEXT]}…" if old else f"{note.anchor} (whole passage)"


def apply_match(note: Note, match: Match) -> None:
    """Point `note` at the matched span (selector recomputed from the new text)."""
    text = match.passage.reading_text
    note.passage, note.anchor = match.passage, match.passage.anchor
    if match.start is None:
        note.start = note.end = None
    else:
        sel = quote_selector(text, match.start, match.end)
        note.exact, note.prefix, note.suffix = sel["exact"], sel["prefix"], sel["suffix"]
        note.start, note.end = sel["start"], sel["end"]


def reanchor_note(note: Note, passages: dict, old_texts: dict[str, str]) -> str:
    """Re-anchor one note in memory; returns 'kept', 'moved', 'review' or 'orphaned'. Does not save."""
    match = locate(note, passages)
    if match is None:
        if note.passage_id is not None or note.anchor_status != Note.AnchorStatus.ORPHAN:
            note.old_context = old_context(note, old_texts)
        note.passage = None
        note.anchor_status = Note.AnchorStatus.ORPHAN
        return "orphaned"
    if match.how == "review":
        note.old_context = old_context(note, old_texts) + f" (approximate match, similarity {match.ratio:.2f})"
        apply_match(note, match)
        note.anchor_status = Note.AnchorStatus.REVIEW
        return "review"
    apply_match(note, match)
    if note.anchor_status == Note.AnchorStatus.ORPHAN or (match.how == "moved" and note.anchor_status == "ok"):
        # Re-attached without an editor: say so (an orphan coming back counts as moved).
        note.anchor_status = Note.AnchorStatus.MOVED
        return "moved"
    return match.how


_TRACKED = ("passage_id", "anchor", "exact", "prefix", "suffix", "start", "end", "anchor_status", "old_context")


def reanchor_document_notes(document, old_texts: dict[str, str]) -> dict[str, int]:
    """Re-attach the editors' notes (and passage links) of `document` after its passages were rewritten.

    old_texts maps anchor -> reading text before the import (used for the context of orphans).
    Returns counts: {'kept', 'moved', 'review', 'orphaned', 'links'}; notes are never deleted.
    """
    counts = {"kept": 0, "moved": 0, "review": 0, "orphaned": 0, "links": 0}
    passages = {p.anchor: p for p in document.passages.order_by("order")}
    notes = Note.objects.filter(document=document, provenance=Note.Provenance.EDITOR).order_by("pk")
    for note in notes:
        before = tuple(getattr(note, f) for f in _TRACKED)
        outcome = reanchor_note(note, passages, old_texts)
        counts[outcome] += 1
        if tuple(getattr(note, f) for f in _TRACKED) != before:
            note._change_reason = f"re-anchored after re-import: {outcome}"
            note.save()
    counts["links"] = reattach_links(document, passages)
    return counts


def reattach_links(document, passages: dict) -> int:
    """Point editors' passage links of `document` at the current passages with their anchors."""
    changed = 0
    links = PassageLink.objects.filter(provenance=Note.Provenance.EDITOR)
    for link in links.filter(source_document=document) | links.filter(target_document=document):
        dirty = False
        if link.source_document_id == document.pk:
            passage = passages.get(link.source_anchor)
            if link.source_id != (passage.pk if passage else None):
                link.source, dirty = passage, True
        if link.target_document_id == document.pk:
            passage = passages.get(link.target_anchor)
            if link.target_id != (passage.pk if passage else None):
                link.target, dirty = passage, True
        if dirty:
            link.save()
            changed += 1
    return changed
