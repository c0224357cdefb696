"""Write the whole edition as TEI files into DIR, for backup: entities.xml, one file per document
with its current published notes, and links.xml. `manage.py import_tei DIR` restores them into an
empty database. Drafts and orphaned notes are not exported (the summary counts them)."""

from django.core.management.base import BaseCommand, CommandError

from documents.exports.edition import export_edition
from documents.models import Note


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("directory", help="Where to write the files (created if missing; files are replaced).")
        parser.add_argument("--dry-run", action="store_true", help="Say what would be written, write nothing.")

    def handle(self, directory, dry_run=False, verbosity=1, **options):
        progress = (lambda message: self.stdout.write(f"  {message}")) if verbosity >= 2 else (lambda m: None)
        try:
            result = export_edition(directory, dry_run=dry_run, progress=progress)
        except OSError as exc:
            raise CommandError(f"{directory}: cannot write the export: {exc.strerror or exc}") from exc
        drafts = Note.objects.filter(status=Note.Status.DRAFT).count()
        verb = "would write" if dry_run else "wrote"
        self.stdout.write(
            f"{verb} {len(result.files)} files to {directory}: {len(result.documents)} documents, "
            f"{result.entities} entities, {result.stats.notes} notes, {result.stats.links} links"
        )
        if result.stats.orphans_skipped:
            self.stdout.write(
                self.style.WARNING(
                    f"{len(result.stats.orphans_skipped)} published orphaned notes not exported "
                    "(no passage to point to): re-attach them in the admin (Needs attention)"
                )
            )
        if drafts:
            self.stdout.write(f"{drafts} draft notes not exported (back up the database to keep them)")
        if result.skipped_documents:
            self.stdout.write(
                f"{len(result.skipped_documents)} documents from foreign TEI not exported "
                f"(re-import them from their sources): {', '.join(result.skipped_documents[:5])}"
                + ("…" if len(result.skipped_documents) > 5 else "")
            )
