"""PDF and EPUB of each document and of the edition (documents/exports/book.py, pdf.py, epub.py).

The PDF is read back with pdftotext (Debian poppler-utils) and the EPUB is validated with epubcheck
(Debian epubcheck); .ci/run installs both, with Pango for WeasyPrint and a font for the Chinese names.
Both must hold every word of the reading text, of every published note, of the source note and of
the citation.
"""

from __future__ import annotations

import re
import shutil
import subprocess  # nosec B404 -- runs pdftotext and epubcheck on files the test wrote
import unicodedata
import zipfile
from collections import Counter
from io import BytesIO, StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import CommandError, call_command
from lxml import etree, html

from documents.exports import epub, pdf
from documents.exports.citation import chicago
from documents.markup import render_note_body
from documents.models import Document, Note
from tests.pages_data import imported_once

pytestmark = pytest.mark.django_db

BASE = "https://edition.example.org"
EPUBCHECK = Path("/usr/share/java/epubcheck.jar")  # Debian's epubcheck package
XHTML = "{http://www.w3.org/1999/xhtml}"
OPF = "{http://www.idpf.org/2007/opf}"
URL = re.compile(r"https?://\S+")
BLOCKS = {"p", "div", "section", "header", "aside", "h1", "h2", "h3", "li", "ul", "ol", "nav"}


@pytest.fixture(scope="module", autouse=True)
def edition(django_db_setup, django_db_blocker):
    with imported_once(django_db_blocker):
        yield


@pytest.fixture(scope="module")
def books(edition, django_db_blocker, tmp_path_factory):
    """Every book, made once: {slug or 'edition': {'pdf': path, 'epub': path}}."""
    out = tmp_path_factory.mktemp("books")
    made = {}
    with django_db_blocker.unblock():
        for doc in Document.objects.in_order():
            made[doc.slug] = {
                "pdf": pdf.document_pdf(doc, base_url=BASE),
                "epub": epub.document_epub(doc, base_url=BASE),
            }
        made["edition"] = {"pdf": pdf.edition_pdf(base_url=BASE), "epub": epub.edition_epub(base_url=BASE)}
    paths = {}
    for key, files in made.items():
        paths[key] = {}
        for fmt, data in files.items():
            path = out / f"{key}.{fmt}"
            path.write_bytes(data)
            paths[key][fmt] = path
    return paths


def words(text: str) -> Counter:
    """The words of a text (URLs left out: a long URL breaks anywhere in print; they are checked whole)."""
    text = unicodedata.normalize("NFKC", URL.sub(" ", text))
    return Counter(re.findall(r"[^\W\d_]+|\d+", text))  # a footnote call stands right after its word


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def note_texts(doc) -> list[str]:
    notes = Note.objects.visible_to(AnonymousUser()).filter(document=doc, passage__isnull=False)
    return [html.fromstring(f"<div>{render_note_body(n.body, doc)}</div>").text_content() for n in notes]


def expected_texts(doc) -> list[str]:
    """What a book of the document must hold: title page (source note, citation), text, notes."""
    passages = [p.reading_text for p in doc.passages.order_by("order")]
    labels = [lbl for lbl in doc.turns.values_list("speaker_label", flat=True) if lbl]
    return [doc.title, doc.source_note, chicago(doc, base_url=BASE), *labels, *passages, *note_texts(doc)]


def missing_words(expected: list[str], got: str) -> Counter:
    return words(" ".join(expected)) - words(got)


def pdf_text(path: Path, *pages: int) -> str:
    tool = shutil.which("pdftotext")
    assert tool, "pdftotext is needed (Debian poppler-utils; .ci/run installs it)"
    first_last = ["-f", str(pages[0]), "-l", str(pages[-1])] if pages else []
    done = subprocess.run([tool, "-raw", "-enc", "UTF-8", *first_last, str(path), "-"], capture_output=True, check=True)  # noqa: S603  # nosec B603
    return done.stdout.decode("utf-8")


