"""The volume or collection a foreign document belongs to, from its file's teiHeader (pure lxml, no Django).

A document imported from a FRUS volume (one ``<TEI>`` with many ``<div type="document">``) or from a
``teiCorpus`` (a ParlaMint sitting) is part of that volume or corpus, not of this edition: its citation
names the container the file describes. `container_facts(header)` reads what the header says, nothing
else (empty elements, such as FRUS's ``<editor role="primary"/>``, say nothing):

- ``title``: ``titleStmt/title`` typed complete or main, else the first untyped one, else the first;
- ``series``: ``seriesStmt/title``, else ``titleStmt/title[@type='series']``;
- ``volume``: ``seriesStmt/biblScope[@unit='volume']``, else ``titleStmt/title[@type='volumenumber']``;
- ``editors``: ``titleStmt/editor`` (and ``seriesStmt/editor``) with words; persons as family/given when
  the header marks them with ``surname``/``forename``;
- ``publisher``: ``publicationStmt/publisher``, else its ``authority`` (TEI: the agency making the work
  available); ``place``: ``pubPlace``; ``date``: the publication date's @when or words.

The importer keeps the dict as ``Document.metadata["container"]``; documents/exports/metadata.py turns it
into the citation's container (CSL container-title, collection-title, volume, editor, publisher...).
"""

from __future__ import annotations

from . import first, xpath
from .textview import view_text


def _words(element) -> str:
    return " ".join(view_text(element).split()) if element is not None else ""


def _person(element) -> dict | None:
    name = _words(element)
    if not name:
        return None
    family, given = _words(first(element, ".//t:surname")), _words(first(element, ".//t:forename"))
    if family:
        return {"name": " ".join(p for p in (given, family) if p), "kind": "person", "family": family, "given": given}
    org = first(element, "t:orgName")
    return {"name": name, "kind": "org" if org is not None else "person"}


def container_facts(header) -> dict:
    """The container a header describes (see the module docstring); {} without a title."""
    if header is None:
        return {}
    title_stmt = first(header, "t:fileDesc/t:titleStmt")
    series_stmt = first(header, "t:fileDesc/t:seriesStmt")
    publication = first(header, "t:fileDesc/t:publicationStmt")
    titles = xpath(title_stmt, "t:title") if title_stmt is not None else []
    chosen = [t for t in titles if t.get("type") in ("complete", "main") and _words(t)]
    chosen = chosen or [t for t in titles if not t.get("type") and _words(t)] or [t for t in titles if _words(t)]
    title = _words(chosen[0]) if chosen else ""
    if not title:
        return {}
    facts: dict = {"title": title[:500]}
    series = _words(first(series_stmt, "t:title")) or _words(first(title_stmt, "t:title[@type='series']"))
    if series and series != title:
        facts["series"] = series[:500]
    volume = _words(first(series_stmt, "t:biblScope[@unit='volume']")) or _words(
        first(title_stmt, "t:title[@type='volumenumber']")
    )
    if volume:
        facts["volume"] = volume[:100]
    named = [*xpath(title_stmt, "t:editor")] if title_stmt is not None else []
    named += xpath(series_stmt, "t:editor") if series_stmt is not None else []
    editors = [person for element in named if (person := _person(element)) is not None]
    if editors:
        facts["editors"] = editors
    publisher = _words(first(publication, "t:publisher")) or _words(first(publication, "t:authority"))
    if publisher:
        facts["publisher"] = publisher[:300]
    place = _words(first(publication, "t:pubPlace"))
    if place:
        facts["place"] = place[:200]
    date = first(publication, "t:date[not(@type) or @type='published' or @type='issued']")
    when = (date.get("when") or "").strip() if date is not None else ""
    if when or _words(date):
        facts["date"] = (when or _words(date))[:100]
    return facts


def add_container(docs: list, header) -> None:
    """metadata["container"] of documents that are parts of the volume or corpus `header` describes."""
    facts = container_facts(header)
    if facts:
        for doc in docs:
            doc.metadata["container"] = facts
