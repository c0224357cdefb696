#!/usr/bin/env python
"""The reader page: server render time as a ratio to serving the same bytes as a static file, and page weight.

    python bench/bench_reader.py [--repeat 60] [--slug minutes-1962-06-08]

Runs in production mode (DJANGO_DEBUG=0, hashed static files collected into a temporary
directory) on a fresh SQLite file with the edition imported by `import_tei` (or on the
database given by DATABASE_URL, if it already holds the document). In the same process it
times, through Django's test client and the full middleware stack:

- the reader page of the document (`/documents/<slug>/`) fully rendered from the database (Django's
  cache emptied before each request),
- the same page as readers get it (the cache left warm: equal to the full render while pages are
  not cached, see docs/reader.md),
- the very same HTML bytes served as a static file by WhiteNoise (WHITENOISE_ROOT),

and prints the medians and their ratios (the target is "a small factor"), then the page
weight: HTML plus the stylesheets and scripts it references (the aim is < 100 KB).
No timing is asserted anywhere; this is a measurement to read.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _benchenv import configure  # noqa: E402

ROOT = configure("reader")

import django  # noqa: E402
from django.conf import settings  # noqa: E402

STATIC_TMP = tempfile.mkdtemp(prefix="edition-bench-static-")
ROOT_TMP = tempfile.mkdtemp(prefix="edition-bench-root-")

django.setup()
# Before anything touches the static storage or builds the middleware.
settings.STATIC_ROOT = STATIC_TMP
settings.WHITENOISE_ROOT = ROOT_TMP
settings.WHITENOISE_AUTOREFRESH = False
settings.LOGGING = {}

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from documents.models import Document  # noqa: E402


def median_ms(client: Client, url: str, repeat: int, cold: bool = False) -> tuple[float, bytes]:
    """Median time of GET url; cold=True empties Django's cache before each request (a full render)."""
    response = client.get(url)  # warm up
    if response.status_code != 200:
        raise SystemExit(f"bench: GET {url} answered {response.status_code}")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    times = []
    for _ in range(repeat):
        if cold:
            cache.clear()
        start = time.perf_counter()
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), body


def page_weight(client: Client, html: bytes) -> dict[str, int]:
    weights = {"html": len(html), "css": 0, "js": 0}
    text = html.decode("utf-8")
    patterns = (("css", r'<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"'), ("js", r'<script[^>]+src="([^"]+)"'))
    for kind, pattern in patterns:
        for url in re.findall(pattern, text):
            response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"bench: {url} referenced by the page answered {response.status_code}")
            body = b"".join(response.streaming_content) if response.streaming else response.content
            weights[kind] += len(body)
    return weights


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=60)
    parser.add_argument("--slug", default="minutes-1962-06-08")
    args = parser.parse_args()

    call_command("migrate", verbosity=0, interactive=False)
    if not Document.objects.filter(slug=args.slug).exists():
        call_command("import_tei", verbosity=0)
    if not Document.objects.filter(slug=args.slug).exists():
        raise SystemExit(f"bench: no document {args.slug!r} after import_tei")
    call_command("collectstatic", verbosity=0, interactive=False)

    client = Client()
    url = f"/documents/{args.slug}/"
    # Write the rendered bytes as a static file before the first request builds WhiteNoise's file index.
    html = Client().get(url).content
    Path(ROOT_TMP, "page.html").write_bytes(html)
    client = Client()
    cold_ms, body = median_ms(client, url, args.repeat, cold=True)
    dynamic_ms, body = median_ms(client, url, args.repeat)
    static_ms, static_body = median_ms(client, "/page.html", args.repeat)
    if static_body != html:
        raise SystemExit("bench: the static copy differs from the page")
    weights = page_weight(client, body)
    total = sum(weights.values())
    print(f"reader page {url} on {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}, {args.repeat} runs")
    print(f"  full render (cache emptied before each request) {cold_ms:8.2f} ms (median)")
    print(f"  served as readers get it (cache warm, if pages are cached) {dynamic_ms:8.2f} ms (median)")
    print(f"  same bytes as a static file (WhiteNoise) {static_ms:8.2f} ms (median)")
    print(f"  ratio full render / static: {cold_ms / static_ms:.1f}x; served / static: {dynamic_ms / static_ms:.1f}x")
    print(
        f"  page weight: {total / 1024:.1f} KB = HTML {weights['html'] / 1024:.1f} KB"
        f" + CSS {weights['css'] / 1024:.1f} KB + JS {weights['js'] / 1024:.1f} KB (aim: < 100 KB)"
    )


if __name__ == "__main__":
    main()
