"""Editors and versions in the admin: the versions of a document, the dry-run preview, restore."""

import pytest
from django.urls import reverse

from documents.models import Document, DocumentVersion
from tests.versions_helpers import MINUTES, NEW, OLD, edit, imported_copy, note_on, reimport

pytestmark = pytest.mark.django_db
ANCHOR = "m-zhang-1-measures"


@pytest.fixture
def tei_dir(tmp_path, settings):
    target = imported_copy(tmp_path)
    settings.EDITION_TEI_DIR = target  # the admin import view imports this directory
    return target


def versions():
    return list(DocumentVersion.objects.filter(document__slug=MINUTES).order_by("number"))


def change_url():
    return reverse("admin:documents_document_change", args=[Document.objects.get(slug=MINUTES).pk])


def restore_url(number):
    return reverse("admin:documents_document_restore", args=[Document.objects.get(slug=MINUTES).pk, number])


def test_the_document_page_lists_its_versions(tei_dir, superuser_client):
    reimport(tei_dir, OLD, NEW, message="Corrected a word.")
    html = superuser_client.get(change_url()).content.decode()
    assert "Corrected a word." in html and "First encoding of the minutes" in html
    assert f"/documents/{MINUTES}/v/1/" in html and restore_url(1) in html
    assert restore_url(2) not in html  # the latest is not offered for restore


def test_a_dry_run_import_previews_the_diff_and_the_notes_it_will_move(tei_dir, superuser_client):
    note = note_on(ANCHOR, "we appreciate such efforts")
    edit(tei_dir, OLD, NEW)
    page = superuser_client.post(reverse("admin:documents_document_import"), {"dry_run": "1"})
    html = page.content.decode()
    assert page.status_code == 200 and "Dry run (nothing was saved)" in html
    assert f'id="preview-{MINUTES}"' in html and "[removed: </span>appreciate<" in html
    assert str(note.uuid) in html and "we appreciate such efforts" in html
    assert len(versions()) == 1  # nothing saved
    note.refresh_from_db()
    assert note.anchor_status == "ok"
    superuser_client.post(reverse("admin:documents_document_import"), {"message": "Corrected in the admin."})
    assert versions()[-1].message == "Corrected in the admin."


def test_restore_previews_then_restores_as_a_new_version(tei_dir, superuser_client):
    reimport(tei_dir, OLD, NEW)
    preview = superuser_client.get(restore_url(1))
    html = preview.content.decode()
    assert preview.status_code == 200 and "[added: </span>appreciate<" in html and len(versions()) == 2
    response = superuser_client.post(restore_url(1), {"message": "Back to the witness's word."})
    assert response.status_code == 302 and response["Location"] == change_url()
    v3 = versions()[-1]
    assert v3.number == 3 and v3.origin == "restore" and v3.message == "Back to the witness's word."
    passage = Document.objects.get(slug=MINUTES).passages.get(anchor=ANCHOR)
    assert OLD in passage.reading_text


def test_restoring_the_current_text_says_so(tei_dir, superuser_client):
    reimport(tei_dir, OLD, NEW)
    superuser_client.post(restore_url(1))
    assert "nothing to restore" in superuser_client.get(restore_url(3)).content.decode()


def test_editors_cannot_restore(tei_dir, editor_client):
    reimport(tei_dir, OLD, NEW)
    assert editor_client.get(restore_url(1)).status_code == 403
    assert editor_client.post(restore_url(1)).status_code == 403
    assert len(versions()) == 2


def test_an_unknown_version_is_404(tei_dir, superuser_client):
    assert superuser_client.get(restore_url(9)).status_code == 404


def test_restore_needs_csrf(tei_dir, superuser_client):
    from django.contrib.auth.models import User
    from django.test import Client

    reimport(tei_dir, OLD, NEW)
    client = Client(enforce_csrf_checks=True)
    client.force_login(User.objects.get(username="admin"))
    assert client.post(restore_url(1)).status_code == 403
    assert len(versions()) == 2


def test_a_restore_that_cannot_be_done_is_reported(tei_dir, superuser_client):
    reimport(tei_dir, OLD, NEW)
    DocumentVersion.objects.filter(document__slug=MINUTES, number=1).update(structure=None)
    response = superuser_client.get(restore_url(1), follow=True)
    assert "cannot be restored" in response.content.decode() and len(versions()) == 2
    response = superuser_client.post(restore_url(1), follow=True)
    assert "Nothing was restored" in response.content.decode() and len(versions()) == 2
