"""Note bodies for the TEI export: Markdown -> the sanitized HTML readers see -> TEI prose.

Each inline HTML tag goes back to the TEI element whose rule in the element table makes it
(documents.tei.reverse.html_to_tei: ``<em>`` -> ``<hi rend="italic">``, ``<a href>`` -> ``<ref target>``,
``<br>`` -> ``<lb/>``, ...), so the export writes what the importer reads back
(documents/tei/mapping_notes.py). The blocks are this module's: the edition's schema allows
paragraphs in a note (``prose.p``) but no lists, so list items become paragraphs (a bullet or
their number kept as text) and a block quotation a quoted paragraph. Text is never dropped: a tag
that goes back to no element keeps its words.
"""

from __future__ import annotations

import re
from functools import cache

import lxml.html
from django.urls import reverse
from lxml import etree

from documents.markup import render_note_body
from documents.tei import TEI_NS
from documents.tei.reverse import TeiFor, html_to_tei

#: The block-level HTML of a note body this module writes as paragraphs (the rest is in the table).
BLOCKS = frozenset({"ul", "ol", "li", "blockquote", "div"})


@cache
def _reader_url() -> re.Pattern:
    """Links to the reader (/documents/<slug>/#anchor), the inverse of services.pointers."""
    before, _, after = reverse("documents:document", kwargs={"slug": "SLUG"}).partition("SLUG")
    return re.compile(f"^{re.escape(before)}([A-Za-z0-9_-]+){re.escape(after)}(#[A-Za-z_][A-Za-z0-9_.-]*)?$")


def tei_target(href: str) -> str:
    """A link of a note as a TEI pointer: links into the edition become file.xml#anchor again."""
    match = _reader_url().match(href)
    return f"{match.group(1)}.xml{match.group(2) or ''}" if match else href


def _t(name: str) -> str:
    return f"{{{TEI_NS}}}{name}"


def _append_text(parent, previous, text: str | None):
    """Append text to parent after `previous` (its tail) or as parent's text."""
    if not text:
        return
    if previous is None:
        parent.text = (parent.text or "") + text
    else:
        previous.tail = (previous.tail or "") + text


def _inline(html_el, tei_parent, reverse: dict[str, TeiFor]):
    """Copy html_el's content (text and inline children, not its tail) into tei_parent."""
    last = tei_parent[-1] if len(tei_parent) else None
    _append_text(tei_parent, last, html_el.text)
    for child in html_el:
        target = reverse.get(child.tag.lower()) if isinstance(child.tag, str) else None
        if target is None or (target.link and not child.get("href")):  # no element: keep the words
            if isinstance(child.tag, str):
                _inline(child, tei_parent, reverse)
            last = tei_parent[-1] if len(tei_parent) else None
            _append_text(tei_parent, last, child.tail)
            continue
        new = etree.SubElement(tei_parent, _t(target.name), target.attrib)
        if target.link:
            new.set(target.link, tei_target(child.get("href")))
        if target.text_only:
            new.text = child.text_content()
        elif not target.empty:
            _inline(child, new, reverse)
        new.tail = child.tail
        last = new


class _Blocks:
    """Block-level HTML -> TEI paragraphs (the note renderer's <p> goes back to the table's "para" rule)."""

    def __init__(self, reverse: dict[str, TeiFor]):
        self.reverse = reverse
        self.para = reverse["p"].name if "p" in reverse else "p"

    def paragraph(self, text: str | None = None):
        p = etree.Element(_t(self.para), nsmap={None: TEI_NS})
        p.text = text
        return p

    def add(self, html_el, out: list, prefix: str = "") -> None:
        """html_el's blocks appended to out as paragraphs (stray text becomes a paragraph too)."""
        self.stray(html_el.text, out)
        for child in html_el:
            if isinstance(child.tag, str):
                prefix = self.block(child, child.tag.lower(), out, prefix)
            self.stray(child.tail, out)

    def block(self, child, tag: str, out: list, prefix: str) -> str:
        """One block appended to out; the prefix (a list item's marker) still to be written."""
        if tag in {"ul", "ol"}:
            self.items(child, tag == "ol", out)
        elif tag == "blockquote":
            self.quotation(child, out)
        elif tag in {"p", "li", "div"} or tag.startswith("h"):
            p = self.paragraph(prefix or None)
            _inline(child, p, self.reverse)
            out.append(p)
            return ""
        else:  # inline content at block level (e.g. a lone <code> block): one paragraph
            p = self.paragraph()
            wrapper = lxml.html.fragment_fromstring("<div></div>")
            wrapper.append(_copy(child))
            _inline(wrapper, p, self.reverse)
            out.append(p)
        return prefix

    def items(self, html_list, numbered: bool, out: list) -> None:
        for n, item in enumerate((li for li in html_list if isinstance(li.tag, str)), start=1):
            marker = f"{n}. " if numbered else "• "
            if any(isinstance(c.tag, str) and c.tag in {"p", "ul", "ol", "blockquote"} for c in item):
                self.add(item, out, prefix=marker)
            else:
                p = self.paragraph(marker)
                _inline(item, p, self.reverse)
                out.append(p)

    def quotation(self, blockquote, out: list) -> None:
        inner: list = []
        self.add(blockquote, inner)
        for p in inner:
            quote = etree.Element(_t("quote"), nsmap={None: TEI_NS})
            quote.text, p.text = p.text, None
            for sub in list(p):
                quote.append(sub)
            p.append(quote)
            out.append(p)

    def stray(self, text: str | None, out: list) -> None:
        if text and text.strip():
            out.append(self.paragraph(text.strip()))


def _copy(el):
    return lxml.html.fragment_fromstring(lxml.html.tostring(el, encoding="unicode", with_tail=False))


def html_to_tei_prose(html: str) -> list:
    """A note body's HTML (as readers see it) as a list of TEI paragraphs (at least one)."""
    blocks = _Blocks(html_to_tei())
    out: list = []
    if html.strip():
        blocks.add(lxml.html.fragment_fromstring(html, create_parent="div"), out)
    out = [p for p in out if (p.text or "").strip() or len(p)]
    return out or [blocks.paragraph()]


def markdown_to_tei(markdown: str, document=None) -> list:
    """The note body as a list of TEI <p> elements (at least one), from the HTML readers see."""
    return html_to_tei_prose(render_note_body(markdown, document))
