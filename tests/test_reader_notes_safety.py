"""Notes written in the admin as they reach the reader: hostile bodies inert, drafts only for editors."""

import lxml.html
import pytest
from django.test import Client
from django.urls import reverse

from documents.models import Note
from tests.builders import make_note, note_form
from tests.test_xss import page_problems
from tests.xss_payloads import PAYLOADS

pytestmark = pytest.mark.django_db


def reader(client, document):
    response = client.get(reverse("documents:document", kwargs={"slug": document.slug}))
    assert response.status_code == 200
    return response.content.decode()


def test_hostile_note_bodies_are_inert_on_the_reader_page(editor_client, minutes):
    passage = minutes.passages.get(anchor="m-p1")
    add = reverse("admin:documents_note_add")
    for n, payload in enumerate(PAYLOADS):
        data = note_form(minutes, passage, "handed over", body=f"Payload-{n}: {payload}", status="published")
        assert editor_client.post(add, data).status_code == 302
    html = reader(Client(), minutes)  # anonymous (the editor's page is checked too)
    assert page_problems(reader(editor_client, minutes)) == []
    for n in range(len(PAYLOADS)):
        assert f"Payload-{n}:" in html  # every note reached the page
    assert page_problems(html) == []
    bodies = lxml.html.fromstring(html).xpath("//*[contains(@class, 'note-body')]")
    assert len(bodies) == len(PAYLOADS)
    for body in bodies:
        for el in body.iter():
            assert el.tag not in {"script", "style", "iframe", "svg", "img", "object", "embed", "form"}
            assert not [a for a in el.attrib if a.startswith("on") or a == "style"]
            assert not el.get("href", "").lower().startswith(("javascript:", "data:", "vbscript:"))


def test_drafts_reach_editors_with_a_badge_and_never_the_public(editor_client, minutes):
    make_note(minutes, "m-p1", "handed over", body="Draft-words.", status="draft")
    make_note(minutes, "m-p2", "Zhang Hanfu", body="Published-words.", status="published")
    public = reader(Client(), minutes)
    assert "Published-words." in public and "Draft-words." not in public
    editor = reader(editor_client, minutes)
    assert "Draft-words." in editor
    drafts = lxml.html.fromstring(editor).xpath("//li[contains(@class, 'note') and contains(@class, 'draft')]")
    assert len(drafts) == 1 and "draft" in drafts[0].text_content()
    assert Note.objects.count() == 2


def test_tei_export_never_carries_drafts(minutes):
    make_note(minutes, "m-p1", "handed over", body="Draft-words.", status="draft")
    response = Client().get(reverse("documents:document-tei", kwargs={"slug": minutes.slug}))
    assert b"Draft-words." not in response.content