def epub_text(path: Path) -> tuple[str, list[etree._Element]]:
    """The text of every content document of the EPUB and its footnotes."""
    with zipfile.ZipFile(path) as z:
        names = [n for n in z.namelist() if n.endswith(".xhtml") and not n.endswith("nav.xhtml")]
        roots = [etree.fromstring(z.read(n)) for n in names]
    for root in roots:  # a line break between blocks, as a reader sees them
        for el in root.iter():
            if isinstance(el.tag, str) and etree.QName(el).localname in BLOCKS:
                el.text, el.tail = "\n" + (el.text or ""), "\n" + (el.tail or "")
    text = " ".join("".join(r.itertext()) for r in roots)
    asides = [a for r in roots for a in r.iter(f"{XHTML}aside")]
    return text, asides


@pytest.mark.parametrize("slug", ["minutes-1962-06-08", "memorandum-1962-06-07"])
def test_the_pdf_holds_the_full_text_every_note_the_source_note_and_the_citation(books, slug):
    doc = Document.objects.get(slug=slug)
    text = pdf_text(books[slug]["pdf"])
    assert missing_words(expected_texts(doc), text) == Counter()
    for url in URL.findall(" ".join(expected_texts(doc))):  # URLs may be broken across lines, never lost
        assert squeezed(url.rstrip(".,;)”")) in squeezed(text), url
    assert note_texts(doc), "the edition's documents have notes"
    title_page = pdf_text(books[slug]["pdf"], 1, 2)
    assert "Source note" in title_page and "Citation" in title_page
    assert squeezed(chicago(doc, base_url=BASE)) in squeezed(title_page)


def test_the_pdf_sets_the_chinese_names_in_a_font_that_has_them(books):
    text = pdf_text(books["minutes-1962-06-08"]["pdf"])
    assert "章汉夫" in text and "Степан Васильевич Червоненко" in text


def test_the_edition_pdf_holds_every_document(books):
    text = pdf_text(books["edition"]["pdf"])
    for doc in Document.objects.in_order():
        assert missing_words(expected_texts(doc), text) == Counter(), doc.slug


@pytest.mark.parametrize("key", ["minutes-1962-06-08", "memorandum-1962-06-07", "edition"])
def test_the_epub_has_the_epub3_container_structure(books, key):
    with zipfile.ZipFile(books[key]["epub"]) as z:
        first = z.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED and not first.extra
        assert z.read("mimetype") == b"application/epub+zip"
        container = etree.fromstring(z.read("META-INF/container.xml"))
        (rootfile,) = container.iter("{urn:oasis:names:tc:opendocument:xmlns:container}rootfile")
        opf_path = rootfile.get("full-path")
        opf = etree.fromstring(z.read(opf_path))
        folder = opf_path.rsplit("/", 1)[0] + "/"
        items = {i.get("id"): i for i in opf.iter(f"{OPF}item")}
        for item in items.values():
            assert folder + item.get("href") in z.namelist(), item.get("href")
        spine = [r.get("idref") for r in opf.iter(f"{OPF}itemref")]
        assert spine and all(i in items for i in spine)
        (nav,) = [i for i in items.values() if i.get("properties") == "nav"]
        nav_doc = etree.fromstring(z.read(folder + nav.get("href")))
        toc = nav_doc.xpath("//x:nav[@epub:type='toc']//x:a/@href", namespaces={
            "x": XHTML[1:-1], "epub": "http://www.idpf.org/2007/ops"})  # fmt: skip
        assert [folder + h for h in toc] == [folder + items[i].get("href") for i in spine]
        metadata = {etree.QName(m).localname: m.text for m in opf.find(f"{OPF}metadata")}
        assert metadata["identifier"].startswith("urn:uuid:") and metadata["language"] == "en" and metadata["title"]


@pytest.mark.parametrize("slug", ["minutes-1962-06-08", "memorandum-1962-06-07"])
def test_the_epub_holds_every_word_and_every_note_as_a_footnote(books, slug):
    doc = Document.objects.get(slug=slug)
    text, asides = epub_text(books[slug]["epub"])
    assert missing_words(expected_texts(doc), text) == Counter()
    notes = note_texts(doc)
    assert len(asides) == len(notes)
    aside_words = words(" ".join("".join(a.itertext()) for a in asides))
    assert words(" ".join(notes)) - aside_words == Counter()
    for aside in asides:  # each footnote is linked from its marker in the text, and back
        assert aside.get("{http://www.idpf.org/2007/ops}type") == "footnote"


