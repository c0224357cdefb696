#!/usr/bin/env python
"""Import throughput against the bare lxml parse of the same files, on the database given by DATABASE_URL.

    python bench/bench_import.py [--repeat 3] [--documents 50] [--corpus DIR] [--no-synthetic]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/edition_bench python bench/bench_import.py

For each corpus it prints, measured in the same process, each with its ratio to the bare parse.
Times are the best of --repeat runs, wall-clock and this process's CPU time (steadier on a busy
machine; on PostgreSQL it leaves the server's work out, so quote the wall-clock ratio there):

- **bare parse**: `lxml.etree.fromstring(bytes)` of every file (the bytes already read), the baseline;
- **read + parse + map**: the importer's pure stage (secure parse, `map_tree`, no database);
- **fresh import**: `TEIImporter().import_paths(...)` into empty tables (schema validation of our
  own files included, as in production);
- **fresh bulk import**: `BulkImporter(workers, batch)` (`import_tei --bulk`: parallel parsing,
  one transaction per batch of files, search index once per batch) into empty tables; with the
  documents per second of both fresh imports;
- **forced re-import** (not with --fresh-only): `TEIImporter(force=True)` over the same, unchanged
  files (checksums ignored, so every file is parsed, mapped and compared; unchanged documents are
  skipped by fingerprint);
- **changed re-import**: the same files with the first word of every `<p>` changed, so that every
  document is rewritten in place (the path a corrected TEI file takes).

Corpora: the FRUS volume sample
(../shared/samples/frus1918Russiav03-not-yet-reviewed.xml, 400+ documents in one file) and, when
bench/make_corpus.py is present, a synthetic corpus of --documents files generated into a
temporary directory (or --corpus DIR, an existing directory of TEI files).

`--no-receivers` measures the importer alone: the import signals' receivers (search indexing,
cache invalidation) are disconnected for the run (the database is a throw-away one).

Default database: a fresh SQLite file /tmp/edition-bench-import.sqlite3. On PostgreSQL the
tables of the named database are flushed (give it a database of its own).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _benchenv import configure, fresh_database  # noqa: E402

ROOT = configure("import")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from lxml import etree  # noqa: E402

from documents.models import Document  # noqa: E402
from documents.services.bulk_import import BulkImporter  # noqa: E402
from documents.services.importer import TEIImporter  # noqa: E402
from documents.tei.mapping import map_tree  # noqa: E402
from documents.tei.parser import parse_file  # noqa: E402

BULK = {"workers": None, "batch": 200, "fresh_only": False}  # set from the command line
FRUS = ROOT.parent / "shared" / "samples" / "frus1918Russiav03-not-yet-reviewed.xml"


def empty_tables() -> None:
    call_command("flush", verbosity=0, interactive=False)


def best(fn, repeat: int, before=None) -> tuple[float, float]:
    """Best wall-clock time and best CPU time of this process over `repeat` runs.

    The CPU time is steadier on a busy machine; on PostgreSQL it leaves out the server's work,
    so the wall-clock ratio is the one to quote there.
    """
    walls, cpus = [], []
    for _ in range(repeat):
        if before is not None:
            before()
        started, cpu = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu)
    return min(walls), min(cpus)


def check(report) -> None:
    if report.failed:
        problems = "\n".join(str(p) for p in report.problems[:10])
        raise SystemExit(f"the import failed; the benchmark is meaningless:\n{problems}")


def changed_copy(files: list[Path], into: Path) -> list[Path]:
    """Copies of the files with the first word of every <p> changed."""
    into.mkdir(parents=True, exist_ok=True)
    out = []
    for path in files:
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"(<p(?:\s[^>]*)?>\s*)([A-Za-z]+)", r"\1Changed", text)
        target = into / path.name
        target.write_text(text, encoding="utf-8")
        out.append(target)
    return out


def bench_corpus(label: str, files: list[Path], repeat: int, scratch: Path) -> list[tuple[str, float]]:
    data = [p.read_bytes() for p in files]
    size = sum(len(d) for d in data)
    print(f"\n{label}: {len(files)} file(s), {size / 1e6:.1f} MB")

    def bare():
        for d in data:
            etree.fromstring(d)

    def mapping():
        for p in files:
            map_tree(parse_file(p).tree, str(p))

    def fresh():
        check(TEIImporter().import_paths(files))

    def forced():
        check(TEIImporter(force=True).import_paths(files))

    def fresh_bulk():
        check(BulkImporter(workers=BULK["workers"], batch=BULK["batch"]).import_paths(files))

    changed = changed_copy(files, scratch / "changed")
    state = {"flip": False}

    def flip():
        # Alternate between the original and the changed text so that every run rewrites every document.
        state["flip"] = not state["flip"]
        source = changed if state["flip"] else files
        for src, dst in zip(source, files_at_changed_path, strict=True):
            shutil.copyfile(src, dst)

    # The changed re-import runs on its own copy of the files (the importer keys files by path).
    files_at_changed_path = [scratch / "live" / p.name for p in files]
    (scratch / "live").mkdir(parents=True, exist_ok=True)

    def changed_import():
        check(TEIImporter().import_paths(files_at_changed_path))

    results = [("bare parse (lxml.etree.fromstring)", best(bare, max(repeat, 5)))]
    results.append(("read + secure parse + map (no database)", best(mapping, repeat)))
    results.append(("fresh import", best(fresh, repeat, before=empty_tables)))
    workers = BulkImporter(workers=BULK["workers"]).workers
    results.append((f"fresh bulk import ({workers} workers, batch {BULK['batch']})",
                    best(fresh_bulk, repeat, before=empty_tables)))  # fmt: skip
    documents = Document.objects.count()
    if BULK["fresh_only"]:
        return report(results, documents)
    results.append(("forced re-import (unchanged files)", best(forced, repeat)))

    def prepare_changed():
        empty_tables()
        for src, dst in zip(files, files_at_changed_path, strict=True):
            shutil.copyfile(src, dst)
        state["flip"] = False
        check(TEIImporter().import_paths(files_at_changed_path))

    prepare_changed()
    results.append(("changed re-import (every document rewritten)", best(changed_import, repeat, before=flip)))
    return report(results, documents)


def report(results: list, documents: int) -> list:
    base, base_cpu = results[0][1]
    print(f"  {'':<48} {'wall':>9}     {'ratio':>6}  {'CPU':>9}     {'ratio':>6}")
    for name, (seconds, cpu) in results:
        print(f"  {name:<48} {seconds * 1000:9.1f} ms  {seconds / base:6.1f}x  {cpu * 1000:9.1f} ms  "
              f"{cpu / base_cpu:6.1f}x")
    for name, (seconds, _) in results[2:4]:
        print(f"  {name}: {documents / seconds:.1f} documents/s ({documents} documents)")
    return results


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the best is kept (default 3)")
    parser.add_argument("--documents", type=int, default=50, help="synthetic corpus size (default 50)")
    parser.add_argument("--passages", type=int, default=100, help="mean passages per synthetic document")
    parser.add_argument("--corpus", type=Path, help="an existing directory of TEI files instead of a synthetic one")
    parser.add_argument("--no-synthetic", action="store_true", help="the FRUS sample only")
    parser.add_argument("--no-frus", action="store_true", help="skip the FRUS sample")
    parser.add_argument(
        "--no-receivers", action="store_true",
        help="the importer alone: disconnect the import signals' receivers (search indexing, cache) for the run",
    )
    parser.add_argument("--workers", type=int, default=None, help="bulk import: parsing processes (default: CPUs)")
    parser.add_argument("--batch", type=int, default=200, help="bulk import: files per transaction (default 200)")
    parser.add_argument("--fresh-only", action="store_true",
                        help="only the fresh imports (ordinary and bulk): no forced or changed re-import")
    args = parser.parse_args(argv)
    BULK.update(workers=args.workers, batch=args.batch, fresh_only=args.fresh_only)
    if args.no_receivers:
        from documents.signals import document_imported, documents_imported, entities_imported

        for signal in (document_imported, documents_imported, entities_imported):
            signal.receivers = []
            signal.sender_receivers_cache.clear()
        print("document_imported receivers disconnected: the importer alone, no search indexing")

    fresh_database()
    print(f"Database: {connection.vendor} ({connection.settings_dict['NAME']}); Python {sys.version.split()[0]}, "
          f"lxml {'.'.join(map(str, etree.LXML_VERSION[:3]))}, {os.cpu_count()} CPU(s)")
    with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
        tmp = Path(tmp)
        if not args.no_frus:
            if FRUS.is_file():
                bench_corpus("FRUS sample (one file, 400+ documents)", [FRUS], args.repeat, tmp / "frus")
            else:
                print(f"\n(no FRUS sample at {FRUS})")
        corpus = args.corpus
        if corpus is None and not args.no_synthetic:
            try:
                from make_corpus import generate
            except ImportError:
                print("\n(bench/make_corpus.py is not here: synthetic corpus skipped)")
            else:
                corpus = tmp / "corpus"
                generate(corpus, args.documents, passages=args.passages)
        if corpus is not None:
            files = sorted(corpus.glob("*.xml"))
            bench_corpus(f"corpus {corpus.name}", files, args.repeat, tmp / "synthetic")


if __name__ == "__main__":
    main()
