"""Export documents in any registered format (the same functions the web views use).

    manage.py export_document minutes-1962-06-08 --format bibtex
    manage.py export_document minutes-1962-06-08 --format chicago --passage m-zhang-report
    manage.py export_document minutes-1962-06-08 --format dts --ref m-sp-zhang-reply
    manage.py export_document --all --format json --output-dir exports/
    manage.py export_document minutes-1962-06-08 --format pdf --output-dir exports/
    manage.py export_document --edition --format epub --output-dir exports/   # the whole edition, one book
    manage.py export_document --list

Without --output-dir the export goes to standard output; the summary goes to standard error.
"""

from __future__ import annotations

import inspect
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from documents.exports import EXPORTERS, epub, export, extension, media_type, pdf
from documents.models import Document

#: Formats that also exist as one book of the whole edition (--edition).
EDITION_BOOKS = {"pdf": pdf.edition_pdf, "epub": epub.edition_epub}
#: Media types written to standard output as bytes (the others are text).
BINARY = {pdf.PDF_MEDIA_TYPE, epub.EPUB_MEDIA_TYPE}
#: Command-line options passed on to an exporter when it accepts them.
PASS_THROUGH = ("passage", "ref", "start", "end", "view")


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", help="Slugs of the documents to export.")
        parser.add_argument("--format", dest="fmt", help="Format name (see --list).")
        parser.add_argument("--list", action="store_true", help="List the formats and their media types.")
        parser.add_argument("--all", action="store_true", help="Export every document.")
        parser.add_argument("--edition", action="store_true", help="pdf, epub: one book of the whole edition.")
        parser.add_argument("--passage", help="Anchor of a passage to cite (citation formats).")
        parser.add_argument("--ref", help="Citable unit to export (dts).")
        parser.add_argument("--start", help="First citable unit of a range (dts).")
        parser.add_argument("--end", help="Last citable unit of a range (dts).")
        parser.add_argument("--view", choices=["reading", "diplomatic"], help="Text view (text).")
        parser.add_argument("--base-url", help="Public origin for URLs (default: settings.EDITION_BASE_URL).")
        parser.add_argument("--output-dir", help="Write <slug>[-<passage>].<ext> files into this directory.")
        parser.add_argument("--dry-run", action="store_true", help="Build the exports but write nothing.")

    def handle(self, *args, **opts):
        if opts["list"]:
            for name in sorted(EXPORTERS):
                self.stdout.write(f"{name}\t{media_type(name)}")
            return
        fmt = opts["fmt"]
        if not fmt:
            raise CommandError("give --format (see --list)")
        if fmt not in EXPORTERS:
            raise CommandError(f"unknown format {fmt!r}; known: {', '.join(sorted(EXPORTERS))}")
        if opts["edition"]:
            return self._edition(fmt, opts)
        documents = self._documents(opts)
        kwargs = self._options(fmt, opts)
        out_dir = Path(opts["output_dir"]) if opts["output_dir"] else None
        if out_dir and not opts["dry_run"]:
            out_dir.mkdir(parents=True, exist_ok=True)
        written = 0
        for index, document in enumerate(documents, 1):
            try:
                body = export(fmt, document, **self._resolve(document, kwargs))
            except (LookupError, ValueError) as exc:  # e.g. an unknown DTS ref, a reversed range
                raise CommandError(f"{document.slug}: {exc}") from exc
            except pdf.PDFUnavailable as exc:
                raise CommandError(str(exc)) from exc
            data = body if isinstance(body, bytes) else body.encode("utf-8")
            written += len(data)
            if opts["dry_run"]:
                pass
            elif out_dir:
                suffix = f"-{opts['passage']}" if opts["passage"] else ""
                path = out_dir / f"{document.slug}{suffix}.{extension(fmt)}"
                path.write_bytes(data)
                self.stderr.write(f"[{index}/{len(documents)}] {path}")
            elif media_type(fmt).split(";")[0] in BINARY:  # a PDF or EPUB: the bytes as they are
                self.stdout.flush()
                sys.stdout.buffer.write(data)
            else:
                text = data.decode("utf-8")
                self.stdout.write(text, ending="" if text.endswith("\n") else "\n")  # one export per line at least
        verb = "Would export" if opts["dry_run"] else "Exported"
        self.stderr.write(f"{verb} {len(documents)} document(s) as {fmt} ({written} bytes).")

    def _edition(self, fmt: str, opts) -> None:
        if fmt not in EDITION_BOOKS:
            raise CommandError(f"--edition is for {', '.join(sorted(EDITION_BOOKS))}, not {fmt!r}")
        if opts["slugs"] or opts["all"]:
            raise CommandError("--edition exports the whole edition: give no slugs and no --all")
        base_url = opts["base_url"] if opts["base_url"] is not None else settings.EDITION_BASE_URL
        try:
            data = EDITION_BOOKS[fmt](base_url=base_url)
        except (pdf.PDFUnavailable, ValueError) as exc:  # ValueError: book.BookTooLarge
            raise CommandError(str(exc)) from exc
        if opts["dry_run"]:
            pass
        elif opts["output_dir"]:
            out_dir = Path(opts["output_dir"])
            out_dir.mkdir(parents=True, exist_ok=True)
            path = out_dir / f"edition.{extension(fmt)}"
            path.write_bytes(data)
            self.stderr.write(str(path))
        else:
            sys.stdout.buffer.write(data)
        verb = "Would export" if opts["dry_run"] else "Exported"
        self.stderr.write(f"{verb} the edition as {fmt} ({len(data)} bytes).")

    def _documents(self, opts) -> list[Document]:
        if opts["all"]:
            return list(Document.objects.in_order())
        if not opts["slugs"]:
            raise CommandError("give one or more document slugs, or --all")
        found = {d.slug: d for d in Document.objects.filter(slug__in=opts["slugs"])}
        missing = [slug for slug in opts["slugs"] if slug not in found]
        if missing:
            raise CommandError(f"no document with slug {', '.join(map(repr, missing))}")
        return [found[slug] for slug in opts["slugs"]]

    def _options(self, fmt: str, opts) -> dict:
        accepted = inspect.signature(EXPORTERS[fmt]).parameters
        kwargs = {}
        for name in PASS_THROUGH:
            if opts[name] is not None:
                if name not in accepted:
                    raise CommandError(f"format {fmt!r} does not take --{name}")
                kwargs[name] = opts[name]
        if "base_url" in accepted:
            kwargs["base_url"] = opts["base_url"] if opts["base_url"] is not None else settings.EDITION_BASE_URL
        return kwargs

    def _resolve(self, document, kwargs: dict) -> dict:
        """Turn --passage <anchor> into the document's Passage (an error names what is missing)."""
        if "passage" not in kwargs:
            return kwargs
        passage = document.passages.select_related("turn__speaker").filter(anchor=kwargs["passage"]).first()
        if passage is None:
            raise CommandError(f"document {document.slug!r} has no passage {kwargs['passage']!r}")
        return {**kwargs, "passage": passage}
