"""BibTeX (biblatex) and RIS downloads of a citation, written through bibtexparser and rispy.

The types are chosen so that Zotero files every download as the same item as the page, a
Manuscript (as Zotero's translator files the Wilson Center Digital Archive's records):

- BibTeX: `@unpublished` (Zotero's BibTeX import: Manuscript), with only fields biblatex's data
  model defines for it, so biber does not warn: `type` (the genre), `howpublished` (the edition and,
  if different, its publisher), `library` (archive and archive location), `language`, `note` (the
  passage) and `addendum` (translator, the language translated from, the version), since
  `@unpublished` has no `translator`, `origlanguage` or `version` field.
- RIS: `TY - MANSCPT` (Zotero: Manuscript); `DB` archive, `AN` archive location, `A4` translator,
  `M3` genre, `DP` the edition, `N1` notes.
- A document imported from a foreign file (metadata.container_facts) names its own volume instead of the
  edition: `howpublished`/`DP` "In <volume>, vol. N. <series>. Edited by ... <place>: <publisher>, <date>",
  BibTeX `location`; RIS `T2` volume, `T3` series, `VL`, `A2` editors, `PB`, `CY`.
"""

from __future__ import annotations

import re

import bibtexparser
import rispy
from bibtexparser.model import Entry, Field
from bibtexparser.writer import BibtexFormat

from .csl import original_language_name, translation_note, version_note, volume_number
from .metadata import CitationData, Creator

BIBTEX_TYPE = "unpublished"
RIS_TYPE = "MANSCPT"

_BIBTEX_SPECIAL = re.compile(r"([\\{}$&%#_^~])")
_BIBTEX_REPLACE = {"\\": r"\textbackslash{}", "^": r"\^{}", "~": r"\~{}"}


def bibtex_escape(value: str) -> str:
    """Escape LaTeX's special characters (the file is UTF-8: other characters stay as they are)."""
    return _BIBTEX_SPECIAL.sub(lambda m: _BIBTEX_REPLACE.get(m.group(1), "\\" + m.group(1)), value)


def _bibtex_name(creator: Creator) -> str:
    if creator.is_org or not creator.family:
        return "{" + bibtex_escape(creator.name) + "}"  # braces: a corporate name is not split
    return bibtex_escape(f"{creator.family}, {creator.given}")


def _display_name(creator: Creator) -> str:
    return f"{creator.given} {creator.family}" if creator.family and creator.given else creator.name


def _names(creators: list[Creator]) -> str:
    names = [_display_name(c) for c in creators]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _translation_sentence(d: CitationData) -> str:
    """'Translated from Chinese by Jane Doe.', 'Translated by Jane Doe.' or the bare language note."""
    if d.translators:
        source = f" from {original_language_name(d.original_language)}" if d.original_language else ""
        return f"Translated{source} by {_names(d.translators)}."
    return translation_note(d)


def _published(d: CitationData) -> str:
    if d.in_own_container:
        return _in_container(d)
    return d.container if not d.publisher or d.publisher == d.container else f"{d.container}, {d.publisher}"


def _in_container(d: CitationData) -> str:
    """A foreign document's own volume: 'In <title>, vol. III. <series>. Edited by X. <place>: <publisher>, <date>'."""
    title = f"{d.container}, vol. {volume_number(d)}" if volume_number(d) else d.container
    parts = [f"In {title}"]
    if d.series and d.series != d.container:
        parts.append(d.series)
    if d.editors:
        parts.append(f"Edited by {_names(d.editors)}")
    imprint = ": ".join(p for p in (d.publisher_place, d.publisher) if p)
    imprint = ", ".join(p for p in (imprint, d.container_date) if p)
    if imprint:
        parts.append(imprint)
    return ". ".join(parts)


