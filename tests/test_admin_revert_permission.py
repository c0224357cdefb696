"""Issue 19.4: the history revert form changes a note, so it needs the change permission (django-simple-history
lets view-only staff open it, and its POST saved the note)."""

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client
from django.urls import reverse

from documents.models import Note
from tests.builders import make_note, note_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def viewer_client():
    user = User.objects.create_user("viewer", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=["view_note", "view_passage", "view_document"]))
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def changed_note(minutes):
    note = make_note(minutes, "m-p1", "handed over", body="First.")
    note.body = "Second."
    note.save()
    return note


def revert_url(note):
    first = note.history.order_by("history_date").first()
    return reverse("admin:documents_note_simple_history", args=[note.pk, first.history_id])


def test_view_only_staff_cannot_revert_a_note(viewer_client, changed_note, minutes):
    data = note_form(minutes, changed_note.passage, "handed over", body="Vandalised.", expected_version=2)
    response = viewer_client.post(revert_url(changed_note), data)
    assert response.status_code == 403
    changed_note.refresh_from_db()
    assert changed_note.body == "Second." and changed_note.version == 2
    assert changed_note.history.count() == 2


def test_view_only_staff_see_the_old_version_read_only(viewer_client, changed_note):
    response = viewer_client.get(revert_url(changed_note))
    assert response.status_code == 200
    html = response.content.decode()
    assert "First." in html
    assert 'name="body"' not in html and 'name="_save"' not in html  # nothing editable, no Revert button


def test_view_only_staff_may_still_read_the_history_list(viewer_client, changed_note):
    assert viewer_client.get(reverse("admin:documents_note_history", args=[changed_note.pk])).status_code == 200


def test_editors_still_revert(editor_client, changed_note, minutes):
    data = note_form(minutes, changed_note.passage, "handed over", body="First.", expected_version=2)
    assert editor_client.post(revert_url(changed_note), data).status_code == 302
    changed_note.refresh_from_db()
    assert changed_note.body == "First."


def test_tei_notes_cannot_be_reverted_even_by_editors(editor_client, changed_note, minutes):
    Note.objects.filter(pk=changed_note.pk).update(provenance=Note.Provenance.TEI)
    data = note_form(minutes, changed_note.passage, "handed over", body="First.", expected_version=2)
    assert editor_client.post(revert_url(changed_note), data).status_code == 403
    changed_note.refresh_from_db()
    assert changed_note.body == "Second."
