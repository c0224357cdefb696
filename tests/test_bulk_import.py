"""`import_tei --bulk`: the same rows as the ordinary import, parallel parsing, batches, the same guarantees."""

import shutil
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from documents.models import Document, Entity, Note, Passage, PassageLink, SearchEntry, SourceFile
from documents.search import indexing
from documents.services.bulk_import import BulkImporter, Progress
from documents.services.importer import TEIImporter
from documents.signals import documents_imported

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_edition_schema")]
MODELS = (Document, Passage, Note, Entity, PassageLink, SourceFile)




def rows():
    return {m.__name__: m.objects.count() for m in MODELS} | {"SearchEntry": SearchEntry.objects.count()}


@pytest.mark.parametrize("workers", [1, 2])
def test_bulk_writes_what_the_ordinary_import_writes_and_indexes_it(edition, workers):
    report = BulkImporter(workers=workers, batch=2).import_paths([edition])
    assert not report.failed, [str(p) for p in report.problems]
    after_bulk = rows()
    assert after_bulk["Document"] == 2 and after_bulk["SearchEntry"] > 0
    # The index is what a full rebuild gives, and an ordinary forced re-import finds nothing to change.
    indexing.rebuild()
    assert rows() == after_bulk
    again = TEIImporter(force=True).import_paths([edition])
    assert again.totals["documents"].unchanged == 2 and again.totals["documents"].updated == 0
    assert rows() == after_bulk


def stored() -> dict:
    """What an import stored, by slugs and anchors (not pks): documents and their places, passages,
    notes, versions and snapshots, search entries (and, on PostgreSQL, their stored tsvectors)."""
    from django.db import connection

    from documents.models import DocumentVersion, Snapshot

    digests = dict(Snapshot.objects.values_list("pk", "digest"))
    result = {
        "documents": sorted(
            Document.objects.values_list("slug", "collection__slug", "collection_order", "fingerprint")
        ),
        "passages": sorted(Passage.objects.values_list("document__slug", "anchor", "order", "reading_text")),
        "notes": sorted(Note.objects.values_list("document__slug", "xml_id", "uuid", "anchor", "start", "end")),
        "versions": sorted(
            (slug, number, message, [(a, digests[pk], s, t) for a, pk, s, t in entries], header, structure)
            for slug, number, message, entries, header, structure in DocumentVersion.objects.values_list(
                "document__slug", "number", "message", "entries", "header__digest", "structure__digest"
            )
        ),
        "snapshots": sorted(Snapshot.objects.values_list("digest", "kind")),
        "entities": sorted(Entity.objects.values_list("key", "name", "source_file__path")),
        "links": sorted(PassageLink.objects.values_list("source_document__slug", "source_anchor",
                                                        "target_document__slug", "target_anchor", "kind")),
        "search": sorted(SearchEntry.objects.values_list("kind", "document__slug", "anchor", "order", "text", "names")),
    }
    if connection.vendor == "postgresql":
        # The stored tsvector of every entry is the one the ORM's expression computes from its fields
        # (the vectors themselves hold pks: zzdoc12, ...).
        computed = SearchEntry.objects.annotate(computed=indexing.vector_expression())
        result["stale vectors"] = [
            pk for pk, vector, fresh in computed.values_list("pk", "search_vector", "computed") if vector != fresh
        ]
        result["entries"] = SearchEntry.objects.count()
    return result


def wipe() -> None:
    from documents.models import Collection, DocumentVersion, Snapshot

    for model in (SearchEntry, DocumentVersion, Snapshot, Note, PassageLink, Document, Collection, Entity, SourceFile):
        model.objects.all().delete()


def test_bulk_stores_exactly_what_the_ordinary_import_stores(edition):
    # Documents in several batches whose positions in the edition interleave (dates out of file order):
    # the bulk path numbers them once per batch, the ordinary import after every file.
    text = (edition / "doc-b.xml").read_text(encoding="utf-8")
    for n, day in enumerate(("1962-06-09", "1962-05-01", "1962-06-08", "1961-01-02", "1963-03-03")):
        extra = text.replace('xml:id="doc-b"', f'xml:id="extra-{n}"').replace("1962-06-07", day)
        (edition / f"extra-{n}.xml").write_text(extra, encoding="utf-8")
    ordinary = TEIImporter().import_paths([edition])
    assert not ordinary.failed, [str(p) for p in ordinary.problems]
    expected = stored()
    assert len({order for _, _, order, _ in expected["documents"]}) == 7  # distinct positions
    wipe()
    report = BulkImporter(workers=1, batch=2).import_paths([edition])
    assert not report.failed, [str(p) for p in report.problems]
    assert stored() == expected
    assert report.totals["documents"].created == ordinary.totals["documents"].created == 7
    assert [len(r.versions) for r in report.files] == [len(r.versions) for r in ordinary.files]


