"""Issue 12: the source note, the chain of translation and the related records.

The facts pinned here come from the Wilson Center Digital Archive records named in the TEI headers'
comments and in docs/encoding.md ("Sources consulted"); the tests keep them from drifting: the TEI
header, the importer's mapping, the reader page and every citation format must say the same.
"""

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from lxml import etree, html

from documents.exports import citation
from documents.exports.metadata import citation_data
from documents.models import Document
from documents.tei import tei
from documents.tei.mapping_provenance import map_provenance, source_note_text

TEI_DIR = Path(__file__).resolve().parent.parent / "documents" / "tei"
MINUTES, MEMO = "minutes-1962-06-08", "memorandum-1962-06-07"
DA = "https://digitalarchive.wilsoncenter.org/document/"
RECORD_MINUTES = "https://digitalarchive.wilsoncenter.org/document/118200"
RECORD_MEMO = "https://digitalarchive.wilsoncenter.org/document/121618"
ARCHIVE = "PRC Foreign Ministry Archive"
LOCATION = "118-01765-03, 24-26"
#: The related records verified in the Digital Archive (docs/encoding.md): address -> (date, file and pages or "").
RELATED = {
    "https://digitalarchive.wilsoncenter.org/document/118185": ("1962-04-24", "PRC FMA 118-01764-04, 4-8"),
    "https://digitalarchive.wilsoncenter.org/document/memorandum-given-soviet-ambassador-vice-minister-zhang-hanfu": (
        "1962-04-24",
        "",
    ),
    DA + "memorandum-given-vice-minister-zhang-hanfu-soviet-ambassador-translation": (
        "1962-04-24",
        "PRC FMA 118-01764-04, 11",
    ),
    DA + "cable-chinese-foreign-ministry-representations-between-china-and-soviet-union-flight": (
        "1962-04-25",
        "",
    ),
    "https://digitalarchive.wilsoncenter.org/document/118192": ("1962-04-29", "PRC FMA 118-01764-05, 29-38"),
    "https://digitalarchive.wilsoncenter.org/document/118191": ("1962-04-29", "PRC FMA 118-01154-04, 35-39"),
    "https://digitalarchive.wilsoncenter.org/document/121677": ("1962-06-25", ""),
    "https://digitalarchive.wilsoncenter.org/document/cable-foreign-ministry-xinjiang-foreign-affairs-office": (
        "1962-06-28",
        "PRC FMA 118-01154-01, 48",
    ),
}


def header(slug):
    return etree.parse(str(TEI_DIR / f"{slug}.xml")).getroot().find(f"{tei('teiHeader')}")


def provenance(slug):
    return map_provenance(header(slug).find(f"{tei('fileDesc')}/{tei('sourceDesc')}"))


# --------------------------------------------------------------------------- the TEI header


def test_minutes_source_note_names_archive_file_pages_and_translator_as_the_record_cites_them():
    source = header(MINUTES).find(f".//{tei('bibl')}[@type='source']")
    assert source.findtext(f"{tei('orgName')}[@type='archive']") == ARCHIVE
    assert source.findtext(tei("abbr")) == "PRC FMA"
    assert source.findtext(f"{tei('idno')}[@type='file']") == "118-01765-03"
    scope = source.find(f"{tei('biblScope')}[@unit='page']")
    assert (scope.get("from"), scope.get("to"), scope.text) == ("24", "26", "24-26")
    assert source.findtext(f"{tei('respStmt')}/{tei('name')}") == "7Brands"
    assert source.find(tei("textLang")).get("mainLang") == "zh"
    assert source.find(f"{tei('ref')}[@type='record']").get("target") == RECORD_MINUTES
    quoted = " ".join(source.find(f"{tei('note')}[@type='citation']/{tei('quote')}").text.split())
    assert quoted.endswith("PRC FMA 118-01765-03, 24-26. Translated by 7Brands.")


def test_memorandum_source_note_says_what_was_not_found_and_guesses_nothing():
    source = header(MEMO).find(f".//{tei('bibl')}[@type='source']")
    assert source.find(f"{tei('orgName')}[@type='archive']") is None
    assert source.find(f"{tei('idno')}[@type='file']") is None
    assert source.find(tei("respStmt")) is None
    assert "not found" in "".join(source.itertext())
    assert source.find(f"{tei('ref')}[@type='record']").get("target") == RECORD_MEMO


