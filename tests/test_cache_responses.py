"""The W3C annotations, DTS and JSON API responses are cached for anonymous clients like the reader's pages:
keyed by URL, host and content version, replayed with their headers, invalidated by every change."""

import json
from urllib.parse import quote

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import RequestFactory

from documents.cache_responses import cache_response_for_anonymous
from documents.models import Document, Note
from tests.builders import reader_edition

pytestmark = pytest.mark.django_db
MINUTES = "minutes-1962-06-08"
ANNOTATIONS = f"/documents/{MINUTES}/annotations.jsonld"
CACHED = [
    ANNOTATIONS,
    "/dts/", "/dts/collection/", f"/dts/collection/?id={MINUTES}", f"/dts/navigation/?resource={MINUTES}&down=1",
    f"/dts/document/?resource={MINUTES}",
    "/api/", "/api/documents/", f"/api/documents/{MINUTES}/", "/api/people/", "/api/people/zhang-hanfu/",
    "/api/places/", "/api/organisations/",
]  # fmt: skip


@pytest.fixture
def ed():
    return reader_edition()


def twice(client, url, **extra):
    first, second = client.get(url, **extra), client.get(url, **extra)
    assert first.status_code == 200, url
    assert (first["X-Edition-Cache"], second["X-Edition-Cache"]) == ("miss", "hit"), url
    assert first.content == second.content, url
    return first, second


@pytest.mark.parametrize("url", CACHED)
def test_machine_readable_responses_are_cached_with_their_headers(client, ed, url):
    first, second = twice(client, url)
    for header in ("Content-Type", "Access-Control-Allow-Origin", "Link", "Content-Disposition"):
        assert first.get(header) == second.get(header), (url, header)
    assert second["Access-Control-Allow-Origin"] == "*"


def test_dts_document_keeps_its_link_header_from_the_cache(client, ed):
    _first, second = twice(client, f"/dts/document/?resource={MINUTES}")
    rid = quote(f"http://testserver/documents/{MINUTES}/", safe="")
    assert second["Link"] == f"<http://testserver/dts/collection/?id={rid}>; rel=\"collection\""


def test_absolute_urls_come_from_the_base_url_whatever_the_host(client, ed, settings):
    """A hostile Host neither changes nor poisons a cached response (issue 19.1: every absolute URL is
    built from EDITION_BASE_URL, and the key holds that, not the Host)."""
    settings.ALLOWED_HOSTS = ["testserver", "attacker.example"]
    there = client.get("/api/", HTTP_HOST="attacker.example").json()
    here = client.get("/api/")
    assert here["X-Edition-Cache"] == "hit"  # one entry for both requests
    assert there["documents"].startswith("http://testserver/") and here.json() == there


def test_junk_parameters_make_no_new_entries(client, ed):
    """Only the parameters a view reads key its cached responses (issue 19.3)."""
    client.get(f"/api/documents/{MINUTES}/")
    for junk in ("utm_source=x", "a=1&b=2", "page=3"):  # the detail view reads ?version= only
        assert client.get(f"/api/documents/{MINUTES}/?{junk}")["X-Edition-Cache"] == "hit", junk


def test_a_published_note_changes_the_cached_annotations(client, ed):
    _first, cached = twice(client, ANNOTATIONS)
    before = json.loads(cached.content)
    draft = Note.objects.filter(document__slug=MINUTES, status=Note.Status.DRAFT).first()
    assert draft is not None and draft.body not in cached.content.decode()
    draft.status = Note.Status.PUBLISHED
    draft.save()
    after = client.get(ANNOTATIONS)
    assert after["X-Edition-Cache"] == "miss"
    items = json.loads(after.content)["items"]
    assert len(items) == len(before["items"]) + 1
    assert draft.body in after.content.decode()
    assert client.get(ANNOTATIONS)["X-Edition-Cache"] == "hit"


def test_a_changed_document_shows_at_once_in_dts_and_the_api(client, ed):
    urls = [f"/api/documents/{MINUTES}/", f"/dts/collection/?id={MINUTES}"]
    for url in urls:
        twice(client, url)
    document = Document.objects.get(slug=MINUTES)
    document.title = "A revised title"
    document.save()
    for url in urls:
        response = client.get(url)
        assert response["X-Edition-Cache"] == "miss" and "A revised title" in response.content.decode(), url


def test_signed_in_users_are_never_served_from_the_cache(editor_client, ed):
    editor_client.get(ANNOTATIONS)
    response = editor_client.get(ANNOTATIONS)
    assert response.status_code == 200 and "X-Edition-Cache" not in response


def test_only_plain_200_responses_are_stored():
    calls = []

    @cache_response_for_anonymous("test")
    def view(request, status=200, cookie=False):
        calls.append(status)
        response = HttpResponse(b"body", status=status)
        if cookie:
            response.set_cookie("c", "1")
        return response

    factory = RequestFactory()

    def anonymous(path):
        request = factory.get(path)
        request.user = AnonymousUser()
        return request

    for _ in range(2):
        assert view(anonymous("/a"), status=404).status_code == 404
        assert "X-Edition-Cache" not in view(anonymous("/b"), cookie=True)
    assert calls == [404, 200, 404, 200]
    assert view(anonymous("/c"))["X-Edition-Cache"] == "miss"
    assert view(anonymous("/c"))["X-Edition-Cache"] == "hit"
    post = factory.post("/c")
    post.user = AnonymousUser()
    assert "X-Edition-Cache" not in view(post)
