"""Issue 10.1 + 10.5 (collection side): files holding many documents become collections with their sections.

The FRUS facts asserted here were read in the sample itself (../shared/samples/frus1918Russiav03-not-yet-reviewed.xml):
its <teiHeader> titles and publicationStmt, the <head> of each div[@type='chapter'] (ch1..ch5), the div
holding each document (d1 and d43 in ch1subch1, d44 in ch1subch2, d478 in ch5subch1), the front matter's
div[@xml:id='persons'] ("Bakhmeteff, Boris A., head of the Extraordinary Embassy from Russia to the United
States; ...") and the back matter's div[@xml:id='index'].
"""

from __future__ import annotations

import importlib
import re
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.test import Client

from documents.models import EDITION_COLLECTION, Collection, Document, Note, Passage, SearchEntry, Section
from documents.search.service import search
from documents.tei.mapping import map_tree
from documents.tei.parser import parse_bytes
from tests.conftest import SHARED
from tests.pages_data import imported_once

pytestmark = pytest.mark.django_db
SAMPLES = SHARED / "samples"
FRUS = SAMPLES / "frus1918Russiav03-not-yet-reviewed.xml"
PARLA = SAMPLES / "parla-clarin-exemplar.xml"
HAC = SAMPLES / "hsg-hac-minutes-1962-11-02.xml"
VOLUME = "frus1918russiav03"
CHAPTERS = [
    "Chapter I. Loans to the Provisional Government—Soviet Financial Decrees",
    "Chapter II. Efforts to Stabilize Russian Currency",
    "Chapter III. Commercial Relations and Relief",
]
LAST_CHAPTER = "Chapter V. Treatment of Russian Shipping"
#: A made-up volume (no historical content): a chapter with a headnote and two documents, one document outside it.
SMALL = """<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="vol-x"><teiHeader><fileDesc><titleStmt>
<title type="complete">Test volume</title><title type="series">Test series</title></titleStmt>
<publicationStmt><publisher>Test publisher</publisher><pubPlace>Nowhere</pubPlace><date>2000</date></publicationStmt>
<sourceDesc><p>Made up for a test.</p></sourceDesc></fileDesc></teiHeader>
<text><front><div type="section" xml:id="abbrev"><head>Abbreviations</head><list><item>ABC, a made-up word</item></list>
</div></front><body><div type="chapter" xml:id="c1"><head>First chapter</head>
<p>Headnote: zebrafinch words stand only here.</p>
<div type="document" xml:id="a1" n="1"><head>Document one</head><p>First text.</p></div>
<div type="document" xml:id="a2" n="2"><head>Document two</head><p>Second text.</p></div></div>
<div type="document" xml:id="a3" n="3"><head>Document three</head><p>Third text.</p></div></body></text></TEI>"""


def import_(*paths, **options):
    out, err = StringIO(), StringIO()
    try:
        call_command("import_tei", *[str(p) for p in paths], stdout=out, stderr=err, **options)
    except CommandError as exc:  # a file failed: the report says which and why
        return f"{out.getvalue()}{err.getvalue()}{exc}"
    return out.getvalue() + err.getvalue()


@pytest.fixture(scope="module", autouse=True)
def samples(django_db_setup, django_db_blocker):
    with imported_once(django_db_blocker, FRUS, PARLA, HAC) as out:
        yield out


def matter_sections(slug=VOLUME):
    return Section.objects.filter(document__slug=f"{slug}-matter").order_by("order")


