"""Keeping editors' notes attached to their words when the TEI text changes: never by a guess.

The importer calls `reanchor_document_notes(document, old_texts)` inside its per-file
transaction after it has rewritten a document's passages. One `DocumentIndex` is built for the
document (anchoring_index.py: the exact words by one ``str.find`` over the whole text, approximate
matches through a trigram index built on first need, whose postings then also serve the exact
words), and for every editor's note:

1. **same place**: the words are still at their offsets with the same context on both sides (``kept``).
2. **the same words elsewhere**: every occurrence in the document is a candidate, scored
   ``score = 0.75 * context + 0.25 * proximity`` where *context* is the share of the remembered
   prefix and suffix (32 characters each) that still surrounds it, character by character outwards
   from the words (each side a share, weighing min(its length, 8): see `context_score`), and
   *proximity* is 1 at the old offset of the old passage, falling linearly to 0 at the passage's
   length away, and 0 in another passage. The best candidate is taken (``kept`` or
   ``moved``) only when

   - it scores at least ``EDITION_ANCHOR_ACCEPT`` (default 0.6: e.g. one side's context intact and
     the note near its old place, or both sides intact anywhere) **and** beats the runner-up by at
     least ``EDITION_ANCHOR_MARGIN`` (default 0.15), or
   - the words occurred exactly once in the document before the correction and occur exactly once
     after it (a passage split, merged, moved or renamed: the words themselves tell where they went).
     The admin's "Re-anchor" action, run by an editor on chosen notes, has no old text: there a
     single occurrence in the document is taken.

   Otherwise (the words deleted here while the same phrase stands elsewhere; a phrase duplicated
   next to the original; two places with the same context) the note is **ambiguous**: it is marked
   ``review``, detached from any words (readers do not see it on words that may be wrong) and its
   candidates are stored in ``anchor_candidates`` for the editor to choose from in the admin.
3. **approximate match** (the words themselves were changed, e.g. a typo fixed in them): spans
   resembling the words with a difflib ratio of at least ``EDITION_ANCHOR_THRESHOLD`` (default
   0.75; words of at least 4 characters), ranked by ``0.5 * ratio + 0.5 * score`` (the score of
   step 2 for that place). The best one is attached and marked ``review`` with the candidates
   stored, if it ranks at least ``EDITION_ANCHOR_ACCEPT`` and the runner-up (another place) ranks
   more than ``FUZZY_MARGIN`` (0.05) below it; otherwise the note is ambiguous (a similar phrase
   somewhere else, with nothing of the old context around it, is a candidate, not an anchor).
   Ambiguous exact words (step 2) also get the approximate candidates of the note's own passage
   when the words are no longer there: they may have been changed at their place while the old
   phrase still stands elsewhere.
4. **orphan**: nothing found. The note is kept with ``passage=None``, ``anchor_status=orphan`` and
   its old context, listed in the admin's "Needs attention" filter, and can be re-attached.

Nothing is ever deleted here. Notes are saved only when something changed, so an unchanged
re-import leaves no trace in their history. Editors' passage links are re-attached by anchor.
The benchmark corpus of real edit types is tests/data/anchoring_cases.py (bench/bench_anchoring.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings

from documents.models import Note, PassageLink
from documents.services.anchoring_index import DocumentIndex, Hit
from documents.tei.mapping_notes import CONTEXT, quote_selector

#: CONTEXT: characters of context kept on either side of the words (TextQuoteSelector prefix/suffix),
#: the importer's (documents.tei.mapping_notes), as quote_selector is.
#: Below this many characters an approximate match is too likely to be wrong: only exact matches count.
MIN_FUZZY_LENGTH = 4
#: Weight of the context in a candidate's score (the rest is proximity to the old place).
CONTEXT_WEIGHT = 0.75
#: Two approximate matches closer than this in rank (half similarity, half score of the place) are a tie.
FUZZY_MARGIN = 0.05
#: Candidates stored for the editor at most.
MAX_CANDIDATES = 5


def threshold() -> float:
    return float(getattr(settings, "EDITION_ANCHOR_THRESHOLD", 0.75))


def accept_score() -> float:
    return float(getattr(settings, "EDITION_ANCHOR_ACCEPT", 0.6))


def margin() -> float:
    return float(getattr(settings, "EDITION_ANCHOR_MARGIN", 0.15))


def occurrences(text: str, words: str) -> list[int]:
    """Start offsets of every occurrence of `words` in `text` (overlapping ones included)."""
    hits, pos = [], text.find(words) if words else -1
    while pos != -1:
        hits.append(pos)
        pos = text.find(words, pos + 1)
    return hits


def context_score(text: str, start: int, end: int, prefix: str, suffix: str) -> float:
    """How much (0-1) of the remembered prefix and suffix still surrounds text[start:end].

    Each side counts the characters that still match, outwards from the words, as a share of that
    side; the two shares are averaged, a side weighing min(its length, 8): a one-character side
    (the words ended a passage: suffix ".") says little, an empty side (a passage edge) nothing.
    """
    if not prefix and not suffix:  # the words were a whole passage
        return 1.0 if start == 0 and end == len(text) else 0.5
    run, i = 0, 1
    while i <= len(prefix) and i <= start and text[start - i] == prefix[-i]:
        run, i = run + 1, i + 1
    before = run
    run, i = 0, 0
    while i < len(suffix) and end + i < len(text) and text[end + i] == suffix[i]:
        run, i = run + 1, i + 1
    weights = min(len(prefix), 8), min(len(suffix), 8)
    shares = (before / len(prefix) if prefix else 0.0), (run / len(suffix) if suffix else 0.0)
    return (weights[0] * shares[0] + weights[1] * shares[1]) / (weights[0] + weights[1])


@dataclass
class Match:
    passage: object  # None for an ambiguous note (not attached until an editor chooses)
    start: int | None
    end: int | None
    how: str  # kept | moved | review | ambiguous
    ratio: float = 1.0
    candidates: list[dict] = field(default_factory=list)


def _candidate(index: DocumentIndex, hit: Hit, score: float, kind: str) -> dict:
    text = index.texts[hit.index]
    before = text[max(0, hit.start - CONTEXT) : hit.start]
    after = text[hit.end : hit.end + CONTEXT]
    return {
        "anchor": index.passages[hit.index].anchor, "start": hit.start, "end": hit.end,
        "exact": text[hit.start : hit.end], "score": round(score, 3), "kind": kind,
        "context": f"…{before}«{text[hit.start : hit.end]}»{after}…",
    }  # fmt: skip


def score_hits(note: Note, index: DocumentIndex, hits: list[Hit]) -> list[tuple[float, Hit]]:
    """Each exact occurrence with its score (context and proximity), best first."""
    home = index.by_anchor.get(note.anchor)
    old = note.start or 0
    scored = []
    for hit in hits:
        text = index.texts[hit.index]
        context = context_score(text, hit.start, hit.end, note.prefix, note.suffix)
        proximity = 0.0
        if hit.index == home:
            proximity = max(0.0, 1 - abs(hit.start - old) / max(len(text), 1))
        scored.append((CONTEXT_WEIGHT * context + (1 - CONTEXT_WEIGHT) * proximity, hit))
    scored.sort(key=lambda s: (-s[0], s[1].index, s[1].start))
    return scored


def _whole_passage(note: Note, home) -> Match | None:
    # A note on a whole passage (or at a point): it stays while its passage exists.
    if home is None:
        return None
    start, end = note.start, note.end
    if start is not None and start > len(home.reading_text):
        start = end = len(home.reading_text)
    return Match(home, start, end, "kept" if start == note.start else "moved")


def locate(note: Note, passages: dict, index: DocumentIndex | None = None) -> Match | None:
    """Run the cascade for one note over the document's passages ({anchor: Passage}, in order)."""
    index = index or DocumentIndex(passages.values())
    home = passages.get(note.anchor)
    exact = note.exact
    if not exact:
        return _whole_passage(note, home)
    # 1. Same place, same words, same context: nothing to decide.
    if home is not None and note.start is not None:
        text = home.reading_text
        end = note.start + len(exact)
        if text[note.start : end] == exact and context_score(text, note.start, end, note.prefix, note.suffix) == 1:
            return Match(home, note.start, end, "kept")
    # 2. The same words elsewhere: the best candidate if it is clearly the best, else a question.
    hits = index.exact(exact, near=index.global_offset(note.anchor, note.start))
    if hits:
        scored = score_hits(note, index, hits)
        best_score, best = scored[0]
        unique = len(hits) == 1 and index.old_count(exact, hits) in (1, None)
        clear = best_score >= accept_score() and (len(scored) == 1 or best_score - scored[1][0] >= margin())
        if unique or clear:
            passage = index.passages[best.index]
            how = "kept" if passage is home and best.start == note.start else "moved"
            return Match(passage, best.start, best.end, how)
        # Ranked like approximate matches (similarity 1): 0.5 + 0.5 * score.
        candidates = [
            (0.5 + 0.5 * s, _candidate(index, h, 0.5 + 0.5 * s, "same words")) for s, h in scored[:MAX_CANDIDATES]
        ]
        # The words may also have been changed here while they stand unchanged elsewhere.
        home_span = index.passage_span(note.anchor)
        if home_span is not None and all(index.passages[h.index] is not home for h in hits):
            # Only in the note's own passage, when the words are no longer there.
            similar = _approximate(note, index, within=home_span)
            candidates += [(r, _candidate(index, h, r, "similar words")) for r, h in similar]
        candidates.sort(key=lambda c: -c[0])
        return Match(None, None, None, "ambiguous", best_score, [c for _, c in candidates[:MAX_CANDIDATES]])
    # 3. Approximate match (the words themselves changed): similarity and place both count.
    ranked = _approximate(note, index)
    if not ranked:
        return None
    candidates = [_candidate(index, h, r, "similar words") for r, h in ranked[:MAX_CANDIDATES]]
    (rank, best), runner_up = ranked[0], (ranked[1][0] if len(ranked) > 1 else 0.0)
    if rank < accept_score() or runner_up >= rank - FUZZY_MARGIN:
        return Match(None, None, None, "ambiguous", best.ratio, candidates)
    return Match(index.passages[best.index], best.start, best.end, "review", best.ratio, candidates)


