"""The "Needs attention" workflow: after a re-import, orphans and approximate matches are listed and re-attached."""

import pytest
from django.urls import reverse

from documents.models import Note
from documents.services.anchoring import reanchor_document_notes
from tests.builders import MINUTES, make_note, note_form, rewrite

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:documents_note_changelist")


@pytest.fixture
def troubled(minutes):
    """One orphan, one approximate match and one untouched note after a correction of the text."""
    orphan = make_note(minutes, "m-p2", "study the memorandum", body="Orphan.")
    review = make_note(minutes, "m-p1", "memorandum dated 7 June 1962", body="Review.")
    fine = make_note(minutes, "m-p1", "handed over", body="Fine.")
    new_p1 = MINUTES["m-p1"].replace("memorandum dated 7 June 1962", "memorandum, dated 7 June, 1962")
    old = rewrite(minutes, {"m-p1": new_p1, "m-p2": "Zhang Hanfu said the Chinese side would reply."})
    counts = reanchor_document_notes(minutes, old)
    assert (counts["orphaned"], counts["review"], counts["kept"]) == (1, 1, 1)
    return [Note.objects.get(pk=n.pk) for n in (orphan, review, fine)]


def test_needs_attention_lists_orphans_and_reviews_with_old_context(editor_client, troubled):
    orphan, review, fine = troubled
    response = editor_client.get(CHANGELIST, {"attention": "any"})
    assert response.status_code == 200
    shown = {n.pk for n in response.context["cl"].result_list}
    assert shown == {orphan.pk, review.pk}
    html = response.content.decode()
    assert "would «study the memorandum»" in html  # the old context, in the list
    assert "Old context" in html  # the column header
    orphans = editor_client.get(CHANGELIST, {"attention": "orphan"}).context["cl"].result_list
    assert [n.pk for n in orphans] == [orphan.pk]


def test_orphan_is_reattached_by_choosing_passage_and_words(editor_client, troubled, minutes):
    orphan = troubled[0]
    url = reverse("admin:documents_note_change", args=[orphan.pk])
    page = editor_client.get(url)
    assert page.status_code == 200 and "«study the memorandum»" in page.content.decode()
    assert "orphan: no passage" in page.content.decode()
    # Revising the body alone keeps it an orphan (no passage chosen yet).
    data = note_form(minutes, minutes.passages.get(anchor="m-p2"), "", body="Orphan, revised.")
    data.update(passage="", expected_version=orphan.version)
    assert editor_client.post(url, data).status_code == 302
    orphan.refresh_from_db()
    assert orphan.anchor_status == "orphan" and orphan.body == "Orphan, revised."
    # Re-attach to the words "would reply".
    p2 = minutes.passages.get(anchor="m-p2")
    data = note_form(minutes, p2, "would reply", body="Orphan, revised.", expected_version=orphan.version)
    assert editor_client.post(url, data).status_code == 302
    orphan.refresh_from_db()
    assert (orphan.anchor_status, orphan.passage, orphan.exact, orphan.old_context) == ("ok", p2, "would reply", "")
    assert p2.reading_text[orphan.start : orphan.end] == "would reply"


def test_review_is_confirmed_by_ticking_the_anchor_checkbox(editor_client, troubled, minutes):
    review = troubled[1]
    url = reverse("admin:documents_note_change", args=[review.pk])
    page = editor_client.get(url).content.decode()
    assert "The anchor is right" in page
    assert "<mark>memorandum, dated 7 June, 1962</mark>" in page  # the approximate match, in its passage
    data = note_form(minutes, review.passage, review.exact, body="Review.", expected_version=review.version)
    assert editor_client.post(url, data).status_code == 302
    review.refresh_from_db()
    assert review.anchor_status == "review"  # saving without ticking changes nothing about the anchor
    data.update(expected_version=review.version, anchor_checked="on")
    assert editor_client.post(url, data).status_code == 302
    review.refresh_from_db()
    assert review.anchor_status == "ok" and review.old_context == ""


def test_confirm_action_and_reanchor_action(editor_client, troubled, minutes):
    orphan, review, fine = troubled
    response = editor_client.post(
        CHANGELIST, {"action": "confirm_anchor", "_selected_action": [orphan.pk, review.pk]}, follow=True
    )
    assert "1 anchor(s) confirmed" in response.content.decode()
    assert "1 orphan(s) left" in response.content.decode()
    review.refresh_from_db()
    orphan.refresh_from_db()
    assert review.anchor_status == "ok" and orphan.anchor_status == "orphan"
    # The text is corrected again and the words come back: the action re-attaches the orphan.
    p2 = minutes.passages.get(anchor="m-p2")
    p2.reading_text = "Zhang Hanfu said they would study the memorandum."
    p2.save()
    response = editor_client.post(CHANGELIST, {"action": "reanchor_selected", "_selected_action": [orphan.pk]})
    orphan.refresh_from_db()
    assert orphan.anchor_status == "moved" and orphan.passage == p2
    assert p2.reading_text[orphan.start : orphan.end] == "study the memorandum"