def test_each_sample_is_a_collection_with_its_documents():
    expected = {
        VOLUME: ("Papers Relating to the Foreign Relations of the United States, 1918, Russia, Volume III", 478, FRUS),
        "parla-clarin-exemplar": ("Exemplar to illustrate Parla-CLARIN encoding", 1, PARLA),
        "hsg-hac-minutes-1962-11-02": ("Minutes of Historical Advisory Committee Meeting, November 1962", 1, HAC),
    }
    for slug, (title, count, path) in expected.items():
        collection = Collection.objects.get(slug=slug)
        assert collection.title == title
        assert collection.source_file.path == str(path.resolve())
        assert Document.objects.in_collection(collection).count() == count
        assert "<teiHeader" in collection.header_tei
    frus = Collection.objects.get(slug=VOLUME)
    assert frus.metadata["series"] == "Papers Relating to the Foreign Relations of the United States, 1918"
    assert (frus.metadata["publisher"], frus.metadata["pub_place"], frus.metadata["date"]) == (
        "United States Government Printing Office", "Washington", "1932",
    )  # fmt: skip
    edition = Collection.objects.get(slug=EDITION_COLLECTION)
    assert set(Document.objects.in_collection(edition).values_list("slug", flat=True)) == {
        "minutes-1962-06-08", "memorandum-1962-06-07",
    }  # fmt: skip
    assert edition.matter is None and edition.source_file is None


def test_frus_chapters_are_sections_in_order_and_documents_know_their_place():
    chapters = list(matter_sections().filter(kind="chapter").values_list("heading", flat=True))
    assert chapters[:3] == CHAPTERS and chapters[-1] == LAST_CHAPTER and len(chapters) == 5
    sections = {s.xml_id: s for s in matter_sections()}
    assert sections["ch1"].parent.xml_id == "comp1" and sections["ch1subch1"].parent.xml_id == "ch1"
    assert [sections[k].parent.xml_id for k in ("toc", "persons", "papers")] == ["front"] * 3
    assert (sections["index"].parent.xml_id, sections["index"].heading) == ("back", "Index")
    place = dict(
        Document.objects.filter(collection__slug=VOLUME).values_list("slug", "collection_section__xml_id")
    )
    assert place["frus1918russiav03-d1"] == place["frus1918russiav03-d43"] == "ch1subch1"
    assert (place["frus1918russiav03-d44"], place["frus1918russiav03-d478"]) == ("ch1subch2", "ch5subch1")
    orders = list(Document.objects.in_collection(Collection.objects.get(slug=VOLUME)).values_list("slug", flat=True))
    assert orders[0] == "frus1918russiav03-d1" and orders[-1] == "frus1918russiav03-d478" and len(orders) == 478


def test_text_outside_documents_is_stored_and_searchable():
    matter = Document.objects.get(slug=f"{VOLUME}-matter")
    assert matter.kind == Document.Kind.MATTER and matter.collection.slug == VOLUME
    persons = Passage.objects.filter(document=matter, section__xml_id="persons")
    assert any("head of the Extraordinary Embassy from Russia" in p.reading_text for p in persons)
    entries = SearchEntry.objects.filter(document=matter, kind=SearchEntry.Kind.PASSAGE)
    assert entries.count() == Passage.objects.filter(document=matter).count()
    results = search("Extraordinary Embassy", per_page=100)
    assert matter.pk in {group.document.pk for group in results.groups}


def test_collection_page_shows_its_table_of_contents_in_order(settings):
    settings.DEBUG = False
    body = Client(raise_request_exception=False).get(f"/collections/{VOLUME}/").content.decode()
    positions = [body.index(h) for h in ["List of Principal Persons", *CHAPTERS, LAST_CHAPTER, "Index"]]
    assert positions == sorted(positions)
    assert 'href="/documents/frus1918russiav03-d1/"' in body and '<time class="toc-date" datetime="1917-04-03">' in body
    assert f'href="/documents/{VOLUME}-matter/#' in body  # long front and back matter: read in the reader
    assert "478 documents" in Client().get("/").content.decode().replace("\n", " ")


