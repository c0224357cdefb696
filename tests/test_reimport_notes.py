"""Integration: a corrected TEI file is re-imported and the editors' notes survive (importer + anchoring)."""


import pytest

from documents.models import Document, Note
from documents.services.anchoring import quote_selector
from documents.services.importer import TEIImporter
from tests.versions_helpers import imported_copy

pytestmark = pytest.mark.django_db


@pytest.fixture
def tei_dir(tmp_path):
    return imported_copy(tmp_path)  # tests/versions_helpers.py


def note_on(anchor, words):
    passage = Document.objects.get(kind="minutes").passages.get(anchor=anchor)
    start = passage.reading_text.index(words)
    return Note.objects.create(
        document=passage.document, passage=passage, anchor=anchor, body="Editor's note.", status="published",
        **quote_selector(passage.reading_text, start, start + len(words)),
    )  # fmt: skip


def reimport(tei_dir, old, new):
    path = tei_dir / "minutes-1962-06-08.xml"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")
    report = TEIImporter().import_paths([tei_dir])
    assert not report.failed, [str(p) for p in report.problems]
    return report


def test_words_inserted_before_the_note_move_it(tei_dir):
    note = note_on("m-zhang-1-measures", "we appreciate such efforts")
    reimport(tei_dir, "First, the <placeName", "First of all, the <placeName")
    note.refresh_from_db()
    assert note.passage.reading_text[note.start : note.end] == "we appreciate such efforts"
    assert note.anchor_status == "moved" and note.passage.anchor == "m-zhang-1-measures"


def test_removed_words_make_an_orphan_that_is_kept(tei_dir):
    note = note_on("m-zhang-1-measures", "we appreciate such efforts")
    reimport(tei_dir, "We have noticed this and we appreciate such efforts.", "We have noticed this.")
    note.refresh_from_db()
    assert note.passage is None and note.anchor_status == "orphan" and note.body == "Editor's note."
    assert "«we appreciate such efforts»" in note.old_context


def test_slightly_edited_words_are_marked_for_review(tei_dir):
    note = note_on("m-zhang-1-measures", "we appreciate such efforts")
    report = reimport(tei_dir, "we appreciate such efforts", "we appreciate such an effort")
    note.refresh_from_db()
    assert note.anchor_status == "review" and note.exact == "we appreciate such an effort"
    assert "1 to review (approximate match)" in "\n".join(report.summary_lines())


def test_unchanged_reimport_leaves_notes_alone(tei_dir):
    note = note_on("m-zhang-1-measures", "we appreciate such efforts")
    report = TEIImporter(force=True).import_paths([tei_dir])
    assert not report.failed
    note.refresh_from_db()
    assert (note.anchor_status, note.version) == ("ok", 1)
