"""The importer service and the import_tei command: transactions, idempotence, re-import, rejections."""

import shutil
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from documents.models import (
    DateMention,
    Document,
    Entity,
    EntityAlias,
    Mention,
    Note,
    Participation,
    Passage,
    PassageLink,
    Section,
    SourceFile,
    Turn,
)
from documents.services.importer import TEIImporter
from documents.signals import document_imported

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_edition_schema")]
MODELS = (Document, Passage, Turn, Section, Note, Entity, EntityAlias, Mention, DateMention, Participation,
          PassageLink, SourceFile)




def run(*args):
    out, err = StringIO(), StringIO()
    try:
        call_command("import_tei", *[str(a) for a in args], stdout=out, stderr=err)
    except CommandError as exc:
        return out.getvalue(), err.getvalue(), exc
    return out.getvalue(), err.getvalue(), None


def snapshot():
    return {model.__name__: sorted(model.objects.values_list("pk", flat=True)) for model in MODELS}


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_imports_an_edition_in_dependency_order(edition):
    out, err, exc = run(edition)
    assert exc is None, err
    lines = out.splitlines()
    assert [line.split(":")[0].rsplit("/", 1)[-1] for line in lines[:4]] == [
        "entities.xml", "doc-a.xml", "doc-b.xml", "links.xml",
    ]
    assert "4 file(s): 4 imported, 0 unchanged, 0 failed." in out
    assert "documents: 2 created" in out and "links: 2 created" in out
    doc = Document.objects.get(slug="doc-a")
    assert (doc.kind, doc.date.isoformat(), doc.time_text) == ("minutes", "1962-06-08", "5:00 p.m.")
    assert doc.title == "Minutes of the Meeting between the Vice Minister [Alpha] and Betov"
    assert doc.review_note == "(Not reviewed by Vice Minister Alpha)"
    assert doc.source_file.path == str((edition / "doc-a.xml").resolve())
    assert list(doc.turns.values_list("xml_id", "speaker__key", "speaker_label")) == [
        ("a-beta-1", "beta", "Ambassador Betov (hereafter Betov):"),
        ("a-alpha-1", "alpha", "Alpha:"),
    ]
    assert set(doc.participations.values_list("entity__key", "role")) == {("alpha", "speaker"), ("beta", "speaker")}
    assert doc.passages.count() == 6
    assert doc.notes.filter(provenance="tei", status="published").count() == 4
    assert Entity.objects.get(key="alpha").affiliation.key == "ministry"
    assert Mention.objects.filter(entity__key="riverland").count() == 2
    link = PassageLink.objects.get(xml_id="l-1")
    assert (link.source.anchor, link.target.anchor, link.kind, link.provenance) == (
        "a-alpha-1-p2", "b-p1", "answers", "tei",
    )


def test_second_run_changes_nothing_and_writes_nothing(edition):
    run(edition)
    before = snapshot()
    modified = dict(Document.objects.values_list("slug", "modified"))
    with CaptureQueriesContext(connection) as queries:
        out, err, exc = run(edition)
    assert exc is None
    assert "4 file(s): 0 imported, 4 unchanged, 0 failed." in out
    writes = [q["sql"] for q in queries if q["sql"].split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}]
    assert writes == []
    assert snapshot() == before
    assert dict(Document.objects.values_list("slug", "modified")) == modified


def test_forced_reimport_of_unchanged_documents_writes_no_text(edition):
    run(edition)
    before = snapshot()
    modified = dict(Document.objects.values_list("slug", "modified"))
    out, err, exc = run(edition, "--force")
    assert exc is None
    assert "documents: 0 created, 0 updated, 2 unchanged" in out
    assert snapshot() == before
    assert dict(Document.objects.values_list("slug", "modified")) == modified


