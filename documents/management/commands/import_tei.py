"""Import TEI files into the edition: entity lists, then documents, then link files.

Usage: manage.py import_tei [PATH ...] [--dry-run] [--force] [--message "Corrected ..."]
                            [--bulk [--workers N] [--batch N]] [--detect-speakers]

PATHs are files or directories (a directory means its *.xml files); the default is
settings.EDITION_TEI_DIR (documents/tei/). Each file is imported in its own transaction:
a file that fails changes nothing and the others still import. Unchanged files are skipped
by checksum; editors' notes are never deleted. A document whose text or header changed gets a
new citable version (docs/versions.md); --message gives its change note (default: the new
revisionDesc/change entries of the file). Every problem is printed as
file:line:col: message, and the command exits non-zero when any file failed.

--detect-speakers: paragraphs that begin with a speaker's label ("SECRETARY KISSINGER: ...", "Mr. Smith: ...")
become speaker turns, every word kept (docs/importer.md); a file can ask for it itself with
<?edition detect-speakers?> before its root element.

--bulk (thousands of files, documents/services/bulk_import.py): parsing in parallel processes,
one transaction per batch of files with a savepoint per file (a failed file still changes
nothing), the search index written once per batch, progress with ETA instead of a line per file.
"""

from django.core.management.base import BaseCommand, CommandError

from documents.services.importer import TEIImporter


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", help="TEI files or directories (default: settings.EDITION_TEI_DIR).")
        parser.add_argument("--dry-run", action="store_true", help="Import, report, then roll everything back.")
        parser.add_argument("--force", action="store_true", help="Re-import files even if their checksum is unchanged.")
        parser.add_argument(
            "--message", "-m", default="", help="Change note of the new versions (default: the file's revisionDesc)."
        )
        parser.add_argument(
            "--detect-speakers",
            action="store_true",
            help="Paragraphs beginning with a speaker's label ('SECRETARY KISSINGER: ...') become speaker turns.",
        )
        parser.add_argument("--bulk", action="store_true", help="Thousands of files: parallel parsing, batches.")
        parser.add_argument("--workers", type=int, default=None, help="--bulk: parsing processes (default: CPUs).")
        parser.add_argument("--batch", type=int, default=200, help="--bulk: files per transaction (default 200).")

    def handle(self, *args, paths, dry_run, force, message="", bulk=False, workers=None, batch=200, **options):
        verbosity = options.get("verbosity", 1)
        detect = bool(options.get("detect_speakers"))

        def progress(message):
            if verbosity >= 1:
                self.stdout.write(message)

        if bulk:
            from documents.services.bulk_import import BulkImporter

            importer = BulkImporter(
                progress=progress, force=force, message=message, workers=workers, batch=batch, detect_speakers=detect
            )
        else:
            importer = TEIImporter(progress=progress, force=force, message=message, detect_speakers=detect)
        report = importer.import_paths(paths or None, dry_run=dry_run)
        for warning in report.warnings:
            if verbosity >= 1:
                self.stderr.write(f"{warning} (warning)")
        for problem in report.problems:
            self.stderr.write(str(problem))
        if verbosity >= 1:
            for line in report.version_lines():
                self.stdout.write(f"New version: {line}")
        for line in report.summary_lines():
            self.stdout.write(line)
        if report.failed:
            count = len(report.failed)
            plural = "s" if count != 1 else ""
            raise CommandError(f"{count} file{plural} failed to import; nothing was imported from them.")
