#!/usr/bin/env python
"""Where the bulk import's writer spends its time: seconds and SQL statements per step, per document.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/edition_bench \
        python bench/profile_bulk.py [--documents 300] [--passages 100] [--batch 200] [--workers 1] [--top 25]

Generates a corpus (bench/make_corpus.py), empties the database's tables, and runs
`BulkImporter(workers, batch)` once under cProfile. With --workers 1 (the default) the parsing runs
in this process, so the profile shows every step. The steps are timed by wrapping their functions
(exclusive times: a step's time leaves out the steps it calls); every SQL statement is counted for
the innermost step running (django's `connection.execute_wrapper`):

- parse+map: `bulk_import.prepare_file` (read, secure parse, map, schema validation);
- write_text: `DocumentsWriter.write_text` (sections, turns, passages, spans, TEI notes);
- documents: `DocumentsWriter.write` without write_text (the documents' rows, the fingerprint check);
- collections/numbering: `write_collection` (and `number_edition` in it), and the batch's
  `number_deferred` where the bulk path numbers once per batch;
- versions: `record_versions`, and the batch's `record_deferred`;
- search index: `indexing.index_documents`;
- commit: `connection.commit`;
- file writer (rest): `FileWriter.write` and the bulk path's own work, without the steps above
  (entities, SourceFile rows, savepoints, links);
- other: the rest of the run (file listing, reports).

Then cProfile's top functions by own time. A throw-away database only: its tables are flushed.
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import io
import os
import pstats
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _benchenv import configure, fresh_database  # noqa: E402

configure("profile-bulk")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from documents.models import Document  # noqa: E402
from documents.search import indexing  # noqa: E402
from documents.services import bulk_import, import_documents, import_writer  # noqa: E402

STEPS = ("parse+map", "documents", "write_text", "collections/numbering", "versions", "search index", "commit",
         "file writer (rest)", "other")  # fmt: skip


class Steps:
    """Exclusive wall-clock time and statements per step (a stack: nested steps are subtracted)."""

    def __init__(self):
        self.seconds = defaultdict(float)
        self.statements = defaultdict(int)
        self.stack = ["other"]
        self.since = time.perf_counter()

    def _switch(self, name):
        now = time.perf_counter()
        self.seconds[self.stack[-1]] += now - self.since
        self.since = now
        if name is None:
            self.stack.pop()
        else:
            self.stack.append(name)

    def wrap(self, name, fn):
        @functools.wraps(fn)
        def timed(*args, **kwargs):
            self._switch(name)
            try:
                return fn(*args, **kwargs)
            finally:
                self._switch(None)

        return timed

    def count(self, execute, sql, params, many, context):
        self.statements[self.stack[-1]] += 1
        return execute(sql, params, many, context)

    def finish(self):
        self._switch("other")


def instrument(steps: Steps, patches: list) -> None:
    def patch(owner, attr, name):
        original = getattr(owner, attr)
        patches.append((owner, attr, original))
        setattr(owner, attr, steps.wrap(name, original))

    patch(bulk_import, "prepare_file", "parse+map")
    patch(import_documents.DocumentsWriter, "write", "documents")
    patch(import_documents.DocumentsWriter, "write_text", "write_text")
    patch(import_writer, "write_collection", "collections/numbering")
    if hasattr(bulk_import, "number_deferred"):  # the bulk path numbers once per batch
        patch(bulk_import, "number_deferred", "collections/numbering")
    patch(import_documents, "record_versions", "versions")
    if hasattr(bulk_import, "record_deferred"):  # the bulk path records a batch's versions together
        patch(bulk_import, "record_deferred", "versions")
    patch(indexing, "index_documents", "search index")
    patch(import_writer.FileWriter, "write", "file writer (rest)")
    patch(bulk_import.BulkImporter, "_write_batch", "file writer (rest)")
    connection.ensure_connection()
    patches.append((connection, "commit", None))
    connection.commit = steps.wrap("commit", connection.commit)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=300)
    parser.add_argument("--passages", type=int, default=100)
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--top", type=int, default=25, help="cProfile: functions listed (by own time)")
    parser.add_argument("--save", type=Path, help="also write cProfile's stats to this file (pstats)")
    parser.add_argument("--corpus", type=Path, help="an existing directory of TEI files instead of a generated one")
    args = parser.parse_args(argv)
    from make_corpus import generate

    fresh_database()
    call_command("flush", verbosity=0, interactive=False)
    with tempfile.TemporaryDirectory(prefix="profile-bulk-") as tmp:
        corpus = args.corpus
        if corpus is None:
            corpus = Path(tmp) / "corpus"
            generate(corpus, args.documents, passages=args.passages)
        files = sorted(corpus.glob("*.xml"))
        steps, patches = Steps(), []
        instrument(steps, patches)
        importer = bulk_import.BulkImporter(workers=args.workers, batch=args.batch)
        profile = cProfile.Profile()
        with connection.execute_wrapper(steps.count):
            started, cpu = time.perf_counter(), time.process_time()
            steps.since = started
            profile.enable()
            report = importer.import_paths(files)
            profile.disable()
            total, cpu = time.perf_counter() - started, time.process_time() - cpu
            steps.finish()
    for owner, attr, original in patches:
        if original is None:
            del connection.commit
        else:
            setattr(owner, attr, original)
    if report.failed:
        raise SystemExit("the import failed: " + "; ".join(str(p) for p in report.problems[:5]))
    documents = Document.objects.count()
    print(f"Database: {connection.vendor}; {len(files)} files, {documents} documents, workers {args.workers}, "
          f"batch {args.batch}; {total:.1f} s under cProfile ({documents / total:.1f} documents/s), "
          f"CPU of this process {cpu:.1f} s; load average {os.getloadavg()[0]:.1f}")
    print(f"  {'step':<24} {'seconds':>8} {'share':>6} {'ms/doc':>8} {'statements':>11} {'per doc':>8}")
    for name in STEPS:
        seconds, statements = steps.seconds.get(name, 0.0), steps.statements.get(name, 0)
        print(f"  {name:<24} {seconds:8.2f} {100 * seconds / total:5.1f}% {1000 * seconds / documents:8.2f} "
              f"{statements:11d} {statements / documents:8.1f}")
    all_statements = sum(steps.statements.values())
    print(f"  {'total':<24} {total:8.2f} {100.0:5.1f}% {1000 * total / documents:8.2f} {all_statements:11d} "
          f"{all_statements / documents:8.1f}")
    if args.save:
        profile.dump_stats(args.save)
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("tottime").print_stats(args.top)
    print("\ncProfile, top functions by own time (cProfile's overhead inflates small Python functions):")
    lines = [line for line in out.getvalue().splitlines() if line.strip()]
    print("\n".join(lines[3:]))


if __name__ == "__main__":
    main()