def test_memorandum_chain_of_translation_russian_chinese_english():
    chain = header(MEMO).findall(f".//{tei('note')}[@type='translation-chain']/{tei('bibl')}")
    assert [b.find(tei("textLang")).get("mainLang") for b in chain] == ["ru", "zh", "en"]
    assert [b.get("type") for b in chain] == ["original", "translation", "translation"]
    languages = {lang.get("ident") for lang in header(MEMO).iter(tei("language"))}
    assert {"en", "zh", "ru"} <= languages


@pytest.mark.parametrize("slug", [MINUTES, MEMO])
def test_related_records_are_the_verified_ones_with_their_citations(slug):
    related = provenance(slug)["related"]
    assert {r["url"]: (r["date"], r["archive_location"]) for r in related} == RELATED
    for record in related:
        assert record["title"] and record["date_text"] and record["note"]
        assert record["publisher"] == "History and Public Policy Program Digital Archive"
        assert record["relation"] in {"earlier", "later"}
        assert record["id"].startswith("m-rel-" if slug == MINUTES else "memo-rel-")
    later = [r["url"] for r in related if r["relation"] == "later"]
    assert later[0] == "https://digitalarchive.wilsoncenter.org/document/121677"  # the Chinese reply of late June


@pytest.mark.parametrize("slug", [MINUTES, MEMO])
def test_rights_holder_of_the_translation_is_said_to_be_not_stated(slug):
    assert provenance(slug)["source"]["rights"].startswith("Rights in the English translation: not stated.")


# --------------------------------------------------------------------------- the notes, reviewed against the records


def body(slug):
    return etree.parse(str(TEI_DIR / f"{slug}.xml")).getroot().find(tei("text"))


def note_text(slug, note_id):
    note = [n for n in body(slug).iter(tei("note")) if n.get("{http://www.w3.org/XML/1998/namespace}id") == note_id]
    return " ".join("".join(note[0].itertext()).split())


def test_the_29_april_note_does_not_date_a_breakthrough_to_that_day():
    text = note_text(MEMO, "n-memo-29-april")
    assert "leaves open whether" in text and "favour the first reading" in text
    assert "presented a Soviet document concerning this issue" in text  # the minutes of 29 April (118192)
    assert "mid-March" in text and "22 April" in text  # crossings under way before 29 April
    refs = {r.get("target") for r in body(MEMO).iter(tei("ref"))}
    assert "https://digitalarchive.wilsoncenter.org/document/118192" in refs


def test_the_both_of_us_is_kept_unmarked_with_a_note_and_recently_is_tagged_as_vague():
    passage = [
        p
        for p in body(MINUTES).iter(tei("p"))
        if p.get("{http://www.w3.org/XML/1998/namespace}id") == "m-zhang-1-normal-conditions"
    ][0]
    seg = passage.find(tei("seg"))
    assert (seg.get("{http://www.w3.org/XML/1998/namespace}id"), seg.text) == ("m-both-of-us", "the both of us")
    assert passage.find(f".//{tei('sic')}") is None  # not an evident slip: not corrected
    assert "not treat this as an evident slip" in note_text(MINUTES, "n-both-of-us")
    measures = [
        p
        for p in body(MINUTES).iter(tei("p"))
        if p.get("{http://www.w3.org/XML/1998/namespace}id") == "m-zhang-1-measures"
    ][0]
    dates = measures.findall(tei("date"))
    assert [(d.text, d.get("when")) for d in dates] == [("recently", None)]


def test_zhang_hanfu_note_gives_the_right_characters():
    text = note_text(MINUTES, "n-zhang-hanfu")
    assert "章汉夫" in text and "章漢夫" in text and "张汉夫" not in text


# --------------------------------------------------------------------------- the mapping


def test_mapping_of_the_minutes_source_note():
    source = provenance(MINUTES)["source"]
    assert (source["archive"], source["archive_location"], source["translators"]) == (ARCHIVE, LOCATION, ["7Brands"])
    assert (source["file"], source["pages"], source["original_language"]) == ("118-01765-03", "24-26", "zh")
    assert source["record"]["url"] == RECORD_MINUTES and source["record"]["date"] == "1962-06-08"
    assert "“continue out previous discussions”" in source["statement"]  # quotation marks kept in plain text
    witness = provenance(MINUTES)["witness"]
    assert witness["thread_title"] == "Hitay-Sovet Sohbiti we Uyghurlaning 1962-yili Sovet Ittipakigha Keqixi"
    assert witness["posted"] == "08-10-14, 14:20"
    assert witness["url"] == "http://forum.uyghuramerican.org/forum/archive/index.php/t-35671.html"


