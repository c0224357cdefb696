"""A per-document index for re-anchoring: exact occurrences and approximate matches, bounded.

`DocumentIndex(passages)` is built once per re-import of a document (the importer and the admin
action both build one and hand it to every note of that document). It holds

- the passages' reading texts joined by NUL (a character no reading text contains), so one C-level
  ``str.find`` walks the whole document for the exact words (step 2-3 of the cascade);
- built lazily on the first approximate match only: an inverted index of character trigrams
  (lower-cased) -> positions in the joined text, and the sorted token boundaries.

An approximate match (`DocumentIndex.fuzzy`) never compares the words with every span of the
document. The ``RAREST`` rarest trigrams of the words vote for where the words would start
(position of the trigram in the text minus its position in the words); only the ``REGIONS`` best
supported places (each with at least a share of the votes) are compared with difflib, span by
span at token boundaries within ``len(words)`` of the voted start. So the cost of one note is
bounded by the postings of a few rare trigrams plus a few dozen difflib comparisons, whatever the
length of the document; `comparisons` counts the difflib ratios computed (tests read it).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass
from difflib import SequenceMatcher

SEP = "\x00"
#: Trigrams of the words that vote for a place (the rarest ones in the document).
RAREST = 12
#: Places compared with difflib per note (the best supported ones).
REGIONS = 4
#: Exact occurrences scored per note at most (the nearest to the old place): a bound for very common words.
MAX_HITS = 256
#: Spans kept per place (the most similar), for the caller to weigh with their context.
SPANS = 6
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
        #: The document's text before the correction (None when unknown), to count the words' occurrences.
        self.old_joined = SEP.join(old_texts.values()) if old_texts else None
        self.texts = [p.reading_text for p in self.passages]
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

    # -- approximate match ------------------------------------------------------------------------------
    def _build(self) -> None:
        lowered = self.joined.lower()
        if len(lowered) != len(self.joined):  # a rare character whose lower case is longer
            lowered = self.joined
        self._lowered = lowered
        grams: dict[str, list[int]] = defaultdict(list)
        for i in range(len(lowered) - 2):
            gram = lowered[i : i + 3]
            if SEP not in gram:
                grams[gram].append(i)
        self._grams = dict(grams)
        self._starts = sorted({m.start() for r in (_TOKEN, _WORD) for m in r.finditer(self.joined)})
        self._ends = sorted({m.end() for r in (_TOKEN, _WORD) for m in r.finditer(self.joined)})

    def _places(self, words: str, minimum: float, near: int | None) -> list[int]:
        """Estimated start offsets (joined text) of the places the rarest trigrams of `words` point to."""
        query = words.lower()
        wanted = {}
        for i in range(len(query) - 2):
            wanted.setdefault(query[i : i + 3], i)
        present = [(len(self._grams[g]), g, i) for g, i in wanted.items() if g in self._grams]
        if not wanted or len(present) < len(wanted) * minimum / 2:
            return []  # too few of the words' trigrams are anywhere in the document
        present.sort()
        voters = present[:RAREST]
        votes: dict[int, int] = defaultdict(int)
        width = max(4, len(words) // 4)
        for _, gram, offset in voters:
            seen = set()
            for pos in self._grams[gram]:
                bucket = (pos - offset) // width
                if bucket not in seen:  # one vote per trigram and place
                    seen.add(bucket)
                    votes[bucket] += 1
        need = max(2, int(len(voters) * minimum / 2)) if len(voters) > 1 else 1
        centre = (near or 0) // width
        merged = sorted((-(votes[b] + votes.get(b + 1, 0)), abs(b - centre), b) for b in votes)
        places, taken = [], set()
        for count, _, bucket in merged:
            if -count < need or len(places) >= REGIONS:
                break
            if bucket in taken or bucket + 1 in taken or bucket - 1 in taken:
                continue
            taken.update((bucket, bucket + 1))
            places.append(bucket * width)
        return places

    def fuzzy(self, words: str, minimum: float, near: int | None = None) -> list[Hit]:
        """Spans resembling `words` (difflib ratio >= minimum), the SPANS best of each supported place, best first.

        Among places with as many votes, those nearest `near` (the old offset in the joined text) come first.
        """
        if self._grams is None:
            self._build()
        length = len(words)
        lo, hi = length * 0.5, length * 1.5
        matcher = SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(words)
        results = []
        for number, place in enumerate(self._places(words, minimum, near)):
            first = bisect_left(self._starts, place - length // 2)
            last = bisect_right(self._starts, place + length // 2 + 1)
            spans = []
            for start in self._starts[first:last]:
                ends, k = self._ends, bisect_left(self._ends, start + lo)
                while k < len(ends) and ends[k] - start <= hi:
                    end, k = ends[k], k + 1
                    span = self.joined[start:end]
                    if SEP in span:
                        break
                    matcher.set_seq1(span)
                    if matcher.real_quick_ratio() < minimum or matcher.quick_ratio() < minimum:
                        continue
                    self.comparisons += 1
                    ratio = matcher.ratio()
                    if ratio >= minimum:
                        spans.append((ratio, start, end))
            # The most similar spans of this place: the caller weighs them with their context.
            for ratio, start, end in sorted(spans, reverse=True)[:SPANS]:
                i, local = self.locate_offset(start)
                results.append(Hit(i, local, local + end - start, ratio, number))
        unique = {(h.index, h.start, h.end): h for h in results}
        return sorted(unique.values(), key=lambda h: (-h.ratio, h.index, h.start))
