"""The search index follows imports in batches: once per file, a constant number of queries
for any number of documents, and names/aliases changed in an entity list reach the index."""

from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from documents.models import Document, EntityAlias, SearchEntry
from documents.search import indexing
from documents.search.service import search
from documents.signals import documents_imported
from tests import builders

pytestmark = pytest.mark.django_db


def make_documents(n):
    """n documents, each with two speakers' turns, passages mentioning aliased entities, and notes."""
    place = builders.entity("riverland", "place", "Riverland")
    EntityAlias.objects.create(entity=place, name="Rivierland", lang="nl")
    person = builders.entity("alpha", name="Alpha")
    EntityAlias.objects.create(entity=person, name="Alfa", lang="it")
    docs = []
    for i in range(n):
        doc = builders.document(f"doc-{i}", title=f"Document {i}")
        turn = builders.turn(doc, f"d{i}-t1", person, "Alpha:")
        p1 = builders.add_passage(doc, f"d{i}-p1", 'We spoke of <placeName ref="ent:riverland">Riverland</placeName>.',
                                   turn=turn)
        builders.add_passage(doc, f"d{i}-p2", '<persName ref="ent:alpha">Alpha</persName> left.')
        builders.note(p1, "spoke", body=f"A *published* note {i}.")
        builders.note(p1, "Riverland", body="A draft.", status="draft")
        docs.append(doc)
    return docs


def queries_for(documents):
    with CaptureQueriesContext(connection) as ctx:
        written = indexing.index_documents(documents)
    return len(ctx.captured_queries), written


def test_indexing_many_documents_costs_as_many_queries_as_indexing_two():
    docs = make_documents(10)
    few, written_few = queries_for(docs[:2])
    many, written_many = queries_for(docs)
    assert written_few == 2 * 3 and written_many == 10 * 3  # two passages and one published note each
    assert many == few
    assert SearchEntry.objects.filter(kind="note").count() == 10


def test_batched_entries_equal_those_of_one_document_at_a_time():
    docs = make_documents(4)
    fields = ("kind", "document_id", "passage_id", "note_id", "turn_id", "speaker_id", "anchor", "order", "date",
              "text", "names", "filters")
    for doc in docs:
        indexing.index_document(doc)
    one_by_one = list(SearchEntry.objects.order_by("pk").values_list(*fields))
    indexing.index_documents(docs)
    batched = list(SearchEntry.objects.order_by("pk").values_list(*fields))
    assert batched == one_by_one
    assert ("passage", docs[0].pk) in {(r[0], r[1]) for r in batched}
    assert any("Rivierland" in r[10] for r in batched)
    assert search("Alfa").total == 4  # found through the alias of the speaker named in d*-p2


# -- through the importer ----------------------------------------------------------------------

@pytest.fixture
def edition(tei_edition_copy):
    return tei_edition_copy  # tests/conftest.py


def run(*paths):
    err = StringIO()
    call_command("import_tei", *[str(p) for p in paths], stdout=StringIO(), stderr=err)
    return err.getvalue()


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def anchors(q):
    return sorted(h.entry.anchor for g in search(q).groups for t in g.turns for h in t.hits)


def test_the_importer_sends_one_batch_per_file(edition):
    batches = []

    def receiver(sender, documents, created, **kwargs):
        batches.append(([d.slug for d in documents], sorted(Document.objects.get(pk=pk).slug for pk in created)))

    documents_imported.connect(receiver)
    try:
        run(edition)
        edit(edition / "doc-b.xml", "was closed", "was shut")
        run(edition)
    finally:
        documents_imported.disconnect(receiver)
    assert batches == [(["doc-a"], ["doc-a"]), (["doc-b"], ["doc-b"]), (["doc-b"], [])]
    assert anchors("shut") == ["b-p1"] and anchors("closed") == []


def test_an_imported_index_equals_a_rebuilt_one(edition):
    run(edition)
    fields = ("kind", "document__slug", "anchor", "text", "names", "filters")
    imported = sorted(SearchEntry.objects.values_list(*fields))
    call_command("rebuild_search_index", stdout=StringIO())
    assert imported and sorted(SearchEntry.objects.values_list(*fields)) == imported