def _approximate(note: Note, index: DocumentIndex, within=None) -> list[tuple[float, Hit]]:
    """Spans resembling the words, ranked by 0.5 * similarity + 0.5 * score of the place: the best per place."""
    if len(note.exact) < MIN_FUZZY_LENGTH:
        return []
    found = index.fuzzy(note.exact, threshold(), near=index.global_offset(note.anchor, note.start), within=within)
    if not found:
        return []
    best: dict[int, tuple[float, Hit]] = {}
    for score, hit in score_hits(note, index, found):
        rank = 0.5 * hit.ratio + 0.5 * score
        if hit.place not in best or rank > best[hit.place][0]:
            best[hit.place] = (rank, hit)
    exact = note.exact
    ranked = [b for b in best.values() if index.texts[b[1].index][b[1].start : b[1].end] != exact]
    return sorted(ranked, key=lambda b: (-b[0], b[1].index, b[1].start))


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


def reanchor_note(note: Note, passages: dict, old_texts: dict[str, str], index: DocumentIndex | None = None) -> str:
    """Re-anchor one note in memory; returns 'kept', 'moved', 'review' or 'orphaned'. Does not save.

    `index` is the document's DocumentIndex (built here when not given: pass one for many notes).
    """
    index = index or DocumentIndex(passages.values(), old_texts)
    attached = note.passage_id is not None
    match = locate(note, passages, index)
    if match is None:
        if attached or note.anchor_status != Note.AnchorStatus.ORPHAN:
            note.old_context = old_context(note, old_texts)
        note.passage = None
        note.anchor_status = Note.AnchorStatus.ORPHAN
        note.anchor_candidates = []
        return "orphaned"
    if match.how == "ambiguous":
        # A question for the editor: detached from any words, the candidates stored to choose from.
        if attached or note.anchor_status != Note.AnchorStatus.REVIEW:
            note.old_context = old_context(note, old_texts) + f" (ambiguous: {len(match.candidates)} candidates)"
        note.passage = None
        note.anchor_status = Note.AnchorStatus.REVIEW
        note.anchor_candidates = match.candidates
        return "review"
    if match.how == "review":
        note.old_context = old_context(note, old_texts) + f" (approximate match, similarity {match.ratio:.2f})"
        apply_match(note, match)
        note.anchor_status = Note.AnchorStatus.REVIEW
        note.anchor_candidates = match.candidates
        return "review"
    apply_match(note, match)
    came_back = not attached and note.anchor_status in (Note.AnchorStatus.ORPHAN, Note.AnchorStatus.REVIEW)
    if came_back or (match.how == "moved" and note.anchor_status == "ok"):
        # Re-attached without an editor: say so (an orphan or a question coming back counts as moved).
        note.anchor_status = Note.AnchorStatus.MOVED
        note.anchor_candidates = []
        return "moved"
    if note.anchor_status != Note.AnchorStatus.REVIEW:  # an approximate match keeps its candidates until checked
        note.anchor_candidates = []
    return match.how


_TRACKED = (
    "passage_id", "anchor", "exact", "prefix", "suffix", "start", "end", "anchor_status", "old_context",
    "anchor_candidates",
)  # fmt: skip


def reanchor_document_notes(document, old_texts: dict[str, str]) -> dict[str, int]:
    """Re-attach the editors' notes (and passage links) of `document` after its passages were rewritten.

    old_texts maps anchor -> reading text before the import (the context of orphans, and how often
    the words occurred before). Returns counts: {'kept', 'moved', 'review', 'orphaned', 'links'};
    notes are never deleted. One DocumentIndex serves all the notes of the document.
    """
    counts = {"kept": 0, "moved": 0, "review": 0, "orphaned": 0, "links": 0}
    passages = {p.anchor: p for p in document.passages.order_by("order")}
    index = DocumentIndex(passages.values(), old_texts)
    notes = Note.objects.filter(document=document, provenance=Note.Provenance.EDITOR).order_by("pk")
    for note in notes:
        before = tuple(getattr(note, f) for f in _TRACKED)
        outcome = reanchor_note(note, passages, old_texts, index)
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
