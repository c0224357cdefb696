"""HTTP caching and CORS, done once by documents.http.EditionHTTPMiddleware (issue 11.5)."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils.http import http_date, parse_http_date

from documents.http import EXPOSED, first_served, is_machine_readable
from documents.models import Note
from documents.services.importer import TEIImporter

pytestmark = pytest.mark.django_db

MINUTES = "minutes-1962-06-08"
PAGES = ["/", f"/documents/{MINUTES}/", "/people/", "/search/?q=Xinjiang", f"/compare/{MINUTES}/memorandum-1962-06-07/"]
DATA = [
    f"/documents/{MINUTES}/tei.xml",
    f"/documents/{MINUTES}/text.txt",
    f"/documents/{MINUTES}/annotations.jsonld",
    f"/documents/{MINUTES}/cite.bibtex",
    f"/documents/{MINUTES}/cite.ris",
    f"/documents/{MINUTES}/cite.csl-json",
    f"/documents/{MINUTES}/cite.chicago",
    "/api/",
    "/api/documents/",
    f"/api/documents/{MINUTES}/",
    "/api/places/xinjiang/",
    "/dts/",
    "/dts/collection/",
    f"/dts/navigation/?resource={MINUTES}&down=-1",
    f"/dts/document/?resource={MINUTES}",
]


@pytest.fixture
def edition():
    report = TEIImporter().import_paths([settings.EDITION_TEI_DIR])
    assert not report.failed


def published_note():
    return Note.objects.published().first()


@pytest.mark.parametrize("url", PAGES + DATA)
def test_every_response_has_validators_and_answers_conditional_requests(client, edition, url):
    response = client.get(url)
    assert response.status_code == 200, url
    etag, last_modified = response["ETag"], response["Last-Modified"]
    assert etag.startswith('"') and not etag.startswith("W/")  # strong
    assert parse_http_date(last_modified) <= parse_http_date(response.get("Date") or http_date())
    assert response["Cache-Control"] == f"public, max-age={settings.EDITION_HTTP_MAX_AGE}"
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag
    assert client.get(url, HTTP_IF_NONE_MATCH='"other"').status_code == 200
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=http_date(parse_http_date(last_modified) - 10)).status_code == 200
    # If-None-Match wins over If-Modified-Since (RFC 9110 13.2.2).
    both = client.get(url, HTTP_IF_NONE_MATCH='"other"', HTTP_IF_MODIFIED_SINCE=last_modified)
    assert both.status_code == 200


def test_the_etag_changes_with_the_content(client, edition):
    url = f"/documents/{MINUTES}/annotations.jsonld"
    first = client.get(url)
    note = published_note()
    note.body = "A corrected note."
    note.save()
    cache.clear()  # the server-side page cache (documents/cache.py) is bumped on commit, not in a test transaction
    second = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200 and second["ETag"] != first["ETag"]
    assert b"A corrected note." in second.content


def test_last_modified_is_when_the_representation_was_first_served(client, edition):
    url = "/api/documents/"
    first = client.get(url)
    assert first_served(first["ETag"]).timestamp() == parse_http_date(first["Last-Modified"])
    assert client.get(url)["Last-Modified"] == first["Last-Modified"]


def test_a_cache_outage_gives_now_never_a_failure(client, edition, monkeypatch):
    import documents.http as http

    def broken(alias):
        raise ConnectionError("cache down")

    monkeypatch.setattr(http, "caches", type("Broken", (), {"__getitem__": lambda self, alias: broken(alias)})())
    response = client.get("/api/")
    assert response.status_code == 200 and response["Last-Modified"]


@pytest.mark.parametrize("url", DATA + ["/notes/00000000-0000-0000-0000-000000000000/", "/api/nope/"])
def test_cors_on_every_machine_readable_response_errors_and_304_included(client, edition, url):
    response = client.get(url)
    assert response["Access-Control-Allow-Origin"] == "*"
    for header in ("Link", "ETag", "Last-Modified"):
        assert header in response["Access-Control-Expose-Headers"]
    if response.status_code == 200:
        again = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
        assert again.status_code == 304 and again["Access-Control-Allow-Origin"] == "*"


def test_cors_on_a_note_permalink_redirect_and_its_annotation(client, edition):
    note = published_note()
    redirect = client.get(f"/notes/{note.uuid}/")
    assert redirect.status_code == 302 and redirect["Access-Control-Allow-Origin"] == "*"
    annotation = client.get(f"/notes/{note.uuid}/", HTTP_ACCEPT="application/ld+json")
    assert annotation.status_code == 200 and annotation["Access-Control-Allow-Origin"] == "*"
    assert "Accept" in annotation["Vary"]


@pytest.mark.parametrize("url", DATA)
def test_preflight_options(client, edition, url):
    response = client.options(
        url, HTTP_ORIGIN="https://other.example", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="If-None-Match, X-Requested-With",
    )  # fmt: skip
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "GET" in response["Access-Control-Allow-Methods"] and "OPTIONS" in response["Allow"]
    assert "If-None-Match" in response["Access-Control-Allow-Headers"]
    assert "X-Requested-With" in response["Access-Control-Allow-Headers"]
    assert int(response["Access-Control-Max-Age"]) > 0


def test_the_dts_link_header_is_exposed(client, edition):
    response = client.get(f"/dts/document/?resource={MINUTES}&ref=m-zhang-1-report")
    assert 'rel="collection"' in response["Link"]
    assert "Link" in [h.strip() for h in response["Access-Control-Expose-Headers"].split(",")]
    assert EXPOSED == response["Access-Control-Expose-Headers"]


@pytest.mark.parametrize("url", PAGES)
def test_pages_are_not_cors_resources(client, edition, url):
    assert "Access-Control-Allow-Origin" not in client.get(url)
    assert not is_machine_readable(url.partition("?")[0])


def test_editors_get_private_responses(editor_client, edition):
    response = editor_client.get(f"/documents/{MINUTES}/")
    assert response.status_code == 200
    assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]
    assert "Cookie" in response["Vary"]
    assert editor_client.get(f"/documents/{MINUTES}/", HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


def test_an_existing_cache_control_is_kept(superuser_client, edition):
    response = superuser_client.get("/admin/")
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"] and "public" not in response["Cache-Control"]
    assert "ETag" not in response  # the admin is left alone


def test_errors_are_not_cached_as_public(client, edition):
    response = client.get("/documents/nope/")
    assert response.status_code == 404 and "ETag" not in response
    assert "public" not in response.get("Cache-Control", "")


@pytest.mark.parametrize("url", ["/api/nope/", "/api/documents/nope/extra/", "/dts/nope/"])
def test_unknown_api_paths_answer_problem_json(client, edition, url):
    response = client.get(url)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 404 and response.json()["title"] == "Not Found"


def test_a_method_not_allowed_on_the_api_is_a_problem_with_allow(client, edition):
    response = client.post("/api/documents/")
    assert response.status_code in (403, 405)
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == response.status_code
