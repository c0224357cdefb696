"""Stable note ids (issue 11.2): a note's UUID, its annotation id and /notes/<uuid>/ permalink,
is the same on every install and survives export_edition + restore."""

import io
import uuid

import pytest
from django.conf import settings
from django.core.management import call_command

from documents.models import NOTE_UUID_NAMESPACE, Document, Note, note_uuid
from documents.services.importer import TEIImporter
from tests.test_export_roundtrip import editors_work, empty_the_database, import_dir

pytestmark = pytest.mark.django_db


def note_ids():
    return {(n.document.slug, n.xml_id): n.uuid for n in Note.objects.select_related("document")}


def test_the_namespace_is_fixed():
    """Changing the namespace would change every imported note's permalink: it is pinned here."""
    assert NOTE_UUID_NAMESPACE == uuid.uuid5(uuid.NAMESPACE_URL, "tag:edition.notes,2026:note")
    derived = note_uuid("minutes-1962-06-08", "n-x")
    assert derived.version == 5 and derived == uuid.uuid5(NOTE_UUID_NAMESPACE, "minutes-1962-06-08/n-x")


def test_an_exported_note_id_gives_its_uuid_back():
    original = uuid.uuid4()
    assert note_uuid("any", f"n-{original}") == original
    assert note_uuid("any", f"n-{original}x") != original  # not an exported id: derived


def test_two_fresh_imports_give_the_same_ids():
    import_dir(settings.EDITION_TEI_DIR)
    first = note_ids()
    assert len(first) >= 10
    for (slug, xml_id), value in first.items():
        assert value == note_uuid(slug, xml_id)
    empty_the_database()
    assert not Note.objects.exists()
    import_dir(settings.EDITION_TEI_DIR)
    assert note_ids() == first


def test_a_reimport_keeps_ids_of_notes_created_before(tmp_path):
    """Existing notes keep whatever UUID they have (e.g. random ones from before this change)."""
    import_dir(settings.EDITION_TEI_DIR)
    note = Note.objects.filter(provenance="tei").first()
    legacy = uuid.uuid4()
    Note.objects.filter(pk=note.pk).update(uuid=legacy)
    Document.objects.update(fingerprint="")  # force every document to be rewritten
    import_dir(settings.EDITION_TEI_DIR)
    assert Note.objects.get(pk=note.pk).uuid == legacy


def test_a_restore_keeps_every_permalink(client, tmp_path):
    import_dir(settings.EDITION_TEI_DIR)
    editors_work()
    published = list(Note.objects.published().select_related("document"))
    editors = [n for n in published if n.provenance == Note.Provenance.EDITOR]
    assert editors and len(published) >= 12
    before = {}
    for note in published:
        response = client.get(f"/notes/{note.uuid}/")
        assert response.status_code == 302
        before[note.uuid] = (response["Location"], note.exact, note.anchor)
    annotations = {}
    for doc in Document.objects.all():
        page = client.get(f"/documents/{doc.slug}/annotations.jsonld").json()
        annotations[doc.slug] = sorted(item["id"] for item in page["items"])
    call_command("export_edition", str(tmp_path / "backup"), stdout=io.StringIO())
    empty_the_database()
    import_dir(tmp_path / "backup")
    after = {}
    for note_id in before:
        response = client.get(f"/notes/{note_id}/")
        assert response.status_code == 302, note_id
        note = Note.objects.get(uuid=note_id)
        after[note_id] = (response["Location"], note.exact, note.anchor)
    assert after == before
    for slug, ids in annotations.items():
        page = client.get(f"/documents/{slug}/annotations.jsonld").json()
        assert sorted(item["id"] for item in page["items"]) == ids
    # The fragment the permalink leads to is on the page.
    for location, *_ in after.values():
        path, _, fragment = location.partition("#")
        assert f'id="{fragment}"' in client.get(path).content.decode()


def test_a_uuid_already_taken_is_a_warning_and_the_note_gets_its_own(tmp_path):
    """Importing a backup whose note UUID another note already holds does not fail (nor steal the id)."""
    import_dir(settings.EDITION_TEI_DIR)
    editors_work()
    call_command("export_edition", str(tmp_path / "backup"), stdout=io.StringIO())
    editor_note = Note.objects.filter(provenance="editor", status="published").first()
    memo = editor_note.document.slug
    keep = editor_note.uuid
    backup = tmp_path / "backup" / f"{memo}.xml"
    other = tmp_path / "other"
    other.mkdir()
    text = backup.read_text().replace(f'xml:id="{memo}"', 'xml:id="copy-of-memo"', 1)
    (other / "copy-of-memo.xml").write_text(text)
    report = TEIImporter().import_paths([other])
    assert not report.failed, [str(p) for p in report.problems]
    assert any("already used by another note" in str(w) for w in report.warnings)
    assert Note.objects.get(uuid=keep).pk == editor_note.pk
    copy = Note.objects.get(document__slug="copy-of-memo", xml_id=f"n-{keep}")
    assert copy.uuid == note_uuid("copy-of-memo", f"n-{keep}#copy")
