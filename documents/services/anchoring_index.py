"""A per-document index for re-anchoring: exact occurrences and approximate matches, bounded.

`DocumentIndex(passages)` is built once per re-import of a document (the importer and the admin
action both build one and hand it to every note of that document). It holds

- the passages' reading texts joined by NUL (a character no reading text contains), so one C-level
  ``str.find`` walks the whole document for the exact words (step 2-3 of the cascade);
- built lazily on the first approximate match only: an inverted index of the character trigrams
  (lower-cased) at both ends of every word -> positions in the joined text (a typo inside a word
  leaves them; two per word keeps the build cheap), and the sorted token boundaries.

An approximate match (`DocumentIndex.fuzzy`) never compares the words with every span of the
document. The rarest trigrams of the words (at most ``RAREST``, reading at most ``VOTE_BUDGET``
postings beyond the rarest one) vote for where the words would start (position of the trigram
in the text minus its position in the words); only the ``REGIONS`` best supported places (each with
at least a share of the votes) are compared, span by span at token boundaries near the voted
start, and only spans whose difflib upper bounds (real_quick_ratio, quick_ratio, computed here
from character counts) reach the
threshold and could still enter the ``SPANS`` best get a full difflib ratio. So the cost of one
note is bounded by a few hundred postings and a few dozen comparisons, whatever the length of the
document; `comparisons` counts the full ratios computed (tests read it).
"""

from __future__ import annotations

import heapq
import re
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass
from difflib import SequenceMatcher

SEP = "\x00"
#: Trigrams of the words that vote for a place (the rarest ones in the document).
RAREST = 12
#: Places compared with difflib per note (the best supported ones).
REGIONS = 4
#: Postings read per note when voting, at most (beyond the rarest trigram, always read).
VOTE_BUDGET = 800
#: Trigrams that always vote, whatever their postings (two make the places agree: fewer to compare).
MIN_VOTERS = 1
#: Exact occurrences scored per note at most (the nearest to the old place): a bound for very common words.
MAX_HITS = 256
#: Spans kept per place (the most similar), for the caller to weigh with their context.
SPANS = 3
_TOKEN = re.compile(r"\S+")  # a word with its punctuation
_WORD = re.compile(r"\w+")  # letters and digits only


@dataclass
class Hit:
    """A place in the document: passage number (in order), start and end in its reading text."""

    index: int
    start: int
    end: int
    ratio: float = 1.0
    place: int = 0  # approximate matches: which voted place the span belongs to