def bibtex_fields(d: CitationData) -> list[tuple[str, str]]:
    """(field, value) pairs of the entry, values already in BibTeX syntax (escaped, braced)."""
    fields: list[tuple[str, str]] = []
    if d.authors:
        fields.append(("author", " and ".join(_bibtex_name(a) for a in d.authors)))
    fields.append(("title", "{" + bibtex_escape(d.title) + "}"))
    if d.genre:
        fields.append(("type", bibtex_escape(d.genre)))
    fields.append(("howpublished", bibtex_escape(_published(d))))
    if d.date:
        fields.append(("date", d.date.isoformat()))
    if d.in_own_container and d.publisher_place:
        fields.append(("location", bibtex_escape(d.publisher_place)))
    library = ", ".join(part for part in (d.archive, d.archive_location) if part)
    if library:
        fields.append(("library", bibtex_escape(library)))
    fields.append(("url", d.url.replace("{", "%7B").replace("}", "%7D")))
    fields.append(("urldate", d.accessed.isoformat()))
    fields.append(("language", bibtex_escape(d.language)))
    if d.locator:
        fields.append(("note", bibtex_escape(d.locator)))
    addendum = " ".join(part for part in (_translation_sentence(d), version_note(d)) if part)
    if addendum:
        fields.append(("addendum", bibtex_escape(addendum)))
    return fields


def bibtex(d: CitationData) -> str:
    library = bibtexparser.Library()
    library.add(Entry(BIBTEX_TYPE, d.key, [Field(name, value) for name, value in bibtex_fields(d)]))
    style = BibtexFormat()
    style.indent = "  "
    return bibtexparser.write_string(library, bibtex_format=style).strip() + "\n"


def _ris_name(creator: Creator) -> str:
    # "Family, Given" for a person; an organisation's name has no comma, which Zotero's RIS import
    # reads as a single-field (corporate) name.
    return f"{creator.family}, {creator.given}" if creator.family else creator.name.replace(",", "")


def _ris_value(value: str) -> str:
    return " ".join(str(value).split())


def _ris_volume(d: CitationData) -> dict:
    """RIS fields of a foreign document's own volume: T2, T3, VL, A2 (editors), PB, CY."""
    record: dict = {}
    record["secondary_title"] = d.container  # T2
    if d.series and d.series != d.container:
        record["tertiary_title"] = d.series  # T3
    if volume_number(d):
        record["volume"] = volume_number(d)  # VL
    if d.editors:
        record["secondary_authors"] = [_ris_name(e) for e in d.editors]  # A2: editors
    if d.publisher:
        record["publisher"] = d.publisher  # PB
    if d.publisher_place:
        record["place_published"] = d.publisher_place  # CY
    return record


def ris_record(d: CitationData) -> dict:
    """The record as rispy's field names (see rispy.TAG_KEY_MAPPING)."""
    record: dict = {"type_of_reference": RIS_TYPE}
    if d.authors:
        record["authors"] = [_ris_name(a) for a in d.authors]
    if d.translators:
        record["subsidiary_authors"] = [_ris_name(t) for t in d.translators]  # A4: Zotero's translator
    record["title"] = d.title
    if d.date:
        record["year"] = str(d.date.year)
        record["date"] = d.date.strftime("%Y/%m/%d/")
    if d.genre:
        record["type_of_work"] = d.genre
    if d.archive:
        record["name_of_database"] = d.archive  # DB: Zotero's Archive
    if d.archive_location:
        record["accession_number"] = d.archive_location  # AN: Zotero's Loc. in Archive
    record["database_provider"] = _published(d)  # DP: Zotero's Library Catalog
    if d.in_own_container:  # the foreign document's own volume (metadata.container_facts)
        record.update(_ris_volume(d))
    record["language"] = d.language
    record["urls"] = [d.url]
    record["access_date"] = d.accessed.strftime("%Y/%m/%d/")
    notes = [note for note in (_translation_sentence(d), version_note(d), d.locator) if note]
    if notes:
        record["notes"] = notes
    return {key: [_ris_value(v) for v in value] if isinstance(value, list) else _ris_value(value)
            for key, value in record.items()}  # fmt: skip


class _RisWriter(rispy.RisWriter):
    """rispy's RIS writer with CRLF line ends (as the RIS specification asks) and no record numbers."""

    NEWLINE = "\r\n"

    def set_header(self, count):
        return None


def ris(d: CitationData) -> str:
    """One RIS record."""
    text = rispy.dumps([ris_record(d)], implementation=_RisWriter, skip_unknown_tags=True)
    return text.rstrip("\r\n") + "\r\n"
