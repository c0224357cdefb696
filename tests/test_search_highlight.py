"""Issue 19.8: search snippets are highlighted in linear time (search/highlight.py): a passage with 50,000
matches gives a correct snippet of bounded size; stemming is the database's own; excluded words are not marked."""

import pytest

from documents.models import Document, Passage
from documents.search.highlight import MAX_GAP, MAX_TOKEN, SNIPPET_WORDS, mark_all, snippet
from documents.search.query import MARK_END, MARK_START
from documents.search.service import search
from documents.signals import document_imported

pytestmark = pytest.mark.django_db
BOUND = SNIPPET_WORDS * (MAX_TOKEN + 1 + MAX_GAP + 1 + len("<mark></mark>")) + 10


def indexed(*texts):
    doc = Document.objects.create(slug="d", xml_id="d", kind="minutes", title="T", sort_key="1")
    for order, text in enumerate(texts, 1):
        Passage.objects.create(document=doc, anchor=f"p{order}", order=order, tei="<p/>", reading_text=text,
                               diplomatic_text=text)  # fmt: skip
    document_imported.send(sender=None, document=doc)
    return doc


def hits(query):
    return {h.entry.anchor: str(h.snippet) for g in search(query).groups for t in g.turns for h in t.hits}


def test_fifty_thousand_matches_in_one_passage_give_a_bounded_correct_snippet():
    indexed("The border was crossed. " + "border " * 50_000 + "The end.")
    (html,) = hits("border").values()
    assert 0 < html.count("<mark>border</mark>") <= SNIPPET_WORDS
    assert len(html) <= BOUND
    assert html.endswith("…")  # cut: the passage goes on


def test_a_single_hit_after_fifty_thousand_other_words_is_found_and_marked():
    indexed("quiet " * 50_000 + "then the Ambassador replied at last.")
    (html,) = hits("ambassador").values()
    assert "<mark>Ambassador</mark>" in html and html.startswith("…")
    assert len(html) <= BOUND


def test_stemmed_forms_are_marked_and_excluded_words_are_not():
    indexed("The borders were closed, the bordering villages emptied.", "Crossing the border again.")
    found = hits("border -crossing")
    assert set(found) == {"p1"}
    assert "<mark>borders</mark>" in found["p1"]
    assert "closed" in found["p1"] and "<mark>closed</mark>" not in found["p1"]


def test_phrases_are_marked_word_by_word_and_text_is_escaped():
    indexed("He said the border crossing was organised <script>alert(1)</script> & planned.")
    (html,) = hits('"border crossing"').values()
    assert "<mark>border</mark> <mark>crossing</mark>" in html
    assert "<script>" not in html and "&lt;script&gt;" in html and "&amp;" in html


def test_the_window_with_most_hits_is_shown_and_gaps_and_tokens_are_bounded():
    text = "a " * 100 + "x" + "!" * 10_000 + "y " + "b " * 100 + "hit hit hit " + "c " * 100
    out = snippet(text, {"hit"})
    assert out.count(MARK_START) == 3 == out.count(MARK_END)
    assert len(out) < 300
    long_word = snippet("w" * 100_000 + " hit", {"hit"})
    assert len(long_word) <= MAX_TOKEN + MAX_GAP + 10 and f"{MARK_START}hit{MARK_END}" in long_word
    assert mark_all("Zhang Hanfu, Chang Han-fu", {"han"}) == f"Zhang Hanfu, Chang {MARK_START}Han{MARK_END}-fu"
