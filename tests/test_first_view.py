"""Issue 13.1, first view: what the browser needs before the first screen (no timings here: bench/bench_first_view.py).

- The site's stylesheets are inlined in <head> (no render-blocking stylesheet request; print.css is media=print),
  each <style> allowed by its hash in the Content-Security-Policy (no 'unsafe-inline', no nonce: cached pages).
- Scripts never block parsing (defer), HTML is gzip-compressed when the client accepts it, and the anonymous page
  cache still stores the uncompressed page and serves it compressed or not, with Vary and a working ETag.
- In production settings, static files are precompressed and hashed names are cached for a year, immutable.
"""

import gzip
import json
import os
import re
import subprocess
import sys
import textwrap

import lxml.html
import pytest

from documents.inline_css import INLINED, ROWS, SHORT_ROWS, css_text, inline_style_hashes, style_hash
from documents.templatetags.edition_css import inline_rows_css
from tests import builders as f
from tests.conftest import ROOT
from tests.test_settings import PROD_ENV

MINUTES = "/documents/minutes-1962-06-08/"
PAGES = ["/", MINUTES, MINUTES + "?view=diplomatic", "/people/", "/places/", "/search/?q=border",
         MINUTES + "cite/", "/compare/minutes-1962-06-08/memorandum-1962-06-07/"]  # fmt: skip


@pytest.fixture
def ed(db):
    return f.make_edition()


