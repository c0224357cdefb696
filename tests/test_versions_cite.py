"""Citations of a version, and versions in the JSON API, DTS and the W3C annotations."""

import json
import re

import pytest
from lxml import etree

from documents.exports import export
from documents.exports.metadata import citation_data
from documents.models import Document
from documents.services.version_text import get_version, version_passage
from tests.versions_helpers import MINUTES, NEW, OLD, edit, imported_copy, note_on, reimport

pytestmark = pytest.mark.django_db
FORMATS = ("chicago", "apa", "bibtex", "ris", "csl-json")
ANCHOR = "m-zhang-1-measures"


@pytest.fixture
def tei_dir(tmp_path):
    return imported_copy(tmp_path)


@pytest.fixture
def corrected(tei_dir):
    reimport(tei_dir, OLD, NEW, message="Corrected a word.")
    return Document.objects.get(slug=MINUTES)


def test_citation_data_names_the_latest_version_or_the_one_given(corrected):
    latest = citation_data(corrected, base_url="https://ed.example")
    assert latest.version == "2" and latest.version_date == get_version(corrected, 2).created.date()
    assert latest.url == f"https://ed.example/documents/{MINUTES}/"  # the undated URL: the latest text
    v1 = get_version(corrected, 1)
    pinned = citation_data(corrected, passage=version_passage(v1, ANCHOR), base_url="https://ed.example", version=v1)
    assert pinned.version == "1" and pinned.url == f"https://ed.example/documents/{MINUTES}/v/1/#{ANCHOR}"
    assert pinned.passage_anchor == ANCHOR and pinned.passage_speaker


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_names_the_version_and_its_date(corrected, fmt):
    v1 = get_version(corrected, 1)
    text = export(fmt, corrected, base_url="https://ed.example", version=v1)
    iso, year = v1.created.date().isoformat(), str(v1.created.year)
    assert "/v/1/" in text
    if fmt == "csl-json":
        (item,) = json.loads(text)
        assert item["version"] == "1" and item["available-date"]["date-parts"][0][0] == v1.created.year
        assert iso in item["note"]
    elif fmt == "bibtex":  # biblatex's @unpublished has no version field (biber warns): in the addendum
        assert f"Version 1 of {iso}." in text.split("addendum = {", 1)[1]
    elif fmt == "ris":  # RIS has no version tag; ET is an edition: a note, as Zotero imports it
        assert f"N1  - Version 1 of {iso}." in text
    else:  # the styles print the version after the container; its date follows it (csl._dated_version)
        assert re.search(rf"[Vv]ersion 1 of \w+ \d+, {year}", text), text
    latest = export(fmt, corrected, base_url="https://ed.example")
    assert re.search(r"[Vv]ersion 2", latest)


def test_a_citation_of_version_1_opens_the_old_words_at_the_cited_paragraph(corrected, client):
    cite = client.get(f"/documents/{MINUTES}/cite.csl-json", {"version": 1, "passage": ANCHOR})
    url = json.loads(cite.content)[0]["URL"]
    assert url.endswith(f"/documents/{MINUTES}/v/1/#{ANCHOR}")
    path, fragment = url.split("testserver", 1)[1].split("#")
    tree = etree.HTML(client.get(path).content.decode())
    (paragraph,) = tree.xpath(f"//*[@id='{fragment}']")
    assert "we appreciate such efforts" in "".join(paragraph.itertext())


def test_the_cite_panel_offers_this_version_and_latest(corrected, client):
    reader = client.get(f"/documents/{MINUTES}/").content.decode()
    assert "Citing the latest version (2" in reader and f"/documents/{MINUTES}/v/2/" in reader
    assert "Cite version 2 (permanent" in reader
    old = client.get(f"/documents/{MINUTES}/v/1/").content.decode()
    assert "Citing version 1 of" in old and "Cite the latest version" in old
    page = client.get(f"/documents/{MINUTES}/cite/", {"version": 1, "passage": ANCHOR})
    assert page.status_code == 200 and "we appreciate such efforts" in page.content.decode()
    assert re.search(r"[Vv]ersion 1 of \w+ \d+, \d{4}", page.content.decode())


def test_the_meta_tags_name_the_version(corrected, client):
    old = client.get(f"/documents/{MINUTES}/v/1/").content.decode()
    assert '<meta name="citation_version" content="1">' in old
    assert f'<link rel="canonical" href="http://testserver/documents/{MINUTES}/v/1/">' in old
    latest = client.get(f"/documents/{MINUTES}/").content.decode()
    assert '<meta name="citation_version" content="2">' in latest and '"version": "2"' in latest


@pytest.mark.parametrize("params", [{"version": "7"}, {"version": "x"}, {"version": "1", "passage": "nope"}])
def test_unknown_versions_or_passages_are_404(corrected, client, params):
    assert client.get(f"/documents/{MINUTES}/cite.bibtex", params).status_code == 404
    assert client.get(f"/documents/{MINUTES}/cite/", params).status_code == 404