class DocumentIndex:
    def __init__(self, passages, old_texts: dict[str, str] | None = None):
        self.passages = list(passages)
        self.texts = [p.reading_text for p in self.passages]
        #: Before the correction (None when unknown): which passages kept their text, and the old text
        #: of the others, to count how often some words stood in the document (`old_count`).
        self.known_before = bool(old_texts)
        now = {p.anchor: t for p, t in zip(self.passages, self.texts, strict=True)}
        old_texts = old_texts or {}
        self.unchanged = {i for i, p in enumerate(self.passages) if old_texts.get(p.anchor) == self.texts[i]}
        self.old_changed = SEP.join(t for a, t in old_texts.items() if now.get(a) != t)
        self.by_anchor = {p.anchor: i for i, p in enumerate(self.passages)}
        self.offsets, pos = [], 0
        for text in self.texts:
            self.offsets.append(pos)
            pos += len(text) + 1
        self.joined = SEP.join(self.texts)
        self._grams: dict[str, list[int]] | None = None
        self.comparisons = 0  # difflib ratios computed, over the life of the index

    # -- positions ------------------------------------------------------------------------------------
    def locate_offset(self, offset: int) -> tuple[int, int]:
        """(passage number, offset in its text) of an offset in the joined text."""
        i = bisect_right(self.offsets, offset) - 1
        return i, offset - self.offsets[i]

    def global_offset(self, anchor: str, start: int | None) -> int | None:
        i = self.by_anchor.get(anchor)
        if i is None or start is None:
            return None
        return self.offsets[i] + min(start, len(self.texts[i]))

    # -- exact words ------------------------------------------------------------------------------------
    def exact(self, words: str, near: int | None = None) -> list[Hit]:
        """Every occurrence of `words` (at most MAX_HITS, the nearest to `near` when there are more)."""
        if not words or SEP in words:
            return []
        found = self._exact_by_grams(words) if self._grams is not None else None
        if found is None:
            found, find, pos = [], self.joined.find, self.joined.find(words)
            while pos != -1:
                found.append(pos)
                pos = find(words, pos + 1)
        if len(found) > MAX_HITS:
            centre = near or 0
            found = sorted(sorted(found, key=lambda p: abs(p - centre))[:MAX_HITS])
        hits = []
        for pos in found:
            i, start = self.locate_offset(pos)
            hits.append(Hit(i, start, start + len(words)))
        return hits

    def _exact_by_grams(self, words: str) -> list[int] | None:
        """Once the trigram index exists: the occurrences from the postings of the words' rarest whole-word
        trigram, each checked in the text (None when the words hold no whole word: search the text)."""
        query = words.lower() if self._fold else words
        best = None
        for match in _WORD.finditer(query):
            start, end = match.span()
            if end - start < 3 or start == 0 and end == len(query):
                continue
            # A word of the words is a whole word of the text only where the words do not cut it.
            for gram, offset, whole in ((query[start : start + 3], start, start > 0),
                                        (query[end - 3 : end], end - 3, end < len(query))):  # fmt: skip
                if whole:
                    posting = self._grams.get(gram, ())
                    if best is None or len(posting) < len(best[0]):
                        best = (posting, offset)
        if best is None:
            return None
        posting, offset = best
        starts = self.joined.startswith
        return sorted({p - offset for p in posting if p >= offset and starts(words, p - offset)})

    def old_count(self, words: str, hits: list[Hit]) -> int | None:
        """How often `words` stood in the document before the correction: 0, 1 or 2 (= more); None if unknown.

        `hits` are its occurrences now: those in unchanged passages count as they are, and only the
        old text of the changed passages is searched.
        """
        if not self.known_before:
            return None
        count = sum(1 for h in hits if h.index in self.unchanged)
        pos = self.old_changed.find(words) if count < 2 else -1
        while pos != -1 and count < 2:
            count += 1
            pos = self.old_changed.find(words, pos + 1)
        return min(count, 2)

    # -- approximate match ------------------------------------------------------------------------------
    def _build(self) -> None:
        """Trigram postings at both ends of every word (a typo inside a word leaves them), token boundaries."""
        lowered = self.joined.lower()
        self._fold = len(lowered) == len(self.joined)
        if not self._fold:  # a rare character whose lower case is longer: compare as written
            lowered = self.joined
        grams: dict[str, list[int]] = defaultdict(list)
        for gram, pos in _word_grams(lowered):
            grams[gram].append(pos)
        self._grams = dict(grams)
        words = [m.span() for m in _WORD.finditer(self.joined)]
        tokens = [m.span() for m in _TOKEN.finditer(self.joined)]
        self._starts = sorted({s for s, _ in words} | {s for s, _ in tokens})
        self._ends = sorted({e for _, e in words} | {e for _, e in tokens})

    def _places(self, words: str, minimum: float, near: int | None, within: tuple[int, int] | None) -> list[int]:
        """Estimated start offsets (joined text) of the places the rarest trigrams of `words` point to."""
        query = words.lower() if self._fold else words
        wanted = dict(_word_grams(query))
        present = sorted((len(self._grams[g]), g, i) for g, i in wanted.items() if g in self._grams)
        if not wanted or len(present) < len(wanted) * minimum / 2:
            return []  # too few of the words' trigrams are anywhere in the document
        voters, budget = [], 0
        for posting in present:  # the rarest first (always MIN_VOTERS), within a budget of postings
            if len(voters) >= RAREST or (len(voters) >= MIN_VOTERS and budget + posting[0] > VOTE_BUDGET):
                break
            voters.append(posting)
            budget += posting[0]
        votes: Counter = Counter()
        width = max(4, len(words) // 4)
        lo, hi = within or (0, len(self.joined))
        for _, gram, offset in voters:
            posting = self._grams[gram]
            if within:  # postings are sorted: keep the stretch
                posting = posting[bisect_left(posting, lo) : bisect_right(posting, hi)]
            # One vote per trigram and place; a place is a bucket and the one after it.
            seen = {(pos - offset) // width for pos in posting}
            seen.update([bucket - 1 for bucket in seen])
            votes.update(seen)
        need = max(2, int(len(voters) * minimum / 2)) if len(voters) > 1 else 1
        centre = (near or 0) // width
        if not votes:
            return []
        # At most REGIONS places, each with at least half the votes of the best one.
        floor = max(need, max(votes.values()) / 2)
        supported = sorted((-c, abs(b - centre), b) for b, c in votes.items() if c >= floor)
        places, taken = [], set()
        for _, _, bucket in supported:
            if len(places) >= REGIONS:
                break
            if bucket in taken or bucket + 1 in taken or bucket - 1 in taken:
                continue
            taken.update((bucket, bucket + 1))
            places.append(bucket * width)
        return places

    def fuzzy(
        self, words: str, minimum: float, near: int | None = None, within: tuple[int, int] | None = None
    ) -> list[Hit]:
        """Spans resembling `words` (difflib ratio >= minimum), the SPANS best of each supported place, best first.

        Among places with as many votes, those nearest `near` (the old offset in the joined text) come
        first; `within` = (start, end) in the joined text limits the search to that stretch.
        """
        if self._grams is None:
            self._build()
        length = len(words)
        width = max(4, length // 4)
        # Outside these lengths the ratio cannot reach the minimum (2 * shorter / both lengths).
        lo, hi = length * minimum / (2 - minimum), length * (2 - minimum) / max(minimum, 0.01)
        matcher = SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(words)
        wanted = Counter(words)
        results = []
        for number, place in enumerate(self._places(words, minimum, near, within)):
            first = bisect_left(self._starts, place - width // 2)
            last = bisect_right(self._starts, place + 2 * width + width // 2)
            pairs = []
            for start in self._starts[first:last]:
                ends, k = self._ends, bisect_left(self._ends, start + lo)
                while k < len(ends) and ends[k] - start <= hi:
                    end, k = ends[k], k + 1
                    span = self.joined[start:end]
                    if SEP in span:
                        break
                    size = len(span)
                    if 2 * min(size, length) / (size + length) < minimum:  # difflib's real_quick_ratio
                        continue
                    bound = _shared(span, wanted) * 2 / (size + length)  # = difflib's quick_ratio, faster
                    if bound >= minimum:
                        pairs.append((bound, start, end))
            best: list[tuple[float, int, int]] = []  # a heap of the SPANS most similar spans
            for bound, start, end in sorted(pairs, reverse=True):
                if len(best) >= SPANS and bound <= best[0][0]:
                    break  # no later span can beat the ones kept
                matcher.set_seq1(self.joined[start:end])
                self.comparisons += 1
                ratio = matcher.ratio()
                if ratio >= minimum:
                    heapq.heappush(best, (ratio, start, end))
                    if len(best) > SPANS:
                        heapq.heappop(best)
            for ratio, start, end in best:
                i, local = self.locate_offset(start)
                results.append(Hit(i, local, local + end - start, ratio, number))
        unique = {(h.index, h.start, h.end): h for h in results}
        return sorted(unique.values(), key=lambda h: (-h.ratio, h.index, h.start))

    def passage_span(self, anchor: str) -> tuple[int, int] | None:
        """(start, end) of a passage in the joined text."""
        i = self.by_anchor.get(anchor)
        return None if i is None else (self.offsets[i], self.offsets[i] + len(self.texts[i]))


def _shared(span: str, wanted: Counter) -> int:
    """Characters `span` has in common with the words, as multisets (the numerator of quick_ratio)."""
    shared = 0
    for char, count in Counter(span).items():
        have = wanted.get(char)
        if have:
            shared += count if count < have else have
    return shared


def _word_grams(text: str):
    """(trigram, offset) at the start and at the end of every word of 3 characters or more."""
    for match in _WORD.finditer(text):
        start, end = match.span()
        if end - start >= 3:
            yield text[start : start + 3], start
            if end - start > 3:
                yield text[end - 3 : end], end - 3
