"""The JSON API: documents with their text, people, places, organisations."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from documents.exports import export, media_type
from tests.builders import add_paragraphs, reader_edition

pytestmark = pytest.mark.django_db

API = "http://testserver/api"


@pytest.fixture
def ed():
    return reader_edition()


def get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.content
    expected = "application/json" if status == 200 else "application/problem+json"
    assert response["Content-Type"] == expected
    assert response["Access-Control-Allow-Origin"] == "*"
    return response.json()


def test_index_links_every_list(client, ed):
    assert get(client, "/api/") == {
        "documents": f"{API}/documents/",
        "people": f"{API}/people/",
        "places": f"{API}/places/",
        "organisations": f"{API}/organisations/",
        "dts": "http://testserver/dts/",
        "openapi": f"{API}/openapi.json",
    }


def test_document_list(client, ed):
    data = get(client, "/api/documents/")
    assert data["count"] == 2 and data["next"] is None and data["previous"] is None
    minutes, memo = data["results"]
    assert minutes["slug"] == "minutes-1962-06-08" and memo["slug"] == "memorandum-1962-06-07"
    assert minutes["authors"] == ["PRC Ministry of Foreign Affairs"]
    assert memo["authors"] == ["Government of the Soviet Union"]
    assert minutes["date"] == "1962-06-08" and minutes["kind"] == "minutes"
    assert minutes["num_passages"] == 4 and minutes["num_turns"] == 2
    assert minutes["url"] == "http://testserver/documents/minutes-1962-06-08/"
    assert minutes["api"] == f"{API}/documents/minutes-1962-06-08/"


def test_document_list_pagination(client, ed, settings):
    settings.EDITION_API_PAGE_SIZE = 1
    first = get(client, "/api/documents/")
    assert first["count"] == 2 and first["next"] == f"{API}/documents/?page=2" and len(first["results"]) == 1
    second = get(client, first["next"])
    assert second["previous"] == f"{API}/documents/?page=1" and second["next"] is None
    assert second["results"][0]["slug"] == "memorandum-1962-06-07"
    get(client, "/api/documents/?page=3", status=404)
    get(client, "/api/documents/?page=zero", status=404)


def test_document_detail_has_metadata_structure_and_both_texts(client, ed):
    data = get(client, "/api/documents/minutes-1962-06-08/")
    assert data["title"].startswith("Minutes of the Meeting") and data["language"] == "en"
    assert [(p["key"], p["role"]) for p in data["participants"]] == [
        ("prc-mfa", "author"),
        ("zhang-hanfu", "speaker"),
        ("chervonenko", "speaker"),
    ]
    assert data["sections"] == [{"id": "m-body", "kind": "minutes", "heading": "", "parent": None}]
    assert [t["id"] for t in data["turns"]] == ["m-sp-chervonenko-opening", "m-sp-zhang-reply"]
    assert data["turns"][1]["speaker"]["key"] == "zhang-hanfu"
    assert data["turns"][1]["url"] == "http://testserver/documents/minutes-1962-06-08/#m-sp-zhang-reply"
    passages = {p["anchor"]: p for p in data["passages"]}
    assert list(passages) == ["m-title", "m-chervonenko-visit", "m-zhang-report", "m-zhang-second"]
    visit = passages["m-chervonenko-visit"]
    assert "continue out previous" in visit["diplomatic_text"]  # the witness as written
    assert "continue our previous" in visit["reading_text"]  # the correction applied
    assert visit["turn"] == "m-sp-chervonenko-opening" and visit["section"] == "m-body"
    assert visit["url"] == "http://testserver/documents/minutes-1962-06-08/#m-chervonenko-visit"
    (mention,) = passages["m-zhang-second"]["mentions"]
    text = passages["m-zhang-second"]["reading_text"]
    assert mention["entity"] == "xinjiang" and text[mention["start"] : mention["end"]] == "Xinjiang"
    assert data["formats"]["bibtex"] == "http://testserver/documents/minutes-1962-06-08/cite.bibtex"
    assert data["formats"]["annotations"] == "http://testserver/documents/minutes-1962-06-08/annotations.jsonld"


def test_json_export_is_what_the_api_serves(client, ed):
    served = get(client, "/api/documents/memorandum-1962-06-07/")
    exported = json.loads(export("json", ed["memo"], base_url="http://testserver"))
    assert exported == served
    assert media_type("json") == "application/json"


def test_unknown_document_is_a_json_404(client, ed):
    problem = get(client, "/api/documents/nope/", status=404)
    assert problem == {"type": "about:blank", "title": "Not Found", "status": 404, "detail": "no document 'nope'"}


@pytest.mark.parametrize(
    "kind, keys",
    [
        ("people", ["chervonenko", "zhang-hanfu"]),
        ("places", ["xinjiang"]),
        ("organisations", ["soviet-government", "prc-mfa"]),
    ],
)
def test_entity_lists(client, ed, kind, keys):
    data = get(client, f"/api/{kind}/")
    assert data["count"] == len(keys)
    assert sorted(e["key"] for e in data["results"]) == sorted(keys)
    for entity in data["results"]:
        assert entity["api"] == f"{API}/{kind}/{entity['key']}/"
        assert "num_mentions" in entity


def test_person_detail(client, ed):
    data = get(client, "/api/people/zhang-hanfu/")
    assert data["name"] == "Zhang Hanfu" and data["kind"] == "person"
    assert data["aliases"] == [{"name": "章汉夫", "lang": "zh-Hans"}]
    assert data["affiliation"]["key"] == "prc-mfa"
    assert data["participations"] == [{"document": "minutes-1962-06-08", "role": "speaker", "description": ""}]
    assert data["url"] == "http://testserver/people/zhang-hanfu/"


def test_place_detail_lists_mentions_with_permalinks(client, ed):
    data = get(client, "/api/places/xinjiang/")
    (mention,) = data["mentions"]
    assert mention == {
        "document": "minutes-1962-06-08",
        "passage": "m-zhang-second",
        "url": "http://testserver/documents/minutes-1962-06-08/#m-zhang-second",
        "text": "Xinjiang",
        "start": 50,
        "end": 58,
    }


def test_organisation_detail_lists_members(client, ed):
    data = get(client, "/api/organisations/prc-mfa/")
    assert [m["key"] for m in data["members"]] == ["zhang-hanfu"]
    assert data["participations"] == [{"document": "minutes-1962-06-08", "role": "author", "description": ""}]


@pytest.mark.parametrize("url", ["/api/people/xinjiang/", "/api/places/nope/", "/api/organisations/zhang-hanfu/"])
def test_entity_of_another_kind_or_unknown_is_404(client, ed, url):
    assert get(client, url, status=404)["status"] == 404


def test_query_counts_do_not_grow_with_the_number_of_passages(client, ed):
    urls = ["/api/documents/", "/api/documents/minutes-1962-06-08/", "/api/places/xinjiang/", "/api/places/"]

    def counts():
        result = []
        for url in urls:
            with CaptureQueriesContext(connection) as ctx:
                get(client, url)
            result.append(len(ctx.captured_queries))
        return result

    before = counts()
    add_paragraphs(ed["minutes"], 30)
    assert counts() == before
    assert len(get(client, "/api/places/xinjiang/")["mentions"]) == 31


@pytest.mark.parametrize(
    "url",
    [
        "/api/documents/",
        "/api/documents/minutes-1962-06-08/",
        "/api/people/",
        "/dts/",
        "/dts/navigation/?resource=minutes-1962-06-08&down=1",
        "/documents/minutes-1962-06-08/cite.bibtex",
        "/documents/minutes-1962-06-08/annotations.jsonld",
    ],
)
def test_read_only_endpoints_refuse_writes_and_answer_head(client, ed, url):
    assert client.post(url).status_code == 405
    assert client.delete(url).status_code == 405
    assert client.head(url).status_code == 200
