"""The note admin: words -> selector, form errors, pre-filling from the reader, preview, actions."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from documents.models import Note
from tests.builders import MINUTES, make_note, note_form
from tests.xss_payloads import active_content

pytestmark = pytest.mark.django_db
ADD = reverse("admin:documents_note_add")


def errors(response):
    return response.context["adminform"].form.errors


def test_add_note_computes_the_selector(editor_client, minutes, editor):
    passage = minutes.passages.get(anchor="m-p1")
    response = editor_client.post(ADD, note_form(minutes, passage, "memorandum  dated\n7 June 1962"))
    assert response.status_code == 302, errors(response)
    note = Note.objects.get()
    assert note.exact == "memorandum dated 7 June 1962"
    assert passage.reading_text[note.start : note.end] == note.exact
    assert note.prefix == "The Soviet side handed over a "
    assert note.suffix.startswith(" about the events")
    assert (note.anchor, note.provenance, note.created_by, note.status) == ("m-p1", "editor", editor, "draft")
    assert note.history.count() == 1 and note.history.first().history_user == editor


def test_note_on_a_whole_passage(editor_client, minutes):
    passage = minutes.passages.get(anchor="m-p2")
    response = editor_client.post(ADD, note_form(minutes, passage, ""))
    assert response.status_code == 302
    note = Note.objects.get()
    assert (note.start, note.end, note.exact) == (None, None, "")


def test_words_not_in_the_passage_are_refused(editor_client, minutes):
    passage = minutes.passages.get(anchor="m-p1")
    response = editor_client.post(ADD, note_form(minutes, passage, "memorandum of 19 May"))
    assert response.status_code == 200
    assert "is not in passage m-p1" in errors(response)["exact"][0]
    response = editor_client.post(ADD, note_form(minutes, passage, "THE SOVIET side"))
    assert "different capitals" in errors(response)["exact"][0]
    passage.diplomatic_text = passage.reading_text.replace("handed over", "handed out")
    passage.save()
    response = editor_client.post(ADD, note_form(minutes, passage, "handed out a memorandum"))
    assert "the witness's words as written" in errors(response)["exact"][0]
    assert not Note.objects.exists()


def test_repeated_words_ask_which_occurrence(editor_client, minutes):
    passage = minutes.passages.get(anchor="m-p2")
    response = editor_client.post(ADD, note_form(minutes, passage, "the memorandum"))
    message = errors(response)["occurrence"][0]
    assert "occurs 2 times" in message and "1: …" in message and "2: …" in message
    response = editor_client.post(ADD, note_form(minutes, passage, "the memorandum", occurrence=3))
    assert "only 2 occurrences" in errors(response)["occurrence"][0]
    response = editor_client.post(ADD, note_form(minutes, passage, "the memorandum", occurrence=2))
    assert response.status_code == 302
    note = Note.objects.get()
    assert note.start == passage.reading_text.rindex("the memorandum")
    assert note.prefix.endswith("and answer ")


def test_empty_body_is_refused(editor_client, minutes):
    passage = minutes.passages.get(anchor="m-p1")
    response = editor_client.post(ADD, note_form(minutes, passage, "handed over", body="  \n "))
    assert "The note is empty" in errors(response)["body"][0]
    assert not Note.objects.exists()


def test_passage_of_another_document_is_refused(editor_client, minutes):
    from tests.builders import make_document

    other = make_document(slug="memo", texts={"memo-p1": "The memorandum text."})
    response = editor_client.post(ADD, note_form(minutes, other.passages.get(), "memorandum"))
    assert "is not in" in errors(response)["passage"][0]


def test_document_is_taken_from_the_passage(editor_client, minutes):
    passage = minutes.passages.get(anchor="m-p1")
    response = editor_client.post(ADD, {**note_form(minutes, passage, "handed over"), "document": ""})
    assert response.status_code == 302
    assert Note.objects.get().document == minutes


def test_add_form_is_prefilled_from_the_reader(editor_client, minutes):
    passage = minutes.passages.get(anchor="m-p1")
    query = urlencode({"document": minutes.slug, "anchor": "m-p1", "exact": "the events\n in Xinjiang"})
    response = editor_client.get(f"{ADD}?{query}")
    assert response.status_code == 200
    initial = response.context["adminform"].form.initial
    assert (initial["document"], int(initial["passage"]), initial["exact"]) == (
        minutes.pk,
        passage.pk,
        "the events in Xinjiang",
    )
    html = response.content.decode()
    assert f'<option value="{passage.pk}" selected>' in html  # the autocomplete shows the chosen passage
    query = urlencode({"document": minutes.pk, "passage": passage.pk, "exact": "handed over"})
    response = editor_client.get(f"{ADD}?{query}")
    assert response.context["adminform"].form.initial["exact"] == "handed over"


def test_passage_autocomplete_by_anchor_and_by_words(editor_client, minutes):
    url = reverse("admin:autocomplete")
    params = {"app_label": "documents", "model_name": "note", "field_name": "passage"}
    found = editor_client.get(url, {**params, "term": "m-p2"}).json()["results"]
    assert [r["text"] for r in found] == ["minutes#m-p2 — " + MINUTES["m-p2"][:69] + "…"]
    found = editor_client.get(url, {**params, "term": "events in Xinjiang"}).json()["results"]
    assert [r["text"].split(" — ")[0] for r in found] == ["minutes#m-p1"]


def test_preview_renders_sanitized_body_and_saves_nothing(editor_client, minutes):
    passage = minutes.passages.get(anchor="m-p1")
    body = "**Bold** <script>alert(1)</script> [x](javascript:alert(1))"
    data = note_form(minutes, passage, "handed over", body=body)
    response = editor_client.post(reverse("admin:documents_note_preview"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<strong>Bold</strong>" in html
    import lxml.html

    body = lxml.html.fromstring(html).xpath("//div[@class='note-body']")[0]
    assert active_content(lxml.html.tostring(body, encoding="unicode")) == []
    assert "<mark>handed over</mark>" in html
    assert "draft" in html
    assert not Note.objects.exists()


def test_preview_reports_form_problems(editor_client, minutes):
    passage = minutes.passages.get(anchor="m-p1")
    response = editor_client.post(reverse("admin:documents_note_preview"), note_form(minutes, passage, "nowhere"))
    assert "is not in passage m-p1" in response.content.decode()


def test_preview_is_post_only(editor_client):
    assert editor_client.get(reverse("admin:documents_note_preview")).status_code == 405


def test_change_form_shows_rendered_body_and_preview_button(editor_client, minutes):
    note = make_note(minutes, "m-p1", "handed over", body="See *Pravda*.")
    response = editor_client.get(reverse("admin:documents_note_change", args=[note.pk]))
    html = response.content.decode()
    assert "<em>Pravda</em>" in html
    assert f'formaction="{reverse("admin:documents_note_preview")}?note={note.pk}"' in html


def test_editing_body_keeps_the_anchor_without_asking_again(editor_client, minutes):
    note = make_note(minutes, "m-p2", "the memorandum", occurrence=2)
    url = reverse("admin:documents_note_change", args=[note.pk])
    data = note_form(minutes, note.passage, "the memorandum", body="Revised.", expected_version=note.version)
    response = editor_client.post(url, data)
    assert response.status_code == 302, errors(response)
    note.refresh_from_db()
    assert (note.body, note.version, note.start) == ("Revised.", 2, MINUTES["m-p2"].rindex("the memorandum"))


def test_publish_action(editor_client, minutes):
    note = make_note(minutes, "m-p1", "handed over", status="draft")
    url = reverse("admin:documents_note_changelist")
    response = editor_client.post(url, {"action": "publish_selected", "_selected_action": [note.pk]})
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.status == "published"


def test_tei_notes_are_read_only(editor_client, minutes):
    note = make_note(minutes, "m-p1", "handed over", provenance="tei")
    url = reverse("admin:documents_note_change", args=[note.pk])
    page = editor_client.get(url)
    assert page.status_code == 200  # viewable
    assert "Preview as readers will see it" not in page.content.decode()  # nothing to preview or save
    data = note_form(minutes, note.passage, "handed over", body="Changed.", expected_version=note.version)
    assert editor_client.post(url, data).status_code == 403
    note.refresh_from_db()
    assert note.body == "A note."
