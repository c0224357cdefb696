"""Note bodies for the TEI export: Markdown -> the sanitized HTML readers see -> TEI prose.

The mapping follows what the importer reads back (documents/tei/mapping_notes.py) and what the
edition's schema allows in a note (``prose.p``): paragraphs, ``hi`` (italic, bold), ``ref``,
``code``, ``quote``. List items become paragraphs (a bullet or their number kept as text) and a
block quotation a quoted paragraph: TEI note prose has no lists. Text is never dropped.
"""

from __future__ import annotations

import re
from functools import cache

import lxml.html
from django.urls import reverse
from lxml import etree

from documents.markup import render_note_body
from documents.tei import TEI_NS

INLINE = {"em": ("hi", {"rend": "italic"}), "i": ("hi", {"rend": "italic"}), "cite": ("title", {}),
          "strong": ("hi", {"rend": "bold"}), "b": ("hi", {"rend": "bold"}), "q": ("q", {}),
          "sup": ("hi", {"rend": "sup"}), "sub": ("hi", {"rend": "sub"})}  # fmt: skip


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


def _inline(html_el, tei_parent):
    """Copy html_el's content (text and inline children, not its tail) into tei_parent."""
    last = tei_parent[-1] if len(tei_parent) else None
    _append_text(tei_parent, last, html_el.text)
    for child in html_el:
        if not isinstance(child.tag, str):
            _append_text(tei_parent, last, child.tail)
            continue
        tag = child.tag.lower()
        if tag == "br":
            _append_text(tei_parent, last, " ")
            _append_text(tei_parent, last, child.tail)
            continue
        if tag == "a" and child.get("href"):
            new = etree.SubElement(tei_parent, _t("ref"), target=tei_target(child.get("href")))
        elif tag == "code":
            new = etree.SubElement(tei_parent, _t("code"))
            new.text = child.text_content()
            new.tail = child.tail
            last = new
            continue
        elif tag in INLINE:
            name, attrib = INLINE[tag]
            new = etree.SubElement(tei_parent, _t(name), attrib)
        else:  # a link without href, or anything else: keep the text
            _inline(child, tei_parent)
            last = tei_parent[-1] if len(tei_parent) else None
            _append_text(tei_parent, last, child.tail)
            continue
        _inline(child, new)
        new.tail = child.tail
        last = new


def _blocks(html_el, out: list, prefix: str = ""):
    """Block-level HTML -> TEI <p> elements appended to out (stray text becomes a paragraph too)."""
    _stray(html_el.text, out)
    for child in html_el:
        if not isinstance(child.tag, str):
            _stray(child.tail, out)
            continue
        tag = child.tag.lower()
        if tag in {"ul", "ol"}:
            for n, item in enumerate((li for li in child if isinstance(li.tag, str)), start=1):
                marker = f"{n}. " if tag == "ol" else "• "
                if any(isinstance(c.tag, str) and c.tag in {"p", "ul", "ol", "blockquote"} for c in item):
                    _blocks(item, out, prefix=marker)
                else:
                    p = etree.Element(_t("p"), nsmap={None: TEI_NS})
                    p.text = marker
                    _inline(item, p)
                    out.append(p)
        elif tag == "blockquote":
            inner: list = []
            _blocks(child, inner)
            for p in inner:
                quote = etree.Element(_t("quote"), nsmap={None: TEI_NS})
                quote.text, p.text = p.text, None
                for sub in list(p):
                    quote.append(sub)
                p.append(quote)
                out.append(p)
        elif tag in {"p", "li", "div"} or tag.startswith("h"):
            p = etree.Element(_t("p"), nsmap={None: TEI_NS})
            p.text = prefix or None
            prefix = ""
            _inline(child, p)
            out.append(p)
        else:  # inline content at block level (e.g. a lone <code> block): one paragraph
            p = etree.Element(_t("p"), nsmap={None: TEI_NS})
            wrapper = lxml.html.fragment_fromstring("<div></div>")
            wrapper.append(_copy(child))
            _inline(wrapper, p)
            out.append(p)
        _stray(child.tail, out)


def _stray(text: str | None, out: list):
    if text and text.strip():
        p = etree.Element(_t("p"), nsmap={None: TEI_NS})
        p.text = text.strip()
        out.append(p)


def _copy(el):
    return lxml.html.fragment_fromstring(lxml.html.tostring(el, encoding="unicode", with_tail=False))


def markdown_to_tei(markdown: str, document=None) -> list:
    """The note body as a list of TEI <p> elements (at least one), from the HTML readers see."""
    html = render_note_body(markdown, document)
    out: list = []
    if html.strip():
        root = lxml.html.fragment_fromstring(html, create_parent="div")
        _blocks(root, out)
    out = [p for p in out if (p.text or "").strip() or len(p)]
    if not out:
        out = [etree.Element(_t("p"), nsmap={None: TEI_NS})]
    return out
