"""The TEI importer service, used by `manage.py import_tei` and by any admin view.

    report = TEIImporter().import_paths(["documents/tei"], dry_run=False)

- Files are read, parsed securely (documents.tei.parser) and mapped (documents.tei.mapping)
  before any database work; entity lists are imported first, then documents, then link files.
- ONE transaction per file: a file that fails (not well-formed, invalid against the edition's
  schema, a dangling pointer in our own TEI) changes nothing, and the other files still import.
  A dry run imports everything inside one outer transaction and rolls it back.
- Unchanged files are skipped by SHA-256 (SourceFile.checksum); unchanged documents inside a
  changed file are skipped by fingerprint. Changed documents are updated in place, keyed by
  anchor; editors' notes are re-anchored or orphaned, never deleted.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection, transaction

from documents.models import Document, SourceFile
from documents.tei.completeness import Completeness, measure
from documents.tei.mapping import map_tree
from documents.tei.mapping_types import FileData, Problem
from documents.tei.parser import TEIError, checksum, read_file
from documents.tei.xinclude import has_includes, parse_with_includes

from .import_lock import ImportRunning, exclusive_import, lock_for_this_transaction
from .import_writer import FileWriter, ImportFailed

logger = logging.getLogger(__name__)
AREAS = ("documents", "passages", "turns", "notes", "entities", "links")
MAX_SCHEMA_ERRORS = 20


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0

    def add(self, other: Counts) -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.deleted += other.deleted

    def __str__(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged, {self.deleted} deleted"


def import_digest(data: bytes, detect_speakers: bool = False) -> str:
    """The checksum an import records for a file: the file's SHA-256, mixed with the options that change
    what it maps to (--detect-speakers), so that an unchanged file imported with other options is not skipped."""
    digest = checksum(data)
    return hashlib.sha256(f"{digest}:detect-speakers".encode()).hexdigest() if detect_speakers else digest


def new_counts() -> dict[str, Counts]:
    return {area: Counts() for area in AREAS}


@dataclass
class FileResult:
    path: str
    status: str = "pending"  # imported | unchanged | failed
    counts: dict[str, Counts] = field(default_factory=new_counts)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    notes_kept: dict[str, int] = field(default_factory=dict)  # editors' notes: kept / moved / review / orphaned
    versions: list[dict] = field(default_factory=list)  # new versions recorded (documents.services.versions)
    completeness: Completeness | None = None  # words of <text> vs words stored (None: not mapped)

    def describe(self) -> str:
        if self.status == "failed":
            return f"FAILED ({len(self.problems)} problem{'s' if len(self.problems) != 1 else ''})"
        if self.status == "unchanged":
            return "unchanged (checksum)"
        parts = []
        for area in ("documents", "entities", "links"):
            c = self.counts[area]
            total = c.created + c.updated + c.unchanged
            if total or c.deleted:
                noun = area if total != 1 else {"documents": "document", "entities": "entity", "links": "link"}[area]
                parts.append(f"{total} {noun} ({c.created} created, {c.updated} updated, {c.deleted} deleted)")
        if self.completeness is not None:
            parts.append(self.completeness.describe())
        return "; ".join(parts) or "0 documents"


@dataclass
class ImportReport:
    """What an import did, per file and in total."""

    dry_run: bool = False
    files: list[FileResult] = field(default_factory=list)

    @property
    def totals(self) -> dict[str, Counts]:
        totals = new_counts()
        for result in self.files:
            if result.status != "failed":
                for area, counts in result.counts.items():
                    totals[area].add(counts)
        return totals

    @property
    def problems(self) -> list[Problem]:
        return [p for r in self.files for p in r.problems]

    @property
    def warnings(self) -> list[Problem]:
        return [w for r in self.files for w in r.warnings]

    def version_lines(self) -> list[str]:
        """One line per new version (docs/versions.md), e.g. 'minutes-1962-06-08 v2: Corrected a word.'."""
        return [
            f"{v['slug']} v{v['number']}: {v['message'] or '(no change note)'}"
            for r in self.files
            if r.status == "imported"
            for v in r.versions
        ]

    def completeness_lines(self) -> list[str]:
        """Per imported file: words in <text>, words stored, completeness (documents/tei/completeness.py)."""
        measured = [r for r in self.files if r.status == "imported" and r.completeness is not None]
        if not measured:
            return []
        text = sum(r.completeness.text_words for r in measured)
        stored = sum(r.completeness.stored_words for r in measured)
        percent = 100.0 if not text else 100.0 * stored / text
        lines = [f"  completeness: {stored:,} of {text:,} words of <text> stored ({percent:.1f}%)"]
        for r in measured:
            c = r.completeness
            lines.append(f"    {r.path}: {c.text_words:,} words in <text>, {c.stored_words:,} stored, {c.percent:.1f}%")
        return lines

    @property
    def failed(self) -> list[FileResult]:
        return [r for r in self.files if r.status == "failed"]

    def status_count(self, status: str) -> int:
        return sum(1 for r in self.files if r.status == status)

    def summary_lines(self) -> list[str]:
        head = "Dry run (nothing was saved): " if self.dry_run else ""
        lines = [
            f"{head}{len(self.files)} file(s): {self.status_count('imported')} imported, "
            f"{self.status_count('unchanged')} unchanged, {self.status_count('failed')} failed."
        ]
        for area, counts in self.totals.items():
            lines.append(f"  {area}: {counts}")
        lines.extend(self.completeness_lines())
        orphans = sum(r.notes_kept.get("orphaned", 0) for r in self.files if r.status == "imported")
        moved = sum(r.notes_kept.get("moved", 0) for r in self.files if r.status == "imported")
        review = sum(r.notes_kept.get("review", 0) for r in self.files if r.status == "imported")
        if orphans or moved or review:
            lines.append(
                f"  editors' notes: {moved} re-anchored, {review} to review (approximate match), "
                f"{orphans} orphaned (kept; see the admin's Needs attention list)"
            )
        return lines


def no_commit_wait() -> None:
    """This transaction only: do not wait for the WAL flush at COMMIT (PostgreSQL). A server crash may
    lose the last imports (their checksums with them, so the next run redoes them); it never leaves a
    half-imported file. Editors' own saves keep the full guarantee."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


