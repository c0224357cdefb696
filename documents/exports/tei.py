"""TEI export: a document rebuilt from the database with its current published notes and links.

The text is exactly the TEI the importer stored (header and each passage's fragment, unchanged);
speaker turns and divisions are rebuilt around the passages by the one TEI rebuilder
(documents.exports.tei_text, shared with the DTS export). Notes are appended in
``<back><div type="notes">`` (docs/encoding.md): editors' notes point into the unchanged text with
``#string-range(anchor,offset,length)`` (offsets in the passage element's string value, as TEI P5
16.2.4.5 defines them: documents/tei/string_range.py), notes on a whole passage with ``#anchor``.
Orphaned notes (no passage) cannot be pointed to and are left out (counted).
Links of the document go in a ``<standOff><linkGrp>`` after the text when asked for.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import F
from lxml import etree

from documents.models import Document, Note, PassageLink
from documents.tei import TEI_NS, XML_ID, XML_LANG, tei
from documents.tei.mapping_refs import derived_id
from documents.tei.string_range import ReadingMap
from documents.tei.textview import view_text

from . import exporter
from .tei_body import markdown_to_tei
from .tei_text import body_elements, fragment, header
from .versions import revision_desc

#: The kinds a TEI note of the edition may have (edition.rng); others are exported as editorial notes.
NOTE_TYPES = {"editorial", "translation", "crossref", "commentary"}


@dataclass
class ExportStats:
    notes: int = 0
    orphans_skipped: list = field(default_factory=list)
    links: int = 0


def note_target(note: Note, passage=None) -> str:
    """#anchor, or #string-range(anchor,offset,length) in the string value of the passage as exported
    (`passage`: its element in the export, inline notes moved out; default: its stored TEI)."""
    if note.start is None or (note.end is None):
        return f"#{note.anchor}"
    element = passage if passage is not None else fragment(note.passage.tei)[0]
    offset, length = ReadingMap(element).to_string_range(note.start, note.end)
    return f"#string-range({note.anchor},{offset},{length})"


def note_xml_id(note: Note) -> str:
    return note.xml_id if note.xml_id.startswith("n-") else f"n-{note.uuid}"


def own_id(note: Note) -> bool:
    """A note of the imported TEI is exported under its own xml:id (the source's, or the one the importer
    derived for it); an editor's note, or one restored from an export, under n-<uuid>."""
    return note.provenance == Note.Provenance.TEI and bool(note.xml_id) and not note.xml_id.startswith("n-")


def move_inline_notes(body: list, notes: list[Note]) -> dict:
    """The notes of the imported TEI written inline in a passage (footnotes, as FRUS writes them) are
    exported once, in the back, with their current (possibly revised) body and under their own xml:id, so
    that pointers to them still resolve and a re-import finds the same notes: they are taken out of the
    passages here, their tail text kept (the note's place is its target, #string-range(anchor,offset,0)).
    An inline note without xml:id is known by the id the importer derived for it. Returns anchor -> the
    passage elements they left (for the offsets of the targets)."""
    ours = {n.xml_id for n in notes if own_id(n)}
    anchors = {n.anchor for n in notes}
    changed: dict = {}
    for element in body:
        for note in list(element.iter(tei("note"))):
            holder = next((a for a in note.iterancestors() if a.get(XML_ID) in anchors), None)
            ident = note.get(XML_ID)
            if ident is None and holder is not None:
                ident = derived_id(holder.get(XML_ID), "note", view_text(note))
            if ident not in ours:
                continue
            if holder is not None:
                changed[holder.get(XML_ID)] = holder
            _remove_keeping_tail(note)
    return changed