# -- JSON API, DTS, annotations -----------------------------------------------------------------
def test_the_api_lists_the_versions_and_serves_one(corrected, client):
    data = client.get(f"/api/documents/{MINUTES}/").json()
    assert data["version"] == 2 and [v["number"] for v in data["versions"]] == [2, 1]
    assert data["versions"][0]["message"] == "Corrected a word."
    assert data["versions"][1]["url"].endswith(f"/documents/{MINUTES}/v/1/")
    old = client.get(f"/api/documents/{MINUTES}/", {"version": 1}).json()
    (passage,) = [p for p in old["passages"] if p["anchor"] == ANCHOR]
    assert OLD in passage["reading_text"] and passage["url"].endswith(f"/v/1/#{ANCHOR}")
    assert (
        old["version"] == 1
        and passage["mentions"] == data["passages"][[p["anchor"] for p in data["passages"]].index(ANCHOR)]["mentions"]
    )
    assert client.get(f"/api/documents/{MINUTES}/", {"version": 3}).status_code == 404


def test_dts_serves_a_version_and_lists_the_versions(corrected, client):
    body = client.get("/dts/document/", {"resource": MINUTES, "version": 1})
    assert body.status_code == 200 and body["Content-Type"].startswith("application/tei+xml")
    assert OLD.encode() in body.content and NEW.encode() not in body.content
    part = client.get("/dts/document/", {"resource": MINUTES, "version": 1, "ref": ANCHOR})
    assert part.status_code == 200 and b"dts:wrapper" in part.content and OLD.encode() in part.content
    assert client.get("/dts/document/", {"resource": MINUTES, "version": 9}).status_code == 404
    assert client.get("/dts/document/", {"resource": MINUTES, "version": 1, "ref": "nope"}).status_code == 404
    assert (
        client.get("/dts/document/", {"resource": MINUTES, "version": 1, "start": "a", "end": "b"}).status_code == 400
    )
    latest = client.get("/dts/document/", {"resource": MINUTES})
    assert NEW.encode() in latest.content  # without version: the latest text, as before
    collection = client.get("/dts/collection/", {"id": MINUTES}).json()
    assert [v["number"] for v in collection["versions"]] == [2, 1]
    assert collection["versions"][1]["document"].endswith("&version=1")


def test_the_version_tei_is_the_text_of_the_version(corrected):
    from documents.exports.versions import version_tei

    root = etree.fromstring(version_tei(get_version(corrected, 1)))
    tei = "{http://www.tei-c.org/ns/1.0}"
    anchors = [el.get("{http://www.w3.org/XML/1998/namespace}id") for el in root.iter(f"{tei}p", f"{tei}head")]
    assert ANCHOR in anchors and root.find(f"{tei}teiHeader") is not None
    assert len(root.findall(f".//{tei}sp")) == corrected.turns.count()


def test_annotations_target_the_version_with_a_timestate(tei_dir, client):
    note = note_on(ANCHOR, "First, the Soviet Union")
    reimport(tei_dir, OLD, NEW)
    data = client.get(f"/notes/{note.uuid}/", HTTP_ACCEPT="application/ld+json").json()
    state = data["target"]["state"]
    assert state["type"] == "TimeState" and state["cached"].endswith(f"/documents/{MINUTES}/v/2/#{ANCHOR}")
    assert state["sourceDate"].startswith(str(get_version(note.document, 2).created.year))
    page = client.get(f"/documents/{MINUTES}/annotations.jsonld").json()
    assert all(
        item["target"].get("state", {}).get("type") == "TimeState"
        for item in page["items"]
        if "#" in item["target"]["source"]
    )


def test_dts_navigation_of_a_version(tei_dir, client):
    edit(tei_dir, '<p xml:id="m-zhang-1-measures">', '<p xml:id="m-zhang-1-new">Inserted paragraph.</p>\n'
         '          <p xml:id="m-zhang-1-measures">')  # fmt: skip
    reimport(tei_dir)
    latest = client.get("/dts/navigation/", {"resource": MINUTES, "down": "-1"}).json()
    old = client.get("/dts/navigation/", {"resource": MINUTES, "down": "-1", "version": 1}).json()
    new_ids = [m["identifier"] for m in latest["member"]]
    old_ids = [m["identifier"] for m in old["member"]]
    assert "m-zhang-1-new" in new_ids and "m-zhang-1-new" not in old_ids
    assert [i for i in new_ids if i != "m-zhang-1-new"] == old_ids  # same tree otherwise, same order
    levels = {m["identifier"]: (m["level"], m["parent"]) for m in old["member"]}
    assert levels == {m["identifier"]: (m["level"], m["parent"]) for m in latest["member"] if m["identifier"] in levels}
    ref = client.get("/dts/navigation/", {"resource": MINUTES, "ref": "m-zhang-1-new", "version": 1})
    assert ref.status_code == 404
    assert client.get("/dts/navigation/", {"resource": MINUTES, "down": "1", "version": 5}).status_code == 404
