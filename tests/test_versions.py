"""Citable versions (docs/versions.md): every import that changes a document records a version."""

import io

import pytest
from django.core.management import call_command
from lxml import etree

from documents.exports import export
from documents.models import Document, DocumentVersion, Snapshot
from documents.services.version_text import version_passages
from documents.services.versions import revision_changes
from tests.versions_helpers import MINUTES, NEW, OLD, edit, imported_copy, reimport

pytestmark = pytest.mark.django_db


@pytest.fixture
def tei_dir(tmp_path):
    return imported_copy(tmp_path)

TEI = "{http://www.tei-c.org/ns/1.0}"


def versions(slug=MINUTES):
    return list(DocumentVersion.objects.filter(document__slug=slug).order_by("number"))


def test_the_first_import_is_version_1_with_the_files_change_note(tei_dir):
    (v1,) = versions()
    assert v1.number == 1 and v1.origin == "import" and v1.who == "#editors"
    # The first version is described by the file's latest revisionDesc/change (documents/services/versions.py).
    latest = sorted(revision_changes(Document.objects.get(slug=MINUTES).header_tei), key=lambda c: c.when)[-1]
    assert v1.message == latest.text and latest.text.startswith("Source note from the Wilson Center")
    doc = Document.objects.get(slug=MINUTES)
    assert [e[0] for e in v1.entries] == list(doc.passages.order_by("order").values_list("anchor", flat=True))
    assert v1.title == doc.title
    assert len(versions("memorandum-1962-06-07")) == 1


def test_an_unchanged_or_forced_reimport_makes_no_version(tei_dir):
    reimport(tei_dir)
    reimport(tei_dir, force=True)
    assert len(versions()) == 1


def test_a_correction_makes_version_2_and_keeps_version_1(tei_dir):
    reimport(tei_dir, OLD, NEW, message="Corrected 'appreciate' to 'value' (witness re-read).")
    v1, v2 = versions()
    assert v2.number == 2 and v2.message == "Corrected 'appreciate' to 'value' (witness re-read)."
    old = {p.anchor: p.reading_text for p in version_passages(v1)}
    new = {p.anchor: p.reading_text for p in version_passages(v2)}
    assert OLD in old["m-zhang-1-measures"] and NEW in new["m-zhang-1-measures"]
    assert {a for a in old if old[a] != new[a]} == {"m-zhang-1-measures"}
    assert len(versions("memorandum-1962-06-07")) == 1  # the other file did not change


def test_the_change_note_comes_from_a_new_revisiondesc_change(tei_dir):
    edit(tei_dir, OLD, NEW)
    edit(tei_dir, '<change when="2026-11-30" who="#editors">',
         '<change when="2026-12-02" who="#editors">Corrected a word in paragraph 11.</change>\n      '
         '<change when="2026-11-30" who="#editors">')  # fmt: skip
    reimport(tei_dir)
    assert versions()[-1].message == "Corrected a word in paragraph 11."


def test_a_header_change_alone_makes_a_version(tei_dir):
    reimport(tei_dir, '<title type="main">Minutes of the Meeting', '<title type="main">Minutes of the meeting')
    assert len(versions()) == 2 and versions()[-1].message == ""


def test_a_revisiondesc_change_alone_makes_no_version(tei_dir):
    reimport(tei_dir, "First encoding of the minutes from the witness.", "First encoding of the minutes.")
    assert len(versions()) == 1


def test_unchanged_passages_are_stored_once(tei_dir):
    before = Snapshot.objects.count()
    reimport(tei_dir, OLD, NEW)
    # one new passage text and one new structure at most: the header and 19 passages are shared
    assert Snapshot.objects.count() - before <= 2
    v1, v2 = versions()
    assert sum(a[1] != b[1] for a, b in zip(v1.entries, v2.entries, strict=True)) == 1
    assert v1.header_id == v2.header_id


def test_a_failed_import_records_no_version(tei_dir):
    edit(tei_dir, OLD, NEW + "<unclosed>")
    from documents.services.importer import TEIImporter

    report = TEIImporter().import_paths([tei_dir])
    assert report.failed and len(versions()) == 1


def test_a_dry_run_records_no_version_but_reports_it(tei_dir):
    edit(tei_dir, OLD, NEW)
    from documents.services.importer import TEIImporter

    report = TEIImporter(preview=True).import_paths([tei_dir], dry_run=True)
    assert len(versions()) == 1
    (item,) = [v for r in report.files for v in r.versions]
    assert item["slug"] == MINUTES and item["number"] == 2 and item["previous"] == 1
    assert [c.anchor for c in item["diff"].passages] == ["m-zhang-1-measures"]


