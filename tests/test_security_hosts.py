"""Issue 19.1: every absolute URL comes from settings.EDITION_BASE_URL, never from the request's Host, so a hostile
Host header (a foreign port or name that passes ALLOWED_HOSTS) cannot poison the pages cached for the next reader."""

import pytest

from tests import builders as f

pytestmark = pytest.mark.django_db

BASE = "https://edition.example.org"
MINUTES = "/documents/minutes-1962-06-08/"
HOSTILE = ["127.0.0.1:6666", "localhost:1", "evil.example.com", "evil.example.com:8443"]
URLS = [
    MINUTES,
    MINUTES + "cite/",
    MINUTES + "cite.bibtex",
    MINUTES + "cite.ris",
    MINUTES + "cite.csl-json",
    MINUTES + "annotations.jsonld",
    "/api/",
    "/api/documents/",
    "/api/documents/minutes-1962-06-08/",
    "/api/people/",
    "/api/people/zhang-hanfu/",
    "/dts/",
    "/dts/collection/",
    "/dts/collection/?id=minutes-1962-06-08",
    "/dts/navigation/?resource=minutes-1962-06-08&down=1",
    "/dts/document/?resource=minutes-1962-06-08",
]


@pytest.fixture
def ed(settings):
    settings.EDITION_BASE_URL = BASE
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver", "evil.example.com"]
    return f.make_edition()


def _body(response) -> str:
    return response.content.decode()


@pytest.mark.parametrize("host", HOSTILE)
@pytest.mark.parametrize("url", URLS)
def test_absolute_urls_ignore_a_hostile_host(client, ed, url, host):
    hostile = client.get(url, HTTP_HOST=host)
    assert hostile.status_code == 200, (url, hostile.status_code)
    body = _body(hostile)
    name = host.split(":")[0]
    assert f"{name}:" not in body and f"//{name}" not in body, (url, host)
    normal = client.get(url)
    assert normal.status_code == 200
    text = _body(normal)
    assert "6666" not in text and "evil.example.com" not in text and "localhost:1" not in text
    assert "http://testserver" not in text


def test_the_next_reader_gets_clean_canonical_links_jsonld_and_permalinks(client, ed):
    poisoned = client.get(MINUTES, HTTP_HOST="127.0.0.1:6666")
    assert poisoned.status_code == 200
    clean = client.get(MINUTES)
    assert clean["X-Edition-Cache"] == "hit"  # the page was stored: it must not carry the attacker's port
    text = _body(clean)
    assert f'<link rel="canonical" href="{BASE}{MINUTES}">' in text
    assert f'"@id": "{BASE}{MINUTES}"' in text
    assert "6666" not in text
    assert f"{BASE}{MINUTES}" in text


def test_pages_use_the_configured_base_even_without_a_hostile_host(client, ed):
    text = _body(client.get(MINUTES + "cite.bibtex"))
    assert f"{BASE}{MINUTES}" in text
    assert "testserver" not in text
