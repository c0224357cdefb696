#!/usr/bin/env python
"""How the citation, annotation, JSON and DTS endpoints scale with the length of a document.

    python bench/bench_cite.py [--sizes 50,500,5000] [--repeat 5]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/edition_bench_cite python bench/bench_cite.py

For each size it generates one synthetic document (sections -> speaker turns -> paragraphs, an
entity mention and a published note per paragraph; bulk-inserted, the texts state nothing about
history), requests each endpoint through Django's test client, and prints the median time, the
number of queries, and two ratios measured in this run: against the first size (the baseline),
and that ratio divided by the growth in paragraphs (1.0 = linear; the query count must stay flat).

Default database: a fresh SQLite file /tmp/edition-bench-cite.sqlite3.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _benchenv import configure  # noqa: E402

ROOT = configure("cite")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from documents.models import Document, Entity, Mention, Note, Passage, Section, Turn  # noqa: E402

ENDPOINTS = {
    "dts navigation (whole tree)": "/dts/navigation/?resource={slug}&down=-1",
    "dts document (whole TEI)": "/dts/document/?resource={slug}",
    "dts document (one turn)": "/dts/document/?resource={slug}&ref={slug}-t-1",
    "api document": "/api/documents/{slug}/",
    "annotations page": "/documents/{slug}/annotations.jsonld",
    "cite bibtex (passage)": "/documents/{slug}/cite.bibtex?passage={slug}-p-1",
}
TEXT = "The residents crossed the border near {place} and the authorities were asked to act."
NS = "http://www.tei-c.org/ns/1.0"


def make_document(size: int) -> Document:
    """One document with `size` paragraphs in turns of 4, in sections of 40 paragraphs."""
    slug = f"bench-{size}"
    place, _ = Entity.objects.get_or_create(key="bench-place", defaults={"kind": "place", "name": "Placeville"})
    speaker, _ = Entity.objects.get_or_create(key="bench-speaker", defaults={"kind": "person", "name": "A. Speaker"})
    with transaction.atomic():
        doc = Document.objects.create(slug=slug, xml_id=slug, kind="minutes", title=f"Synthetic minutes ({size})")
        sections = Section.objects.bulk_create(
            Section(document=doc, xml_id=f"{slug}-s-{i}", kind="part", order=i) for i in range(size // 40 + 1)
        )
        turns = Turn.objects.bulk_create(
            Turn(document=doc, section=sections[i * 4 // 40], xml_id=f"{slug}-t-{i}", speaker=speaker,
                 speaker_label="Speaker:", order=i)
            for i in range(size // 4 + 1)
        )  # fmt: skip
        passages = []
        for i in range(size):
            text = TEXT.format(place="Placeville")
            marked = TEXT.format(place='<placeName ref="ent:bench-place">Placeville</placeName>')
            tei = f'<p xmlns="{NS}" xml:id="{slug}-p-{i}">{marked}</p>'
            passages.append(
                Passage(document=doc, section=sections[i // 40], turn=turns[i // 4], anchor=f"{slug}-p-{i}",
                        order=i, tei=tei, reading_text=text, diplomatic_text=text)
            )  # fmt: skip
        passages = Passage.objects.bulk_create(passages)
        start = TEXT.index("{place}")
        Mention.objects.bulk_create(
            Mention(passage=p, entity=place, text="Placeville", start=start, end=start + 10) for p in passages
        )
        Note.objects.bulk_create(
            Note(document=doc, passage=p, anchor=p.anchor, exact="Placeville", prefix="near ", suffix=" and",
                 start=start, end=start + 10, body="An *invented* place.", status=Note.Status.PUBLISHED)
            for p in passages
        )  # fmt: skip
    return doc


def measure(client: Client, url: str, repeat: int) -> tuple[float, int]:
    times = []
    queries = 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            began = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - began)
        # bandit B101: a bench self-check
        assert response.status_code == 200, (url, response.status_code)  # nosec B101
        queries = len(ctx.captured_queries)
    return statistics.median(times), queries


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="50,500,5000", help="Paragraphs per document, comma-separated.")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    call_command("migrate", verbosity=0, interactive=False)
    Note.objects.filter(document__slug__startswith="bench-").delete()
    Document.objects.filter(slug__startswith="bench-").delete()
    client = Client()
    results: dict[str, list[tuple[int, float, int]]] = {name: [] for name in ENDPOINTS}
    for size in sizes:
        began = time.perf_counter()
        doc = make_document(size)
        print(f"generated {size} paragraphs in {time.perf_counter() - began:.1f}s", file=sys.stderr)
        for name, template in ENDPOINTS.items():
            seconds, queries = measure(client, template.format(slug=doc.slug), args.repeat)
            results[name].append((size, seconds, queries))
    print(f"{'endpoint':32} {'paragraphs':>10} {'median ms':>10} {'queries':>8} {'x baseline':>10} {'/ growth':>9}")
    for name, rows in results.items():
        base_size, base_time, _ = rows[0]
        for size, seconds, queries in rows:
            ratio = seconds / base_time
            print(f"{name:32} {size:>10} {seconds * 1000:>10.1f} {queries:>8} {ratio:>10.2f} "
                  f"{ratio / (size / base_size):>9.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