def test_the_import_command_takes_a_message(tei_dir):
    edit(tei_dir, OLD, NEW)
    out = io.StringIO()
    call_command("import_tei", str(tei_dir), "--message", "Corrected from the witness.", stdout=out)
    assert versions()[-1].message == "Corrected from the witness."
    assert f"{MINUTES} v2" in out.getvalue()


# -- pages --------------------------------------------------------------------------------------
def test_version_1_still_shows_the_old_words_at_the_cited_paragraph(tei_dir, client):
    reimport(tei_dir, OLD, NEW, message="Corrected a word.")
    old = client.get(f"/documents/{MINUTES}/v/1/").content.decode()
    new = client.get(f"/documents/{MINUTES}/v/2/").content.decode()
    latest = client.get(f"/documents/{MINUTES}/").content.decode()
    tree = etree.HTML(old)
    (paragraph,) = tree.xpath("//*[@id='m-zhang-1-measures']")
    assert "we appreciate such efforts" in "".join(paragraph.itertext())
    assert "we value such efforts" in new and "we value such efforts" in latest
    assert "we appreciate such efforts" not in latest
    assert "This is not the latest version" in old and "This is the latest version" in new
    assert "Corrected a word." in new and "Version 2" in latest  # the reader names its version


def test_version_pages_keep_the_tei_anchors_and_the_diplomatic_view(tei_dir, client):
    doc = Document.objects.get(slug=MINUTES)
    page = client.get(f"/documents/{MINUTES}/v/1/?view=diplomatic")
    assert page.status_code == 200
    ids = set(etree.HTML(page.content.decode()).xpath("//@id"))
    assert set(doc.passages.values_list("anchor", flat=True)) <= ids


@pytest.mark.parametrize("number", ["0", "3", "99999999999999999999"])
def test_unknown_versions_are_404(tei_dir, client, number):
    assert client.get(f"/documents/{MINUTES}/v/{number}/").status_code == 404
    assert client.get("/documents/no-such-doc/v/1/").status_code == 404


# -- TEI export ---------------------------------------------------------------------------------
def test_the_tei_export_writes_the_history_in_revisiondesc(tei_dir):
    reimport(tei_dir, OLD, NEW, message="Corrected a word.")
    root = etree.fromstring(export("tei", Document.objects.get(slug=MINUTES)))
    changes = root.findall(f".//{TEI}revisionDesc/{TEI}change")
    texts = [" ".join("".join(c.itertext()).split()) for c in changes]
    written = revision_changes(Document.objects.get(slug=MINUTES).header_tei)  # the file's own, as written
    assert texts == ["Version 2: Corrected a word.", *(" ".join(c.text.split()) for c in written)]
    assert texts[1] == "First encoding of the minutes from the witness."
    assert changes[0].get("when") == versions()[-1].created.date().isoformat()


def test_the_exported_history_is_valid_tei_and_imports_back(tei_dir, tmp_path):
    from django.conf import settings

    from documents.services.importer import TEIImporter

    reimport(tei_dir, OLD, NEW, message="Corrected a word.")
    data = export("tei", Document.objects.get(slug=MINUTES))
    schema = etree.RelaxNG(etree.parse(str(settings.BASE_DIR / "documents" / "schema" / "edition.rng")))
    assert schema.validate(etree.fromstring(data)), schema.error_log
    (tei_dir / "minutes-1962-06-08.xml").write_bytes(data)
    report = TEIImporter().import_paths([tei_dir])
    assert not report.failed, [str(p) for p in report.problems]
    # The text is the same; the export only rewrites links in the file's notes (#id -> file.xml#id).
    assert versions()[-1].entries == versions()[1].entries and versions()[-1].header_id != versions()[1].header_id


def test_a_note_without_a_source_number_is_recorded_as_before_note_numbers_were_kept():
    """Versions recorded before Note.n (migration 0011) hold notes without an "n" key; a note without @n
    is still recorded so (no new version for it), while a numbered note records its number."""
    from documents.services.versions import _plain
    from documents.tei.mapping_types import NoteData

    plain = _plain([NoteData("fn", "editorial", "A note.", "p1"), NoteData("fn2", "editorial", "B.", "p1", n="2")])
    assert "n" not in plain[0] and "line" not in plain[0]
    assert plain[1]["n"] == "2"
