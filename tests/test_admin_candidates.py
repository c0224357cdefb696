"""An ambiguous re-anchoring is a question in the admin: the candidates are shown and one is chosen."""

import pytest
from django.urls import reverse

from documents.models import Note
from documents.services.anchoring import reanchor_document_notes
from tests.builders import make_note, note_form, rewrite

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:documents_note_changelist")
SHORTER = "Zhang Hanfu said that the Chinese side would study the memorandum."


@pytest.fixture
def question(minutes):
    """A note on the second "the memorandum" of m-p2; the correction deletes it, the first one stays."""
    note = make_note(minutes, "m-p2", "the memorandum", occurrence=2, body="Which memorandum?")
    old = rewrite(minutes, {"m-p1": minutes.passages.get(anchor="m-p1").reading_text, "m-p2": SHORTER})
    assert reanchor_document_notes(minutes, old)["review"] == 1
    note.refresh_from_db()
    return note


def test_the_note_is_detached_and_its_candidate_stored(question):
    assert question.anchor_status == "review" and question.passage is None
    assert question.exact == "the memorandum" and question.body == "Which memorandum?"
    # The same words where the first occurrence stood ("a memorandum" in m-p1 is not offered: the
    # same words exist, so only a changed version of them in their own passage would be).
    (candidate,) = question.anchor_candidates
    assert (candidate["anchor"], candidate["exact"], candidate["kind"]) == ("m-p2", "the memorandum", "same words")
    assert candidate["start"] == SHORTER.index("the memorandum")
    assert candidate["context"].endswith("would study «the memorandum».…")
    assert 0.5 <= candidate["score"] < 0.75
    assert "ambiguous: 1 candidates" in question.old_context
    assert question in Note.objects.needs_attention()


def test_needs_attention_list_and_change_form_show_the_candidates(editor_client, question):
    listing = editor_client.get(CHANGELIST, {"attention": "any"})
    assert [n.pk for n in listing.context["cl"].result_list] == [question.pk]
    assert "Candidates" in listing.content.decode()
    page = editor_client.get(reverse("admin:documents_note_change", args=[question.pk])).content.decode()
    assert "Attach to a candidate" in page
    assert "would study «the memorandum».…" in page
    assert "not attached: the words could be in several places" in page
    assert 'class="anchor-candidates"' in page


def test_choosing_the_candidate_attaches_the_note(editor_client, question, minutes):
    url = reverse("admin:documents_note_change", args=[question.pk])
    data = note_form(minutes, minutes.passages.get(anchor="m-p2"), "", body="Which memorandum?")
    data.update(passage="", candidate="0", expected_version=question.version)
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    question.refresh_from_db()
    p2 = minutes.passages.get(anchor="m-p2")
    assert (question.anchor_status, question.passage, question.anchor_candidates) == ("ok", p2, [])
    assert p2.reading_text[question.start : question.end] == "the memorandum" and question.old_context == ""


def test_a_stale_candidate_is_refused_and_nothing_changes(editor_client, question, minutes):
    p2 = minutes.passages.get(anchor="m-p2")
    p2.reading_text = "Zhang Hanfu replied."
    p2.save()
    url = reverse("admin:documents_note_change", args=[question.pk])
    data = note_form(minutes, p2, "", body="Which memorandum?")
    data.update(passage="", candidate="0", expected_version=question.version)
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "The text has changed since this candidate was found" in response.content.decode()
    question.refresh_from_db()
    assert question.anchor_status == "review" and question.passage is None and len(question.anchor_candidates) == 1


def test_revising_the_body_keeps_the_question_open(editor_client, question, minutes):
    url = reverse("admin:documents_note_change", args=[question.pk])
    data = note_form(minutes, minutes.passages.get(anchor="m-p2"), "", body="Revised.")
    data.update(passage="", expected_version=question.version)
    assert editor_client.post(url, data).status_code == 302
    question.refresh_from_db()
    assert (question.body, question.anchor_status, question.passage) == ("Revised.", "review", None)
    assert len(question.anchor_candidates) == 1


def test_confirm_action_leaves_questions_open(editor_client, question):
    response = editor_client.post(
        CHANGELIST, {"action": "confirm_anchor", "_selected_action": [question.pk]}, follow=True
    )
    assert "1 note(s) with several candidates left as they are" in response.content.decode()
    question.refresh_from_db()
    assert question.anchor_status == "review"


def test_reanchor_action_attaches_the_note_when_the_words_come_back_uniquely(editor_client, question, minutes):
    editor_client.post(CHANGELIST, {"action": "reanchor_selected", "_selected_action": [question.pk]})
    question.refresh_from_db()
    # Without the old text the single occurrence is taken (an editor asked for it): moved, visible as such.
    assert question.anchor_status == "moved" and question.passage.anchor == "m-p2"
    assert question.anchor_candidates == []