def test_unchanged_files_are_skipped_before_parsing(edition):
    BulkImporter(workers=1).import_paths([edition])
    report = BulkImporter(workers=1).import_paths([edition])
    assert report.status_count("unchanged") == 4
    assert report.totals["documents"].unchanged == 2


def test_a_failed_file_changes_nothing_and_its_batch_neighbours_commit(edition):
    # A copy of doc-a under another name: the same document slug from another file fails at write
    # time, inside the batch's transaction, after doc-a was written in the same batch.
    shutil.copyfile(edition / "doc-a.xml", edition / "doc-a2.xml")
    messages = []
    report = BulkImporter(workers=1, batch=10, progress=messages.append).import_paths([edition])
    (failed,) = report.failed
    assert failed.path.endswith("doc-a2.xml") and failed.problems
    assert sorted(Document.objects.values_list("slug", flat=True)) == ["doc-a", "doc-b"]
    assert not SourceFile.objects.filter(path__endswith="doc-a2.xml").exists()
    doc_a = Document.objects.get(slug="doc-a")
    assert SearchEntry.objects.filter(document=doc_a).exists()  # indexed once, for the files that committed
    assert SearchEntry.objects.filter(document=doc_a, kind="passage").count() == doc_a.passages.count()
    assert any("doc-a2.xml: FAILED" in m for m in messages)
    assert any(m.startswith("done 5/5 files") and m.endswith("done") for m in messages)


def test_a_file_failing_after_its_versions_were_deferred_records_none(edition, monkeypatch):
    # doc-b fails after its text was written (its versions waiting for the batch's end): they go with it.
    from documents.models import DocumentVersion
    from documents.services import import_writer
    from documents.services.import_writer import ImportFailed
    from documents.tei.mapping_types import Problem

    real = import_writer.write_collection

    def failing(fw):
        if fw.data.path.endswith("doc-b.xml"):
            raise ImportFailed([Problem(fw.data.path, 0, 0, "made to fail")])
        real(fw)

    monkeypatch.setattr(import_writer, "write_collection", failing)
    report = BulkImporter(workers=1, batch=10).import_paths([edition])
    # (links.xml fails too: its links point into doc-b)
    assert [r.path.rsplit("/", 1)[-1] for r in report.failed] == ["doc-b.xml", "links.xml"]
    assert list(DocumentVersion.objects.values_list("document__slug", "number")) == [("doc-a", 1)]
    assert [len(r.versions) for r in report.files if r.path.endswith("doc-a.xml")] == [1]
    assert not Document.objects.filter(slug="doc-b").exists()


def test_a_batch_whose_indexing_fails_rolls_back_whole(edition, monkeypatch):
    from django.db import DatabaseError

    def broken(documents):
        raise DatabaseError("index full")

    monkeypatch.setattr(indexing, "index_documents", broken)
    report = BulkImporter(workers=1, batch=100).import_paths([edition])
    failed = {r.path.rsplit("/", 1)[-1]: r for r in report.failed}
    for name in ("doc-a.xml", "doc-b.xml"):  # the documents' batch (the entity list, in its own batch, commits)
        assert "database error in its batch: index full" in str(failed[name].problems[-1])
    assert "entities.xml" not in failed and Entity.objects.exists()
    assert Document.objects.count() == 0 and SearchEntry.objects.count() == 0


def test_dry_run_changes_nothing(edition):
    report = BulkImporter(workers=1).import_paths([edition], dry_run=True)
    assert not report.failed and report.totals["documents"].created == 2
    assert rows() == {"Document": 0, "Passage": 0, "Note": 0, "Entity": 0, "PassageLink": 0, "SourceFile": 0,
                      "SearchEntry": 0}  # fmt: skip


def test_the_per_file_indexing_receiver_is_back_after_the_run(edition):
    BulkImporter(workers=1).import_paths([edition])
    uids = [entry[0][0] for entry in documents_imported.receivers]
    assert "search_index_documents" in uids and "bulk_import_collect" not in uids


