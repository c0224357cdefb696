"""Citations, annotations, DTS and the API on the edition's own TEI, as import_tei loads it."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from lxml import etree

from documents.exports import export
from documents.exports.annotations import page_prefixes
from documents.models import Document, Note, Passage
from tests.test_annotations import validate_annotation

pytestmark = pytest.mark.django_db

NS = {"tei": "http://www.tei-c.org/ns/1.0", "dts": "https://w3id.org/api/dts#"}
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"


@pytest.fixture
def edition():
    call_command("import_tei", stdout=StringIO(), stderr=StringIO())
    return {d.slug: d for d in Document.objects.all()}


def test_both_documents_are_cited_with_title_date_and_edition(edition):
    for slug, date in (("minutes-1962-06-08", [1962, 6, 8]), ("memorandum-1962-06-07", [1962, 6, 7])):
        (item,) = json.loads(export("csl-json", edition[slug], base_url="https://e.org"))
        assert item["title"] == edition[slug].title and item["issued"] == {"date-parts": [date]}
        assert item["container-title"].startswith("The Xinjiang Border Crisis of 1962")
        assert item["URL"] == f"https://e.org/documents/{slug}/"


def test_every_published_note_is_a_valid_annotation_and_no_draft_leaks(client, edition):
    for slug in edition:
        page = client.get(f"/documents/{slug}/annotations.jsonld").json()
        published = Note.objects.filter(document__slug=slug, status=Note.Status.PUBLISHED).count()
        assert len(page["items"]) == published
        for item in page["items"]:
            assert validate_annotation(item) == [], item["id"]
            selectors = item["target"].get("selector", [])
            selectors = selectors if isinstance(selectors, list) else [selectors]
            if not selectors or selectors[0]["type"] != "FragmentSelector":
                continue  # an orphan: its quote only
            # The passage element (FragmentSelector), then the words in its text as the page shows it.
            passage = Passage.objects.get(document__slug=slug, anchor=selectors[0]["value"])
            text = page_prefixes(passage.document)[passage.pk] + passage.reading_text
            by_type = {s["refinedBy"]["type"]: s["refinedBy"] for s in selectors if "refinedBy" in s}
            if "TextPositionSelector" in by_type:  # the offsets find the quoted words
                start, end = by_type["TextPositionSelector"]["start"], by_type["TextPositionSelector"]["end"]
                assert 0 <= start <= end <= len(text)
                if "TextQuoteSelector" in by_type:
                    assert text[start:end] == by_type["TextQuoteSelector"]["exact"]
    assert Note.objects.filter(status=Note.Status.PUBLISHED).exists()


def test_a_dts_client_reaches_every_paragraph_of_the_minutes(client, edition):
    members = client.get("/dts/navigation/?resource=minutes-1962-06-08&down=-1").json()["member"]
    paragraphs = [u for u in members if u["citeType"] == "paragraph"]
    anchors = list(Passage.objects.filter(document__slug="minutes-1962-06-08").order_by("order").values_list(
        "anchor", flat=True))  # fmt: skip
    assert [u["identifier"] for u in paragraphs] == anchors
    units = {u["identifier"]: u for u in members}
    assert any(u["citeType"] == "turn" for u in members)
    for unit in members:  # every parent is listed, one level up
        if unit["parent"] is not None:
            assert units[unit["parent"]]["level"] == unit["level"] - 1
    last = paragraphs[-1]["identifier"]
    root = etree.fromstring(client.get(f"/dts/document/?resource=minutes-1962-06-08&ref={last}").content)
    (element,) = root.find("tei:text/tei:body/dts:wrapper", NS)  # DTS: the part inside the TEI body
    assert element.get(XML_ID) == last


def test_whole_document_tei_keeps_every_passage(client, edition):
    for slug in edition:
        root = etree.fromstring(client.get(f"/dts/document/?resource={slug}").content)
        ids = {e.get(XML_ID) for e in root.iter() if e.get(XML_ID)}
        anchors = set(Passage.objects.filter(document__slug=slug).values_list("anchor", flat=True))
        assert anchors <= ids
        assert root.find("tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:title", NS) is not None


def test_api_serves_both_texts_of_every_passage(client, edition):
    data = client.get("/api/documents/minutes-1962-06-08/").json()
    assert len(data["passages"]) == Passage.objects.filter(document__slug="minutes-1962-06-08").count()
    visit = next(p for p in data["passages"] if "previous discussions" in p["reading_text"])
    assert "continue our previous" in visit["reading_text"] and "continue out previous" in visit["diplomatic_text"]


def test_memorandum_is_cited_with_its_author_from_particdesc_org(edition):
    """particDesc <org sameAs role="author"> becomes a participation, so citations name the author."""
    memo = edition["memorandum-1962-06-07"]
    roles = set(memo.participations.values_list("entity__key", "role"))
    assert ("soviet-government", "author") in roles
    assert ("chinese-government", "recipient") in roles
    assert export("chicago", memo, base_url="https://e.org").startswith("Government of the Soviet Union.")
    # The minutes name no author in their TEI; their citation starts with the title, nothing is invented.
    minutes = edition["minutes-1962-06-08"]
    assert not minutes.participations.filter(role="author").exists()
    assert export("chicago", minutes, base_url="https://e.org").startswith("“Minutes of the Meeting")


def test_annotation_bodies_resolve_tei_pointers_to_the_reader(client, edition):
    """Imported notes point at other documents as file.xml#anchor; annotations carry working reader links."""
    page = client.get("/documents/minutes-1962-06-08/annotations.jsonld").json()
    (item,) = [i for i in page["items"] if "the first paragraph of the Soviet memorandum" in i["body"]["value"]]
    html = item["body"]["value"]
    assert 'href="/documents/memorandum-1962-06-07/#' in html
    assert ".xml#" not in html