class TEIImporter:
    """Imports TEI files into the database; see the module docstring."""

    def __init__(
        self,
        *,
        max_bytes: int | None = None,
        max_depth: int | None = None,
        schema_path: str | Path | None = None,
        progress: Callable[[str], None] | None = None,
        force: bool = False,
        message: str = "",
        preview: bool = False,
        detect_speakers: bool = False,
    ):
        self.max_bytes = max_bytes or settings.EDITION_MAX_TEI_BYTES
        self.max_depth = max_depth or settings.EDITION_MAX_TEI_DEPTH
        schema_path = schema_path or getattr(settings, "EDITION_TEI_SCHEMA", None)
        self.schema_path = Path(schema_path) if schema_path else None
        self.progress = progress or (lambda message: None)
        self.force = force
        self.message = message  # the change note of the versions this import creates (docs/versions.md)
        self.preview = preview  # dry runs: keep the word diff of each new version in the report
        self.detect_speakers = detect_speakers  # 'NAME:' paragraphs become turns (tei/mapping_speakers.py)
        self._schema = None
        self._sources: dict[str, SourceFile | None] = {}  # path -> its SourceFile row, read by prepare()

    # -- files ------------------------------------------------------------------------------
    @staticmethod
    def expand(paths: Iterable) -> tuple[list[Path], list[Problem]]:
        """Files to import: directories expand to their *.xml files (sorted)."""
        files: list[Path] = []
        problems: list[Problem] = []
        for raw in paths:
            path = Path(raw)
            if path.is_dir():
                files.extend(sorted(p for p in path.glob("*.xml") if p.is_file()))
            elif path.is_file():
                files.append(path)
            else:
                problems.append(Problem(str(path), 0, 0, "no such file or directory"))
        seen, unique = set(), []
        for path in files:  # a file named twice (itself and in its directory) is imported once
            if path.resolve() not in seen:
                seen.add(path.resolve())
                unique.append(path)
        return unique, problems

    def schema(self):
        """The edition's RELAX NG schema (documents/schema/edition.rng), if it exists."""
        if self._schema is None and self.schema_path is not None and self.schema_path.is_file():
            from lxml import etree

            from documents.tei.parser import make_parser

            self._schema = etree.RelaxNG(etree.parse(str(self.schema_path), make_parser()))
        return self._schema

    def validate(self, tree, data: FileData) -> None:
        schema = self.schema()
        if schema is None or schema.validate(tree):
            return
        for error in list(schema.error_log)[:MAX_SCHEMA_ERRORS]:
            message = f"invalid (edition.rng): {error.message}"
            data.problems.append(Problem(data.path, error.line, error.column, message))

    def map_checked(self, tree, path, result: FileResult) -> FileData | None:
        """Map a parsed file and validate it (the edition's own TEI against edition.rng); warnings go to
        `result`; None, with `result` failed, when it has problems. Used by prepare() and the bulk workers."""
        mapped = map_tree(tree, str(path), detect_speakers=self.detect_speakers)
        if mapped.ours:
            self.validate(tree, mapped)
        result.warnings.extend(mapped.warnings)
        if mapped.problems:
            result.status = "failed"
            result.problems.extend(mapped.problems)
            return None
        self.measure(tree, mapped, result)
        return mapped

    @staticmethod
    def measure(tree, mapped: FileData, result: FileResult) -> None:
        """The words of <text> against the words placed (documents/tei/completeness.py); a warning per unplaced part."""
        result.completeness = measure(tree, mapped)
        result.warnings.extend(result.completeness.warnings)

    def prepare(self, path: Path, result: FileResult) -> tuple[FileData, str] | None:
        """Read, check the checksum, parse and map one file; None when unchanged or failed."""
        try:
            data = read_file(path, max_bytes=self.max_bytes)
            digest = import_digest(data, self.detect_speakers)
            known = SourceFile.objects.filter(path=str(path.resolve())).first()
            self._sources[str(path)] = known
            includes = has_includes(data)  # then the checksum covers the included files too: parse first
            if not includes and self.unchanged(known, digest, result):
                return None
            tree, digest = self.parse(data, path, digest)
            if includes and self.unchanged(known, digest, result):
                return None
        except TEIError as exc:
            result.status = "failed"
            result.problems.append(Problem(exc.file, exc.line, exc.col, exc.message))
            return None
        mapped = self.map_checked(tree, path, result)
        return (mapped, digest) if mapped is not None else None

    def unchanged(self, known: SourceFile | None, digest: str, result: FileResult) -> bool:
        """Whether the file is stored with this checksum (then `result` says so and it is skipped)."""
        if known is None or known.checksum != digest or self.force:
            return False
        result.status = "unchanged"
        result.counts["documents"].unchanged = Document.objects.filter(source_file=known).count()
        return True

    def parse(self, data: bytes, path, digest: str):
        """Parse securely and resolve safe xi:includes (documents/tei/xinclude.py): (tree, checksum)."""
        return parse_with_includes(data, path, max_bytes=self.max_bytes, max_depth=self.max_depth, digest=digest)

    # -- the import -------------------------------------------------------------------------
    def import_paths(self, paths: Iterable | None = None, dry_run: bool = False) -> ImportReport:
        """Import the given files and directories (default: settings.EDITION_TEI_DIR). Imports of one database
        never interleave (documents/services/import_lock.py)."""
        try:
            with exclusive_import():
                return self._import_paths(paths, dry_run)
        except ImportRunning as exc:
            report = ImportReport(dry_run=dry_run)
            for path in paths or [settings.EDITION_TEI_DIR]:
                problem = Problem(str(path), 0, 0, str(exc))
                report.files.append(FileResult(path=str(path), status="failed", problems=[problem]))
            return report

    def _import_paths(self, paths, dry_run: bool) -> ImportReport:
        report = ImportReport(dry_run=dry_run)
        files, missing = self.expand(paths if paths else [settings.EDITION_TEI_DIR])
        for problem in missing:
            report.files.append(FileResult(path=problem.file, status="failed", problems=[problem]))
        prepared: list[tuple[FileData, str, FileResult]] = []
        for path in files:
            result = FileResult(path=str(path))
            report.files.append(result)
            ready = self.prepare(path, result)
            if ready is None:
                self.progress(f"{path}: {result.describe()}")
            else:
                prepared.append((*ready, result))
        prepared.sort(key=lambda item: item[0].stage)  # stable: entity lists, documents, link files
        if dry_run:
            with transaction.atomic():
                self._write_all(prepared)
                transaction.set_rollback(True)
        else:
            self._write_all(prepared)
        return report

    def _write_all(self, prepared) -> None:
        for mapped, digest, result in prepared:
            self._write_file(mapped, digest, result)
            self.progress(f"{result.path}: {result.describe()}")

    #: True inside a bulk import's batch transaction (bulk_import.py), which has taken the lock.
    _in_batch = False

    def _current_source(self, path: str) -> SourceFile | None:
        """The file's SourceFile row as it is now (under the import lock)."""
        return SourceFile.objects.filter(path=str(Path(path).resolve())).first()

    def _write_file(self, mapped: FileData, digest: str, result: FileResult) -> None:
        counts = new_counts()
        try:
            with transaction.atomic():
                if not self._in_batch:  # a bulk import's batch transaction has done both (bulk_import.py)
                    no_commit_wait()
                    lock_for_this_transaction()  # another import of this database waits here, and vice versa
                current = self._current_source(mapped.path)
                if current is not None and current.checksum == digest and not self.force:
                    # Imported by another process while this one waited for the lock: nothing left to do.
                    result.status = "unchanged"
                    result.counts["documents"].unchanged = Document.objects.filter(source_file=current).count()
                    return
                writer = FileWriter(mapped, digest, counts, current)  # the file's row as it is now, under the lock
                writer.version_message, writer.version_preview = self.message, self.preview
                writer.source_absent = current is None  # read under the import lock: created without a lookup
                writer.write()
        except ImportFailed as exc:
            result.status = "failed"
            result.problems.extend(exc.problems)
            return
        except DatabaseError as exc:
            # E.g. a value too long for its column on PostgreSQL: the file's transaction is rolled back.
            logger.info("database error while importing %s", mapped.path, exc_info=True)
            result.status = "failed"
            result.problems.append(Problem(mapped.path, 0, 0, f"database error: {exc}".strip()))
            return
        result.status = "imported"
        result.counts = counts
        result.warnings.extend(writer.warnings)
        result.notes_kept = writer.notes_kept
        result.versions = getattr(writer, "versions", [])
