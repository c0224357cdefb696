#!/usr/bin/env python
"""Re-anchoring cost per note, as ratios to the cheapest case (the words still at their place).

    python bench/bench_anchoring.py [--passages 60] [--words 120] [--notes 200]

Builds a synthetic document in memory (no database): passages of pseudo-random words. In the
same process it times documents.services.anchoring.locate() for notes whose words are
1. at the same place (baseline), 2. moved within their passage, 3. moved to another passage,
4. slightly edited (approximate match in their passage), 5. gone (the whole cascade, then orphan),
and prints the median microseconds per note and the ratio to the baseline. A FRUS-sized
document has a few hundred passages; re-anchoring runs only for documents whose text changed.
No timing is asserted anywhere; this is a measurement to read.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "edition.settings")

import django  # noqa: E402

django.setup()

from documents.models import Note  # noqa: E402
from documents.services.anchoring import locate, quote_selector  # noqa: E402

VOCABULARY = (
    "the Soviet Chinese government border residents memorandum minutes Xinjiang measures flight "
    "repatriation ambassador minister reply statement declaration crossing normal relations"
).split()


def text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(VOCABULARY) + str(rng.randint(0, 999)) for _ in range(words))


def note_on(passage, start: int, length: int) -> Note:
    sel = quote_selector(passage.reading_text, start, start + length)
    return Note(anchor=passage.anchor, passage_id=passage.pk, **sel)


def median_us(notes, passages, repeat=3) -> float:
    times = []
    for _ in range(repeat):
        for note in notes:
            began = time.perf_counter()
            locate(note, passages)
            times.append((time.perf_counter() - began) * 1e6)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passages", type=int, default=60)
    parser.add_argument("--words", type=int, default=120)
    parser.add_argument("--notes", type=int, default=200)
    args = parser.parse_args()
    rng = random.Random(1962)
    passages = {}
    for i in range(args.passages):
        anchor = f"p{i}"
        passages[anchor] = SimpleNamespace(pk=i + 1, anchor=anchor, reading_text=text(rng, args.words))
    anchors = list(passages)

    def sample():
        p = passages[rng.choice(anchors)]
        start = rng.randrange(0, len(p.reading_text) // 2)
        start = p.reading_text.index(" ", start) + 1
        end = p.reading_text.index(" ", start + 25)
        return p, start, end - start

    same = [note_on(*sample()) for _ in range(args.notes)]
    moved, elsewhere, edited, gone = [], [], [], []
    for _ in range(args.notes):
        p, start, length = sample()
        note = note_on(p, start, length)
        moved.append(Note(**{**note_dict(note), "start": (note.start or 0) + 7}))
        other = passages[anchors[(anchors.index(p.anchor) + 1) % len(anchors)]]
        elsewhere.append(Note(**{**note_dict(note), "anchor": other.anchor, "passage_id": other.pk}))
        edited.append(Note(**{**note_dict(note), "exact": note.exact[:-3] + "xyz"}))
        gone.append(Note(**{**note_dict(note), "exact": "words that are nowhere in this document at all"}))
    base = median_us(same, passages)
    print(f"{args.passages} passages x {args.words} words, {args.notes} notes per case; median per note")
    print(f"  same place (baseline)   {base:10.1f} us   1.0x")
    for label, notes in [("moved in passage", moved), ("in another passage", elsewhere),
                         ("approximate (review)", edited), ("gone (orphan)", gone)]:  # fmt: skip
        value = median_us(notes, passages, repeat=1)
        print(f"  {label:<22}  {value:10.1f} us  {value / base:6.1f}x")


def note_dict(note: Note) -> dict:
    return {f: getattr(note, f) for f in ("anchor", "passage_id", "exact", "prefix", "suffix", "start", "end")}


if __name__ == "__main__":
    main()