def _remove_keeping_tail(element) -> None:
    parent, previous, tail = element.getparent(), element.getprevious(), element.tail or ""
    if previous is not None:
        previous.tail = (previous.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(element)


def note_element(note: Note, passage=None):
    """The note in the back (`passage`: the element of its passage in the export, for its target's offsets)."""
    el = etree.Element(tei("note"))
    el.set(XML_ID, note.xml_id if own_id(note) else note_xml_id(note))
    el.set("type", note.kind if note.kind in NOTE_TYPES else "editorial")
    if note.n:  # the number the source printed
        el.set("n", note.n)
    el.set("target", note_target(note, passage))
    for p in markdown_to_tei(note.body, note.document):
        el.append(p)
    return el


def exportable_notes(document):
    """Current published notes with a passage, in reading order."""
    return (
        Note.objects.published()
        .filter(document=document, passage__isnull=False)
        .select_related("passage")
        # Notes on a whole passage after those on its words, as the reader numbers them (on every database).
        .order_by("passage__order", F("start").asc(nulls_last=True), "created", "pk")
    )


def document_links(document):
    """Published links from or to the document whose passages both exist."""
    links = PassageLink.objects.filter(status=Note.Status.PUBLISHED, source__isnull=False, target__isnull=False)
    return (
        (links.filter(source_document=document) | links.filter(target_document=document))
        .select_related("source_document", "target_document")
        .order_by("source_document__slug", "source_anchor", "target_anchor", "kind")
    )


def link_pointer(document_slug: str, anchor: str) -> str:
    return f"{document_slug}.xml#{anchor}"


def link_element(link: PassageLink):
    el = etree.Element(tei("link"))
    if link.xml_id:
        el.set(XML_ID, link.xml_id)
    el.set("type", link.kind)
    el.set(
        "target",
        f"{link_pointer(link.source_document.slug, link.source_anchor)} "
        f"{link_pointer(link.target_document.slug, link.target_anchor)}",
    )
    return el


def _tail(el, indent: str):
    el.tail = "\n" + indent


def document_tree(document: Document, include_links: bool = True, stats: ExportStats | None = None):
    """The document as a TEI element tree (see the module docstring)."""
    stats = stats if stats is not None else ExportStats()
    root = etree.Element(tei("TEI"), nsmap={None: TEI_NS})
    root.set(XML_ID, document.slug)
    if document.sort_key:
        root.set("n", document.sort_key)  # the reading order within the edition (TEI/@n)
    if document.language:
        root.set(XML_LANG, document.language)
    stored_header = header(document, fallback=False)
    if stored_header is not None:
        revision_desc(stored_header, document)  # the history of citable versions (exports/versions.py)
        root.append(stored_header)
    text = etree.SubElement(root, tei("text"))
    if document.kind != Document.Kind.OTHER:
        text.set("type", document.kind)
    body = body_elements(document)
    notes = list(exportable_notes(document))
    passages = move_inline_notes(body, notes)
    etree.SubElement(text, tei("body")).extend(body)
    stats.orphans_skipped += list(
        Note.objects.published().filter(document=document, passage__isnull=True).values_list("uuid", flat=True)
    )
    if notes:
        div = etree.SubElement(etree.SubElement(text, tei("back")), tei("div"), type="notes")
        for note in notes:
            div.append(note_element(note, passage=passages.get(note.anchor)))
        stats.notes += len(notes)
    if include_links:
        links = list(document_links(document))
        if links:
            group = etree.SubElement(etree.SubElement(root, tei("standOff")), tei("linkGrp"), type="correspondence")
            for link in links:
                group.append(link_element(link))
            stats.links += len(links)
    etree.cleanup_namespaces(root)
    _layout(root)
    return root


def _layout(root):
    """Line breaks between structural elements only (never inside a passage's mixed content)."""
    structural = {tei(n) for n in ("TEI", "text", "body", "back", "div", "sp", "standOff", "linkGrp")}

    def walk(el, depth):
        if el.tag not in structural or not len(el):
            return
        el.text = "\n" + "  " * (depth + 1)
        for child in el:
            walk(child, depth + 1)
            _tail(child, "  " * (depth + 1))
        _tail(el[-1], "  " * depth)

    walk(root, 0)
    for note in root.iter(tei("note")):
        if note.getparent() is not None and note.getparent().tag == tei("div"):
            note.text = "\n" + "  " * 5
            for p in note:
                p.tail = "\n" + "  " * 5
            if len(note):
                note[-1].tail = "\n" + "  " * 4


def serialize(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8") + b"\n"


@exporter("tei", media_type="application/tei+xml; charset=utf-8", extension="xml")
def document_tei(document, include_links: bool = True, stats: ExportStats | None = None) -> bytes:
    """The document as TEI (UTF-8 bytes) with its current published notes (and links)."""
    return serialize(document_tree(document, include_links=include_links, stats=stats))