def test_collection_page_filters_its_documents_by_date_type_and_speaker(settings):
    """Issue 10.5: the collection page filters and sorts its own documents (the home page's form, scoped)."""
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    url = f"/collections/{VOLUME}/"
    volume = Document.objects.in_collection(Collection.objects.get(slug=VOLUME))
    march = volume.filter(date__year=1918, date__month=3)
    body = client.get(url + "?from=1918-03&to=1918-03").content.decode()
    assert f"{march.count()} documents of this collection match." in body
    assert 'id="toc-title"' not in body  # the matching list stands in place of the contents
    listed = set(re.findall(r'class="doc-link" href="/documents/([^/]+)/"', body))
    assert listed == set(march.values_list("slug", flat=True)[:50]) and listed
    assert 'action="/collections/frus1918russiav03/#documents"' in body
    # the kinds offered are the collection's own; a kind it does not hold lists nothing
    kinds = set(volume.values_list("kind", flat=True))
    whole = client.get(url).content.decode()
    if len(kinds) == 1:  # one kind: nothing to choose here, while the home page offers the edition's kinds
        assert 'id="f-kind"' not in whole and 'id="f-kind"' in client.get("/").content.decode()
    else:
        assert all(f'<option value="{k}"' in whole for k in kinds)
    absent = next(k for k in Document.Kind.values if k not in kinds)
    empty = client.get(f"{url}?kind={absent}").content.decode()
    assert "No document of this collection matches these filters." in empty
    # sorted by date, newest first: the first listed is the volume's latest dated document
    newest = volume.exclude(date=None).order_by("-date", "sort_key", "slug").first()
    sorted_page = client.get(url + "?sort=-date").content.decode()
    assert re.search(r'class="doc-link" href="/documents/([^/]+)/"', sorted_page)[1] == newest.slug
    assert client.get(url + "?speaker=no-such-speaker").status_code == 404


def test_collection_speaker_filter_offers_only_its_speakers(settings):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    parla = Collection.objects.exclude(slug=VOLUME).get(source_file__path__endswith=PARLA.name)
    documents = Document.objects.in_collection(parla)
    turns = documents.first().turns.exclude(speaker=None)
    speaker = turns.first().speaker
    body = client.get(f"{parla.get_absolute_url()}").content.decode()
    assert f'<option value="{speaker.key}"' in body
    assert "zhang-hanfu" not in body  # a speaker of the edition, not of this collection
    page = client.get(f"{parla.get_absolute_url()}?speaker={speaker.key}").content.decode()
    assert f"{documents.filter(turns__speaker=speaker).distinct().count()} document" in page


def test_collection_histogram_counts_all_its_dated_documents(settings):
    settings.DEBUG = False
    volume = Document.objects.in_collection(Collection.objects.get(slug=VOLUME))
    dated = volume.exclude(date=None).count()
    assert dated > 50  # more than one page of the list: the histogram is not of a page
    body = Client(raise_request_exception=False).get(f"/collections/{VOLUME}/").content.decode()
    assert f"{dated} dated documents of this collection, by " in body
    bars = re.findall(r"<title>[^<]*: (\d+) documents?</title>", body)
    assert sum(int(n) for n in bars) == dated
    # a bar links to its period on this page, the filters kept
    assert re.search(r'<a href="\?from=1918(-\d\d)?&amp;to=1918(-\d\d)?" class="bar-link">', body)


def test_previous_and_next_within_the_collection(settings):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    page = client.get("/documents/frus1918russiav03-d44/").content.decode()
    assert 'href="/documents/frus1918russiav03-d43/" rel="prev"' in page
    assert 'href="/documents/frus1918russiav03-d45/" rel="next"' in page
    assert f'href="/collections/{VOLUME}/#s-ch1subch2"' in page
    first = client.get("/documents/frus1918russiav03-d1/").content.decode()
    assert 'rel="prev"' not in first and 'href="/documents/frus1918russiav03-d2/" rel="next"' in first
    last = Document.objects.get(slug="frus1918russiav03-d478")
    assert Document.objects.neighbours(last)[1] is None
    assert Document.objects.neighbours(Document.objects.get(slug=f"{VOLUME}-matter")) == (None, None)


