"""Bulk import for thousands of files: `manage.py import_tei --bulk` (docs/importer.md, "Bulk import").

Same rows and the same guarantees as `TEIImporter` (which it extends), in fewer transactions:

- **parallel parsing**: reading, the secure parse, mapping and schema validation (pure, no
  database) run in ``workers`` forked processes; the checksums of known files are read in one
  query first, so unchanged files are skipped before they are parsed;
- **batched transactions**: the files are written in batches of ``batch`` files, one transaction
  per batch, each file inside its own savepoint: a file that fails (a slug taken, a database
  error) is rolled back to its savepoint and changes nothing; the other files of its batch commit.
  Entity lists are written first, then documents, then link files, as by TEIImporter;
- **positions once per batch**: the edition collection's documents are numbered once at the end of
  each batch, in its transaction (`numbering_deferred`), not after every file (which read the whole
  collection each time: quadratic);
- **versions once per batch**: the new versions of the batch's documents are recorded together at the
  end of the batch, in its transaction (`versions_deferred`; a failed file's are dropped with it);
- **search index once per batch**: the per-file indexing receiver is replaced, for the run, by one
  `index_documents()` over the documents of the batch's imported files, inside the batch's
  transaction (a failed file is never indexed; a batch whose indexing fails rolls back whole and
  its files are reported failed); on PostgreSQL the rows go in by COPY (import_sql.insert_rows);
- **progress**: files parsed and done, rate and ETA, through the ``progress`` callback;
- **parsing and writing overlap**: files that may define entities or links (a start tag with an
  xml:id on person/place/org/personGrp or a glossary name, or a linkGrp: `may_define`, a byte
  search that can only err towards yes) are parsed and written first, in the ordinary order
  (entity lists, documents, link files; their mapped documents wait in a temporary spool file, so
  memory stays bounded); every other file is written in batches while the workers parse the next
  ones. Link files found among them wait for the end.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os

# pickle: only for the run's own spool file (below), never for data from outside.
import pickle  # nosec B403
import re
import tempfile
import time
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from itertools import islice
from pathlib import Path

from django.db import DatabaseError, transaction
from django.db.models import Count

from documents.models import Document, SourceFile
from documents.signals import documents_imported
from documents.tei.mapping_types import Problem
from documents.tei.parser import TEIError, read_file
from documents.tei.xinclude import has_includes

from .import_collections import number_deferred, numbering_deferred
from .import_lock import lock_for_this_transaction
from .importer import FileResult, ImportReport, TEIImporter, import_digest, no_commit_wait
from .versions import record_deferred, versions_deferred

#: A start tag that may define an entity (xml:id on person, place, org, personGrp or a glossary's
#: persName/placeName/orgName) or a link group. Only false positives are possible (comments, CDATA).
_DEFINES = re.compile(
    rb"<(?:[\w.-]+:)?(?:person|personGrp|place|org|persName|placeName|orgName)\b(?:[^>\"']|\"[^\"]*\"|'[^']*')*?"
    rb"\bxml:id\s*=|<(?:[\w.-]+:)?linkGrp\b"
)
_WORKER: dict = {}  # per process: the TEIImporter whose schema validates (compiled once)


def may_define(path) -> bool:
    """Whether a file may define entities or links (then it is written before the files that may point into it)."""
    try:
        return _DEFINES.search(Path(path).read_bytes()) is not None
    except OSError:
        return True  # let the ordinary path report it


def prepare_file(job: tuple) -> tuple[FileResult, object, str]:
    """Read, check the checksum, parse, map and validate one file (in a worker process, no database)."""
    path, known_checksum, force, limits = job
    importer = _WORKER.get(limits)
    if importer is None:
        max_bytes, max_depth, schema_path, detect = limits
        importer = _WORKER[limits] = TEIImporter(
            max_bytes=max_bytes, max_depth=max_depth, schema_path=schema_path, detect_speakers=detect
        )
    result = FileResult(path=str(path))
    try:
        data = read_file(path, max_bytes=importer.max_bytes)
        digest = import_digest(data, importer.detect_speakers)
        includes = has_includes(data)  # the checksum then covers the included files: known only after parsing
        if known_checksum == digest and not force and not includes:
            result.status = "unchanged"
            return result, None, digest
        tree, digest = importer.parse(data, path, digest)
        if includes and known_checksum == digest and not force:
            result.status = "unchanged"
            return result, None, digest
    except TEIError as exc:
        result.status = "failed"
        result.problems.append(Problem(exc.file, exc.line, exc.col, exc.message))
        return result, None, ""
    return result, importer.map_checked(tree, path, result), digest


class Progress:
    """'<verb> n/N files (r/s), ETA m:ss', at most every `every` seconds and at the end."""

    def __init__(self, verb: str, total: int, report, every: float = 2.0):
        self.verb, self.total, self.report, self.every = verb, total, report, every
        self.done, self.started, self.last = 0, time.monotonic(), 0.0

    def tick(self, count: int = 1, extra: str = "") -> None:
        self.done += count
        now = time.monotonic()
        if now - self.last < self.every and self.done < self.total:
            return
        self.last = now
        rate = self.done / max(now - self.started, 1e-9)
        left = (self.total - self.done) / rate if rate else 0
        eta = f"ETA {int(left // 60)}:{int(left % 60):02d}" if self.done < self.total else "done"
        self.report(f"{self.verb} {self.done}/{self.total} files ({rate:.1f}/s){extra}, {eta}")


@contextlib.contextmanager
def indexing_by_batch():
    """For the run: the per-file search indexing receiver is off; the files' documents are collected instead."""
    from documents.search import receivers

    was_connected = documents_imported.disconnect(dispatch_uid="search_index_documents")
    collected: list = []

    def collect(sender, documents, **kwargs):
        collected.extend(documents)

    documents_imported.connect(collect, dispatch_uid="bulk_import_collect", weak=False)
    try:
        yield collected, was_connected
    finally:
        documents_imported.disconnect(dispatch_uid="bulk_import_collect")
        if was_connected:
            documents_imported.connect(receivers.on_documents_imported, dispatch_uid="search_index_documents")


