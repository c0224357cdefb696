#!/usr/bin/env python
"""Re-anchoring: right or asked (the corpus of real edit types), and bounded (1,000 notes on a long document).

    python bench/bench_anchoring.py [--passages 300] [--words 120] [--notes 1000] [--rounds 3]

1. **Corpus** (tests/data/anchoring_cases.py, the cases the tests run through the importer): each
   case's TEI before and after a correction is mapped by the real parser; every note goes through
   the cascade (documents.services.anchoring.locate, no database). Printed: the outcome of each note
   against its expected one, the **precision** (notes kept or moved without review that are on the
   right words / all notes kept or moved), the notes moved to wrong words, and the **share sent to
   review** (and orphaned).
2. **Cost**: a synthetic document (passages of pseudo-random words with a recurring formula) and
   1,000 notes per case: same place, moved in their passage, in another passage, approximate
   (words changed), ambiguous (a formula standing in many places), gone (orphan), and a mixed case
   (the same notes, all kinds together). For each: the time of the whole run over the notes, the
   cost per note, and the ratio to a baseline measured in the same run: one plain ``str.find`` of
   each note's words over the document text. The per-document index is built once per re-import;
   its build time is printed separately. Medians over --rounds. No timing is asserted anywhere.
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
from documents.services.anchoring_index import DocumentIndex  # noqa: E402
from tests.data.anchoring_cases import CASES, check, moved_right, reading_texts, span  # noqa: E402

OUTCOME = {"kept": "kept", "moved": "moved", "review": "review", "ambiguous": "review"}


def passages_of(texts: dict[str, str]) -> dict:
    return {a: SimpleNamespace(pk=i + 1, anchor=a, reading_text=t) for i, (a, t) in enumerate(texts.items())}


def note_at(texts: dict[str, str], anchor: str, start: int | None, end: int | None) -> Note:
    if start is None:
        return Note(anchor=anchor, exact="", prefix="", suffix="", start=None, end=None)
    return Note(anchor=anchor, **quote_selector(texts[anchor], start, end))


def run(note: Note, passages: dict, index: DocumentIndex):
    """(outcome, attached (anchor, start, end) or None, candidates as (anchor, start, end))."""
    match = locate(note, passages, index)
    if match is None:
        return "orphaned", None, []
    attached = (match.passage.anchor, match.start, match.end) if match.passage is not None else None
    return OUTCOME[match.how], attached, [(c["anchor"], c["start"], c["end"]) for c in match.candidates]


def corpus() -> None:
    total = right = attached_count = review = orphaned = as_expected = 0
    wrong = []
    print(f"1. Corpus: {len(CASES)} edit types (tests/data/anchoring_cases.py)")
    for case in CASES:
        old, new = reading_texts(case.before), reading_texts(case.after)
        passages = passages_of(new)
        index = DocumentIndex(passages.values(), old)
        marks = []
        for wanted in case.notes:
            outcome, attached, candidates = run(note_at(old, *span(old, wanted.on)), passages, index)
            total += 1
            problems = check(case, wanted, outcome, attached, candidates)
            as_expected += not problems
            verdict = moved_right(case, wanted, outcome, attached)
            if verdict is not None:
                attached_count += 1
                right += verdict
                if not verdict:
                    wrong.append((case.name, wanted.on, attached))
            review += outcome == "review"
            orphaned += outcome == "orphaned"
            marks.append(outcome + ("" if not problems else " (UNEXPECTED: " + "; ".join(problems) + ")"))
        print(f"  {case.name:<40} {', '.join(marks)}")
    precision = right / attached_count if attached_count else 1.0
    print(f"  notes: {total}; as expected: {as_expected}/{total}")
    print(f"  precision (kept/moved on the right words): {right}/{attached_count} = {precision:.3f}")
    print(f"  moved to wrong words: {len(wrong)} {wrong if wrong else ''}")
    print(f"  sent to review: {review}/{total} = {review / total:.1%}; ", end="")
    print(f"orphaned: {orphaned}/{total} = {orphaned / total:.1%}")


VOCABULARY = (
    "the Soviet Chinese government border residents memorandum minutes Xinjiang measures flight "
    "repatriation ambassador minister reply statement declaration crossing normal relations"
).split()
FORMULA = "the two sides exchanged views on the question"


def synthetic(rng: random.Random, passages: int, words: int) -> dict[str, str]:
    texts = {}
    for i in range(passages):
        tokens = [rng.choice(VOCABULARY) + (str(rng.randint(0, 999)) if rng.random() < 0.6 else "")
                  for _ in range(words)]  # fmt: skip
        if i % 10 == 0:
            tokens.insert(words // 2, FORMULA)
        texts[f"p{i}"] = " ".join(tokens) + "."
    return texts


def cost_notes(rng: random.Random, texts: dict[str, str], count: int) -> dict[str, list[Note]]:
    anchors = list(texts)

    def sample():
        anchor = rng.choice(anchors)
        text = texts[anchor]
        start = text.index(" ", rng.randrange(0, len(text) // 2)) + 1
        end = text.index(" ", start + 25)
        return anchor, start, end

    cases = {k: [] for k in ("same place", "moved in passage", "another passage", "approximate", "ambiguous", "gone")}
    formula_at = [a for a in anchors if FORMULA in texts[a]]
    for _ in range(count):
        anchor, start, end = sample()
        note = note_at(texts, anchor, start, end)
        fields = {f: getattr(note, f) for f in ("anchor", "exact", "prefix", "suffix", "start", "end")}
        cases["same place"].append(note)
        cases["moved in passage"].append(Note(**{**fields, "start": start + 7}))
        other = anchors[(anchors.index(anchor) + 1) % len(anchors)]
        cases["another passage"].append(Note(**{**fields, "anchor": other}))
        cases["approximate"].append(Note(**{**fields, "exact": note.exact[:-3] + "xyz"}))
        home = rng.choice(formula_at)  # the formula, remembered with a context that is now nowhere
        cases["ambiguous"].append(Note(anchor=home, exact=FORMULA, prefix="said that ", suffix=" of trade", start=3))
        cases["gone"].append(Note(**{**fields, "exact": "words that are nowhere in this document at all"}))
    mixed = [n for group in zip(*cases.values(), strict=True) for n in group]
    rng.shuffle(mixed)
    cases["mixed"] = mixed[:count]
    return cases


def timed(function, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        began = time.perf_counter()
        function()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def cost(args) -> None:
    rng = random.Random(1962)
    texts = synthetic(rng, args.passages, args.words)
    passages = passages_of(texts)
    size = sum(len(t) for t in texts.values())
    cases = cost_notes(rng, texts, args.notes)
    print(f"\n2. Cost: {args.passages} passages x {args.words} words ({size / 1000:.0f} kB), ", end="")
    print(f"{args.notes} notes per case, median of {args.rounds} rounds")
    build = timed(lambda: DocumentIndex(passages.values(), texts).fuzzy("memorandum xyz", 0.75), args.rounds)
    print(f"  index built once per document (exact + trigram index): {build * 1000:8.1f} ms")
    joined = "\x00".join(texts.values())
    base = timed(lambda: [joined.find(n.exact) for n in cases["same place"]], args.rounds)
    print(f"  baseline: {args.notes} x str.find over the text: {base * 1000:8.1f} ms ", end="")
    print(f"({base / args.notes * 1e6:.1f} us/note)")
    print(f"  {'case':<18} {'total ms':>9} {'us/note':>9} {'x baseline':>11} {'difflib/note':>13}")
    for label, notes in cases.items():
        index = DocumentIndex(passages.values(), texts)
        index.fuzzy("memorandum xyz", 0.75)  # built once per re-import, before the notes
        index.comparisons = 0
        elapsed = timed(lambda notes=notes, index=index: [locate(n, passages, index) for n in notes], args.rounds)
        per_note = elapsed / len(notes)
        comparisons = index.comparisons / args.rounds / len(notes)
        print(f"  {label:<18} {elapsed * 1000:9.1f} {per_note * 1e6:9.1f} {elapsed / base:10.1f}x {comparisons:13.1f}")
    index = DocumentIndex(passages.values(), texts)
    began = time.perf_counter()
    for n in cases["mixed"]:
        locate(n, passages, index)
    whole = time.perf_counter() - began
    print(f"  mixed, {args.notes} notes with the index built inside the run: {whole * 1000:.0f} ms")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passages", type=int, default=300)
    parser.add_argument("--words", type=int, default=120)
    parser.add_argument("--notes", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    corpus()
    cost(args)


if __name__ == "__main__":
    main()
