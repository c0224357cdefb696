"""Hostile note bodies go through the admin and come out inert wherever the note is rendered."""

import lxml.html
import pytest
from django.urls import reverse

from documents.markup import render_markdown
from documents.models import Note
from tests.builders import note_form
from tests.xss_payloads import PAYLOADS, active_content

pytestmark = pytest.mark.django_db


def test_there_are_enough_payloads():
    assert len(PAYLOADS) >= 30
    assert len(set(PAYLOADS)) == len(PAYLOADS)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_render_markdown_makes_payload_inert(payload):
    assert active_content(render_markdown(payload)) == []
    assert active_content(render_markdown(f"Some *text* before.\n\n{payload}\n\nAnd after.")) == []


def page_problems(html: str) -> list[str]:
    """Active content in a whole admin/reader page that did not come from the site itself."""
    problems = []
    root = lxml.html.fromstring(html)
    for script in root.iter("script"):
        src = script.get("src", "")
        if "alert" in (script.text or "") or (src and not src.startswith(("/static/", "/admin/"))):
            problems.append(f"script {src or script.text[:40]!r}")
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        for name, value in el.attrib.items():
            if name.lower().startswith("on") and "alert" in value:
                problems.append(f"{name} on <{el.tag}>")
            if name.lower() in {"href", "src", "action", "data"}:
                url = "".join(value.split()).lower()
                if url.startswith(("javascript:", "data:", "vbscript:")):
                    problems.append(f"{name}={value!r}")
            if name.lower() == "style" and ("alert" in value or "expression" in value):
                problems.append(f"style {value!r}")
    for tag in ("iframe", "object", "embed", "base", "meta[@http-equiv]"):
        problems += [f"<{tag}>" for _ in root.xpath(f"//{tag}")]
    # The site's own forms post to the site (no action = this page); an injected one would not.
    problems += [f"form to {f.get('action')!r}" for f in root.iter("form") if not f.get("action", "/").startswith("/")]
    return problems


def test_payloads_posted_through_the_admin_are_inert_everywhere(editor_client, minutes):
    passage = minutes.passages.get(anchor="m-p1")
    add = reverse("admin:documents_note_add")
    for n, payload in enumerate(PAYLOADS):
        body = f"Payload {n}: {payload}"
        response = editor_client.post(add, note_form(minutes, passage, "handed over", body=body, status="published"))
        assert response.status_code == 302, (payload, response.context and response.context["adminform"].form.errors)
        preview = editor_client.post(reverse("admin:documents_note_preview"), note_form(minutes, passage, body=body))
        assert page_problems(preview.content.decode()) == [], payload
    notes = list(Note.objects.order_by("pk"))
    assert len(notes) == len(PAYLOADS)
    for note, payload in zip(notes, PAYLOADS, strict=True):
        assert note.body.endswith(payload)  # stored as written: the source is kept, the output is sanitized
        assert active_content(render_markdown(note.body)) == [], payload
        page = editor_client.get(reverse("admin:documents_note_change", args=[note.pk])).content.decode()
        assert page_problems(page) == [], payload
        rendered = lxml.html.fromstring(page).xpath("//div[@class='note-body']")
        assert len(rendered) == 1
        assert active_content(lxml.html.tostring(rendered[0], encoding="unicode")) == [], payload
    changelist = editor_client.get(reverse("admin:documents_note_changelist"), {"q": "Payload"})
    assert page_problems(changelist.content.decode()) == []


def test_the_checkers_do_see_active_content():
    """Guard against a vacuous test: unsanitized payloads are flagged."""
    raw = ['<img src=x onerror="alert(1)">', "<script>alert(1)</script>", '<a href="javascript:alert(1)">x</a>',
           '<a href="data:text/html,x">x</a>', '<p style="color:red">x</p>', "<svg></svg>"]  # fmt: skip
    for html in raw:
        assert active_content(html) != [], html
        assert page_problems(f"<html><body>{html}</body></html>") != [] or "style" in html or "svg" in html