def test_the_edition_epub_holds_every_document(books):
    text, _ = epub_text(books["edition"]["epub"])
    for doc in Document.objects.in_order():
        assert missing_words(expected_texts(doc), text) == Counter(), doc.slug


@pytest.mark.parametrize("key", ["minutes-1962-06-08", "edition"])
def test_epubcheck_finds_no_error_or_warning(books, key):
    java = shutil.which("java")
    assert java and EPUBCHECK.exists(), "epubcheck is needed (Debian epubcheck; .ci/run installs it)"
    done = subprocess.run([java, "-jar", str(EPUBCHECK), str(books[key]["epub"])], capture_output=True, text=True)  # noqa: S603  # nosec B603
    assert done.returncode == 0, done.stdout + done.stderr
    assert "No errors or warnings detected" in done.stdout + done.stderr


def test_the_downloads_are_served_and_linked(client):
    page = client.get("/documents/minutes-1962-06-08/").content.decode()
    for url, media in (("/documents/minutes-1962-06-08/book.pdf", "application/pdf"),
                       ("/documents/minutes-1962-06-08/book.epub", "application/epub+zip"),
                       ("/edition.pdf", "application/pdf"), ("/edition.epub", "application/epub+zip")):  # fmt: skip
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"] == media, url
        assert response["Content-Disposition"].startswith("attachment; filename=")
        if url.startswith("/documents/"):
            assert f'href="{url}"' in page  # the document tools and the Cite panel link to it
    home = client.get("/").content.decode()
    assert 'href="/edition.pdf"' in home and 'href="/edition.epub"' in home
    assert client.get("/documents/no-such-document/book.pdf").status_code == 404


def test_without_pango_the_pdf_view_answers_503_and_the_epub_still_works(client, monkeypatch):
    def missing():
        raise pdf.PDFUnavailable("PDF needs Pango and WeasyPrint (no libpango here)")

    monkeypatch.setattr(pdf, "weasyprint", missing)
    response = client.get("/documents/minutes-1962-06-08/book.pdf")
    assert response.status_code == 503 and b"PDF needs Pango" in response.content
    assert client.get("/edition.pdf").status_code == 503
    assert client.get("/documents/minutes-1962-06-08/book.epub").status_code == 200
    assert pdf.available() is False


def test_a_book_too_large_for_one_request_is_refused_with_a_message(client, settings):
    settings.EDITION_BOOK_MAX_PASSAGES = 3
    response = client.get("/edition.epub")
    assert response.status_code == 413 and b"EDITION_BOOK_MAX_PASSAGES" in response.content
    with pytest.raises(CommandError, match="more than the 3"):
        call_command("export_document", "--edition", "--format", "epub", stdout=StringIO(), stderr=StringIO())


def test_export_document_writes_the_books(tmp_path):
    err = StringIO()
    call_command("export_document", "--edition", "--format", "epub", "--output-dir", str(tmp_path), stderr=err)
    assert zipfile.ZipFile(BytesIO((tmp_path / "edition.epub").read_bytes())).namelist()[0] == "mimetype"
    call_command("export_document", "memorandum-1962-06-07", "--format", "pdf", "--output-dir", str(tmp_path),
                 stderr=err)  # fmt: skip
    assert (tmp_path / "memorandum-1962-06-07.pdf").read_bytes().startswith(b"%PDF-")
    assert "Exported the edition as epub" in err.getvalue()
    with pytest.raises(CommandError, match="--edition is for"):
        call_command("export_document", "--edition", "--format", "bibtex", stderr=StringIO())
    with pytest.raises(CommandError, match="give no slugs"):
        call_command("export_document", "--edition", "--all", "--format", "pdf", stderr=StringIO())
