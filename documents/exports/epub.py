"""EPUB 3 of a document or of the whole edition, from the book (book.py, docs/api.md "PDF and EPUB").

Written with the standard library's zipfile and lxml: the EPUB library on PyPI (EbookLib) is under the
AGPL-3.0, which would bind the edition's own code, and an EPUB is a small, fully specified zip. The
container follows EPUB 3.3 (the ``mimetype`` entry first and stored, META-INF/container.xml, a package
document with the metadata and spine, a navigation document); each document is one XHTML chapter
whose notes are EPUB footnotes. tests/test_book_exports.py checks the structure and runs epubcheck.
"""

from __future__ import annotations

import io
import uuid
import zipfile
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from lxml import etree

from . import exporter, links
from .book import EPUB_NS, XHTML_NS, book_documents, chapter, edition_title_page

EPUB_MEDIA_TYPE = "application/epub+zip"
OPF_NS = "http://www.idpf.org/2007/opf"
DC_NS = "http://purl.org/dc/elements/1.1/"
CONTAINER_NS = "urn:oasis:names:tc:opendocument:xmlns:container"
STYLESHEET = Path(__file__).with_name("book.css")
#: Name-based UUIDs: the same document always gets the same identifier (its permalink's).
UUID_NAMESPACE = uuid.UUID("6f1b3c9e-2d7a-4f58-9a0e-0c1d2e3f4a5b")


def xhtml(title: str, body_children, lang: str = "en") -> bytes:
    """An XHTML content document (EPUB 3) around the given body elements (lxml, non-namespaced)."""
    root = etree.Element(f"{{{XHTML_NS}}}html", nsmap={None: XHTML_NS, "epub": EPUB_NS})
    root.set("lang", lang)
    root.set("{http://www.w3.org/XML/1998/namespace}lang", lang)
    head = etree.SubElement(root, f"{{{XHTML_NS}}}head")
    etree.SubElement(head, f"{{{XHTML_NS}}}meta", charset="utf-8")
    etree.SubElement(head, f"{{{XHTML_NS}}}title").text = title
    etree.SubElement(head, f"{{{XHTML_NS}}}link", rel="stylesheet", type="text/css", href="book.css")
    body = etree.SubElement(root, f"{{{XHTML_NS}}}body")
    for el in body_children:
        body.append(to_xhtml(el))
    return b"<?xml version='1.0' encoding='utf-8'?>\n<!DOCTYPE html>\n" + etree.tostring(root, encoding="utf-8")


def to_xhtml(el):
    """A copy of an lxml HTML element tree in the XHTML namespace (attributes kept, epub:type included)."""
    copy = etree.fromstring(etree.tostring(el))  # a detached copy (the source tree is left as it is)
    for node in copy.iter():
        if isinstance(node.tag, str) and not node.tag.startswith("{"):
            node.tag = f"{{{XHTML_NS}}}{node.tag}"
    return copy


def nav(entries: list[tuple[str, str]], title: str) -> bytes:
    nav_el = etree.Element("nav")
    nav_el.set(f"{{{EPUB_NS}}}type", "toc")
    nav_el.set("id", "toc")
    etree.SubElement(nav_el, "h1").text = "Contents"
    ol = etree.SubElement(nav_el, "ol")
    for href, label in entries:
        etree.SubElement(etree.SubElement(ol, "li"), "a", href=href).text = label
    return xhtml(title, [nav_el])


