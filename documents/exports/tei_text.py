"""The one TEI rebuilder: a document's text rebuilt from the database, for the TEI and DTS exports.

The passages' TEI is exactly what the importer stored; around them the citation tree
(documents.services.citation_tree: section -> `<div>`, turn -> `<sp>` with its `<speaker>`,
passage -> its own fragment) gives the structure, so the TEI export, a DTS fragment and the whole
DTS document always agree. Four queries (three for the tree, one for the fragments) whatever
the size of the document. Fragments are parsed by the one secure parser (documents.tei.parser).
"""

from __future__ import annotations

from lxml import etree

from documents.services.citation_tree import PARAGRAPH, SECTION, TURN, CitationTree, Unit, build_tree
from documents.tei import TEI_NS, XML_ID, tei
from documents.tei.parser import parse_fragment


def fragment(xml: str, anchor: str = "") -> list[etree._Element]:
    """The elements of a stored fragment (with or without its xmlns declaration); the first one gets
    xml:id=`anchor` when it has none (the anchor the reader and the notes point to)."""
    wrapper = parse_fragment(f'<wrapper xmlns="{TEI_NS}">{xml}</wrapper>')
    elements = [child for child in wrapper if isinstance(child.tag, str)]
    if anchor:
        for element in elements[:1]:
            if element.get(XML_ID) is None:
                element.set(XML_ID, anchor)
    return elements


def header(document, fallback: bool = True) -> etree._Element | None:
    """The stored `<teiHeader>`; without one, a minimal header (or None when fallback is False)."""
    if document.header_tei.strip():
        parsed = fragment(document.header_tei)
        if parsed:
            return parsed[0]
    if not fallback:
        return None
    element = etree.Element(tei("teiHeader"))
    file_desc = etree.SubElement(element, tei("fileDesc"))
    etree.SubElement(etree.SubElement(file_desc, tei("titleStmt")), tei("title")).text = document.title
    etree.SubElement(etree.SubElement(file_desc, tei("publicationStmt")), tei("p")).text = "Published by the edition."
    etree.SubElement(etree.SubElement(file_desc, tei("sourceDesc")), tei("p")).text = document.source_note or "-"
    return element


def unit_elements(unit: Unit, keep: set[Unit] | None, texts: dict[int, str]) -> list[etree._Element]:
    """The TEI of `unit`, with only the descendants in `keep` (all when keep is None)."""
    if unit.cite_type == PARAGRAPH:
        return fragment(texts[unit.pk], unit.identifier)
    if unit.cite_type == SECTION:
        element = etree.Element(tei("div"))
        if unit.attrib.get("kind"):
            element.set("type", unit.attrib["kind"])
    else:
        element = etree.Element(tei("sp"))
        if unit.attrib.get("who"):
            element.set("who", unit.attrib["who"])
    element.set(XML_ID, unit.identifier)
    if unit.cite_type == TURN and unit.title and not unit.attrib.get("label_in_text"):  # else the <p> holds it
        etree.SubElement(element, tei("speaker")).text = unit.title
    for child in unit.children:
        if keep is None or child in keep:
            element.extend(unit_elements(child, keep, texts))
    return [element]


def passage_texts(document, units: list[Unit]) -> dict[int, str]:
    """pk -> stored TEI of the passages among `units` (one query)."""
    pks = [u.pk for u in units if u.cite_type == PARAGRAPH]
    return dict(document.passages.filter(pk__in=pks).values_list("pk", "tei"))


def body_elements(document, tree: CitationTree | None = None) -> list[etree._Element]:
    """The children of the document's `<body>`: its divisions, turns and passages in order."""
    tree = tree if tree is not None else build_tree(document)
    texts = passage_texts(document, tree.units)
    return [element for unit in tree.roots for element in unit_elements(unit, None, texts)]
