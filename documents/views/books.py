"""PDF and EPUB downloads of a document and of the whole edition (documents/exports/pdf.py, epub.py).

The PDF needs the Pango system library (WeasyPrint): without it the view answers 503 "PDF needs
Pango", and the rest of the site is unaffected. A book above EDITION_BOOK_MAX_PASSAGES passages
is refused with 413 and a message (documents/exports/book.py). Anonymous downloads are cached like the pages.
"""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404

from documents.cache import cache_page_for_anonymous
from documents.exports import epub, pdf
from documents.exports.book import BookTooLarge
from documents.exports.links import base
from documents.models import Document


def download(body: bytes, media_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=media_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def too_large(exc) -> HttpResponse:
    return HttpResponse(f"{exc}\n", status=413, content_type="text/plain; charset=utf-8")


def pdf_unavailable(exc) -> HttpResponse:
    return HttpResponse(f"PDF needs Pango: {exc}\n", status=503, content_type="text/plain; charset=utf-8")


@cache_page_for_anonymous(params={})
def document_pdf(request, slug):
    document = get_object_or_404(Document, slug=slug)
    try:
        body = pdf.document_pdf(document, base_url=base())
    except pdf.PDFUnavailable as exc:
        return pdf_unavailable(exc)
    except BookTooLarge as exc:
        return too_large(exc)
    return download(body, pdf.PDF_MEDIA_TYPE, f"{document.slug}.pdf")


@cache_page_for_anonymous(params={})
def document_epub(request, slug):
    document = get_object_or_404(Document, slug=slug)
    try:
        body = epub.document_epub(document, base_url=base())
    except BookTooLarge as exc:
        return too_large(exc)
    return download(body, epub.EPUB_MEDIA_TYPE, f"{document.slug}.epub")


@cache_page_for_anonymous(params={})
def edition_pdf(request):
    try:
        body = pdf.edition_pdf(base_url=base())
    except pdf.PDFUnavailable as exc:
        return pdf_unavailable(exc)
    except BookTooLarge as exc:
        return too_large(exc)
    return download(body, pdf.PDF_MEDIA_TYPE, "edition.pdf")


@cache_page_for_anonymous(params={})
def edition_epub(request):
    try:
        body = epub.edition_epub(base_url=base())
    except BookTooLarge as exc:
        return too_large(exc)
    return download(body, epub.EPUB_MEDIA_TYPE, "edition.epub")
