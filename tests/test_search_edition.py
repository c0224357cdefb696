"""Search over the edition's own TEI, as import_tei loads it (the importer keeps the index in step)."""

import shutil
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from documents.models import Note, SearchEntry
from documents.search.service import search

pytestmark = pytest.mark.django_db
RETURNING = 'repatriate OR return OR "come back"'


@pytest.fixture
def edition():
    call_command("import_tei", stdout=StringIO(), stderr=StringIO())


def hits(results, kind="passage"):
    return [(h.entry.document.slug, h.entry.anchor) for g in results.groups for t in g.turns for h in t.hits
            if h.entry.kind == kind]


def test_the_import_indexes_every_passage_and_published_note(edition):
    from documents.models import Passage

    assert SearchEntry.objects.filter(kind="passage").count() == Passage.objects.count()
    assert SearchEntry.objects.filter(kind="note").count() == Note.objects.published().count() > 0


def test_repatriation_is_found_by_its_stem(edition):
    assert hits(search("repatriation")) == [("minutes-1962-06-08", "m-zhang-1-repatriation")]


def test_a_researcher_finds_the_passages_about_return_in_both_documents_filtered_by_speaker(edition):
    everything = search(RETURNING)
    documents = {slug for slug, _ in hits(everything)}
    assert documents == {"minutes-1962-06-08", "memorandum-1962-06-07"}
    by_zhang = hits(search(RETURNING, {"speaker": "zhang-hanfu"}))
    assert by_zhang == [("minutes-1962-06-08", "m-zhang-1-repatriation"), ("minutes-1962-06-08", "m-zhang-3-reply")]
    speakers = {i.value: i.count for i in everything.facets.speakers.items}
    assert speakers["zhang-hanfu"] == 2


@pytest.mark.parametrize(
    "alias, anchor",
    [
        ("章汉夫", "m-title"),  # issue 12: Zhang Hanfu's name (simplified), verified in docs/encoding.md's sources
        ("章漢夫", "m-title"),  # traditional characters
        ("Sinkiang", "m-zhang-1-xinjiang"),
        ("新疆", "m-zhang-1-xinjiang"),
        ("Синьцзян", "m-zhang-1-xinjiang"),
        ("契尔沃年科", "m-title"),  # Chervonenko as the Foreign Ministry's cable of 28 June 1962 writes him
    ],
)
def test_aliases_from_the_entity_list_find_the_mentions(edition, alias, anchor):
    assert ("minutes-1962-06-08", anchor) in hits(search(alias))


@pytest.mark.parametrize("wrong", ["张汉夫", "張漢夫"])
def test_the_wrong_characters_for_zhang_hanfu_are_not_names_of_the_edition(edition, wrong):
    """张 is the wrong surname character (issue 12): neither form is an alias, so neither finds his mentions."""
    assert ("minutes-1962-06-08", "m-title") not in hits(search(wrong))


def test_search_page_on_the_edition(client, edition):
    html = client.get(reverse("documents:search"), {"q": RETURNING, "speaker": "zhang-hanfu"}).content.decode()
    assert 'href="/documents/minutes-1962-06-08/#m-zhang-1-repatriation"' in html
    assert "<mark>repatriat" in html
    assert "<mark>come back</mark>" in html or "<mark>come</mark> <mark>back</mark>" in html  # FTS5 / ts_headline


def test_reimporting_a_corrected_text_updates_the_index_and_keeps_editors_notes(tmp_path):
    tei = tmp_path / "tei"
    shutil.copytree(settings.EDITION_TEI_DIR, tei, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    call_command("import_tei", str(tei), stdout=StringIO(), stderr=StringIO())
    passage = SearchEntry.objects.get(kind="passage", anchor="m-zhang-2-agreement").passage
    note = Note.objects.create(
        document=passage.document, passage=passage, anchor=passage.anchor, exact="agree", start=9, end=14,
        body="An editor's remark about unanimity.", status="published", provenance="editor",
    )
    assert len(hits(search("unanimity"), kind="note")) == 1
    minutes = tei / "minutes-1962-06-08.xml"
    text = minutes.read_text(encoding="utf-8")
    assert "I fully agree with you." in text
    minutes.write_text(text.replace("I fully agree with you.", "I fully agree with you, wholeheartedly."), "utf-8")
    call_command("import_tei", str(tei), stdout=StringIO(), stderr=StringIO())
    assert hits(search("wholeheartedly")) == [("minutes-1962-06-08", "m-zhang-2-agreement")]
    assert len(hits(search("unanimity"), kind="note")) == 1
    note.refresh_from_db()
    assert note.passage_id is not None
