"""A document (or the whole edition) as a book, for the PDF and EPUB exports (docs/api.md, "PDF and EPUB").

One builder for both: each document is a chapter with a title page (title, date, the source note
and the citation), then its reading text as the reader renders it (documents/render/page.py, the
published notes only) with every note as a footnote. The PDF puts each note's body where its
marker stands (WeasyPrint floats it to the foot of the page); the EPUB links the marker to an
EPUB 3 footnote (``<aside epub:type="footnote">``) at the end of the chapter. Built with lxml, so
the same tree serializes as HTML or as XHTML; links inside the edition become absolute URLs
(``links.absolute``), or plain text when no public origin is configured.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from lxml import etree, html

from documents.models import Document, Passage

from . import links
from .citation import chicago

XHTML_NS = "http://www.w3.org/1999/xhtml"
EPUB_NS = "http://www.idpf.org/2007/ops"
#: How a note appears: "inline" (PDF: the body at the marker, floated to the page foot), "aside" (EPUB).
FOOTNOTE_STYLES = ("inline", "aside")


@dataclass
class Chapter:
    document: Document
    ident: str  # the chapter's id (the document's slug)
    title: str
    body: etree._Element  # <section> holding the title page and the text
    notes: list[etree._Element]  # "aside" style: the footnotes, in order
    note_count: int = 0


def element(tag: str, text: str | None = None, **attrs) -> etree._Element:
    el = etree.Element(tag, {k.rstrip("_").replace("_", "-"): v for k, v in attrs.items() if v is not None})
    if text is not None:
        el.text = text
    return el


def child(parent, tag: str, text: str | None = None, **attrs) -> etree._Element:
    el = element(tag, text, **attrs)
    parent.append(el)
    return el


def fragment(markup: str) -> list:
    """Parse an HTML fragment the edition rendered itself (sanitized note bodies, passage HTML)."""
    wrapper = html.fragment_fromstring(markup or "", create_parent="div")
    return [wrapper]


def unwrap(el) -> None:
    """Replace an element by its content (text and children), keeping the text around it."""
    parent = el.getparent()
    if parent is None:
        return
    index = parent.index(el)
    children = list(el)
    text, tail = el.text or "", el.tail or ""
    if index == 0:
        parent.text = (parent.text or "") + text
    else:
        previous = parent[index - 1]
        previous.tail = (previous.tail or "") + text
    if children:
        children[-1].tail = (children[-1].tail or "") + tail
    elif index == 0:
        parent.text = (parent.text or "") + tail
    else:
        parent[index - 1].tail = (parent[index - 1].tail or "") + tail
    parent.remove(el)
    for offset, c in enumerate(children):
        parent.insert(index + offset, c)


def fix_links(tree, base_url: str | None) -> None:
    """Site-relative links become absolute (or text, without a public origin); in-page anchors go."""
    for a in list(tree.iter("a")):
        fix_links_one(a, base_url)


def fix_links_one(a, base_url: str | None) -> None:
    href = a.get("href") or ""
    if href.startswith(("http://", "https://")):
        return
    if href.startswith("/") and links.base(base_url):
        a.set("href", links.absolute(href, base_url))
        return
    unwrap(a)  # a fragment link into the reader page, or no origin to make it absolute


def clean(tree) -> None:
    """Drop what only the web reader uses (ids of the page, data-* and aria-* attributes)."""
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        for name in list(el.attrib):
            if name.startswith(("data-", "aria-")) or name in {"id", "role", "tabindex", "title"}:
                del el.attrib[name]


def title_page(document, base_url: str | None) -> etree._Element:
    page = element("header", class_="title-page")
    child(page, "p", document.get_kind_display(), class_="kind")
    child(page, "h1", document.title)
    if document.subtitle:
        child(page, "p", document.subtitle, class_="subtitle")
    date = ", ".join(
        x for x in (document.date_text or (str(document.date) if document.date else ""), document.time_text) if x
    )
    if date:
        child(page, "p", date, class_="date")
    if document.venue:
        child(page, "p", document.venue, class_="venue")
    if document.source_note:
        child(page, "h2", "Source note")
        for paragraph in document.source_note.split("\n\n"):
            if paragraph.strip():
                child(page, "p", " ".join(paragraph.split()), class_="source-note")
    child(page, "h2", "Citation")
    child(page, "p", chicago(document, base_url=base_url), class_="citation")
    url = links.document_url(document, base_url)
    permalink = child(page, "p", "Permalink: ", class_="permalink")
    child(permalink, "a", url, href=url) if url.startswith("http") else child(permalink, "span", url)
    return page


def note_body(item, base_url: str | None) -> etree._Element:
    (wrapper,) = fragment(str(item.body))
    fix_links(wrapper, base_url)
    clean(wrapper)
    return wrapper


#: Block elements of a note body, which become spans inside a paragraph (a PDF footnote stands in the text).
BLOCKS = {
    "p",
    "div",
    "ul",
    "ol",
    "li",
    "blockquote",
    "pre",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "tr",
    "td",
    "th",
}


def inline_blocks(tree) -> None:
    for el in tree.iter():
        if isinstance(el.tag, str) and el.tag in BLOCKS and el is not tree:
            el.set("class", f"fn-{el.tag}")
            el.tag = "span"


def passage_html(row, notes: dict, style: str, ident: str, collected: list, base_url=None) -> etree._Element:
    """The passage's <p>/<h2> with its note markers turned into footnotes."""
    (wrapper,) = fragment(str(row.html))
    for a in list(wrapper.iter("a")):
        if "note-ref" not in (a.get("class") or "").split():
            fix_links_one(a, base_url)
    clean(wrapper)
    for marker in list(wrapper.iter("a")):
        if "note-ref" not in (marker.get("class") or "").split():
            continue
        item = notes.get((marker.get("href") or "").lstrip("#"))
        if item is None:
            unwrap(marker)
            continue
        if style == "inline":
            inline_blocks(item["body"])
            replacement = element("span", class_="footnote")
            replacement.extend(list(item["body"]) if len(item["body"]) else [])
            if item["body"].text:
                replacement.text = item["body"].text
        else:
            fn_id = f"{ident}-fn{item['number']}"
            replacement = element("a", item["label"], class_="noteref", href=f"#{fn_id}", id=f"{fn_id}-ref")
            replacement.set(f"{{{EPUB_NS}}}type", "noteref")
            aside = element("aside", class_="footnote", id=fn_id)
            aside.set(f"{{{EPUB_NS}}}type", "footnote")
            back = child(aside, "p", class_="fn-number")
            child(back, "a", f"{item['label']}.", href=f"#{fn_id}-ref")
            aside.append(item["body"])
            collected.append(aside)
        replacement.tail = marker.tail
        marker.getparent().replace(marker, replacement)
    tag = row.tag
    out = element(tag, class_=f"passage kind-{row.passage.kind}")
    if row.show_speaker and row.passage.turn_id and row.passage.turn.speaker_label:
        child(out, "span", row.passage.turn.speaker_label, class_="speaker-label").tail = " "
    for mark in list(wrapper.iter("mark")):
        unwrap(mark)  # the highlighted words of a note: plain words in a book
    if wrapper.text:
        if len(out):
            out[-1].tail = (out[-1].tail or "") + wrapper.text
        else:
            out.text = wrapper.text
    out.extend(list(wrapper))
    return out


