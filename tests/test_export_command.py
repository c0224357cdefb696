"""export_document: the command line shares the registered exporters with the views."""

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from documents.exports.citation import CITATION_FORMATS
from tests.builders import reader_edition

pytestmark = pytest.mark.django_db

BASE = "https://edition.example.org"


@pytest.fixture
def ed():
    return reader_edition()


@pytest.mark.parametrize("fmt", sorted(set(CITATION_FORMATS) | {"json", "annotations", "dts", "text"}))
def test_export_document_command_every_format(ed, fmt):
    out, err = StringIO(), StringIO()
    call_command("export_document", "minutes-1962-06-08", "--format", fmt, "--base-url", BASE, stdout=out, stderr=err)
    assert out.getvalue()
    assert "Exported 1 document(s) as " + fmt in err.getvalue()


def test_export_document_command_passage_and_files(ed, tmp_path):
    err = StringIO()
    call_command(
        "export_document", "minutes-1962-06-08", "--format", "bibtex", "--passage", "m-zhang-report",
        "--base-url", BASE, "--output-dir", str(tmp_path), stderr=err,
    )  # fmt: skip
    written = (tmp_path / "minutes-1962-06-08-m-zhang-report.bib").read_text()
    assert f"url = {{{BASE}/documents/minutes-1962-06-08/#m-zhang-report}}" in written


def test_export_document_command_dry_run_writes_nothing(ed, tmp_path):
    err = StringIO()
    call_command("export_document", "--all", "--format", "ris", "--output-dir", str(tmp_path / "x"), "--dry-run",
                 stderr=err)  # fmt: skip
    assert not (tmp_path / "x").exists()
    assert "Would export 2 document(s) as ris" in err.getvalue()


def test_export_document_command_lists_formats(ed):
    out = StringIO()
    call_command("export_document", "--list", stdout=out)
    assert "csl-json\tapplication/vnd.citationstyles.csl+json" in out.getvalue()


@pytest.mark.parametrize(
    "args, message",
    [
        (["minutes-1962-06-08"], "give --format"),
        (["minutes-1962-06-08", "--format", "mla"], "unknown format 'mla'"),
        (["nope", "--format", "bibtex"], "no document with slug 'nope'"),
        (["--format", "bibtex"], "give one or more document slugs"),
        (["minutes-1962-06-08", "--format", "bibtex", "--passage", "nope"], "has no passage 'nope'"),
        (["minutes-1962-06-08", "--format", "json", "--passage", "m-zhang-report"], "does not take --passage"),
        (["minutes-1962-06-08", "--format", "dts", "--ref", "nope"], "unknown ref 'nope'"),
    ],
)
def test_export_document_command_errors(ed, args, message):
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("export_document", *args, stdout=StringIO(), stderr=StringIO())


def test_export_document_command_separates_documents(ed):
    out = StringIO()
    call_command("export_document", "--all", "--format", "chicago", "--base-url", BASE, stdout=out, stderr=StringIO())
    lines = out.getvalue().splitlines()
    assert len(lines) == 2 and lines[0].startswith("PRC Ministry") and lines[1].startswith("Government of the Soviet")
