"""TEI for the DTS Document endpoint: a whole document, one citable unit, or a range.

The text is rebuilt from the stored passage fragments along the citation tree (section ->
`<div>`, turn -> `<sp>` with its `<speaker>`, passage -> its own TEI), so a fragment and the
whole document always agree. Every response is a TEI document: `<TEI xml:lang>` with the
`teiHeader`, then `<text><body>`; a part (ref, or start..end) is in a `<dts:wrapper>` inside the
body, as the DTS 1.0 examples show (without the wrapper it validates as TEI). A range keeps the
divisions and turns it starts or ends inside (a partly covered `<sp>` keeps its `<speaker>`),
as the specification's start/end example does. Line breaks separate the blocks (never inside a
passage's mixed content). Four queries at most, whatever the size of the document.
"""

from __future__ import annotations

from lxml import etree

from documents.services.citation_tree import PARAGRAPH, SECTION, TURN, CitationTree, Unit, build_tree
from documents.tei import TEI_NS, XML_ID, XML_LANG, tei

from . import exporter

DTS_NS = "https://w3id.org/api/dts#"
TEI_MEDIA_TYPE = "application/tei+xml; charset=utf-8"

#: Secure parser for stored fragments: no DTD, no network, no entity expansion.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, remove_comments=False)


class RefError(LookupError):
    """A ref/start/end that does not name a citable unit of the document (DTS: 404)."""


class RangeError(ValueError):
    """An ill-formed range, e.g. start after end (DTS: 400)."""


def _fragment(xml: str, anchor: str) -> list[etree._Element]:
    """Parse a stored passage fragment (with or without its xmlns declaration)."""
    wrapper = etree.fromstring(f'<wrapper xmlns="{TEI_NS}">{xml}</wrapper>'.encode(), _PARSER)
    elements = [child for child in wrapper if isinstance(child.tag, str)]
    if anchor:
        for element in elements[:1]:
            if element.get(XML_ID) is None:
                element.set(XML_ID, anchor)
    return elements


def _header(document) -> etree._Element:
    if document.header_tei.strip():
        parsed = _fragment(document.header_tei, "")
        if parsed:
            return parsed[0]
    header = etree.Element(tei("teiHeader"))
    file_desc = etree.SubElement(header, tei("fileDesc"))
    etree.SubElement(etree.SubElement(file_desc, tei("titleStmt")), tei("title")).text = document.title
    etree.SubElement(etree.SubElement(file_desc, tei("publicationStmt")), tei("p")).text = "Published by the edition."
    etree.SubElement(etree.SubElement(file_desc, tei("sourceDesc")), tei("p")).text = document.source_note or "-"
    return header


def _element(unit: Unit, keep: set[Unit] | None, texts: dict[int, str]) -> list[etree._Element]:
    """The TEI of `unit`, with only the descendants in `keep` (all when keep is None)."""
    if unit.cite_type == PARAGRAPH:
        return _fragment(texts[unit.pk], unit.identifier)
    if unit.cite_type == SECTION:
        element = etree.Element(tei("div"))
        if unit.attrib.get("kind"):
            element.set("type", unit.attrib["kind"])
    else:
        element = etree.Element(tei("sp"))
        if unit.attrib.get("who"):
            element.set("who", unit.attrib["who"])
    element.set(XML_ID, unit.identifier)
    if unit.cite_type == TURN and unit.title:
        etree.SubElement(element, tei("speaker")).text = unit.title
    for child in unit.children:
        if keep is None or child in keep:
            element.extend(_element(child, keep, texts))
    return [element]


def _passage_texts(document, units: list[Unit]) -> dict[int, str]:
    pks = [u.pk for u in units if u.cite_type == PARAGRAPH]
    return dict(document.passages.filter(pk__in=pks).values_list("pk", "tei"))


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
    texts = _passage_texts(document, list(keep) if keep is not None else [u for t in tops for u in tree.subtree(t)])
    root = etree.Element(tei("TEI"), nsmap={None: TEI_NS})
    root.set(XML_ID, document.slug)
    if document.language:
        root.set(XML_LANG, document.language)
    root.append(_header(document))
    text = etree.SubElement(root, tei("text"))
    if document.kind:
        text.set("type", document.kind)
    body = etree.SubElement(text, tei("body"))
    if ref or start:
        body = etree.SubElement(body, f"{{{DTS_NS}}}wrapper", nsmap={"dts": DTS_NS})
    for unit in tops:
        body.extend(_element(unit, keep, texts))
    _layout(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8") + b"\n"


@exporter("dts", media_type=TEI_MEDIA_TYPE, extension="xml")
def dts(document, ref: str | None = None, start: str | None = None, end: str | None = None) -> bytes:
    """The document's text as TEI (whole, or a ref / start..end part in a dts:wrapper in the body)."""
    return document_tei(document, ref=ref, start=start, end=end)
