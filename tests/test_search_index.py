"""The index follows the data: note changes, alias changes, re-imports, rollbacks, and the rebuild command."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from documents.models import Document, EntityAlias, Note, SearchEntry
from documents.search import schema
from documents.search.service import search
from documents.signals import document_imported
from tests.builders import search_edition

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition():
    return search_edition()


def note_hits(q):
    return [h for g in search(q).groups for t in g.turns for h in t.hits if h.is_note]


def test_publishing_editing_and_deleting_a_note_updates_the_index_at_once(edition):
    note = Note.objects.get(status="draft")
    assert search("zanzibar").total == 0
    note.status = Note.Status.PUBLISHED
    note.save()
    assert [h.entry.note_id for h in note_hits("zanzibar")] == [note.pk]
    note.body = "Now about a quarantine instead."
    note.save()
    assert search("zanzibar").total == 0 and len(note_hits("quarantine")) == 1
    note.status = Note.Status.DRAFT
    note.save()
    assert search("quarantine").total == 0
    note.status = Note.Status.PUBLISHED
    note.save()
    note.delete()
    assert search("quarantine").total == 0
    assert not SearchEntry.objects.filter(kind="note", note_id=note.pk).exists()


def test_an_orphaned_note_stays_searchable_and_links_to_its_document(edition):
    note = Note.objects.get(status="published")
    note.passage = None
    note.anchor_status = Note.AnchorStatus.ORPHAN
    note.save()
    (hit,) = note_hits("recurs")
    assert hit.url == "/documents/minutes-1962-06-08/#m-2"  # the anchor it had


def test_alias_changes_reach_the_index_when_the_transaction_commits(edition, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        EntityAlias.objects.create(entity=edition["xinjiang"], name="Sin-kiang Uighur", lang="en")
    assert sorted(h.entry.anchor for g in search("Uighur").groups for t in g.turns for h in t.hits) == ["m-2", "memo-1"]
    with django_capture_on_commit_callbacks(execute=True):
        EntityAlias.objects.filter(name="Sinkiang").delete()
    assert search("Sinkiang").total == 0
    with django_capture_on_commit_callbacks(execute=True):
        edition["zhang"].name = "Zhang Han-fu (Vice Minister)"
        edition["zhang"].save()
    assert search("Vice Minister", {"place": ""}).total >= 1
    assert SearchEntry.objects.get(passage__anchor="m-5", kind="passage").names.startswith("Zhang Han-fu")


def test_a_failed_import_leaves_the_index_as_it_was(edition):
    memo = edition["memo"]
    before = sorted(SearchEntry.objects.filter(document=memo).values_list("text", flat=True))
    with pytest.raises(RuntimeError), transaction.atomic():
        passage = memo.passages.get(anchor="memo-2")
        passage.reading_text = "Something else entirely."
        passage.save()
        document_imported.send(sender=Document, document=memo, created=False)
        raise RuntimeError("the importer found a problem later in the file")
    assert sorted(SearchEntry.objects.filter(document=memo).values_list("text", flat=True)) == before
    assert search("repatriated").total >= 1


def test_rebuild_command_reports_progress_and_a_summary(edition):
    SearchEntry.objects.all().delete()
    assert search("repatriate").total == 0
    out = StringIO()
    call_command("rebuild_search_index", "--progress-every=1", stdout=out)
    text = out.getvalue()
    assert "1/2 documents" in text and "2/2 documents" in text
    assert f"Indexed 2 documents: 7 passages and 1 published notes (8 entries) on {connection.vendor}" in text
    assert search("repatriate").total == 4


def test_rebuild_dry_run_writes_nothing(edition):
    SearchEntry.objects.all().delete()
    out = StringIO()
    call_command("rebuild_search_index", "--dry-run", stdout=out)
    assert "Would index 2 documents: 7 passages and 1 published notes on" in out.getvalue()
    assert SearchEntry.objects.count() == 0


def test_rebuild_on_an_empty_edition(db):
    out = StringIO()
    call_command("rebuild_search_index", stdout=out)
    assert "Indexed 0 documents" in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_rebuild_restores_missing_fts_objects():
    """SQLite triggers vanish if Django ever remakes the table; the rebuild re-creates them (and the GIN index)."""
    search_edition()
    schema.drop_schema(connection)
    call_command("rebuild_search_index", stdout=StringIO())
    assert search("repatriate").total == 4
    note = Note.objects.get(status="draft")
    note.status = Note.Status.PUBLISHED
    note.save()
    assert search("zanzibar").total == 1


def test_help_is_the_docstring():
    from documents.management.commands.rebuild_search_index import Command

    assert Command.help.startswith("Rebuild the full-text search index")


def test_entries_written_in_several_multi_row_statements_match_one_by_one(edition, monkeypatch):
    """SQLite writes entries in multi-row INSERTs (one FTS5 flush per statement, not per row): a
    batch split over several statements indexes exactly what one statement per row would."""
    from documents.search import indexing

    expected = sorted(SearchEntry.objects.values_list("kind", "anchor", "text", "names", "filters"))
    hits = {q: search(q).total for q in ("repatriate", "zanzibar", '"Xinjiang"')}
    monkeypatch.setattr(indexing, "_rows_per_statement", lambda: 3)  # 8 entries: statements of 3, 3 and 2
    written = indexing.index_documents(Document.objects.all())
    assert written == len(expected) == 8
    assert sorted(SearchEntry.objects.values_list("kind", "anchor", "text", "names", "filters")) == expected
    assert {q: search(q).total for q in hits} == hits and hits["repatriate"] == 4


def test_rows_per_statement_stays_within_the_bound_parameter_limit(db):
    from documents.search import indexing

    step = indexing._rows_per_statement()
    assert 1 <= step <= indexing.BATCH
    if connection.vendor == "sqlite":
        import sqlite3

        limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        assert step * len(indexing.COLUMNS) <= limit


def test_migration_0005_gives_stored_vectors_the_filter_tokens(edition):
    """PostgreSQL: vectors stored before 0005 lack the filter tokens that filtered searches now match."""
    import importlib
    from types import SimpleNamespace

    from django.apps import apps

    migration = importlib.import_module("documents.migrations.0005_search_vector_filter_tokens")
    filtered = {"speaker": "zhang-hanfu"}
    expected = search("repatriate", filtered).total
    assert expected == 2
    if connection.vendor == "postgresql":  # as 0004 stored them: text (A) and names (B) only
        from django.contrib.postgres.search import SearchVector
        from django.db.models import Value

        SearchEntry.objects.update(search_vector=SearchVector("text", weight="A", config=Value("english"))
                                   + SearchVector("names", weight="B", config=Value("english")))
        assert search("repatriate", filtered).total == 0
    migration.recompute_vectors(apps, SimpleNamespace(connection=connection))  # a no-op on SQLite
    assert search("repatriate", filtered).total == expected
