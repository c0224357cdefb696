"""Shared set-up of the versions tests: the edition's TEI copied to a temporary directory and imported."""

import shutil

from django.conf import settings

from documents.models import Document
from documents.services.importer import TEIImporter
from tests.builders import note

MINUTES = "minutes-1962-06-08"
OLD = "We have noticed this and we appreciate such efforts."
NEW = "We have noticed this and we value such efforts."


def imported_copy(tmp_path):
    """The edition's TEI directory copied under tmp_path and imported (each test file's `tei_dir` fixture)."""
    target = tmp_path / "tei"
    shutil.copytree(settings.EDITION_TEI_DIR, target, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    report = TEIImporter().import_paths([target])
    assert not report.failed, [str(p) for p in report.problems]
    return target


def edit(tei_dir, old, new, name="minutes-1962-06-08.xml"):
    path = tei_dir / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def reimport(tei_dir, old=None, new=None, message="", **options):
    if old is not None:
        edit(tei_dir, old, new)
    report = TEIImporter(message=message, **options).import_paths([tei_dir])
    assert not report.failed, [str(p) for p in report.problems]
    return report


def note_on(anchor, words, body="Editor's note."):
    """A published editor's note on `words` of the imported minutes' passage `anchor` (tests/builders.py note)."""
    return note(Document.objects.get(slug=MINUTES).passages.get(anchor=anchor), words, body)
