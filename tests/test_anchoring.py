"""The re-anchoring cascade: a re-import never loses an editor's note."""

import pytest

from documents.models import Note
from documents.services.anchoring import reanchor_document_notes
from tests.builders import make_document, make_note, rewrite

pytestmark = pytest.mark.django_db

P1 = "The Soviet side handed over a memorandum dated 7 June 1962 about the events in Xinjiang."
P2 = "Zhang Hanfu said that the Chinese side would study the memorandum carefully."


@pytest.fixture
def doc():
    return make_document(texts={"m-p1": P1, "m-p2": P2})


def reimport(doc, texts):
    old = rewrite(doc, texts)
    return reanchor_document_notes(doc, old)


def test_unchanged_text_keeps_notes_and_writes_no_history(doc):
    note = make_note(doc, "m-p1", "memorandum dated 7 June 1962")
    history = note.history.count()
    counts = reimport(doc, {"m-p1": P1, "m-p2": P2})
    assert counts == {"kept": 1, "moved": 0, "review": 0, "orphaned": 0, "links": 0}
    note.refresh_from_db()
    start = P1.index("memorandum")
    assert (note.start, note.end, note.anchor_status, note.version) == (start, start + 28, "ok", 1)
    assert note.history.count() == history


def test_words_inserted_before_the_anchor_shift_the_offsets(doc):
    note = make_note(doc, "m-p1", "memorandum dated 7 June 1962")
    counts = reimport(doc, {"m-p1": "On 8 June 1962 " + P1, "m-p2": P2})
    assert counts["moved"] == 1
    note.refresh_from_db()
    assert note.passage.anchor == "m-p1"
    assert note.passage.reading_text[note.start : note.end] == "memorandum dated 7 June 1962"
    assert note.start == P1.index("memorandum") + len("On 8 June 1962 ")
    assert note.prefix.endswith("handed over a ")
    assert note.anchor_status == Note.AnchorStatus.MOVED


def test_the_right_occurrence_is_kept_when_words_repeat(doc):
    text = "The memorandum said one thing; the second memorandum said another."
    doc2 = make_document(slug="memo", texts={"x": text})
    note = make_note(doc2, "x", "memorandum said", occurrence=2)
    reimport(doc2, {"x": "Indeed, " + text})
    note.refresh_from_db()
    assert note.start == len("Indeed, ") + text.index("second memorandum") + len("second ")


def test_passage_split_in_two_moves_the_note_to_the_new_passage(doc):
    note_first = make_note(doc, "m-p1", "handed over")
    note_second = make_note(doc, "m-p1", "the events in Xinjiang")
    first, second = P1.split(" about ")
    counts = reimport(doc, {"m-p1": first + ".", "m-p1b": "It was about " + second, "m-p2": P2})
    assert counts["kept"] == 1 and counts["moved"] == 1
    note_first.refresh_from_db()
    note_second.refresh_from_db()
    assert note_first.anchor == "m-p1" and note_first.anchor_status == "ok"
    assert note_second.anchor == "m-p1b"
    assert note_second.passage.reading_text[note_second.start : note_second.end] == "the events in Xinjiang"
    assert note_second.anchor_status == Note.AnchorStatus.MOVED


def test_anchored_words_slightly_edited_are_matched_for_review(doc):
    note = make_note(doc, "m-p1", "memorandum dated 7 June 1962")
    edited = P1.replace("memorandum dated 7 June 1962", "memorandum, dated 7 June, 1962")
    counts = reimport(doc, {"m-p1": edited, "m-p2": P2})
    assert counts["review"] == 1
    note.refresh_from_db()
    assert note.anchor_status == Note.AnchorStatus.REVIEW
    assert note.exact == "memorandum, dated 7 June, 1962"
    assert note.passage.reading_text[note.start : note.end] == note.exact
    assert "«memorandum dated 7 June 1962»" in note.old_context
    assert note in Note.objects.needs_attention()


def test_anchored_words_removed_make_an_orphan_that_is_kept(doc):
    note = make_note(doc, "m-p2", "study the memorandum carefully", body="Kept forever.")
    counts = reimport(doc, {"m-p1": P1, "m-p2": "Zhang Hanfu replied briefly."})
    assert counts["orphaned"] == 1
    note.refresh_from_db()
    assert note.passage is None
    assert note.anchor == "m-p2" and note.body == "Kept forever."
    assert note.anchor_status == Note.AnchorStatus.ORPHAN
    assert "would «study the memorandum carefully»" in note.old_context
    assert list(Note.objects.needs_attention()) == [note]


def test_passage_removed_entirely_orphans_but_never_deletes(doc):
    note = make_note(doc, "m-p2", "Zhang Hanfu")
    whole = Note.objects.create(document=doc, passage=doc.passages.get(anchor="m-p2"), anchor="m-p2", body="All.")
    counts = reimport(doc, {"m-p1": P1})
    assert counts["orphaned"] == 2  # "Zhang Hanfu" is not in m-p1 either
    assert Note.objects.filter(pk__in=[note.pk, whole.pk]).count() == 2
    whole.refresh_from_db()
    assert whole.anchor_status == "orphan" and whole.passage is None


def test_words_found_in_another_passage_when_their_passage_is_gone(doc):
    note = make_note(doc, "m-p2", "Zhang Hanfu")
    reimport(doc, {"m-p1": P1 + " Zhang Hanfu listened."})
    note.refresh_from_db()
    assert note.anchor == "m-p1" and note.anchor_status == "moved"


def test_orphan_is_reattached_when_its_words_come_back(doc):
    note = make_note(doc, "m-p2", "study the memorandum carefully")
    reimport(doc, {"m-p1": P1, "m-p2": "Zhang Hanfu replied briefly."})
    reimport(doc, {"m-p1": P1, "m-p2": P2})
    note.refresh_from_db()
    assert note.passage.anchor == "m-p2" and note.anchor_status == "moved"


def test_short_words_are_never_matched_approximately(doc):
    note = make_note(doc, "m-p1", "7 J")
    counts = reimport(doc, {"m-p1": P1.replace("7 June", "8 Jul"), "m-p2": P2})
    assert counts["orphaned"] == 1
    note.refresh_from_db()
    assert note.anchor_status == "orphan"


def test_tei_notes_are_left_to_the_importer(doc):
    tei_note = make_note(doc, "m-p2", "Zhang Hanfu", provenance=Note.Provenance.TEI)
    counts = reimport(doc, {"m-p1": P1})
    assert sum(counts.values()) == 0
    assert Note.objects.filter(pk=tei_note.pk).exists()


def test_history_records_the_reanchoring(doc):
    note = make_note(doc, "m-p2", "study the memorandum carefully")
    reimport(doc, {"m-p1": P1, "m-p2": "Zhang Hanfu replied briefly."})
    latest = note.history.latest()
    assert latest.history_change_reason == "re-anchored after re-import: orphaned"
    assert latest.version == 2


def test_threshold_setting_decides_between_review_and_orphan(doc, settings):
    settings.EDITION_ANCHOR_THRESHOLD = 0.99
    note = make_note(doc, "m-p1", "memorandum dated 7 June 1962")
    edited = P1.replace("memorandum dated 7 June 1962", "memorandum, dated 7 June, 1962")
    assert reimport(doc, {"m-p1": edited, "m-p2": P2})["orphaned"] == 1
    note.refresh_from_db()
    assert note.anchor_status == "orphan" and note.exact == "memorandum dated 7 June 1962"
