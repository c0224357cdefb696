"""Issue 19.3: the page cache is keyed only on the parameters a view reads (junk parameters neither make new
entries nor new renders), and a Redis that is down costs re-rendering, never an error page."""

import logging

import pytest
from django.core.cache import cache

from edition.settings import caches_for
from tests import builders as f

pytestmark = pytest.mark.django_db

MINUTES = "/documents/minutes-1962-06-08/"
COMPARE = "/compare/minutes-1962-06-08/memorandum-1962-06-07/"
READING_PAGES = ["/", MINUTES, COMPARE, "/people/", "/people/zhang-hanfu/", "/places/xinjiang/", "/organisations/"]
DEAD_REDIS = caches_for("redis://127.0.0.1:8299/2")  # the settings for a REDIS_URL on a closed port


@pytest.fixture
def ed():
    return f.make_edition()


def entries() -> int:
    return len(cache._cache)  # the local-memory cache of the tests


@pytest.mark.parametrize("url", READING_PAGES)
def test_junk_parameters_do_not_make_new_cache_entries(client, ed, url):
    first = client.get(url)
    assert first.status_code == 200 and first["X-Edition-Cache"] == "miss"
    before = entries()
    for n in range(40):
        response = client.get(url, {f"junk{n}": "x" * 200, "utm_source": str(n)})
        assert response.status_code == 200
        assert response["X-Edition-Cache"] == "hit", (url, n)  # no new render either
    assert entries() == before


def test_the_parameters_a_view_reads_still_make_distinct_pages(client, ed):
    def get(url, query):
        client.cookies.clear()  # the reader remembers a chosen view in a cookie (such responses are not stored)
        return client.get(url, query)

    reading, diplomatic = get(MINUTES, {}), get(MINUTES, {"view": "diplomatic"})
    assert reading.content != diplomatic.content
    assert get(MINUTES, {"view": "diplomatic"})["X-Edition-Cache"] == "hit"
    assert get(MINUTES, {"view": "diplomatic", "junk": "1"})["X-Edition-Cache"] == "hit"
    # An unknown value of a read parameter is the default page, not a new entry.
    assert get(MINUTES, {"view": "nonsense"})["X-Edition-Cache"] == "hit"
    speaker = get(MINUTES, {"speaker": "zhang-hanfu"})
    assert speaker["X-Edition-Cache"] == "miss" and speaker.content != reading.content
    assert get(MINUTES, {"speaker": "nobody"}).status_code == 404
    compare = get(COMPARE, {"left": "diplomatic"})
    assert compare["X-Edition-Cache"] == "miss"
    assert get(COMPARE, {"left": "diplomatic", "x": "y"})["X-Edition-Cache"] == "hit"


def test_page_numbers_beyond_the_last_are_served_but_not_stored(client, ed):
    client.get("/people/")
    before = entries()
    for n in range(2, 30):
        response = client.get("/people/", {"page": str(n)})
        assert response.status_code == 200
        assert "X-Edition-Cache" not in response  # the clamped page (the last one) is not stored again
    for value in ("abc", "0", "-1", "01", "1.0", "²"):
        assert client.get("/people/", {"page": value})["X-Edition-Cache"] == "hit", value
    assert entries() == before


@pytest.mark.parametrize("url", READING_PAGES + [MINUTES + "?view=diplomatic"])
def test_pages_render_when_redis_is_down(client, ed, settings, caplog, url):
    settings.CACHES = DEAD_REDIS
    with caplog.at_level(logging.WARNING, logger="documents.cache"):
        response = client.get(url)
        again = client.get(url)
    assert response.status_code == 200, url
    assert again.status_code == 200
    assert "</html>" in response.content.decode()
    assert any("cache" in r.getMessage().lower() for r in caplog.records)  # logged, not raised


def test_editing_still_works_when_redis_is_down(ed, settings, caplog):
    settings.CACHES = DEAD_REDIS
    with caplog.at_level(logging.WARNING, logger="documents.cache"):
        ed["minutes"].title = "A new title"
        ed["minutes"].save()  # the content version bump fails quietly
    assert any("cache" in r.getMessage().lower() for r in caplog.records)


def test_the_redis_backend_of_the_settings_degrades():
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env["REDIS_URL"] = "redis://127.0.0.1:8299/2"
    out = subprocess.run([sys.executable, "manage.py", "shell", "-v", "0", "-c", code], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=120)  # fmt: skip
    assert out.stdout.strip() == "documents.cache_backend.DegradingRedisCache", out.stderr