def test_mapping_of_a_header_without_source_note_keeps_the_old_behaviour():
    desc = etree.fromstring(f'<sourceDesc xmlns="{tei("")[1:-1]}"><p>File No. 1/1</p></sourceDesc>')
    assert map_provenance(desc) == {}
    assert map_provenance(None) == {}
    assert source_note_text({}, "File No. 1/1") == "File No. 1/1"


def test_mapping_of_an_incomplete_source_note_leaves_fields_empty():
    desc = etree.fromstring(
        f'<sourceDesc xmlns="{tei("")[1:-1]}"><bibl type="source">Source: unknown.</bibl></sourceDesc>'
    )
    source = map_provenance(desc)["source"]
    assert source["archive"] == source["archive_location"] == source["original_language"] == ""
    assert source["translators"] == [] and source["translation_chain"] == []
    assert source["record"] == {"title": "", "date": "", "date_text": "", "publisher": "", "url": ""}


# --------------------------------------------------------------------------- import, reader, citations


@pytest.fixture
def edition(db):
    call_command("import_tei", stdout=io.StringIO(), stderr=io.StringIO())
    return {d.slug: d for d in Document.objects.all()}


def test_import_stores_the_provenance_and_a_source_note_text(edition):
    minutes = edition[MINUTES]
    assert minutes.metadata["provenance"]["source"]["archive_location"] == LOCATION
    assert minutes.source_note.startswith("Source: PRC Foreign Ministry Archive (cited as PRC FMA), file 118-01765-03")
    assert "Hitay-Sovet Sohbiti" in minutes.source_note  # the witness follows the source note
    assert edition[MEMO].metadata["provenance"]["source"]["archive"] == ""


def test_reader_shows_the_source_note_at_the_top(client, edition):
    root = html.fromstring(client.get(edition[MINUTES].get_absolute_url()).content)
    card = root.cssselect("header.doc-card")[0]
    note = card.cssselect("section.source-note")[0]
    participants = [h for h in card.cssselect("h2") if h.text_content() == "Participants"][0]
    assert list(card.iter()).index(note) < list(card.iter()).index(participants)  # before the participants
    assert note.cssselect(".sn-archive")[0].text_content() == f"{ARCHIVE} (cited as PRC FMA)"
    assert note.cssselect(".sn-location")[0].text_content() == "file 118-01765-03, pages 24-26"
    assert note.cssselect(".sn-translator")[0].text_content().startswith("7Brands")
    assert note.cssselect(".sn-language")[0].text_content() == "Chinese (zh)"
    assert note.cssselect(".sn-record a")[0].get("href") == RECORD_MINUTES
    assert "not stated" in note.cssselect(".sn-rights")[0].text_content()
    items = note.cssselect("ul.related-records li")
    assert {li.cssselect("a")[0].get("href") for li in items} == set(RELATED)
    first = items[0].text_content()
    assert "PRC FMA 118-01764-04, 4-8" in first and "Translated by 7Brands" in first and "April 24, 1962" in first
    # Notes link to the related records on the same page (the one note renderer resolves TEI pointers to URLs).
    page = edition[MINUTES].get_absolute_url()
    assert root.cssselect(f"a[href='{page}#m-rel-1962-04-24-minutes']")
    assert root.get_element_by_id("m-rel-1962-04-24-minutes").tag == "li"


def test_reader_shows_what_the_memorandum_record_does_not_give_and_the_chain(client, edition):
    root = html.fromstring(client.get(edition[MEMO].get_absolute_url()).content)
    note = root.cssselect("section.source-note")[0]
    assert note.cssselect(".sn-archive")[0].text_content().startswith("not found")
    assert note.cssselect(".sn-location")[0].text_content().startswith("not found")
    assert note.cssselect(".sn-translator")[0].text_content().startswith("not named")
    assert [li.get("data-lang") for li in note.cssselect("ol.translation-chain li")] == ["ru", "zh", "en"]
    assert note.cssselect(".sn-record a")[0].get("href") == RECORD_MEMO


def test_citation_data_carries_the_archive_fields(edition):
    data = citation_data(edition[MINUTES])
    assert (data.archive, data.archive_location, data.original_language) == (ARCHIVE, LOCATION, "zh")
    assert [t.name for t in data.translators] == ["7Brands"]
    memo = citation_data(edition[MEMO])
    assert (memo.archive, memo.archive_location, memo.translators, memo.original_language) == ("", "", [], "zh")