def test_files_that_may_define_entities_or_links_are_found(edition, tmp_path):
    from documents.services.bulk_import import may_define

    assert may_define(edition / "entities.xml") and may_define(edition / "links.xml")
    plain = tmp_path / "plain.xml"
    plain.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>No <persName ref="ent:a">A</persName>'
                     '<person sameAs="ent:a"/> here.</p></body></text></TEI>')  # fmt: skip
    assert not may_define(plain)
    tricky = tmp_path / "tricky.xml"
    tricky.write_text('<TEI xmlns:t="x"><t:person ana="a>b"\n xml:id="p1"/></TEI>')
    assert may_define(tricky)


def test_documents_are_written_while_later_files_are_parsed(edition):
    # Five document files that define nothing: written in batches as they are parsed, after the entity list.
    for n in range(5):
        text = (edition / "doc-b.xml").read_text(encoding="utf-8")
        (edition / f"extra-{n}.xml").write_text(text.replace('xml:id="doc-b"', f'xml:id="extra-{n}"'), encoding="utf-8")
    messages = []
    report = BulkImporter(workers=2, batch=2, progress=messages.append).import_paths([edition])
    assert not report.failed, [str(p) for p in report.problems]
    assert Document.objects.count() == 7
    assert [r.path.rsplit("/", 1)[-1] for r in report.files][:2] == ["doc-a.xml", "doc-b.xml"]  # file order
    assert SearchEntry.objects.filter(document__slug="extra-4", kind="passage").exists()


def test_progress_reports_rate_and_eta():
    lines = []
    progress = Progress("parsed", 4, lines.append, every=0)
    progress.tick()
    progress.tick(3)
    assert lines[0].startswith("parsed 1/4 files (") and "ETA " in lines[0]
    assert lines[-1].startswith("parsed 4/4 files") and lines[-1].endswith("done")


def test_command_bulk_option(edition):
    out, err = StringIO(), StringIO()
    call_command("import_tei", str(edition), "--bulk", "--workers", "2", "--batch", "3", stdout=out, stderr=err)
    assert "4 file(s): 4 imported" in out.getvalue()
    assert "parsed 4/4 files" in out.getvalue() and "done 4/4 files" in out.getvalue()
    assert Document.objects.count() == 2
    (edition / "broken.xml").write_text("<TEI", encoding="utf-8")
    with pytest.raises(CommandError, match="1 file failed"):
        call_command("import_tei", str(edition), "--bulk", stdout=out, stderr=err)
    assert "broken.xml:" in err.getvalue()


def test_parsing_ahead_is_bounded_and_keeps_the_file_order(edition):
    # More files than the look-ahead window (batch 1, 2 workers: 16 files ahead): the queue refills in order.
    text = (edition / "doc-b.xml").read_text(encoding="utf-8")
    for n in range(24):
        (edition / f"more-{n:02d}.xml").write_text(text.replace('xml:id="doc-b"', f'xml:id="more-{n:02d}"'))
    report = BulkImporter(workers=2, batch=1).import_paths([edition])
    assert not report.failed, [str(p) for p in report.problems]
    names = [r.path.rsplit("/", 1)[-1] for r in report.files]
    assert names == sorted(names) and len(names) == 28
    assert Document.objects.count() == 26


def test_a_bulk_import_takes_the_import_lock_like_the_ordinary_one(edition, monkeypatch):
    """Imports of one database never interleave (documents/services/import_lock.py): the bulk run holds
    the run-wide lock (SQLite's lock file) and takes the transaction lock (PostgreSQL's advisory lock)
    in every batch. (The test database of SQLite is in memory, where the lock file does not apply, so
    the calls are counted; tests/test_faults.py runs real concurrent imports.)"""
    import contextlib

    from documents.services import bulk_import, importer

    calls = []

    @contextlib.contextmanager
    def run_lock(connection=None):
        calls.append("run")
        yield

    real = bulk_import.lock_for_this_transaction
    monkeypatch.setattr(importer, "exclusive_import", run_lock)
    monkeypatch.setattr(bulk_import, "lock_for_this_transaction", lambda: (calls.append("batch"), real())[1])
    report = BulkImporter(workers=1, batch=2).import_paths([edition])
    assert not report.failed
    assert calls[0] == "run" and calls.count("run") == 1 and calls.count("batch") >= 2


def test_a_bulk_import_refuses_to_run_beside_another(edition, monkeypatch):
    from documents.services import importer
    from documents.services.import_lock import ImportRunning

    def busy(connection=None):
        raise ImportRunning("import already running on this database (pid 1, lock x); try again")

    monkeypatch.setattr(importer, "exclusive_import", busy)
    before = rows()
    report = BulkImporter(workers=1).import_paths([edition])
    assert report.failed and "import already running" in str(report.problems[0])
    assert rows() == before