def test_changed_file_is_updated_in_place_keeping_anchors(edition):
    run(edition)
    pks = dict(Passage.objects.filter(document__slug="doc-a").values_list("anchor", "pk"))
    note_uuid = Note.objects.get(xml_id="n-border").uuid
    modified = dict(Document.objects.values_list("slug", "modified"))
    edit(edition / "doc-a.xml", "the border must stay open", "the border must stay open at once")
    edit(
        edition / "doc-a.xml",
        '<p xml:id="a-alpha-1-p2">',
        '<p xml:id="a-alpha-1-new">A new paragraph.</p><p xml:id="a-alpha-1-p2">',
    )
    out, err, exc = run(edition)
    assert exc is None, err
    assert "1 imported, 3 unchanged" in out
    after = dict(Passage.objects.filter(document__slug="doc-a").values_list("anchor", "pk"))
    assert {a: after[a] for a in pks} == pks  # same rows, same anchors
    assert set(after) - set(pks) == {"a-alpha-1-new"}
    assert Passage.objects.get(anchor="a-alpha-1-p2").reading_text.endswith("stay open at once.")
    assert Note.objects.get(xml_id="n-border").uuid == note_uuid  # TEI notes updated in place
    assert Document.objects.get(slug="doc-a").modified > modified["doc-a"]
    assert Document.objects.get(slug="doc-b").modified == modified["doc-b"]
    assert "passages: 1 created, 1 updated, 5 unchanged, 0 deleted" in out


def editor_note(anchor, exact):
    passage = Passage.objects.get(anchor=anchor)
    start = passage.reading_text.index(exact)
    return Note.objects.create(
        document=passage.document, passage=passage, anchor=anchor, exact=exact, start=start,
        end=start + len(exact), body="An editor's note.", provenance=Note.Provenance.EDITOR,
    )


def test_editor_note_survives_reimport_and_follows_its_words(edition):
    run(edition)
    note = editor_note("a-alpha-1-p1", "report")
    edit(edition / "doc-a.xml", "First, I will report", "First of all, I will report")
    out, err, exc = run(edition)
    assert exc is None, err
    note.refresh_from_db()
    assert note.passage.anchor == "a-alpha-1-p1"
    assert note.start == len("First of all, I will ")
    assert note.anchor_status == Note.AnchorStatus.MOVED
    assert "1 re-anchored, 0 to review (approximate match), 0 orphaned" in out


def test_editor_note_on_a_removed_passage_becomes_an_orphan_not_deleted(edition):
    run(edition)
    note = editor_note("a-alpha-1-p2", "must stay open")
    edit(edition / "doc-a.xml", '<p xml:id="a-alpha-1-p2">Second, the border must stay open.</p>', "")
    edit(edition / "doc-a.xml", '<note xml:id="n-border" type="commentary" target="#string-range(a-alpha-1-p2,12,6)">'
         "<p>The border.</p></note>", "")
    out, err, exc = run(edition)
    assert exc is None, err
    assert not Passage.objects.filter(anchor="a-alpha-1-p2").exists()
    note.refresh_from_db()  # still there
    assert note.passage is None and note.anchor_status == Note.AnchorStatus.ORPHAN
    assert "must stay open" in note.old_context
    assert not Note.objects.filter(xml_id="n-border").exists()  # the TEI note went with its file's text
    assert "0 re-anchored, 0 to review (approximate match), 1 orphaned" in out


def test_dry_run_changes_nothing(edition):
    out, err, exc = run(edition, "--dry-run")
    assert exc is None
    summary = [line for line in out.splitlines() if line.startswith("Dry run")]  # the summary's first line
    assert len(summary) == 1 and summary[0].startswith("Dry run (nothing was saved): 4 file(s): 4 imported")
    assert "  completeness: 83 of 83 words of <text> stored (100.0%)" in out  # doc-a 68 + doc-b 15
    assert "documents: 2 created" in out  # what would have happened, dependencies included
    assert all(model.objects.count() == 0 for model in MODELS)
    run(edition)
    before = snapshot()
    edit(edition / "doc-b.xml", "was closed", "was shut")
    out, err, exc = run(edition, "--dry-run")
    assert "passages: 0 created, 1 updated" in out
    assert snapshot() == before
    assert Passage.objects.get(anchor="b-p1").reading_text.count("closed") == 1


