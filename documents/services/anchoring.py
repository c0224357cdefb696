"""Keeping editors' notes attached to their words when the TEI text changes.

The importer calls `reanchor_document_notes` inside its transaction after it has
rewritten a document's passages. Notes are never deleted here: a note whose words
cannot be found becomes an orphan (passage=None, anchor_status=orphan) with its old context.
"""

from __future__ import annotations

from documents.models import Note

CONTEXT = 32


def quote_selector(text: str, start: int, end: int) -> dict:
    """W3C TextQuoteSelector + position for text[start:end]."""
    return {
        "exact": text[start:end],
        "prefix": text[max(0, start - CONTEXT) : start],
        "suffix": text[end : end + CONTEXT],
        "start": start,
        "end": end,
    }


def _locate(note: Note, text: str) -> int | None:
    """Start offset of the note's exact words in text: same place first, else the best unique occurrence."""
    exact = note.exact
    if note.start is not None and text[note.start : note.start + len(exact)] == exact:
        return note.start
    if not exact:
        return None
    hits = []
    pos = text.find(exact)
    while pos != -1:
        hits.append(pos)
        pos = text.find(exact, pos + 1)
    if not hits:
        return None
    if len(hits) == 1:
        return hits[0]
    # Several occurrences: prefer the one whose prefix matches, then the nearest to the old place.
    with_prefix = [h for h in hits if note.prefix and text[:h].endswith(note.prefix[-8:])]
    candidates = with_prefix or hits
    return min(candidates, key=lambda h: abs(h - (note.start or 0)))


def reanchor_document_notes(document, old_texts: dict[str, str]) -> dict[str, int]:
    """Re-attach the editors' notes of `document` after its passages were rewritten.

    old_texts maps anchor -> reading text before the import (for context of orphans).
    Returns counts: {'kept': n, 'moved': n, 'orphaned': n}.
    """
    counts = {"kept": 0, "moved": 0, "orphaned": 0}
    passages = {p.anchor: p for p in document.passages.all()}
    for note in Note.objects.filter(document=document, provenance=Note.Provenance.EDITOR):
        passage = passages.get(note.anchor)
        start = _locate(note, passage.reading_text) if passage is not None else None
        if passage is None or start is None:
            # Try the other passages of the document before giving up.
            for other in passages.values():
                start = _locate(note, other.reading_text) if note.exact else None
                if start is not None:
                    passage = other
                    break
        if passage is not None and start is not None:
            unchanged = passage.pk == note.passage_id and start == note.start
            sel = quote_selector(passage.reading_text, start, start + len(note.exact))
            note.passage, note.anchor = passage, passage.anchor
            note.prefix, note.suffix, note.start, note.end = sel["prefix"], sel["suffix"], sel["start"], sel["end"]
            if not unchanged:
                note.anchor_status = Note.AnchorStatus.MOVED
            counts["kept" if unchanged else "moved"] += 1
        else:
            old = old_texts.get(note.anchor, "")
            note.old_context = old or note.old_context
            note.passage = None
            note.anchor_status = Note.AnchorStatus.ORPHAN
            counts["orphaned"] += 1
        note.save()
    return counts
