"""What changed between two versions: the word diff per passage and the editors' notes it moved."""

import pytest
from lxml import etree

from documents.models import DocumentVersion, Note
from documents.services.version_diff import diff_versions, trimmed, word_diff
from tests.versions_helpers import MINUTES, NEW, OLD, edit, imported_copy, note_on, reimport

pytestmark = pytest.mark.django_db
CHANGES = f"/documents/{MINUTES}/changes/"


@pytest.fixture
def tei_dir(tmp_path):
    return imported_copy(tmp_path)


def version(number):
    return DocumentVersion.objects.get(document__slug=MINUTES, number=number)


def test_long_unchanged_stretches_are_trimmed():
    before = " ".join(f"w{i}" for i in range(100))
    segments = trimmed(word_diff(before, before.replace("w50", "changed")))
    assert ("delete", "w50") in segments and ("insert", "changed") in segments
    assert segments[0][1].startswith(" … ") and "w49" in segments[0][1] and "w10 " not in segments[0][1]


def test_word_diff_works_on_whole_words():
    assert word_diff("we appreciate such efforts.", "we value such efforts.") == [
        ("equal", "we "), ("delete", "appreciate"), ("insert", "value"), ("equal", " such efforts."),
    ]  # fmt: skip
    assert word_diff("same", "same") == [("equal", "same")]
    assert word_diff("", "new words") == [("insert", "new words")]
    segments = word_diff("The Soviet Union", "The Soviet Unions")
    assert ("delete", "Union") in segments and ("insert", "Unions") in segments  # never half a word


def test_the_diff_lists_only_the_changed_passage(tei_dir):
    reimport(tei_dir, OLD, NEW)
    diff = diff_versions(version(1), version(2))
    (change,) = diff.passages
    assert change.anchor == "m-zhang-1-measures" and change.status == "changed"
    assert ("delete", "appreciate") in change.reading and ("insert", "value") in change.reading
    assert diff.unchanged == len(version(2).entries) - 1 and not diff.header


def test_added_and_removed_passages(tei_dir):
    edit(tei_dir, '<p xml:id="m-zhang-1-measures">', '<p xml:id="m-zhang-1-new">Inserted paragraph.</p>\n'
         '          <p xml:id="m-zhang-1-measures">')  # fmt: skip
    reimport(tei_dir)
    diff = diff_versions(version(1), version(2))
    assert [(c.anchor, c.status) for c in diff.passages] == [("m-zhang-1-new", "added")]
    back = diff_versions(version(2), version(1))
    assert [(c.anchor, c.status) for c in back.passages] == [("m-zhang-1-new", "removed")]


def test_the_change_page_shows_the_word_diff_and_the_change_note(tei_dir, client):
    reimport(tei_dir, OLD, NEW, message="Corrected a word from the witness.")
    page = client.get(CHANGES, {"from": 1, "to": 2})
    assert page.status_code == 200
    html = page.content.decode()
    tree = etree.HTML(html)
    (block,) = tree.xpath("//*[@id='change-m-zhang-1-measures']")
    deleted = ["".join(d.itertext()) for d in block.iter("del")]
    inserted = ["".join(i.itertext()) for i in block.iter("ins")]
    assert deleted == ["[removed: appreciate]"] and inserted == ["[added: value]"]  # labels for screen readers
    assert all(d.xpath("span[@class='visually-hidden']") for d in block.iter("del"))
    assert "Corrected a word from the witness." in html
    assert f'href="/documents/{MINUTES}/v/1/#m-zhang-1-measures"' in html  # to the old words at their anchor
    assert "<script" not in html.split("<main", 1)[1]  # works without JavaScript


def test_the_diplomatic_view_and_the_default_pair(tei_dir, client):
    reimport(tei_dir, OLD, NEW)
    page = client.get(CHANGES, {"from": 1, "to": 2, "view": "diplomatic"}).content.decode()
    assert '<del><span class="visually-hidden">[removed: </span>appreciate<' in page
    assert "What changed from version 1 to version 2" in client.get(CHANGES).content.decode()


def test_the_change_page_lists_the_notes_it_moved_and_orphaned(tei_dir, client):
    orphan = note_on("m-zhang-1-measures", "we appreciate such efforts", body="On the appreciation.")
    moved = note_on("m-zhang-1-measures", "such efforts", body="On the efforts.")
    kept = note_on("m-zhang-1-measures", "First, the Soviet Union", body="Not moved.")
    reimport(tei_dir, "this and we appreciate such efforts.", "this. Such efforts, such efforts.")
    outcomes = {item["uuid"]: item["outcome"] for item in version(2).notes_moved}
    assert outcomes.get(str(orphan.uuid)) == "orphaned" and str(kept.uuid) not in outcomes
    assert outcomes.get(str(moved.uuid)) in {"moved", "review"}
    html = client.get(CHANGES, {"from": 1, "to": 2}).content.decode()
    assert "On the appreciation." in html and "Orphaned" in html and "Not moved." not in html
    assert "kept as an orphan" in html


def test_a_single_version_shows_the_history_only(tei_dir, client):
    page = client.get(CHANGES)
    assert page.status_code == 200 and "Version 1" in page.content.decode()
    assert "What changed" not in page.content.decode()


@pytest.mark.parametrize("params", [{"from": "1", "to": "9"}, {"from": "x", "to": "1"}, {"from": "0"}, {"to": "-1"}])
def test_unknown_versions_are_404(tei_dir, client, params):
    reimport(tei_dir, OLD, NEW)
    assert client.get(CHANGES, params).status_code == 404


def test_a_header_change_is_shown(tei_dir, client):
    reimport(tei_dir, '<title type="main">Minutes of the Meeting', '<title type="main">Minutes of the meeting')
    diff = diff_versions(version(1), version(2))
    assert diff.header_tei_changed and not diff.passages
    assert ("delete", "Meeting") in diff.header_text and ("insert", "meeting") in diff.header_text
    html = client.get(CHANGES).content.decode()
    assert 'id="change-header"' in html and "[added: </span>meeting<" in html


def test_draft_notes_moved_are_listed_for_editors_only(tei_dir, editor_client):
    from django.test import Client

    note_on("m-zhang-1-measures", "we appreciate such efforts", body="A draft, not for readers.")
    Note.objects.filter(body="A draft, not for readers.").update(status="draft")
    reimport(tei_dir, OLD, NEW)
    assert "A draft, not for readers." not in Client().get(CHANGES).content.decode()  # anonymous
    assert "A draft, not for readers." in editor_client.get(CHANGES).content.decode()


def test_change_notes_are_escaped(tei_dir, client):
    reimport(tei_dir, OLD, NEW, message='<script>alert("x")</script> & <b>bold</b>')
    html = client.get(CHANGES).content.decode()
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html and "<b>bold" not in html
    assert "&lt;script&gt;" in client.get(f"/documents/{MINUTES}/v/2/").content.decode()
