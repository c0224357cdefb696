"""TEI for the DTS Document endpoint: a whole document, one citable unit, or a range.

The text is rebuilt by the one TEI rebuilder (documents.exports.tei_text, shared with the TEI
export) along the citation tree (section -> `<div>`, turn -> `<sp>` with its `<speaker>`, passage ->
its own TEI), so a fragment and the whole document always agree. Every response is a TEI document:
`<TEI xml:lang>` with the `teiHeader`, then `<text><body>`; a part (ref, or start..end) is in a
`<dts:wrapper>` inside the body, as the DTS 1.0 examples show (without the wrapper it validates as
TEI). A range keeps the divisions and turns it starts or ends inside (a partly covered `<sp>` keeps
its `<speaker>`), as the specification's start/end example does. Line breaks separate the blocks
(never inside a passage's mixed content). Four queries at most, whatever the size of the document.
"""

from __future__ import annotations

from lxml import etree

from documents.services.citation_tree import CitationTree, build_tree
from documents.tei import TEI_NS, XML_ID, XML_LANG, tei

from . import exporter
from .tei_text import header, passage_texts, unit_elements

DTS_NS = "https://w3id.org/api/dts#"
TEI_MEDIA_TYPE = "application/tei+xml; charset=utf-8"

class RefError(LookupError):
    """A ref/start/end that does not name a citable unit of the document (DTS: 404)."""


class RangeError(ValueError):
    """An ill-formed range, e.g. start after end (DTS: 400)."""


def select(tree: CitationTree, ref: str | None = None, start: str | None = None, end: str | None = None):
    """(top-level units, units kept) for a ref or a start..end range; (roots, None) for the whole text."""
    if ref:
        unit = tree.get(ref)
        if unit is None:
            raise RefError(f"unknown ref {ref!r}")
        return [unit], None
    if start or end:
        first, last = tree.get(start or ""), tree.get(end or "")
        for name, value, unit in (("start", start, first), ("end", end, last)):
            if unit is None:
                raise RefError(f"unknown {name} {value!r}")
        if not tree.in_order(first, last):
            raise RangeError(f"start {start!r} comes after end {end!r}")
        keep = set(tree.span(first, last))
        for u in list(keep):  # the divisions and turns around the range's first and last units
            parent = u.parent
            while parent is not None and parent not in keep:
                keep.add(parent)
                parent = parent.parent
        return [u for u in tree.units if u in keep and u.parent not in keep], keep
    return tree.roots, None


#: Elements with element-only content, laid out one child a line.
_STRUCTURAL = {tei(n) for n in ("TEI", "text", "body", "div", "sp")} | {f"{{{DTS_NS}}}wrapper"}


def _layout(element, depth: int = 0) -> None:
    if element.tag not in _STRUCTURAL or not len(element):
        return
    element.text = "\n" + "  " * (depth + 1)
    for child in element:
        _layout(child, depth + 1)
        child.tail = "\n" + "  " * (depth + 1)
    element[-1].tail = "\n" + "  " * depth


def document_tei(document, ref: str | None = None, start: str | None = None, end: str | None = None) -> bytes:
    tree = build_tree(document)
    tops, keep = select(tree, ref, start, end)
    texts = passage_texts(document, list(keep) if keep is not None else [u for t in tops for u in tree.subtree(t)])
    root = etree.Element(tei("TEI"), nsmap={None: TEI_NS})
    root.set(XML_ID, document.slug)
    if document.language:
        root.set(XML_LANG, document.language)
    root.append(header(document))
    text = etree.SubElement(root, tei("text"))
    if document.kind:
        text.set("type", document.kind)
    body = etree.SubElement(text, tei("body"))
    if ref or start:
        body = etree.SubElement(body, f"{{{DTS_NS}}}wrapper", nsmap={"dts": DTS_NS})
    for unit in tops:
        body.extend(unit_elements(unit, keep, texts))
    _layout(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8") + b"\n"


@exporter("dts", media_type=TEI_MEDIA_TYPE, extension="xml")
def dts(document, ref: str | None = None, start: str | None = None, end: str | None = None) -> bytes:
    """The document's text as TEI (whole, or a ref / start..end part in a dts:wrapper in the body)."""
    return document_tei(document, ref=ref, start=start, end=end)
