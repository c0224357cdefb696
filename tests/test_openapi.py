"""The OpenAPI 3.1 description (/api/openapi.json) and every JSON API response checked against it
with openapi-core (issue 11.7): each list page, document, entity and published note, and errors."""

import json

import pytest
from openapi_core import Config, OpenAPI
from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse
from openapi_core.validation.response.exceptions import InvalidData

from documents.models import Document, Entity, Note
from documents.services.importer import TEIImporter
from tests.builders import make_note

pytestmark = pytest.mark.django_db

BASE = "http://testserver"  # the description's server is EDITION_BASE_URL; the test client asks as testserver
KINDS = {"person": "people", "place": "places", "org": "organisations"}


@pytest.fixture
def edition(settings):
    settings.EDITION_BASE_URL = BASE
    report = TEIImporter().import_paths([settings.EDITION_TEI_DIR])
    assert not report.failed


@pytest.fixture
def spec(client, edition):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200 and response["Access-Control-Allow-Origin"] == "*"
    data = response.json()
    assert data["openapi"] == "3.1.0" and data["servers"] == [{"url": BASE}]
    # JSON media types beside application/json are read as JSON (openapi-core deserializes only that one).
    def read(value, **parameters):  # media type parameters (profile=...) say nothing about the parsing
        return json.loads(value)

    json_types = {"application/problem+json": read, "application/ld+json": read}
    return OpenAPI.from_dict(data, config=Config(extra_media_type_deserializers=json_types))  # checks the description


def check(spec, client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.content[:300])
    spec.validate_response(DjangoOpenAPIRequest(response.wsgi_request), DjangoOpenAPIResponse(response))
    return response


def api_urls():
    urls = ["/api/", "/api/openapi.json", "/api/documents/", "/api/people/", "/api/places/", "/api/organisations/"]
    urls += [f"/api/documents/{slug}/" for slug in Document.objects.values_list("slug", flat=True)]
    urls += [f"/api/{KINDS[kind]}/{key}/" for kind, key in Entity.objects.values_list("kind", "key")]
    urls += [f"/api/notes/{uuid}/" for uuid in Note.objects.published().values_list("uuid", flat=True)]
    return urls


def test_every_api_response_matches_the_description(spec, client):
    urls = api_urls()
    assert len(urls) > 40
    for url in urls:
        check(spec, client, url)


def test_pages_and_errors_match_the_description(spec, client, settings):
    settings.EDITION_API_PAGE_SIZE = 1
    page = check(spec, client, "/api/documents/?page=2").json()
    assert page["previous"] and page["results"]
    check(spec, client, "/api/people/?page=2")
    for url in ("/api/documents/?page=99", "/api/documents/nope/", "/api/people/nope/", "/api/places/nope/",
                "/api/organisations/nope/", "/api/notes/00000000-0000-0000-0000-000000000000/"):  # fmt: skip
        assert check(spec, client, url, 404)["Content-Type"] == "application/problem+json"


def test_an_editors_note_on_words_matches_the_description(spec, client):
    document = Document.objects.get(slug="minutes-1962-06-08")
    passage = document.passages.order_by("order")[8]
    note = make_note(document, passage.anchor, passage.reading_text.split()[3])
    check(spec, client, f"/api/notes/{note.uuid}/")


def test_a_response_that_drifts_from_the_description_fails(spec, client, monkeypatch):
    """The check is real: an undocumented member is caught."""
    from documents.exports import api as serial

    original = serial.entity_summary
    monkeypatch.setattr(serial, "entity_summary", lambda e, b=None: {**original(e, b), "extra": 1})
    with pytest.raises(InvalidData) as info:
        check(spec, client, "/api/people/")
    assert "'extra' was unexpected" in str(info.value.__cause__.schema_errors[0])


def test_unknown_api_paths_are_problems_not_pages(client, edition):
    for url in ("/api/nope/", "/api/documents/minutes-1962-06-08/nope/", "/api/openapi.yaml"):
        response = client.get(url)
        assert response.status_code == 404 and response["Content-Type"] == "application/problem+json", url
        assert response.json()["status"] == 404
