"""Safe xi:include (documents/tei/xinclude.py): a teiCorpus imports the TEI files it includes; every unsafe
or broken include is refused with `file:line:col: message` and changes nothing in the database."""

from __future__ import annotations

import os
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from documents.models import Document, Passage, SourceFile
from documents.services.importer import TEIImporter
from documents.tei.parser import TEIError, parse_file
from documents.tei.xinclude import MAX_INCLUDE_DEPTH, resolve_includes

CORPUS = Path(__file__).resolve().parent / "fixtures" / "xinclude"
TEI_NS = 'xmlns="http://www.tei-c.org/ns/1.0"'
XI_NS = 'xmlns:xi="http://www.w3.org/2001/XInclude"'


def corpus(body: str) -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<teiCorpus {TEI_NS} {XI_NS} xml:id="c">\n'
        "<teiHeader><fileDesc><titleStmt><title>C</title></titleStmt><publicationStmt><p/></publicationStmt>"
        f"<sourceDesc><p/></sourceDesc></fileDesc></teiHeader>\n{body}\n</teiCorpus>"
    )


def member(ident: str, words: str, extra: str = "") -> str:
    return (
        f'<TEI {TEI_NS} {XI_NS} xml:id="{ident}"><teiHeader><fileDesc><titleStmt><title>{ident}</title></titleStmt>'
        "<publicationStmt><p/></publicationStmt><sourceDesc><p/></sourceDesc></fileDesc></teiHeader>"
        f"<text><body><p>{words}</p>{extra}</body></text></TEI>"
    )


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def refusal(path: Path) -> str:
    """import_tei refuses the file: non-zero exit and a file:line: message on stderr."""
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_tei", str(path), stdout=StringIO(), stderr=err)
    return err.getvalue()


def test_the_fixture_corpus_imports_both_included_sittings(db):
    report = TEIImporter().import_paths([CORPUS / "corpus.xml"])
    assert report.problems == [] and report.files[0].status == "imported"
    assert sorted(Document.objects.values_list("slug", flat=True)) == ["xi-corpus-sitting-1", "xi-corpus-sitting-2"]
    assert Passage.objects.filter(reading_text="I thank the chair for sitting 2.").exists()
    assert Document.objects.get(slug="xi-corpus-sitting-1").date.isoformat() == "2026-01-01"


def test_a_changed_included_file_is_reimported(db, tmp_path):
    shutil.copytree(CORPUS, tmp_path / "c")
    path = tmp_path / "c" / "corpus.xml"
    TEIImporter().import_paths([path])
    assert TEIImporter().import_paths([path]).files[0].status == "unchanged"
    sitting = tmp_path / "c" / "sitting-1.xml"
    sitting.write_text(sitting.read_text().replace("is open.", "is now open."))
    assert TEIImporter().import_paths([path]).files[0].status == "imported"
    assert Passage.objects.filter(reading_text="The sitting number 1 is now open.").exists()


def test_parse_text_and_xpointer(tmp_path):
    write(tmp_path, "note.txt", "Plain words & more")
    write(tmp_path, "m.xml", member("m", "Member words.", extra='<p xml:id="wanted">Wanted words.</p>'))
    path = write(tmp_path, "c.xml", corpus(
        '<TEI xml:id="t"><text><body><p><xi:include href="note.txt" parse="text"/> tail</p>'
        '<xi:include href="m.xml" xpointer="wanted"/><xi:include href="m.xml" xpointer="element(wanted)"/>'
        "</body></text></TEI>"))  # fmt: skip
    parsed = parse_file(path)
    resolve_includes(parsed.tree, path, max_bytes=10**6, max_depth=100)
    paragraphs = ["".join(p.itertext()) for p in parsed.root.iter("{http://www.tei-c.org/ns/1.0}p") if p.text]
    assert paragraphs == ["Plain words & more tail", "Wanted words.", "Wanted words."]


def test_a_missing_file_uses_its_fallback(tmp_path):
    path = write(tmp_path, "c.xml", corpus(
        '<TEI xml:id="t"><text><body><xi:include href="gone.xml"><xi:fallback><p>Fallback words.</p>'
        "</xi:fallback></xi:include></body></text></TEI>"))  # fmt: skip
    parsed = parse_file(path)
    resolve_includes(parsed.tree, path, max_bytes=10**6, max_depth=100)
    assert "Fallback words." in "".join(parsed.root.itertext())