@pytest.mark.parametrize(
    ("name", "where", "words"),
    [
        ("billion-laughs.xml", ":3:2: ", "entity 'lol'"),
        ("xxe-file.xml", ":3:3: ", "entity 'secret'"),
        ("xxe-http.xml", ":3:3: ", "entity 'remote'"),
        ("malformed.xml", ":5:", "not well-formed XML"),
        ("dangling-ref.xml", ":9:0: ", "'ent:nobody-at-all' points to no entity"),
    ],
)
def test_bad_file_among_good_ones(edition, fixtures_dir, name, where, words):
    bad = edition / name
    shutil.copy(fixtures_dir / "tei" / "bad" / name, bad)
    out, err, exc = run(edition)
    assert isinstance(exc, CommandError) and "1 file failed" in str(exc)
    assert f"{bad}{where}" in err and words in err
    assert "5 file(s): 4 imported, 0 unchanged, 1 failed." in out
    assert f"{bad}: FAILED (1 problem)" in out
    assert Document.objects.count() == 2  # the good files imported
    assert not SourceFile.objects.filter(path=str(bad.resolve())).exists()  # nothing from the bad one


def test_too_big_and_too_deep_files_are_rejected(edition, settings):
    settings.EDITION_MAX_TEI_BYTES = 1500
    out, err, exc = run(edition / "doc-a.xml")
    assert exc is not None and "more than the limit of 1,500 bytes" in err
    assert f"{edition / 'doc-a.xml'}:1:1: " in err
    settings.EDITION_MAX_TEI_BYTES = 10**6
    settings.EDITION_MAX_TEI_DEPTH = 4
    out, err, exc = run(edition / "doc-a.xml")
    assert exc is not None and "nested deeper than 4 levels" in err
    assert Document.objects.count() == 0


def test_a_failure_while_writing_rolls_the_file_back(edition):
    """A dangling link is found only when writing: the links file's transaction rolls back."""
    run(edition)
    edit(edition / "links.xml", "doc-b.xml#b-head", "doc-b.xml#no-such-anchor")
    edit(edition / "links.xml", 'type="answers" target="doc-a', 'type="repeats" target="doc-a')
    out, err, exc = run(edition)
    assert exc is not None
    assert "links.xml:18:0: link points to doc-b.xml#no-such-anchor" in err
    assert list(PassageLink.objects.values_list("xml_id", "kind")) == [("l-1", "answers"), ("l-2", "repeats")]
    assert SourceFile.objects.get(path=str((edition / "links.xml").resolve())).checksum != ""


def test_invalid_against_the_schema_is_rejected(edition, fixtures_dir, settings):
    settings.EDITION_TEI_SCHEMA = fixtures_dir / "tei" / "tiny.rng"
    edit(edition / "doc-b.xml", '<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="doc-b">',
         '<TEI xmlns="http://www.tei-c.org/ns/1.0">')
    out, err, exc = run(edition)
    assert exc is not None
    assert f"{edition / 'doc-b.xml'}:2:0: invalid (edition.rng)" in err
    assert "<TEI> needs an xml:id" in err
    assert not Document.objects.filter(slug="doc-b").exists()
    assert Document.objects.filter(slug="doc-a").exists()


def test_slug_taken_by_another_file_is_rejected(edition, tmp_path):
    run(edition)
    other = tmp_path / "other"
    other.mkdir()
    shutil.copy(edition / "doc-b.xml", other / "copy-of-b.xml")
    out, err, exc = run(edition / "entities.xml", other / "copy-of-b.xml")
    assert exc is not None
    assert "slug 'doc-b' is already used by a document imported from" in err


def test_missing_path_fails(tmp_path):
    out, err, exc = run(tmp_path / "nowhere")
    assert exc is not None and "nowhere:0:0: no such file or directory" in err


def test_signal_is_sent_once_per_document_written(edition):
    seen = []

    def receiver(sender, document, created, **kwargs):
        seen.append((document.slug, created))

    document_imported.connect(receiver)
    try:
        run(edition)
        edit(edition / "doc-b.xml", "was closed", "was shut")
        run(edition)
    finally:
        document_imported.disconnect(receiver)
    assert seen == [("doc-a", True), ("doc-b", True), ("doc-b", False)]


def test_service_report_without_the_command(edition):
    report = TEIImporter().import_paths([edition / "doc-b.xml", edition / "entities.xml"])
    assert not report.failed and not report.problems
    assert report.totals["documents"].created == 1
    assert report.totals["entities"].created == 4
    assert report.totals["passages"].created == 3