def chapter(document, *, base_url: str | None = None, style: str = "inline") -> Chapter:
    """One document as a chapter (see the module docstring)."""
    if style not in FOOTNOTE_STYLES:
        raise ValueError(f"footnote style {style!r}; known: {', '.join(FOOTNOTE_STYLES)}")
    # Imported here: documents.render.page imports documents.exports (note links), whose package imports this
    # module; importing the reader page first (a test module, a script) must not meet a half-made module.
    from documents.render.page import reader_context

    context = reader_context(document, user=AnonymousUser(), view="reading")
    section = element("section", class_="chapter", id=document.slug)
    section.append(title_page(document, base_url))
    text = child(section, "div", class_="text")
    collected: list = []
    count = 0
    for block in context["blocks"]:
        container = child(text, "div", class_="turn" if block.turn else "plain")
        for row in block.rows:
            notes = {}
            for item in row.notes:
                count += 1
                # the number shown is the reader's (the source's note/@n where it has one); the ids use the count
                notes[item.html_id] = {"number": item.number, "label": item.label, "body": note_body(item, base_url)}
            paragraph = passage_html(row, notes, style, document.slug, collected, base_url)
            container.append(paragraph)
    return Chapter(document, document.slug, document.title, section, collected, count)


def edition_title_page() -> etree._Element:
    page = element("header", class_="title-page edition-title")
    child(page, "h1", settings.EDITION_TITLE)
    docs = list(Document.objects.in_order())
    child(page, "p", f"{len(docs)} document{'s' if len(docs) != 1 else ''}:", class_="contents-head")
    listing = child(page, "ul", class_="contents")
    for document in docs:
        child(listing, "li", document.title)
    origin = links.base(None)
    if origin:
        child(page, "p", f"Online: {origin}/", class_="permalink")
    return page


class BookTooLarge(ValueError):
    """More passages than settings.EDITION_BOOK_MAX_PASSAGES for one PDF or EPUB."""


def book_documents(document=None) -> list[Document]:
    """The documents of a book: one, or (None) every document of the edition in order.

    A book is made in one request: above EDITION_BOOK_MAX_PASSAGES passages (an archive of thousands of
    documents as one PDF) it is refused with BookTooLarge, and the documents are downloaded one by one."""
    docs = [document] if document is not None else list(Document.objects.in_order())
    limit = getattr(settings, "EDITION_BOOK_MAX_PASSAGES", 3000)
    count = Passage.objects.filter(document__in=[d.pk for d in docs]).count()
    if count > limit:
        what = f"document {document.slug!r}" if document is not None else "the whole edition"
        raise BookTooLarge(f"{what} has {count} passages, more than the {limit} of one book "
                           "(EDITION_BOOK_MAX_PASSAGES); download the documents one by one")  # fmt: skip
    return docs
