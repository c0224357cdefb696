"""Rebuild the full-text search index from the documents and published notes.

Rewrites every SearchEntry (passages with the names and aliases of the entities they mention,
and published notes), in one transaction: if anything fails, the old index stays. On SQLite it
also re-creates the FTS5 table and triggers if they are missing; on PostgreSQL the GIN index.

    python manage.py rebuild_search_index            # rebuild, with progress
    python manage.py rebuild_search_index --dry-run  # only count what would be indexed
"""

import time

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from documents.search.indexing import rebuild


class Command(BaseCommand):
    help = __doc__.strip().splitlines()[0]

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count what would be indexed; write nothing.")
        parser.add_argument(
            "--progress-every", type=int, default=100, metavar="N", help="Report progress every N documents."
        )

    def handle(self, *args, dry_run=False, progress_every=100, verbosity=1, **options):
        started = time.monotonic()
        every = max(1, progress_every)

        def progress(i, total, document):
            if verbosity >= 1 and (i % every == 0 or i == total):
                self.stdout.write(f"  {i}/{total} documents ({document.slug})")

        with transaction.atomic():
            counts = rebuild(progress=progress, dry_run=dry_run)
        elapsed = time.monotonic() - started
        verb = "Would index" if dry_run else "Indexed"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} {counts['documents']} documents: {counts['passages']} passages and "
                f"{counts['notes']} published notes"
                + ("" if dry_run else f" ({counts['entries']} entries)")
                + f" on {connection.vendor} in {elapsed:.1f} s."
            )
        )