def directives(policy: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


@pytest.mark.parametrize("url", PAGES)
def test_every_inline_style_is_allowed_by_its_hash_and_nothing_blocks_rendering(client, ed, url):
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    style_src = directives(response["Content-Security-Policy"])["style-src"]
    assert "'unsafe-inline'" not in style_src and not any(s.startswith("'nonce-") for s in style_src)
    blocks = re.findall(r"<style>(.*?)</style>", page, flags=re.S)
    assert blocks, url  # at least edition.css
    for text in blocks:
        assert style_hash(text) in style_src, url
    head = lxml.html.fromstring(response.content).find("head")
    blocking = [link.get("href") for link in head.iter("link")
                if link.get("rel") == "stylesheet" and link.get("media") != "print"]  # fmt: skip
    assert blocking == [], url
    for script in head.iter("script"):
        assert script.get("type") == "application/ld+json" or script.get("defer") is not None, url
    assert re.search(r"<style\b[^>]*\bnonce=", page) is None


def test_the_inlined_css_is_the_static_files_text():
    for name in INLINED:
        assert css_text(name) == (ROOT / "static" / name).read_text(encoding="utf-8")
    full = css_text(ROWS).splitlines()
    short = css_text(ROWS + "#short").splitlines()
    assert set(short) <= set(full) and short[0] == full[0] and short[-1] == "}"  # the same rules, fewer
    assert '.rows>[data-r="50"]{grid-row-start:50}' in short and not any('"51"' in line for line in short)
    assert len(set(inline_style_hashes())) == len(INLINED) + 2


def test_the_grid_rows_inlined_are_as_many_as_the_longest_block_needs():
    short = inline_rows_css([{"rows": [None] * 3}, {"rows": [None] * SHORT_ROWS}])
    assert '[data-r="50"]' in short and '[data-r="51"]' not in short
    long = inline_rows_css([{"rows": [None] * 3}, {"rows": [None] * (SHORT_ROWS + 1)}])
    assert '[data-r="51"]' in long and '[data-span="400"]' in long
    assert inline_rows_css([]) == short


def test_the_reader_script_lays_out_only_after_the_first_paint():
    script = (ROOT / "static" / "js" / "reader.js").read_text(encoding="utf-8")
    init = script[script.index("function init()") :]
    assert "afterFirstPaint(placeNotes)" in init and re.search(r"^\s*placeNotes\(\);", init, flags=re.M) is None


def test_html_is_gzip_compressed_when_accepted_and_the_page_cache_still_works(client, ed):
    first = client.get(MINUTES, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert first["Content-Encoding"] == "gzip" and "Accept-Encoding" in first["Vary"]
    assert first["X-Edition-Cache"] == "miss"
    page = gzip.decompress(first.content)
    assert page.startswith(b"<!doctype html>") and len(first.content) < len(page) / 2
    second = client.get(MINUTES, HTTP_ACCEPT_ENCODING="gzip")
    assert second["X-Edition-Cache"] == "hit" and second["Content-Encoding"] == "gzip"
    assert gzip.decompress(second.content) == page
    plain = client.get(MINUTES)  # the cache stored the uncompressed page: served as it is to a client without gzip
    assert plain["X-Edition-Cache"] == "hit" and not plain.has_header("Content-Encoding")
    assert plain.content == page and "Accept-Encoding" in plain["Vary"]
    assert plain["Cache-Control"] == "public, max-age=60" and plain.has_header("Last-Modified")


def test_a_compressed_page_revalidates_with_its_etag(client, ed):
    first = client.get(MINUTES, HTTP_ACCEPT_ENCODING="gzip")
    etag = first["ETag"]
    assert etag.startswith('W/"')  # GZipMiddleware weakens the strong ETag of the uncompressed bytes
    again = client.get(MINUTES, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    plain = client.get(MINUTES, HTTP_IF_NONE_MATCH=etag)  # the same representation uncompressed: weak match
    assert plain.status_code == 304


SCRIPT = textwrap.dedent("""
    import json
    import django
    django.setup()
    from django.core.management import call_command
    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    from django.contrib.staticfiles.storage import staticfiles_storage
    from django.test import Client
    client = Client()
    from django.core.files.storage import storages
    out = {"storage": type(storages["staticfiles"]).__name__}
    for name in ("css/print.css", "js/reader.js", "favicon.svg"):
        url = staticfiles_storage.url(name)
        r = client.get(url, secure=True, HTTP_HOST="edition.example.org", HTTP_ACCEPT_ENCODING="gzip")
        out[name] = {"url": url, "status": r.status_code, "headers": dict(r.headers)}
        r.close()
        r = client.get(url, secure=True, HTTP_HOST="edition.example.org", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
        out[name]["br"] = r.headers.get("Content-Encoding")
        r.close()
    r = client.get("/", secure=True, HTTP_HOST="edition.example.org", HTTP_ACCEPT_ENCODING="gzip")
    out["/"] = {"status": r.status_code, "headers": dict(r.headers)}
    print("RESULT" + json.dumps(out))
""")


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("prod-static")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "EDITION_")) and k != "DATABASE_URL"}
    env.update(PROD_ENV)
    env.update({"DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}", "DJANGO_STATIC_ROOT": str(tmp / "static"),
                "DJANGO_SETTINGS_MODULE": "edition.settings"})  # fmt: skip
    result = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=600)  # fmt: skip
    assert "RESULT" in result.stdout, result.stdout[-3000:] + result.stderr[-3000:]
    return json.loads(result.stdout.split("RESULT", 1)[1])


def test_static_files_in_production_are_hashed_precompressed_and_cached_for_a_year(production):
    assert production["storage"] == "CompressedManifestStaticFilesStorage"
    for name in ("css/print.css", "js/reader.js", "favicon.svg"):
        seen = production[name]
        assert seen["status"] == 200, name
        assert re.search(r"\.[0-9a-f]{12}\.", seen["url"]), seen["url"]  # a hashed name
        cache_control = seen["headers"]["Cache-Control"]
        assert "immutable" in cache_control and "max-age=315360000" in cache_control, (name, cache_control)
        assert "Accept-Encoding" in seen["headers"]["Vary"]
    assert production["css/print.css"]["headers"]["Content-Encoding"] == "gzip"  # whitenoise's .gz file
    assert production["js/reader.js"]["headers"]["Content-Encoding"] == "gzip"
    assert production["js/reader.js"]["br"] == "br"  # Brotli installed: whitenoise wrote .br files too


def test_pages_in_production_are_compressed_with_a_hashed_csp(production):
    home = production["/"]["headers"]
    assert production["/"]["status"] == 200 and home["Content-Encoding"] == "gzip"
    style_src = directives(home["Content-Security-Policy"])["style-src"]
    assert style_src == ["'self'", *inline_style_hashes()]
