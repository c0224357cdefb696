"""Concurrent edits are refused with the other's change shown; history records who changed what; revert works."""

import pytest
from django.test import Client
from django.urls import reverse

from documents.models import Note
from tests.builders import make_editor, make_note, note_form

pytestmark = pytest.mark.django_db


def change_url(note):
    return reverse("admin:documents_note_change", args=[note.pk])


def opened_form(client, note):
    """The POST data an editor's browser holds after opening the change form."""
    form = client.get(change_url(note)).context["adminform"].form
    data = note_form(note.document, note.passage, note.exact, body=note.body)
    data["expected_version"] = form.initial["expected_version"]
    return data


def test_second_of_two_concurrent_saves_is_refused(minutes):
    note = make_note(minutes, "m-p1", "handed over", body="Original.")
    alice, bob = Client(), Client()
    alice.force_login(make_editor("alice"))
    bob.force_login(make_editor("bob"))
    alice_form, bob_form = opened_form(alice, note), opened_form(bob, note)

    assert alice.post(change_url(note), {**alice_form, "body": "Alice's text."}).status_code == 302
    response = bob.post(change_url(note), {**bob_form, "body": "Bob's text."})

    assert response.status_code == 200
    note.refresh_from_db()
    assert note.body == "Alice's text." and note.version == 2  # nothing overwritten
    html = response.content.decode()
    assert "Not saved: alice saved this note" in html
    assert "The note was changed by someone else" in html
    assert "Alice&#x27;s text." in html and "Bob&#x27;s text." in html  # theirs and yours, side by side
    assert "+Bob&#x27;s text." in html and "-Alice&#x27;s text." in html  # the line diff
    diff = response.context["note_conflict_diff"]
    assert [row["label"] for row in diff] == ["Note (Markdown)"]

    # Bob has seen Alice's change; saving again is a deliberate overwrite (the form now carries version 2).
    resubmit = response.context["adminform"].form.data.copy()
    assert resubmit["expected_version"] == "2"
    assert bob.post(change_url(note), resubmit).status_code == 302
    note.refresh_from_db()
    assert note.body == "Bob's text." and note.version == 3


def test_history_records_who_changed_what_and_revert_restores(editor_client, minutes, editor):
    passage = minutes.passages.get(anchor="m-p1")
    editor_client.post(reverse("admin:documents_note_add"), note_form(minutes, passage, "handed over", body="First."))
    note = Note.objects.get()
    data = opened_form(editor_client, note)
    assert editor_client.post(change_url(note), {**data, "body": "Second."}).status_code == 302

    records = list(note.history.order_by("history_date"))
    assert [r.body for r in records] == ["First.", "Second."]
    assert {r.history_user for r in records} == {editor}
    page = editor_client.get(reverse("admin:documents_note_history", args=[note.pk]))
    assert page.status_code == 200 and "editor" in page.content.decode()

    first = records[0]
    revert_url = reverse("admin:documents_note_simple_history", args=[note.pk, first.history_id])
    form = editor_client.get(revert_url).context["adminform"].form
    assert form.initial["body"] == "First."
    assert form.initial["expected_version"] == 2  # the current version, not the old record's
    revert = note_form(minutes, passage, "handed over", body="First.", expected_version=2)
    assert editor_client.post(revert_url, revert).status_code == 302
    note.refresh_from_db()
    assert note.body == "First." and note.version == 3
    assert note.history.count() == 3


def test_revert_is_refused_when_the_note_changed_meanwhile(editor_client, minutes):
    note = make_note(minutes, "m-p1", "handed over", body="First.")
    first = note.history.get()
    note.body = "Second."
    note.save()
    revert_url = reverse("admin:documents_note_simple_history", args=[note.pk, first.history_id])
    stale = note_form(minutes, note.passage, "handed over", body="First.", expected_version=1)
    response = editor_client.post(revert_url, stale)
    assert response.status_code == 200 and "Not saved" in response.content.decode()
    note.refresh_from_db()
    assert note.body == "Second."