def test_text_export_view_switch_and_speaker_labels(edition, client):
    run(edition)
    reading = client.get("/documents/doc-a/text.txt").content.decode()
    diplomatic = client.get("/documents/doc-a/text.txt?view=diplomatic").content.decode()
    assert "Ambassador Betov (hereafter Betov): I came today to continue our talks about Riverland." in reading
    assert "Ambassador Betov (hereafter Betov): I came today to continue out talks about Riverland." in diplomatic
    # The label opens only the first paragraph of a turn.
    assert "Alpha: First, I will report to the Ministry.\n\nSecond, the border must stay open.\n" in reading
    assert reading.startswith("Minutes of the Meeting between the Vice Minister [Alpha] and Betov\n\n")


def test_database_error_mid_file_rolls_back_that_file_only(edition, monkeypatch):
    from django.db import IntegrityError

    from documents.services import import_documents

    real = import_documents.DocumentsWriter.write_spans

    def failing(self, dirty, passages, old_docs):
        if any(obj.slug == "doc-b" for _, obj, _ in dirty):
            raise IntegrityError("simulated failure after doc-b's passages were written")
        return real(self, dirty, passages, old_docs)

    monkeypatch.setattr(import_documents.DocumentsWriter, "write_spans", failing)
    out, err, exc = run(edition)
    assert exc is not None
    assert f"{edition / 'doc-b.xml'}:0:0: database error: simulated failure" in err
    assert not Document.objects.filter(slug="doc-b").exists()
    assert not Passage.objects.filter(anchor="b-p1").exists()  # written, then rolled back
    assert Document.objects.filter(slug="doc-a").exists()
    assert "4 file(s): 2 imported, 0 unchanged, 2 failed." in out  # links.xml points into doc-b


def test_dangling_ref_inside_a_note_body_is_rejected(edition):
    atlantis = '<p>The border of <placeName ref="ent:atlantis">Atlantis</placeName>.</p>'
    edit(edition / "doc-a.xml", "<p>The border.</p>", atlantis)
    out, err, exc = run(edition)
    assert exc is not None
    line = next(i for i, text in enumerate((edition / "doc-a.xml").read_text().splitlines(), 1) if "atlantis" in text)
    assert err.count("'ent:atlantis' points to no entity") == 1
    assert f"doc-a.xml:{line}:0: @ref 'ent:atlantis' points to no entity" in err
    assert not Document.objects.filter(slug="doc-a").exists()


def test_a_failing_signal_receiver_is_a_warning_not_a_failure(edition):
    def broken(sender, document, created, **kwargs):
        raise RuntimeError("index offline")

    document_imported.connect(broken)
    try:
        out, err, exc = run(edition, edition / "doc-b.xml")  # the same file twice is imported once
    finally:
        document_imported.disconnect(broken)
    assert exc is None
    assert "4 file(s): 4 imported" in out
    assert "doc-b: document_imported receiver" in err and "index offline" in err and "(warning)" in err
    assert Document.objects.count() == 2


def test_dates_and_mentions_read_back(edition):
    run(edition)
    (when,) = DateMention.objects.filter(passage__anchor="b-p1").values_list("when", flat=True)
    assert when.isoformat() == "1962-04-29"
    mention = Mention.objects.get(passage__anchor="b-p1")
    passage = mention.passage
    assert passage.reading_text[mention.start : mention.end] == mention.text == "Riverland"
    assert Participation.objects.filter(document__slug="doc-a").order_by("order")[0].entity.key == "alpha"


def test_tei_pointers_in_note_bodies_resolve_to_document_urls(edition):
    from documents.services.pointers import resolve_markdown_pointers

    run(edition)
    doc_a = Document.objects.get(slug="doc-a")
    body = Note.objects.get(xml_id="n-alpha").body
    assert "(doc-b.xml#b-p1)" in body  # the TEI pointer is kept in the database
    resolved = resolve_markdown_pointers(body + " [here](#a-slip) [web](https://example.org/x)", doc_a)
    assert "[the memorandum](/documents/doc-b/#b-p1)" in resolved
    assert "[here](/documents/doc-a/#a-slip)" in resolved
    assert "[web](https://example.org/x)" in resolved
    assert resolve_markdown_pointers("[x](nowhere.xml#a)", doc_a) == "[x](nowhere.xml#a)"
