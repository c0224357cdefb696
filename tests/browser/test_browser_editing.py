"""The editors' workflow end to end in Chromium ("Done when" of the editors' issue).

An editor signs in, selects words in the reader, chooses "Add note", previews and publishes the note;
an anonymous reader sees it in the margin; the TEI is corrected and re-imported and the note is still
there (moved with its words); the TEI export carries it.
"""

import shutil

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User

from documents.models import Note
from documents.services.importer import TEIImporter

pytestmark = pytest.mark.browser

MINUTES = "/documents/minutes-1962-06-08/"
WORDS = "we appreciate such efforts"


@pytest.fixture
def tei_dir(transactional_db, tmp_path):
    target = tmp_path / "tei"
    shutil.copytree(settings.EDITION_TEI_DIR, target, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    assert not TEIImporter().import_paths([target]).failed
    return target


@pytest.fixture
def editor(transactional_db):
    user = User.objects.create_user("editor", password="correct horse battery 1962", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def sign_in(page, live_server):
    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "correct horse battery 1962")
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")


def select_words(page, anchor, words):
    page.evaluate(
        """([anchor, words]) => {
            const root = document.getElementById(anchor);
            const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
            while (walker.nextNode()) {
                const at = walker.currentNode.data.indexOf(words);
                if (at >= 0) {
                    const range = document.createRange();
                    range.setStart(walker.currentNode, at);
                    range.setEnd(walker.currentNode, at + words.length);
                    const sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(range);
                    return;
                }
            }
            throw new Error("words not found in one text node");
        }""",
        [anchor, words],
    )


def test_add_preview_publish_reimport_export(page, browser, live_server, tei_dir, editor):
    sign_in(page, live_server)
    page.goto(live_server.url + MINUTES)
    assert page.locator("script[src*='add-note.js']").count() == 1  # the reader loads it for editors
    select_words(page, "m-zhang-1-measures", WORDS)
    page.click("a.add-note-button")
    page.wait_for_url("**/admin/documents/note/add/**")
    assert page.input_value("#id_exact") == WORDS
    assert page.locator("#id_passage option:checked").inner_text().startswith("minutes-1962-06-08#m-zhang-1-measures")

    page.fill("#id_body", "The Soviet measures: see *the memorandum*.")
    with page.expect_popup() as popup:
        page.click("button[name=_preview]")
    preview = popup.value
    preview.wait_for_load_state()
    assert preview.locator(".note-body em").inner_text() == "the memorandum"
    assert preview.locator("mark").inner_text() == WORDS
    preview.close()
    assert not Note.objects.filter(provenance=Note.Provenance.EDITOR).exists()  # the preview saved nothing

    page.select_option("#id_status", "published")
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/documents/note/")
    note = Note.objects.filter(provenance=Note.Provenance.EDITOR).get()
    assert (note.status, note.exact, note.anchor) == ("published", WORDS, "m-zhang-1-measures")

    anonymous = browser.new_context().new_page()
    anonymous.goto(live_server.url + MINUTES)
    margin = anonymous.locator("#notes-m-zhang-1-measures")
    assert "The Soviet measures" in margin.inner_text()

    path = tei_dir / "minutes-1962-06-08.xml"
    path.write_text(path.read_text(encoding="utf-8").replace("First, the <placeName", "First of all, the <placeName"))
    assert not TEIImporter().import_paths([tei_dir]).failed
    note.refresh_from_db()
    assert note.anchor_status == "moved" and note.passage.reading_text[note.start : note.end] == WORDS
    anonymous.reload()
    assert "The Soviet measures" in anonymous.locator("#notes-m-zhang-1-measures").inner_text()
    assert "First of all" in anonymous.locator("#m-zhang-1-measures").inner_text()

    tei = anonymous.request.get(live_server.url + MINUTES + "tei.xml").text()
    assert f"#string-range(m-zhang-1-measures,{note.start},{len(WORDS)})" in tei
    assert 'The Soviet measures: see <hi rend="italic">the memorandum</hi>.' in tei
    anonymous.context.close()
