#!/usr/bin/env python
"""Import throughput against the bare lxml parse of the same files (ratio), on DATABASE_URL.

    python bench/bench_import.py --documents 200            # generates the corpus with make_corpus.py
    python bench/bench_import.py --corpus /tmp/corpus-1k     # or imports an existing one
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/edition_bench python bench/bench_import.py --documents 200

Measured in one run, on the same files:
1. baseline: bare lxml parse of every file (lxml.etree.parse with a no-network, no-DTD parser);
2. the full import (`TEIImporter().import_paths`: read, checksum, secure parse, RELAX NG
   validation, mapping, one transaction per file writing documents, passages, mentions, notes,
   and the search index through the document_imported signal), into a freshly migrated database;
3. the search indexing share of (2), timed inside the signal receiver;
4. a second import of the unchanged files (skipped by checksum).
Prints the ratios import/parse (target: within 3x). Default database: a fresh SQLite file.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/edition-bench-import.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "edition.settings")
os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-not-secret-bench-only-not-secret-0123456789")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from lxml import etree  # noqa: E402
from make_corpus import generate  # noqa: E402

from documents.models import Passage, SearchEntry  # noqa: E402
from documents.search import indexing  # noqa: E402
from documents.services.importer import TEIImporter  # noqa: E402


def fresh_database():
    if connection.vendor == "sqlite":
        connection.close()
        path = Path(connection.settings_dict["NAME"])
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    else:
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    call_command("migrate", verbosity=0)


def bare_parse(files) -> float:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    started = time.perf_counter()
    for path in files:
        etree.parse(str(path), parser)
    return time.perf_counter() - started


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", "-n", type=int, default=200, help="documents to generate (default 200)")
    parser.add_argument("--passages", type=int, default=100, help="mean passages per generated document")
    parser.add_argument("--corpus", type=Path, help="import this directory instead of generating one")
    args = parser.parse_args(argv)
    workdir = None
    if args.corpus:
        corpus = args.corpus
    else:
        workdir = tempfile.TemporaryDirectory(prefix="edition-corpus-")
        corpus = Path(workdir.name)
        generate(corpus, args.documents, passages=args.passages)
    files = sorted(corpus.glob("*.xml"))
    size_mb = sum(f.stat().st_size for f in files) / 1e6
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"database: {connection.vendor}; corpus {corpus}: {len(files)} files, {size_mb:.1f} MB; load average {load}")

    fresh_database()
    bare_parse(files[:20])  # warm the file cache
    parse_s = min(bare_parse(files) for _ in range(3))

    index_time = [0.0]
    original = indexing.index_document

    def timed_index(document):
        started = time.perf_counter()
        try:
            return original(document)
        finally:
            index_time[0] += time.perf_counter() - started

    indexing.index_document = timed_index
    started = time.perf_counter()
    report = TEIImporter().import_paths([corpus])
    import_s = time.perf_counter() - started
    indexing.index_document = original
    if report.failed:
        for problem in report.problems[:10]:
            print(problem)
        raise SystemExit(f"{len(report.failed)} files failed to import")
    passages = Passage.objects.count()
    started = time.perf_counter()
    TEIImporter().import_paths([corpus])
    again_s = time.perf_counter() - started

    print(f"  baseline: bare lxml parse        {parse_s:8.2f} s  ({len(files) / parse_s:8.0f} files/s)")
    print(f"  import (parse+validate+write)    {import_s:8.2f} s  ({passages / import_s:8.0f} passages/s), "
          f"of which search indexing {index_time[0]:.2f} s ({SearchEntry.objects.count()} entries)")
    print(f"  re-import, unchanged files       {again_s:8.2f} s")
    print(f"  ratio import / bare parse = {import_s / parse_s:.2f} (target <= 3); "
          f"without search indexing = {(import_s - index_time[0]) / parse_s:.2f}; "
          f"unchanged re-import / bare parse = {again_s / parse_s:.2f}")
    if workdir:
        workdir.cleanup()


if __name__ == "__main__":
    main()
