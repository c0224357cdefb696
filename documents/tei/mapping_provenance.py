"""Provenance from a document's sourceDesc: the witness, the FRUS-style source note, related records.

docs/encoding.md ("Source note") describes the encoding. The result goes to
`Document.metadata["provenance"]` (plain JSON) and feeds the reader's source note and every
citation format (`exports.metadata.citation_data`: archive, archive_location, translators,
original_language). Nothing is derived that the TEI does not state: a field the header leaves
out stays empty (the memorandum's archive and file number, which the record read does not give).
"""

from __future__ import annotations

import copy

from . import first, xpath
from .mapping_text import iso_date
from .textview import view_text


def _text(element) -> str:
    """The element's text, with quotation marks round <q> and <quote> (view_text leaves them out)."""
    if element is None:
        return ""
    quotes = xpath(element, ".//t:q | .//t:quote")
    if not quotes:
        return view_text(element)
    element = copy.deepcopy(element)
    for quoted in xpath(element, ".//t:q | .//t:quote"):
        quoted.text = "“" + (quoted.text or "")
        quoted.tail = "”" + (quoted.tail or "")
    return view_text(element)


def _attr(element, name: str) -> str:
    return (element.get(name) or "").strip() if element is not None else ""


def _names(bibl, path: str = "t:respStmt[contains(t:resp, 'ranslat')]/t:name") -> list[str]:
    return [name for name in (_text(n) for n in xpath(bibl, path)) if name]


def _record(bibl) -> dict:
    """Title, date, publisher and address of a published record, as a bibl gives them."""
    date = first(bibl, "t:date")
    ref = first(bibl, "t:ref[@type='record'] | t:ref[starts-with(@target, 'http')]")
    return {
        "title": _text(first(bibl, "t:title")),
        "date": iso_date(_attr(date, "when")) or "",
        "date_text": _text(date),
        "publisher": _text(first(bibl, "t:publisher")),
        "url": _attr(ref, "target"),
    }


def _pages(bibl) -> str:
    scope = first(bibl, "t:biblScope[@unit='page']")
    return _text(scope)


def map_source(bibl) -> dict:
    """The FRUS-style source note (bibl type="source")."""
    archive = first(bibl, "t:orgName[@type='archive']")
    file_no = _text(first(bibl, "t:idno[@type='file']"))
    pages = _pages(bibl)
    location = ", ".join(part for part in (file_no, pages) if part)
    lang = first(bibl, "t:textLang[@mainLang]")
    chain = [
        {
            "lang": _attr(first(step, "t:textLang"), "mainLang"),
            "label": _text(first(step, "t:textLang")),
            "role": _attr(step, "type"),
            "description": _text(step),
        }
        for step in xpath(bibl, "t:note[@type='translation-chain']/t:bibl")
    ]
    return {
        "statement": _text(bibl),
        "archive": _text(archive),
        "archive_abbr": _text(first(bibl, "t:abbr")),
        "file": file_no,
        "pages": pages,
        "archive_location": location,
        "original_language": _attr(lang, "mainLang"),
        "original_language_label": _text(lang),
        "translators": _names(bibl),
        "record": _record(bibl),
        "record_citation": _text(first(bibl, "t:note[@type='citation']/t:quote")),
        "rights": _text(first(bibl, "t:note[@type='rights']")),
        "translation_chain": chain,
    }


def map_witness(bibl) -> dict:
    posting = first(bibl, "t:ref[@type='posting']")
    return {
        "thread_title": _text(first(bibl, "t:title[@type='thread']")),
        "posted": _text(first(bibl, "t:date[@type='posted']")),
        "translator": ", ".join(_names(bibl)),
        "url": _attr(posting, "target"),
        "statement": _text(bibl),
    }


def map_related(bibl) -> dict:
    record = _record(bibl)
    return {
        "id": _attr(bibl, "{http://www.w3.org/XML/1998/namespace}id"),
        "relation": _attr(bibl, "subtype"),
        **record,
        "archive_location": _text(first(bibl, "t:idno[@type='archive-location']")),
        "translators": _names(bibl),
        "note": _text(first(bibl, "t:note[@type='relation']")),
    }


def map_provenance(source_desc) -> dict:
    """{"witness", "source", "related"} from a sourceDesc; {} if it holds none of them."""
    if source_desc is None:
        return {}
    provenance: dict = {}
    witness = first(source_desc, "t:bibl[@type='witness']")
    if witness is not None:
        provenance["witness"] = map_witness(witness)
    source = first(source_desc, "t:bibl[@type='source']")
    if source is not None:
        provenance["source"] = map_source(source)
    related = xpath(source_desc, "t:listBibl[@type='related']/t:bibl")
    if related:
        provenance["related"] = [map_related(b) for b in related]
    return provenance


def check_provenance(source_desc, report) -> None:
    """Report (element, message) for a source note that would mislead: a related record without title or
    address, a file number without its archive, a translator statement without a name."""
    if source_desc is None:
        return
    for bibl in xpath(source_desc, "t:listBibl[@type='related']/t:bibl"):
        record = _record(bibl)
        if not record["title"] or not record["url"].startswith(("http://", "https://")):
            report(bibl, "related record without a title or an http(s) address (<title>, <ref type='record' target>)")
    for bibl in xpath(source_desc, "t:bibl[@type='source']"):
        has_location = first(bibl, "t:idno[@type='file'] | t:biblScope") is not None
        if has_location and first(bibl, "t:orgName[@type='archive']") is None:
            report(bibl, "source note gives a file number or pages without the archive (<orgName type='archive'>)")
    for resp in xpath(source_desc, ".//t:respStmt[contains(t:resp, 'ranslat')]"):
        if not _names(resp.getparent(), "t:respStmt[contains(t:resp, 'ranslat')]/t:name"):
            report(resp, "translator statement without a <name>")


def source_note_text(provenance: dict, fallback: str) -> str:
    """Document.source_note: the source note, then the witness (plain text); else the sourceDesc's text."""
    parts = [(provenance.get(key) or {}).get("statement", "") for key in ("source", "witness")]
    parts = [p for p in parts if p]
    return "\n\n".join(parts) if parts else fallback
