"""Who may do what: the admin only for staff; Editors edit notes and links, never the text; CSRF everywhere."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser, Group, User
from django.test import Client
from django.urls import reverse

from documents.models import Document, Note, PassageLink
from tests.builders import make_editor, make_note, note_form

pytestmark = pytest.mark.django_db


def test_editors_group_has_exactly_the_editing_permissions():
    codenames = set(Group.objects.get(name="Editors").permissions.values_list("codename", flat=True))
    assert {"add_note", "change_note", "view_note", "add_passagelink", "change_passagelink"} <= codenames
    assert {"view_document", "view_passage", "view_entity", "view_turn", "view_section"} <= codenames
    forbidden = {c for c in codenames if c.startswith(("delete_", "add_document", "change_document"))}
    forbidden |= {c for c in codenames if c.split("_", 1)[0] in {"add", "change"} and c.endswith(("passage", "entity"))}
    assert forbidden == set()


@pytest.mark.parametrize("url_name", ["admin:index", "admin:documents_note_changelist", "admin:documents_note_add"])
def test_admin_is_only_for_staff(client, url_name):
    url = reverse(url_name)
    assert client.get(url).status_code == 302  # anonymous -> login
    client.force_login(User.objects.create_user("reader"))
    response = client.get(url)
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]


def test_staff_without_the_editors_group_cannot_touch_notes(client, minutes):
    user = User.objects.create_user("intern", is_staff=True)
    client.force_login(user)
    assert client.get(reverse("admin:documents_note_add")).status_code == 403
    passage = minutes.passages.first()
    assert client.post(reverse("admin:documents_note_add"), note_form(minutes, passage, "")).status_code == 403
    assert client.post(reverse("admin:documents_note_preview"), note_form(minutes, passage, "")).status_code == 403
    assert not Note.objects.exists()


def test_editors_cannot_change_the_text_or_delete_documents(editor_client, minutes):
    passage = minutes.passages.get(anchor="m-p1")
    assert editor_client.get(reverse("admin:documents_passage_change", args=[passage.pk])).status_code == 200
    response = editor_client.post(
        reverse("admin:documents_passage_change", args=[passage.pk]), {"reading_text": "Rewritten."}
    )
    assert response.status_code == 403
    passage.refresh_from_db()
    assert passage.reading_text.startswith("The Soviet side")
    assert editor_client.get(reverse("admin:documents_document_add")).status_code == 403
    assert editor_client.get(reverse("admin:documents_passage_add")).status_code == 403
    delete = reverse("admin:documents_document_delete", args=[minutes.pk])
    assert editor_client.post(delete, {"post": "yes"}).status_code == 403
    assert Document.objects.filter(pk=minutes.pk).exists()


def test_editors_cannot_delete_notes(editor_client, minutes):
    note = make_note(minutes, "m-p1", "handed over")
    url = reverse("admin:documents_note_delete", args=[note.pk])
    assert editor_client.post(url, {"post": "yes"}).status_code == 403
    assert Note.objects.filter(pk=note.pk).exists()


def test_text_is_read_only_even_for_superusers(superuser_client, minutes):
    passage = minutes.passages.get(anchor="m-p1")
    page = superuser_client.get(reverse("admin:documents_passage_change", args=[passage.pk])).content.decode()
    assert 'name="reading_text"' not in page and "The Soviet side handed over" in page
    assert superuser_client.get(reverse("admin:documents_passage_add")).status_code == 403
    # A document with notes cannot be deleted (the notes would be lost).
    make_note(minutes, "m-p1", "handed over")
    response = superuser_client.post(reverse("admin:documents_document_delete", args=[minutes.pk]), {"post": "yes"})
    assert Document.objects.filter(pk=minutes.pk).exists()
    assert response.status_code == 200  # Django lists the protected notes instead of deleting


def test_every_admin_list_opens_for_an_editor(editor_client, minutes):
    for model in ["document", "section", "turn", "passage", "entity", "participation", "note", "passagelink"]:
        assert editor_client.get(reverse(f"admin:documents_{model}_changelist")).status_code == 200, model


def test_anonymous_never_sees_drafts(minutes, editor):
    draft = make_note(minutes, "m-p1", "handed over", status="draft")
    published = make_note(minutes, "m-p2", "Zhang Hanfu", status="published")
    assert list(Note.objects.visible_to(AnonymousUser())) == [published]
    assert set(Note.objects.visible_to(editor)) == {draft, published}


# -- CSRF ------------------------------------------------------------------------------------------
def csrf_client(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def token(client, url):
    html = client.get(url).content.decode()
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def test_note_forms_refuse_posts_without_csrf_token(minutes):
    client = csrf_client(make_editor())
    passage = minutes.passages.get(anchor="m-p1")
    add = reverse("admin:documents_note_add")
    data = note_form(minutes, passage, "handed over")
    assert client.post(add, data).status_code == 403
    assert client.post(reverse("admin:documents_note_preview"), data).status_code == 403
    assert not Note.objects.exists()
    assert client.post(add, {**data, "csrfmiddlewaretoken": token(client, add)}).status_code == 302
    note = Note.objects.get()
    change = reverse("admin:documents_note_change", args=[note.pk])
    assert client.post(change, {**data, "body": "X", "expected_version": 1}).status_code == 403
    changelist = reverse("admin:documents_note_changelist")
    action = {"action": "publish_selected", "_selected_action": [note.pk]}
    assert client.post(changelist, action).status_code == 403
    first = note.history.get()
    revert = reverse("admin:documents_note_simple_history", args=[note.pk, first.history_id])
    assert client.post(revert, {**data, "expected_version": 1}).status_code == 403
    note.refresh_from_db()
    assert (note.body, note.status) == ("A note.", "draft")
    tok = token(client, change)
    data.update(body="X", expected_version=1, csrfmiddlewaretoken=tok)
    assert client.post(change, data).status_code == 302


def test_link_form_refuses_posts_without_csrf_token(minutes):
    client = csrf_client(make_editor())
    p1, p2 = minutes.passages.order_by("order")
    add = reverse("admin:documents_passagelink_add")
    data = {"source": p2.pk, "target": p1.pk, "kind": "answers", "description": "", "status": "published"}
    assert client.post(add, data).status_code == 403
    assert not PassageLink.objects.exists()
    assert client.post(add, {**data, "csrfmiddlewaretoken": token(client, add)}).status_code == 302
    link = PassageLink.objects.get()
    assert (link.source_anchor, link.target_anchor, link.source_document, link.provenance) == (
        "m-p2", "m-p1", minutes, "editor",
    )  # fmt: skip


def test_tei_links_are_read_only(editor_client, minutes):
    p1, p2 = minutes.passages.order_by("order")
    link = PassageLink.objects.create(
        source=p1, source_document=minutes, source_anchor=p1.anchor,
        target=p2, target_document=minutes, target_anchor=p2.anchor, kind="answers", provenance="tei",
    )  # fmt: skip
    url = reverse("admin:documents_passagelink_change", args=[link.pk])
    assert editor_client.get(url).status_code == 200
    data = {"source": p2.pk, "target": p1.pk, "kind": "repeats", "description": "", "status": "published"}
    assert editor_client.post(url, data).status_code == 403
    link.refresh_from_db()
    assert (link.kind, link.source) == ("answers", p1)


def test_document_list_counts_notes_in_a_fixed_number_of_queries(editor_client, minutes, django_assert_max_num_queries):
    from tests.builders import make_document

    for n in range(5):
        make_note(make_document(slug=f"doc-{n}", texts={"p": "Some words here."}), "p", "words")
    with django_assert_max_num_queries(8):  # 7 today; one per document would be 13
        response = editor_client.get(reverse("admin:documents_document_changelist"))
    assert response.status_code == 200


@pytest.mark.django_db(transaction=True)
def test_editors_group_is_recreated_after_a_flush():
    """Transactional tests and `manage.py flush` empty the auth tables; post_migrate restores the group."""
    from django.contrib.auth.models import Group
    from django.core.management import call_command

    from documents.permissions import editors_codenames

    call_command("flush", verbosity=0, interactive=False)
    group = Group.objects.get(name="Editors")
    assert set(group.permissions.values_list("codename", flat=True)) == set(editors_codenames())
