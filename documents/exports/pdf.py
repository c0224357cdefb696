"""PDF of a document or of the whole edition, made with WeasyPrint from the book (book.py, docs/api.md).

WeasyPrint needs Pango, a system library (Debian: libpango-1.0-0, libpangoft2-1.0-0; .ci/run installs
them, and fonts for the Chinese names). Without it the export raises PDFUnavailable and the web view
answers 503 "PDF needs Pango": the rest of the site does not depend on it. WeasyPrint fetches nothing:
the book's only resources are its stylesheets, given as strings, and every other URL is refused.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from lxml import etree

from . import exporter
from .book import Chapter, book_documents, chapter, edition_title_page, element

#: The book's stylesheet (shared with the EPUB) and the PDF's own page and footnote rules.
STYLESHEETS = (Path(__file__).with_name("book.css"), Path(__file__).with_name("book-pdf.css"))
PDF_MEDIA_TYPE = "application/pdf"


class PDFUnavailable(RuntimeError):
    """WeasyPrint or the system library it needs (Pango) is not installed."""


def weasyprint():
    try:
        import weasyprint as module  # noqa: PLC0415 -- loads Pango; the site works without it
    except (ImportError, OSError) as exc:  # OSError: the Pango shared library is missing
        raise PDFUnavailable(f"PDF needs Pango and WeasyPrint ({exc})") from exc
    return module


def available() -> bool:
    try:
        weasyprint()
    except PDFUnavailable:
        return False
    return True


def refuse(url: str, *args, **kwargs):
    """WeasyPrint's URL fetcher: the book loads nothing from anywhere."""
    raise ValueError(f"the PDF export fetches no resource ({url})")


def html_of(chapters: list[Chapter], title: str, front=None) -> str:
    root = element("html", lang="en")
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "meta", charset="utf-8")
    etree.SubElement(head, "title").text = title
    etree.SubElement(
        head, "meta", name="author", content=getattr(settings, "EDITION_PUBLISHER", "") or settings.EDITION_TITLE
    )
    body = etree.SubElement(root, "body")
    if front is not None:
        body.append(front)
    for ch in chapters:
        body.append(ch.body)
    return "<!doctype html>\n" + etree.tostring(root, encoding="unicode", method="html")


def render(html: str) -> bytes:
    module = weasyprint()
    css = [module.CSS(string=path.read_text(encoding="utf-8"), url_fetcher=refuse) for path in STYLESHEETS]
    return module.HTML(string=html, url_fetcher=refuse).write_pdf(stylesheets=css)


def book_html(document=None, base_url: str | None = None) -> str:
    """The HTML the PDF is made from (one document, or None: the whole edition)."""
    chapters = [chapter(d, base_url=base_url, style="inline") for d in book_documents(document)]
    if document is not None:
        return html_of(chapters, document.title)
    return html_of(chapters, settings.EDITION_TITLE, front=edition_title_page())


@exporter("pdf", media_type=PDF_MEDIA_TYPE, extension="pdf")
def document_pdf(document, base_url: str | None = None) -> bytes:
    """The document as a PDF: title page with source note and citation, the text, the notes as footnotes."""
    return render(book_html(document, base_url))


def edition_pdf(base_url: str | None = None) -> bytes:
    """Every document of the edition in one PDF, after a title page listing them."""
    return render(book_html(None, base_url))