class BulkImporter(TEIImporter):
    """TEIImporter for thousands of files; see the module docstring."""

    def __init__(self, *, workers: int | None = None, batch: int = 200, **kwargs):
        super().__init__(**kwargs)
        self.workers = max(1, workers if workers is not None else (os.cpu_count() or 1))
        self.batch = max(1, batch)

    def _current_source(self, path: str) -> SourceFile | None:
        """In a batch: the file's row read with the batch's others, under the batch's lock (one query)."""
        if self._in_batch:
            return self._batch_sources.get(str(Path(path).resolve()))
        return super()._current_source(path)

    def _known(self, files: list[Path]) -> dict[str, SourceFile]:
        """SourceFile rows of the files, by resolved path, in a few queries."""
        keys = [str(p.resolve()) for p in files]
        known = {}
        for i in range(0, len(keys), 500):
            known.update({s.path: s for s in SourceFile.objects.filter(path__in=keys[i : i + 500])})
        return known

    def _mapped(self, jobs: list[tuple]):
        if self.workers == 1 or len(jobs) < 2:
            yield from map(prepare_file, jobs)
            return
        # fork: the workers inherit the loaded code and settings and never touch the database. At most
        # `window` files are parsed ahead of the writer, so memory stays bounded when writing is slower.
        context = multiprocessing.get_context("fork")
        window = max(2 * self.batch, 8 * self.workers)
        with ProcessPoolExecutor(max_workers=self.workers, mp_context=context) as pool:
            queue, upcoming = deque(), iter(jobs)
            for job in islice(upcoming, window):
                queue.append(pool.submit(prepare_file, job))
            while queue:
                result = queue.popleft().result()
                for job in islice(upcoming, 1):
                    queue.append(pool.submit(prepare_file, job))
                yield result

    def _import_paths(self, paths=None, dry_run: bool = False) -> ImportReport:
        """The bulk run; TEIImporter.import_paths calls it holding the import lock (import_lock.py)."""
        from django.conf import settings

        report = ImportReport(dry_run=dry_run)
        files, missing = self.expand(paths if paths else [settings.EDITION_TEI_DIR])
        for problem in missing:
            report.files.append(FileResult(path=problem.file, status="failed", problems=[problem]))
        known = self._known(files)
        schema = str(self.schema_path) if self.schema_path else None
        limits = (self.max_bytes, self.max_depth, schema, self.detect_speakers)
        jobs = []
        for path in files:
            source = known.get(str(path.resolve()))
            self._sources[str(path)] = source
            jobs.append((path, source.checksum if source else None, self.force, limits))
        # Files that may define entities or links are parsed and written first (all of them, in the
        # ordinary order: entity lists, documents, link files); the others are written as they are parsed.
        flags = [may_define(job[0]) for job in jobs]
        first = [job for job, flag in zip(jobs, flags, strict=True) if flag]
        rest = [job for job, flag in zip(jobs, flags, strict=True) if not flag]
        self._parsed = Progress("parsed", len(jobs), self.progress)
        self._done = Progress("done", len(jobs), self.progress)
        order = {str(path): i for i, path in enumerate(files)}
        with indexing_by_batch() as (collected, indexing):
            self._batching = collected, indexing
            if dry_run:
                with transaction.atomic():
                    self._run(first, rest, report)
                    transaction.set_rollback(True)
            else:
                self._run(first, rest, report)
        report.files.sort(key=lambda r: order.get(r.path, -1))
        return report

    def _run(self, first: list, rest: list, report: ImportReport) -> None:
        links, unchanged = [], []
        with tempfile.TemporaryFile(prefix="bulk-import-") as spool:
            entity_lists, spooled = [], 0
            for item in self._parse(first, report, unchanged):
                if item[0].stage == 0:
                    entity_lists.append(item)
                elif item[0].stage == 1:
                    pickle.dump((item[0], item[1], len(report.files) - 1), spool, pickle.HIGHEST_PROTOCOL)
                    spooled += 1
                else:
                    links.append(item)

            def documents():
                spool.seek(0)
                for _ in range(spooled):
                    # The spool is this run's anonymous temporary file, written just above by this process.
                    mapped, digest, position = pickle.load(spool)  # nosec B301
                    yield mapped, digest, report.files[position]

            self._write_batches(entity_lists)
            self._write_batches(documents())
        pending = []
        for item in self._parse(rest, report, unchanged):
            if item[0].stage == 2:
                links.append(item)
                continue
            pending.append(item)
            if len(pending) >= self.batch or item[0].stage == 0:
                self._write_batches(pending)
                pending = []
        self._write_batches(pending)
        self._write_batches(links)
        self._count_unchanged(unchanged)

    def _parse(self, jobs: list, report: ImportReport, unchanged: list):
        """The mapped files, in order, as the workers finish them (unchanged and failed ones are only reported)."""
        for result, mapped, digest in self._mapped(jobs):
            report.files.append(result)
            self._parsed.tick()
            if mapped is not None:
                yield mapped, digest, result
                continue
            if result.status == "unchanged":
                unchanged.append(result)
            else:
                self.progress(f"{result.path}: {result.describe()}")
            self._done.tick()

    def _count_unchanged(self, results: list[FileResult]) -> None:
        by_path = {}
        for result in results:
            source = self._sources.get(result.path)
            if source is not None:
                by_path[source.pk] = result
        rows = Document.objects.filter(source_file__in=list(by_path)).values("source_file").annotate(n=Count("pk"))
        for row in rows.order_by():
            by_path[row["source_file"]].counts["documents"].unchanged = row["n"]

    def _write_batches(self, items) -> None:
        batch: list = []
        for item in items:
            batch.append(item)
            if len(batch) >= self.batch:
                self._write_batch(batch)
                batch = []
        if batch:
            self._write_batch(batch)

    def _write_batch(self, batch: list) -> None:
        from documents.search import indexing as search_indexing

        collected, indexing = self._batching
        documents = 0
        try:
            with transaction.atomic(), numbering_deferred() as to_number, versions_deferred() as to_version:
                lock_for_this_transaction()  # another import of this database waits (import_lock.py)
                no_commit_wait()  # as for a file's transaction (importer.py)
                self._batch_sources = self._known([Path(mapped.path) for mapped, _, _ in batch])  # under the lock
                self._in_batch = True
                to_index = []
                for mapped, digest, result in batch:
                    collected.clear()
                    mark = len(to_version)
                    self._write_file(mapped, digest, result)  # its own savepoint: a failure changes nothing
                    if result.status == "imported":
                        to_index.extend(collected)
                        documents += len(mapped.documents)
                    else:
                        del to_version[mark:]  # rolled back with the file's savepoint
                record_deferred(to_version)  # the batch's new versions, in a few queries (versions.py)
                number_deferred(to_number)  # the edition's positions, once for the batch (import_collections.py)
                if indexing and to_index:
                    search_indexing.index_documents(to_index)
        except DatabaseError as exc:
            for mapped, _, result in batch:
                if result.status == "imported":
                    result.status = "failed"
                    result.problems.append(Problem(mapped.path, 0, 0, f"database error in its batch: {exc}"))
        finally:
            self._in_batch, self._batch_sources = False, {}
        collected.clear()
        for _, _, result in batch:
            if result.status == "failed":
                self.progress(f"{result.path}: {result.describe()}")
        self._done.tick(len(batch), f", {documents} documents in the last batch")