def test_every_citation_format_names_archive_file_pages_and_translator(edition):
    minutes = edition[MINUTES]
    chicago = citation.chicago(minutes)
    # As the record cites itself: title first, the translator after it, named once.
    assert chicago.startswith("“Minutes of the Meeting") and chicago.count("7Brands") == 1
    assert "Translated from Chinese by 7Brands." in chicago
    assert f"{LOCATION}. {ARCHIVE}." in chicago
    apa = citation.apa(minutes)
    assert apa.startswith("Minutes of the Meeting") and apa.count("7Brands") == 1
    assert "Translated from Chinese by 7Brands." in apa and f"{ARCHIVE} ({LOCATION})." in apa
    bib = citation.bibtex(minutes)
    assert "addendum = {Translated from Chinese by 7Brands." in bib  # then the version (docs/versions.md)
    assert f"library = {{{ARCHIVE}, {LOCATION}}}" in bib
    ris = citation.ris(minutes).split("\r\n")
    assert {"A4  - 7Brands", f"DB  - {ARCHIVE}", f"AN  - {LOCATION}"} <= set(ris)
    assert "N1  - Translated from Chinese by 7Brands." in ris
    (item,) = json.loads(citation.csl_json(minutes))
    assert item["archive"] == ARCHIVE and item["archive_location"] == LOCATION
    assert item["translator"] == [{"literal": "7Brands"}]
    assert item["note"].startswith("Translated from Chinese.")  # then the version (docs/versions.md)


def test_memorandum_citations_add_no_archive_or_translator(edition):
    memo = edition[MEMO]
    assert "Archive" not in citation.chicago(memo) and "Translated from Chinese." in citation.chicago(memo)
    ris = citation.ris(memo)
    assert "A4  -" not in ris and "DB  -" not in ris and "AN  -" not in ris
    (item,) = json.loads(citation.csl_json(memo))
    assert "archive" not in item and "translator" not in item


def test_head_metadata_and_json_ld_carry_translator_archive_and_record(client, edition):
    root = html.fromstring(client.get(edition[MINUTES].get_absolute_url()).content)
    meta = {(m.get("name"), m.get("content")) for m in root.cssselect("meta[name]")}
    assert ("z.translators", "7Brands,") in meta  # Zotero's Embedded Metadata: one single-field name
    assert ("DC.coverage", LOCATION) in meta  # not DC.source: Zotero reads that as publicationTitle
    assert ("DC.relation", RECORD_MINUTES) in meta
    data = json.loads(root.cssselect("script[type='application/ld+json']")[0].text)
    assert data["@type"] == "ArchiveComponent" and data["translator"][0]["name"] == "7Brands"
    assert data["translationOfWork"]["inLanguage"] == "zh" and data["holdingArchive"]["name"] == ARCHIVE
    assert data["itemLocation"] == LOCATION and data["isBasedOn"] == RECORD_MINUTES


# --------------------------------------------------------------------------- bad source notes are refused


def _import_copy(tmp_path, settings, old, new):
    """Import a copy of the edition whose minutes have `old` replaced by `new`: (exit error, stdout+stderr)."""
    import shutil

    from django.core.management import CommandError

    settings.EDITION_TEI_SCHEMA = None  # the mapping's own check is under test, not the schema
    target = tmp_path / "tei"
    shutil.copytree(TEI_DIR, target, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    minutes = target / f"{MINUTES}.xml"
    text = minutes.read_text(encoding="utf-8")
    assert old in text
    minutes.write_text(text.replace(old, new, 1), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_tei", str(target), stdout=out, stderr=err)
    except CommandError as exc:
        return exc, out.getvalue() + err.getvalue(), minutes
    return None, out.getvalue() + err.getvalue(), minutes


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            'target="https://digitalarchive.wilsoncenter.org/document/118185"',
            'target="#nowhere"',
            "related record without a title or an http(s) address",
        ),
        ('<orgName type="archive">PRC Foreign Ministry Archive</orgName>', "an archive", "without the archive"),
        ("<resp>Translated by</resp> <name>7Brands</name>", "<resp>Translated by</resp> <name/>", "without a <name>"),
    ],
)
def test_a_misleading_source_note_fails_the_file_with_its_line(db, tmp_path, settings, old, new, message):
    exc, output, minutes = _import_copy(tmp_path, settings, old, new)
    assert exc is not None and "failed to import" in str(exc)  # the minutes (and links.xml, which needs them)
    line = next(line for line in output.splitlines() if message in line)
    assert line.startswith(f"{minutes}:") and line.split(":")[1].isdigit()  # file and line of the bad element
    assert not Document.objects.filter(slug=MINUTES).exists()  # nothing of the bad file was written
    assert Document.objects.filter(slug=MEMO).exists()  # the good files were imported