def test_every_collection_page_answers_without_server_error(settings):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    for slug in Collection.objects.values_list("slug", flat=True):
        assert client.get(f"/collections/{slug}/").status_code == 200, slug
    assert client.get("/collections/no-such-thing/").status_code == 404
    listing = client.get("/collections/").content.decode()
    assert all(c.title in listing for c in Collection.objects.all()) and "478 documents" in listing


def test_reimport_is_idempotent_and_keeps_editors_notes():
    matter_passage = Passage.objects.get(document__slug=f"{VOLUME}-matter", section__xml_id="persons", kind="head")
    note = Note.objects.create(document=matter_passage.document, passage=matter_passage, anchor=matter_passage.anchor,
                               body="An editor's remark.", provenance=Note.Provenance.EDITOR)
    counts = (Collection.objects.count(), Section.objects.count(), Document.objects.count(), Passage.objects.count())
    assert "3 unchanged" in import_(FRUS, PARLA, HAC)  # checksum
    forced = import_(FRUS, PARLA, HAC, force=True)
    assert "0 created, 0 updated, 481 unchanged" in forced  # 478 + the matter + 2 single documents
    assert (Collection.objects.count(), Section.objects.count(), Document.objects.count(),
            Passage.objects.count()) == counts  # fmt: skip
    note.refresh_from_db()
    assert (note.passage_id, note.body) == (matter_passage.pk, "An editor's remark.")


def test_existing_documents_get_their_collection_after_the_migration():
    """0009 resets the checksums: the next import re-reads the files and places the documents."""
    Document.objects.update(collection=None, collection_section=None, collection_order=0)
    Collection.objects.all().delete()
    importlib.import_module("documents.migrations.0009_collections").reread_files(apps, None)
    import_(FRUS, HAC)
    d44 = Document.objects.get(slug="frus1918russiav03-d44")
    assert (d44.collection.slug, d44.collection_section.xml_id, d44.collection_order) == (VOLUME, "ch1subch2", 44)


def test_a_failing_file_changes_nothing(tmp_path):
    """A volume whose matter document's slug is already another file's: refused, and none of its documents stays."""
    path = tmp_path / "clash.xml"
    path.write_text(SMALL.replace('xml:id="vol-x"', 'xml:id="frus1918Russiav03"'), encoding="utf-8")
    before = (Collection.objects.get(slug=VOLUME).title, Collection.objects.count(), Document.objects.count(),
              Section.objects.count())  # fmt: skip
    out = import_(path)
    assert "1 failed" in out and "slug 'frus1918russiav03-matter' is already used by a document imported from" in out
    after = (Collection.objects.get(slug=VOLUME).title, Collection.objects.count(), Document.objects.count(),
             Section.objects.count())  # fmt: skip
    assert after == before
    assert not Document.objects.filter(slug="frus1918russiav03-a1").exists()


def test_a_second_file_with_the_same_collection_slug_gets_a_slug_of_its_own(tmp_path):
    """Two files with one stem (or root id): the second collection is <slug>-2, the first is untouched."""
    flat = SMALL.replace('xml:id="vol-x"', 'xml:id="frus1918Russiav03"')
    flat = flat[: flat.index("<front>")] + "<body>" + flat[flat.index('<div type="document" xml:id="a1"') :]
    flat = flat.replace("</div></div>", "</div>")  # two documents and no text outside them: no matter document
    path = tmp_path / "flat.xml"
    path.write_text(flat, encoding="utf-8")
    assert "1 imported" in import_(path)
    second = Collection.objects.get(source_file__path=str(path.resolve()))
    assert second.slug == f"{VOLUME}-2" and second.matter is None
    assert Document.objects.get(slug="frus1918russiav03-a1").collection == second
    assert Collection.objects.get(slug=VOLUME).source_file.path == str(FRUS.resolve())
    import_(path, force=True)
    assert Collection.objects.get(source_file__path=str(path.resolve())).slug == f"{VOLUME}-2"  # stays