REFUSED = {
    "missing file": ('<xi:include href="gone.xml"/>', "'gone.xml': no such file"),
    "dot-dot escape": ('<xi:include href="../outside.xml"/>', "leaves the including file's folder"),
    "dot-dot inside": ('<xi:include href="sub/../../outside.xml"/>', "leaves the including file's folder"),
    "absolute path": ('<xi:include href="{outside}"/>', "absolute path"),
    "file URL": ('<xi:include href="file://{outside}"/>', "names a URL"),
    "http URL": ('<xi:include href="http://127.0.0.1:9/x.xml"/>', "names a URL"),
    "scheme-relative URL": ('<xi:include href="//example.org/x.xml"/>', "names a URL"),
    "http with fallback": (
        '<xi:include href="http://127.0.0.1:9/x.xml"><xi:fallback><p>f</p></xi:fallback></xi:include>',
        "names a URL",
    ),
    "percent escape": ('<xi:include href="%2e%2e/outside.xml"/>', "'%' escapes"),
    "empty href (self)": ('<xi:include href=""/>', "@href is missing or empty"),
    "self cycle": ('<xi:include href="c.xml"/>', "includes itself (cycle: c.xml -> c.xml)"),
    "mutual cycle": ('<xi:include href="a.xml"/>', "includes itself (cycle: c.xml -> a.xml -> c.xml)"),
    "unknown parse": ('<xi:include href="a.xml" parse="html"/>', "only 'xml' and 'text'"),
    "xpointer scheme": ('<xi:include href="m.xml" xpointer="xpointer(//p)"/>', "only an xml:id or element(id)"),
    "xpointer missing id": ('<xi:include href="m.xml" xpointer="nothere"/>', "no element with this xml:id"),
    "text with xpointer": ('<xi:include href="m.xml" parse="text" xpointer="x"/>', "not allowed with parse='text'"),
    "directory": ('<xi:include href="sub"/>', "is not a regular file"),
    "hostile included file": ('<xi:include href="dtd.xml"/>', "external DTD"),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_refused_includes_name_file_and_line_and_change_nothing(db, tmp_path, case):
    TEIImporter().import_paths([CORPUS / "corpus.xml"])  # something stored that a failed import must not touch
    before = (list(Document.objects.values_list("slug", "title")), Passage.objects.count(), SourceFile.objects.count())
    folder = tmp_path / "import"
    outside = write(tmp_path, "outside.xml", member("outside", "zebrafishsecret"))
    (folder / "sub").mkdir(parents=True)
    write(folder, "a.xml", f'<div {TEI_NS}>\n<xi:include {XI_NS} href="c.xml"/></div>')
    write(folder, "m.xml", member("m", "Member words."))
    write(folder, "dtd.xml", f'<!DOCTYPE TEI SYSTEM "{outside}"><TEI {TEI_NS}/>')
    include, expected = REFUSED[case]
    path = write(folder, "c.xml", corpus(include.replace("{outside}", str(outside))))
    err = refusal(path)
    line = 4  # the include's line in corpus()
    where = f"{path}:{line}:0: xi:include: " if case not in ("hostile included file", "mutual cycle") else ""
    assert where in err and expected in err, err
    if case == "mutual cycle":
        assert f"{folder / 'a.xml'}:2:0: xi:include: " in err, err
    after = (list(Document.objects.values_list("slug", "title")), Passage.objects.count(), SourceFile.objects.count())
    assert after == before
    assert not Passage.objects.filter(reading_text__contains="zebrafishsecret").exists()


def test_a_symlink_out_of_the_folder_is_refused(db, tmp_path):
    write(tmp_path, "outside.xml", member("outside", "zebrafishsecret"))
    folder = tmp_path / "import"
    folder.mkdir()
    os.symlink(tmp_path / "outside.xml", folder / "link.xml")
    path = write(folder, "c.xml", corpus('<xi:include href="link.xml"/>'))
    err = refusal(path)
    assert f"{path}:4:0: xi:include: href 'link.xml' resolves (through a symbolic link) to a file outside" in err
    assert Document.objects.count() == 0


def test_includes_nested_too_deep_are_refused(db, tmp_path):
    folder = tmp_path / "import"
    depth = MAX_INCLUDE_DEPTH + 2
    for level in range(depth):  # level-0 includes level-1 ... each one folder deeper (no '..' needed)
        rel = "/".join(["d"] * level)
        inner = f'<xi:include {XI_NS} href="d/f.xml"/>' if level < depth - 1 else member("deep", "Deep words.")
        write(folder, f"{rel}/f.xml" if rel else "f.xml", f"<div {TEI_NS}>{inner}</div>" if level else "")
    body = '<TEI xml:id="t"><text><body><xi:include href="d/f.xml"/></body></text></TEI>'
    path = write(folder, "c.xml", corpus(body))
    err = refusal(path)
    assert f"includes nested deeper than {MAX_INCLUDE_DEPTH} files" in err and "/d/" in err, err
    assert Document.objects.count() == 0


def test_resolve_includes_raises_teierror_for_the_including_file(tmp_path):
    path = write(tmp_path, "c.xml", corpus('<xi:include href="https://example.org/x.xml"/>'))
    parsed = parse_file(path)
    with pytest.raises(TEIError) as raised:
        resolve_includes(parsed.tree, path, max_bytes=10**6, max_depth=100)
    assert str(raised.value) == (
        f"{path}:4:0: xi:include: href 'https://example.org/x.xml' names a URL: only relative file paths are allowed"
    )
