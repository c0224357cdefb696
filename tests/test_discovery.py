"""sitemap.xml and robots.txt (issue 11.7)."""

import pytest
from lxml import etree

from documents.models import Document, Entity, Note
from documents.services.importer import TEIImporter

pytestmark = pytest.mark.django_db

BASE = "https://edition.example.org"
SM = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture
def edition(settings):
    settings.EDITION_BASE_URL = BASE
    report = TEIImporter().import_paths([settings.EDITION_TEI_DIR])
    assert not report.failed


def sitemap(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200 and response["Content-Type"] == "application/xml"
    root = etree.fromstring(response.content)
    return {url.findtext("sm:loc", namespaces=SM): url.findtext("sm:lastmod", namespaces=SM)
            for url in root.findall("sm:url", SM)}  # fmt: skip


def test_the_sitemap_lists_every_document_entity_and_index(client, edition):
    urls = sitemap(client)
    expected = {f"{BASE}/", f"{BASE}/people/", f"{BASE}/places/", f"{BASE}/organisations/"}
    expected |= {f"{BASE}/documents/{slug}/" for slug in Document.objects.values_list("slug", flat=True)}
    expected |= {BASE + e.get_absolute_url() for e in Entity.objects.all()}
    assert set(urls) == expected
    for url in urls:  # every URL answers (the Host does not matter: paths of this site)
        assert client.get(url[len(BASE):]).status_code == 200, url


def test_a_documents_lastmod_follows_its_latest_published_note(client, edition):
    note = Note.objects.published().select_related("document").first()
    Note.objects.filter(pk=note.pk).update(modified="2099-01-02T03:04:05Z")
    assert sitemap(client)[f"{BASE}/documents/{note.document.slug}/"] == "2099-01-02"
    Note.objects.filter(pk=note.pk).update(status=Note.Status.DRAFT)
    assert sitemap(client)[f"{BASE}/documents/{note.document.slug}/"] != "2099-01-02"


def test_sitemap_urls_do_not_depend_on_the_host(client, edition, settings):
    settings.ALLOWED_HOSTS = ["testserver", "other.example"]
    here = client.get("/sitemap.xml").content
    assert client.get("/sitemap.xml", HTTP_HOST="other.example").content == here
    assert b"other.example" not in here and b"testserver" not in here


def test_robots_txt_points_at_the_sitemap(client, edition):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert f"Sitemap: {BASE}/sitemap.xml" in lines
    assert "Disallow: /admin/" in lines