def test_an_alias_added_in_the_entity_list_is_found_after_reimport(edition):
    run(edition)
    assert anchors("Flussland") == []
    edit(edition / "entities.xml", "<placeName xml:lang=\"ru\">Речная земля</placeName>",
         "<placeName xml:lang=\"ru\">Речная земля</placeName><placeName xml:lang=\"de\">Flussland</placeName>")
    err = run(edition)  # only entities.xml changed: the documents are not rewritten
    assert "warning" not in err
    assert anchors("Flussland") == ["a-beta-1-p1", "b-p1"]
    edit(edition / "entities.xml", "<placeName xml:lang=\"de\">Flussland</placeName>", "")
    run(edition)
    assert anchors("Flussland") == []
    assert anchors("Речная") == ["a-beta-1-p1", "b-p1"]  # the other alias stays


def test_a_renamed_entity_is_found_under_its_new_name_after_reimport(edition):
    run(edition)
    assert anchors("Riverland") and anchors("Streamland") == []
    edit(edition / "entities.xml", "<place xml:id=\"riverland\"><placeName>Riverland</placeName>",
         "<place xml:id=\"riverland\"><placeName>Streamland</placeName>")
    run(edition)
    assert anchors("Streamland") == ["a-beta-1-p1", "b-p1"]


def test_a_failed_entity_file_leaves_the_index_names_as_they_were(edition, monkeypatch):
    from documents.services import import_writer

    run(edition)
    edit(edition / "entities.xml", "<placeName xml:lang=\"ru\">Речная земля</placeName>",
         "<placeName xml:lang=\"ru\">Речная земля</placeName><placeName xml:lang=\"de\">Flussland</placeName>")
    real = import_writer.FileWriter.load_entity_keys

    def failing(self):
        real(self)
        raise import_writer.ImportFailed([])  # after the names were refreshed in the file's transaction

    monkeypatch.setattr(import_writer.FileWriter, "load_entity_keys", failing)
    with pytest.raises(Exception):  # noqa: B017 - the command reports the failed file
        run(edition / "entities.xml")
    assert anchors("Flussland") == []
    assert not EntityAlias.objects.filter(name="Flussland").exists()


def test_a_failing_batch_receiver_is_a_warning_and_the_import_stands(edition):
    def broken(sender, documents, **kwargs):
        raise RuntimeError("index offline")

    documents_imported.connect(broken)
    try:
        err = run(edition)
    finally:
        documents_imported.disconnect(broken)
    assert "documents_imported receiver" in err and "index offline" in err and "(warning)" in err
    assert Document.objects.count() == 2
    assert anchors("closed") == ["b-p1"]  # the search receiver still indexed the file


# -- note text without the Markdown renderer ---------------------------------------------------

TRICKY_BODIES = [
    "", "File No. 861.51/131", "\\[Telegram\\]", "a \\\\[b\\]", "\\[x\\](y)", "1918. The year", "x\n- y", "a  \nb",
    "  1) z", "a & b", "a &amp; b", "\\[a\\]\n===", "A\n---", "    code\n", "“quote” – dash", "a\u00a0b", "\\]\\[",
    "trailing\\", "\\\\[", "[\\[x\\]](http://example.org)", "*em* and _em_", "`code`", "<b>raw</b>", "# Heading",
    "> quoted", "+ item", "line one\nline two\n\npara two", "\tindented", "a\x01b", "Sino-Soviet 1962-06-08",
    "See 861.00/1234 (p. 5).", '"Quoted" and \'single\'', "100% sure? Yes: 3/4.",
]


def frus_note_bodies():
    from documents.tei.mapping import map_tree
    from documents.tei.parser import parse_file
    from tests.conftest import FIXTURES

    path = FIXTURES.parents[2] / "shared" / "samples" / "frus1918Russiav03-not-yet-reviewed.xml"
    return [n.body for d in map_tree(parse_file(path).tree, str(path)).documents for n in d.notes]


def test_note_text_skips_markdown_only_where_it_would_change_nothing():
    bodies = TRICKY_BODIES + frus_note_bodies()
    assert len(bodies) > 1000
    plain = [b for b in bodies if not indexing._MARKDOWN.search(b.replace("\\[", "").replace("\\]", ""))]
    assert len(plain) > 500  # the fast path is taken, for most FRUS notes
    for body in bodies:
        assert indexing.note_text(SimpleNamespace(body=body)) == indexing.markdown_text(body), repr(body)
