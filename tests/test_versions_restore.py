"""Restoring an earlier version as a new version: never destructive, notes re-anchored as for a re-import."""

import pytest

from documents.models import Document, DocumentVersion, Mention, Note
from documents.services.restore import RestoreError, restore_version
from tests.versions_helpers import MINUTES, NEW, OLD, imported_copy, note_on, reimport

pytestmark = pytest.mark.django_db
ANCHOR = "m-zhang-1-measures"


@pytest.fixture
def tei_dir(tmp_path):
    return imported_copy(tmp_path)


def minutes():
    return Document.objects.get(slug=MINUTES)


def state(doc):
    passages = list(doc.passages.order_by("order").values_list("anchor", "tei", "reading_text", "diplomatic_text"))
    rows = Mention.objects.filter(passage__document=doc)
    mentions = sorted(rows.values_list("passage__anchor", "entity__key", "start"))
    tei_notes = sorted(doc.notes.filter(provenance="tei").values_list("xml_id", "anchor", "exact", "start", "body"))
    return passages, mentions, tei_notes, doc.title, doc.header_tei


def test_restoring_version_1_brings_back_its_words_as_version_3(tei_dir):
    original = state(minutes())
    reimport(tei_dir, OLD, NEW, message="Corrected.")
    assert state(minutes()) != original
    result = restore_version(minutes(), 1, message="The correction was wrong.")
    assert result.version.number == 3 and result.version.origin == "restore" and result.version.restored_from == 1
    assert result.version.message == "The correction was wrong."
    assert state(minutes()) == original  # text, mentions, TEI notes and header as in version 1
    v1, v2, v3 = DocumentVersion.objects.filter(document__slug=MINUTES).order_by("number")
    assert v3.entries == v1.entries and v3.header_id == v1.header_id  # the same snapshots: nothing stored twice
    assert v2.message == "Corrected." and OLD not in str(v2.entries)  # version 2 is kept as it was


def test_restore_re_anchors_the_editors_notes(tei_dir):
    reimport(tei_dir, OLD, NEW)
    note = note_on(ANCHOR, "we value such efforts", body="On the value.")
    result = restore_version(minutes(), 1)
    note.refresh_from_db()
    assert note.body == "On the value." and note.anchor_status in {"review", "orphan"}  # never deleted
    assert [item["uuid"] for item in result.version.notes_moved] == [str(note.uuid)]
    assert result.version.message == "Restored version 1."


def test_a_dry_run_changes_nothing_and_reports_the_diff(tei_dir):
    reimport(tei_dir, OLD, NEW)
    note = note_on(ANCHOR, "we value such efforts")
    before = state(minutes())
    result = restore_version(minutes(), 1, dry_run=True)
    assert result.version is None and result.report["number"] == 3
    assert [c.anchor for c in result.report["diff"].passages] == [ANCHOR]
    assert [item["uuid"] for item in result.report["notes_moved"]] == [str(note.uuid)]
    assert state(minutes()) == before and DocumentVersion.objects.filter(document__slug=MINUTES).count() == 2
    note.refresh_from_db()
    assert note.anchor_status == "ok"


def test_restoring_the_latest_text_makes_no_version(tei_dir):
    result = restore_version(minutes(), 1)
    assert result.version is None and DocumentVersion.objects.filter(document__slug=MINUTES).count() == 1


def test_an_unknown_version_is_an_error(tei_dir):
    with pytest.raises(RestoreError):
        restore_version(minutes(), 5)


def test_a_later_import_of_a_changed_file_is_a_further_version(tei_dir):
    reimport(tei_dir, OLD, NEW)
    restore_version(minutes(), 1)
    reimport(tei_dir, NEW, NEW.replace("value", "prize"))
    assert [v.number for v in DocumentVersion.objects.filter(document__slug=MINUTES)] == [1, 2, 3, 4]
    assert "prize" in minutes().passages.get(anchor=ANCHOR).reading_text
    assert Note.objects.filter(document__slug=MINUTES, provenance="tei").exists()


def test_a_version_without_a_recorded_structure_is_refused_and_nothing_changes(tei_dir):
    reimport(tei_dir, OLD, NEW)
    before = state(minutes())
    DocumentVersion.objects.filter(document__slug=MINUTES, number=1).update(structure=None)
    with pytest.raises(RestoreError, match="no recorded structure"):
        restore_version(minutes(), 1)
    assert state(minutes()) == before and DocumentVersion.objects.filter(document__slug=MINUTES).count() == 2
