"""The per-document re-anchoring index: the same answers as a plain search, at a bounded cost."""

import random
from types import SimpleNamespace

import pytest

from documents.models import Note
from documents.services.anchoring import locate, quote_selector
from documents.services.anchoring_index import MAX_HITS, REGIONS, SPANS, DocumentIndex

WORDS = "the Soviet Chinese government border residents memorandum Xinjiang measures reply statement".split()


def document(passages=40, words=80, seed=7):
    rng = random.Random(seed)
    texts = {}
    for i in range(passages):
        tokens = [rng.choice(WORDS) + rng.choice(["", "", ",", ".", str(rng.randint(0, 99))]) for _ in range(words)]
        texts[f"p{i}"] = " ".join(tokens)
    return {a: SimpleNamespace(anchor=a, reading_text=t) for a, t in texts.items()}


def plain(passages, words):
    """Every occurrence by str.find, passage by passage (overlapping ones included)."""
    found = []
    for i, p in enumerate(passages.values()):
        pos = p.reading_text.find(words)
        while pos != -1:
            found.append((i, pos))
            pos = p.reading_text.find(words, pos + 1)
    return found


@pytest.mark.parametrize("words", [
    "the Soviet", "Soviet Chinese", "overnment border", "memorandum", "Xinjiang measures,", "reply. the",
    "THE SOVIET", "nowhere at all", "e b", "residents memorandum Xinjiang",
])  # fmt: skip
def test_exact_occurrences_are_those_of_a_plain_search_before_and_after_the_trigram_index(words):
    passages = document()
    index = DocumentIndex(passages.values())
    expected = plain(passages, words)[:MAX_HITS] if len(plain(passages, words)) <= MAX_HITS else None
    before = [(h.index, h.start) for h in index.exact(words)]
    index.fuzzy("memorandun", 0.75)  # builds the trigram index; exact() then reads its postings
    after = [(h.index, h.start) for h in index.exact(words)]
    assert before == after
    if expected is not None:
        assert after == expected


def test_occurrences_beyond_the_bound_are_the_nearest_to_the_old_place():
    text = "the memorandum. " * (MAX_HITS + 50)
    index = DocumentIndex([SimpleNamespace(anchor="p", reading_text=text)])
    hits = index.exact("memorandum", near=len(text))
    assert len(hits) == MAX_HITS and hits[-1].start == text.rindex("memorandum")


def test_old_count_reads_only_the_changed_passages():
    passages = {"a": SimpleNamespace(anchor="a", reading_text="the memorandum was handed over"),
                "b": SimpleNamespace(anchor="b", reading_text="we shall answer")}  # fmt: skip
    old = {"a": "the memorandum was handed over", "b": "we shall answer the memorandum", "c": "the memorandum"}
    index = DocumentIndex(passages.values(), old)
    assert index.unchanged == {0}
    assert index.old_count("the memorandum", index.exact("the memorandum")) == 2
    assert index.old_count("was handed", index.exact("was handed")) == 1
    assert index.old_count("shall answer the", index.exact("shall answer the")) == 1
    assert DocumentIndex(passages.values()).old_count("the memorandum", []) is None


def note_on(passages, anchor, start, end, **change):
    sel = quote_selector(passages[anchor].reading_text, start, end)
    return Note(anchor=anchor, **{**sel, **change})


@pytest.mark.parametrize("size", [20, 400])
def test_approximate_matches_compare_a_bounded_number_of_spans_whatever_the_length(size):
    passages = document(passages=size)
    index = DocumentIndex(passages.values())
    rng = random.Random(1)
    anchors = list(passages)
    notes = []
    for _ in range(50):
        anchor = rng.choice(anchors)
        text = passages[anchor].reading_text
        start = text.index(" ", rng.randrange(0, len(text) // 2)) + 1
        end = text.index(" ", start + 25)
        notes.append((note_on(passages, anchor, start, end), (anchor, start, end)))
    found = 0
    for note, (anchor, start, _end) in notes:
        note.exact = note.exact[:-2] + "zq"  # the end of the words was corrected
        before = index.comparisons
        match = locate(note, passages, index)
        assert index.comparisons - before <= REGIONS * SPANS * 2
        if match is not None and match.passage is not None:
            found += 1
            assert match.passage.anchor == anchor and abs(match.start - start) <= 1
    assert found >= 40  # almost all are found again, at their place