def package(ident: str, title: str, items: list[tuple[str, str, str]], spine: list[str], modified: str) -> bytes:
    root = etree.Element(f"{{{OPF_NS}}}package", nsmap={None: OPF_NS, "dc": DC_NS}, version="3.0")
    root.set("unique-identifier", "book-id")
    root.set("{http://www.w3.org/XML/1998/namespace}lang", "en")
    meta = etree.SubElement(root, f"{{{OPF_NS}}}metadata")
    etree.SubElement(meta, f"{{{DC_NS}}}identifier", id="book-id").text = ident
    etree.SubElement(meta, f"{{{DC_NS}}}title").text = title
    etree.SubElement(meta, f"{{{DC_NS}}}language").text = "en"
    etree.SubElement(meta, f"{{{DC_NS}}}publisher").text = (
        getattr(settings, "EDITION_PUBLISHER", "") or settings.EDITION_TITLE
    )
    etree.SubElement(meta, f"{{{OPF_NS}}}meta", property="dcterms:modified").text = modified
    manifest = etree.SubElement(root, f"{{{OPF_NS}}}manifest")
    for item_id, href, media in items:
        attrs = {"id": item_id, "href": href, "media-type": media}
        if item_id == "nav":
            attrs["properties"] = "nav"
        etree.SubElement(manifest, f"{{{OPF_NS}}}item", attrs)
    spine_el = etree.SubElement(root, f"{{{OPF_NS}}}spine")
    for item_id in spine:
        etree.SubElement(spine_el, f"{{{OPF_NS}}}itemref", idref=item_id)
    return etree.tostring(root, encoding="utf-8", xml_declaration=True)


def container() -> bytes:
    root = etree.Element(f"{{{CONTAINER_NS}}}container", nsmap={None: CONTAINER_NS}, version="1.0")
    files = etree.SubElement(root, f"{{{CONTAINER_NS}}}rootfiles")
    etree.SubElement(files, f"{{{CONTAINER_NS}}}rootfile", {"full-path": "EPUB/package.opf",
                     "media-type": "application/oebps-package+xml"})  # fmt: skip
    return etree.tostring(root, encoding="utf-8", xml_declaration=True)


def build(document=None, base_url: str | None = None) -> bytes:
    """The EPUB of one document, or (None) of the whole edition."""
    docs = book_documents(document)
    title = document.title if document is not None else settings.EDITION_TITLE
    url = links.document_url(document, base_url) if document is not None else links.base(base_url) + "/"
    ident = f"urn:uuid:{uuid.uuid5(UUID_NAMESPACE, url)}"
    files: list[tuple[str, bytes]] = []
    items = [("nav", "nav.xhtml", "application/xhtml+xml"), ("css", "book.css", "text/css")]
    spine, toc = [], []
    if document is None:
        files.append(("EPUB/title.xhtml", xhtml(title, [edition_title_page()])))
        items.append(("title", "title.xhtml", "application/xhtml+xml"))
        spine.append("title")
        toc.append(("title.xhtml", "Title page"))
    for number, doc in enumerate(docs, 1):
        ch = chapter(doc, base_url=base_url, style="aside")
        children = [ch.body]
        if ch.notes:
            notes = etree.Element("section", {"class": "footnotes"})
            etree.SubElement(notes, "h2").text = "Notes"
            notes.extend(ch.notes)
            children.append(notes)
        name = f"chapter-{number}.xhtml"
        files.append((f"EPUB/{name}", xhtml(doc.title, children)))
        items.append((f"chapter-{number}", name, "application/xhtml+xml"))
        spine.append(f"chapter-{number}")
        toc.append((name, doc.title))
    modified = timezone.now().strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        # The mimetype entry first and stored uncompressed (EPUB 3.3 Open Container Format, 4.2.2).
        z.writestr(zipfile.ZipInfo("mimetype"), EPUB_MEDIA_TYPE, compress_type=zipfile.ZIP_STORED)
        z.writestr("META-INF/container.xml", container(), compress_type=zipfile.ZIP_DEFLATED)
        z.writestr(
            "EPUB/package.opf", package(ident, title, items, spine, modified), compress_type=zipfile.ZIP_DEFLATED
        )
        z.writestr("EPUB/nav.xhtml", nav(toc, title), compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("EPUB/book.css", STYLESHEET.read_bytes(), compress_type=zipfile.ZIP_DEFLATED)
        for name, data in files:
            z.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


@exporter("epub", media_type=EPUB_MEDIA_TYPE, extension="epub")
def document_epub(document, base_url: str | None = None) -> bytes:
    """The document as an EPUB 3: title page with source note and citation, the text, the notes as footnotes."""
    return build(document, base_url)


def edition_epub(base_url: str | None = None) -> bytes:
    """Every document of the edition in one EPUB, after a title page listing them."""
    return build(None, base_url)