def test_the_edition_documents_have_distinct_positions():
    orders = Document.objects.filter(collection__slug=EDITION_COLLECTION).values_list("collection_order", flat=True)
    assert sorted(orders) == [1, 2]
    minutes = Document.objects.with_neighbours().get(slug="minutes-1962-06-08")
    previous, following = Document.objects.neighbours(minutes)
    assert {getattr(previous, "slug", None), getattr(following, "slug", None)} == {"memorandum-1962-06-07", None}


def test_a_small_volume_headnote_and_sections(tmp_path, settings):
    data = map_tree(parse_bytes(SMALL.encode(), "small.xml"), "small.xml")
    collection = data.collection
    assert (collection.slug, collection.title, collection.metadata["series"]) == ("vol-x", "Test volume", "Test series")
    assert collection.places == [("vol-x-a1", "c1"), ("vol-x-a2", "c1"), ("vol-x-a3", None)]
    assert [s.xml_id for s in collection.matter.sections] == ["front", "abbrev", "c1"]
    path = tmp_path / "small.xml"
    path.write_text(SMALL, encoding="utf-8")
    assert "1 imported" in import_(path)
    settings.DEBUG = False
    body = Client(raise_request_exception=False).get("/collections/vol-x/").content.decode()
    assert "<p>Headnote: zebrafinch words stand only here.</p>" in body  # short prose: shown in the contents
    assert "Rendered(" not in body and "ABC, a made-up word" in body  # the renderer's HTML, not its repr
    assert body.index("First chapter") < body.index("Document one") < body.index("Document two")
    assert body.index("Abbreviations") < body.index("First chapter")
    assert {g.document.slug for g in search("zebrafinch").groups} == {"vol-x-matter"}


def test_a_corpus_of_volumes_keeps_each_volume_sections_apart():
    """Two <TEI>s in a teiCorpus, both with a chapter c1: one matter document, ids unique across them."""
    volume = SMALL[SMALL.index("<TEI ") : SMALL.index("</TEI>") + 6]
    corpus = (
        '<teiCorpus xmlns="http://www.tei-c.org/ns/1.0" xml:id="corp"><teiHeader><fileDesc><titleStmt>'
        "<title>Test corpus</title></titleStmt><publicationStmt><p>Test.</p></publicationStmt>"
        "<sourceDesc><p>Made up.</p></sourceDesc></fileDesc></teiHeader>"
        + volume.replace('xml:id="vol-x"', 'xml:id="v1"')
        + volume.replace('xml:id="vol-x"', 'xml:id="v2"')
        + "</teiCorpus>"
    )
    data = map_tree(parse_bytes(corpus.encode(), "corpus.xml"), "corpus.xml")
    assert not data.problems and data.collection.title == "Test corpus"
    sections = [s.xml_id for s in data.collection.matter.sections]
    assert len(sections) == len(set(sections)) == 6 and sections.count("c1") == 1
    anchors = [p.anchor for p in data.collection.matter.passages]
    assert len(anchors) == len(set(anchors))
    first, second = data.collection.places[0][1], data.collection.places[3][1]
    assert first == "c1" and second not in (None, "c1") and second in sections


def test_the_matter_is_no_record_of_the_harvest_and_no_entry_of_the_document_list(settings):
    """A volume's text outside its documents is read in the reader and in DTS, but OAI-PMH harvesters and
    the API's document list get the documents only (the matter would be a record of no document)."""
    from documents.exports.oai import repository_host

    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    matter = f"{VOLUME}-matter"
    listed = client.get("/oai", {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"}).content.decode()
    listed_total = re.search(r'completeListSize="(\d+)"', listed)
    assert int(listed_total[1]) == Document.objects.without_matter().count()
    ident = f"oai:{repository_host()}:{matter}"
    record = client.get("/oai", {"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": ident}).content
    assert b'code="idDoesNotExist"' in record
    api = client.get("/api/documents/").json()
    assert api["count"] == Document.objects.without_matter().count()
    assert client.get(f"/api/documents/{matter}/").status_code == 200
    assert client.get(f"/documents/{matter}/").status_code == 200
