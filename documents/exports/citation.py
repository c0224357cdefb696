"""Citations of a document or of one passage: Chicago and APA text, BibTeX, RIS and CSL-JSON.

Every format is a function `(document, passage=None, base_url=None, accessed=None)` registered
by name; the facts come from `metadata.citation_data` so that the formats never disagree.
Chicago and APA also render as HTML (`html=True`: escaped, with the italics the styles ask for).
"""

from __future__ import annotations

import json
import re

from django.utils.html import escape

from . import exporter
from .metadata import CitationData, Creator, citation_data

#: Formats offered as downloads, in the order the Cite panel lists them.
DOWNLOADS = ("bibtex", "ris", "csl-json")
#: Text formats shown in the Cite panel.
TEXT_STYLES = ("chicago", "apa")
CITATION_FORMATS = TEXT_STYLES + DOWNLOADS

MONTHS = ("January February March April May June July August September October November December").split()


def _long_date(date) -> str:
    """June 8, 1962 (Chicago and APA, US style)."""
    return f"{MONTHS[date.month - 1]} {date.day}, {date.year}"


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text[-1:] in ".?!" else f"{text}."


def _render(segments: list[tuple[str, bool]], html: bool) -> str:
    """Join (text, italic) segments as plain text or escaped HTML with <i>."""
    if not html:
        return "".join(text for text, _ in segments)
    return "".join(f"<i>{escape(text)}</i>" if italic else str(escape(text)) for text, italic in segments)


def _join(names: list[str], last_sep: str) -> str:
    if len(names) <= 1:
        return "".join(names)
    if len(names) == 2 and last_sep.strip() == "and":
        return f"{names[0]} and {names[1]}"
    return ", ".join(names[:-1]) + f",{last_sep}{names[-1]}"


def _chicago_name(creator: Creator, first: bool) -> str:
    if creator.is_org or not creator.family:
        return creator.name
    return f"{creator.family}, {creator.given}" if first else f"{creator.given} {creator.family}"


def _apa_name(creator: Creator) -> str:
    if creator.is_org or not creator.family:
        return creator.name
    initials = " ".join(f"{part[0]}." for part in re.split(r"[\s.]+", creator.given) if part)
    return f"{creator.family}, {initials}" if initials else creator.family


def _data(document, passage, base_url, accessed, version=None) -> CitationData:
    return citation_data(document, passage=passage, base_url=base_url, accessed=accessed, version=version)


def _version(d: CitationData, iso: bool = False) -> str:
    """'Version 2, December 3, 2026' ('' for a text without versions); iso: 'Version 2, 2026-12-03'."""
    if not d.version:
        return ""
    when = (d.version_date.isoformat() if iso else _long_date(d.version_date)) if d.version_date else ""
    return f"Version {d.version}, {when}" if when else f"Version {d.version}"


@exporter("chicago", extension="txt")
def chicago(document, passage=None, base_url=None, accessed=None, html: bool = False, version=None) -> str:
    """Chicago (17th ed.) bibliography entry for a document in an online edition."""
    d = _data(document, passage, base_url, accessed, version)
    segments: list[tuple[str, bool]] = []
    if d.authors:
        names = [_chicago_name(a, i == 0) for i, a in enumerate(d.authors)]
        segments.append((_sentence(_join(names, " and ")) + " ", False))
    segments.append((f"“{_sentence(d.title)}” ", False))
    when = _long_date(d.date) if d.date else (d.date_text or "n.d.")
    segments.append((_sentence(f"{d.genre}, {when}" if d.genre else when) + " ", False))
    if d.locator:
        segments.append((_sentence(d.locator[0].upper() + d.locator[1:]) + " ", False))
    if d.version:
        segments.append((_sentence(_version(d)) + " ", False))
    segments += [("In ", False), (d.container, True), (". ", False)]
    if d.publisher and d.publisher != d.container:
        segments.append((_sentence(d.publisher) + " ", False))
    segments.append((f"Accessed {_long_date(d.accessed)}. {d.url}.", False))
    return _render(segments, html)


@exporter("apa", extension="txt")
def apa(document, passage=None, base_url=None, accessed=None, html: bool = False, version=None) -> str:
    """APA (7th ed.) reference; a document without an author is cited by its title."""
    d = _data(document, passage, base_url, accessed, version)
    when = f"({d.date.year}, {MONTHS[d.date.month - 1]} {d.date.day})" if d.date else "(n.d.)"
    described = ", ".join(part for part in (d.genre, d.locator) if part)
    title = [(d.title, True)] + ([(f" ({_version(d)})", False)] if d.version else [])
    title += [(f" [{described}]", False)] if described else []
    segments: list[tuple[str, bool]] = []
    if d.authors:
        segments.append((_sentence(_join([_apa_name(a) for a in d.authors], " & ")) + f" {when}. ", False))
        segments += title + [(". ", False)]
    else:
        segments += title + [(f". {when}. ", False)]
    segments.append((_sentence(d.container) + " ", False))
    if d.publisher and d.publisher != d.container:
        segments.append((_sentence(d.publisher) + " ", False))
    segments.append((f"Retrieved {_long_date(d.accessed)}, from {d.url}", False))
    return _render(segments, html)


_BIBTEX_SPECIAL = re.compile(r"([\\{}$&%#_^~])")
_BIBTEX_REPLACE = {"\\": r"\textbackslash{}", "^": r"\^{}", "~": r"\~{}"}


def _bibtex_escape(value: str) -> str:
    return _BIBTEX_SPECIAL.sub(lambda m: _BIBTEX_REPLACE.get(m.group(1), "\\" + m.group(1)), value)


def _bibtex_name(creator: Creator) -> str:
    if creator.is_org or not creator.family:
        return "{" + _bibtex_escape(creator.name) + "}"  # braces: a corporate name is not split
    return _bibtex_escape(f"{creator.family}, {creator.given}")


@exporter("bibtex", media_type="application/x-bibtex; charset=utf-8", extension="bib")
def bibtex(document, passage=None, base_url=None, accessed=None, version=None) -> str:
    d = _data(document, passage, base_url, accessed, version)
    fields: list[tuple[str, str]] = []
    if d.authors:
        fields.append(("author", " and ".join(_bibtex_name(a) for a in d.authors)))
    fields.append(("title", "{" + _bibtex_escape(d.title) + "}"))
    fields.append(("howpublished", _bibtex_escape(d.container)))
    fields.append(("publisher", _bibtex_escape(d.publisher)))
    if d.date:
        fields += [("year", str(d.date.year)), ("date", d.date.isoformat())]
    if d.version:
        fields.append(("version", _bibtex_escape(d.version)))
    fields.append(("url", d.url.replace("{", "%7B").replace("}", "%7D")))
    fields.append(("urldate", d.accessed.isoformat()))
    fields.append(("langid", d.language))
    note = "; ".join(part for part in (d.genre, d.locator, _version(d, iso=True)) if part)
    if note:
        fields.append(("note", _bibtex_escape(note)))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{d.key},\n{body}\n}}\n"


def _ris_value(value: str) -> str:
    return " ".join(str(value).split())


@exporter("ris", media_type="application/x-research-info-systems; charset=utf-8", extension="ris")
def ris(document, passage=None, base_url=None, accessed=None, version=None) -> str:
    """RIS record (type GEN, as Zotero imports a generic document); CRLF line ends as RIS expects."""
    d = _data(document, passage, base_url, accessed, version)
    lines = [("TY", "GEN")]
    lines += [("AU", f"{a.family}, {a.given}" if a.family else a.name) for a in d.authors]
    lines += [("TI", d.title), ("T2", d.container)]
    if d.date:
        lines += [("PY", str(d.date.year)), ("DA", d.date.strftime("%Y/%m/%d/"))]
    if d.genre:
        lines.append(("M3", d.genre))
    lines += [("PB", d.publisher), ("LA", d.language), ("UR", d.url), ("Y2", d.accessed.strftime("%Y/%m/%d/"))]
    if d.version:
        lines.append(("ET", _version(d, iso=True)))  # the edition field: the version and its date
    if d.locator:
        lines.append(("N1", d.locator))
    lines.append(("ER", ""))
    return "".join(f"{tag}  - {_ris_value(value)}\r\n" for tag, value in lines)


def _csl_name(creator: Creator) -> dict:
    if creator.is_org or not creator.family:
        return {"literal": creator.name}
    return {"family": creator.family, "given": creator.given}


def _date_parts(date) -> dict:
    return {"date-parts": [[date.year, date.month, date.day]]}


def csl_item(document, passage=None, base_url=None, accessed=None, version=None) -> dict:
    d = _data(document, passage, base_url, accessed, version)
    item = {"id": d.key, "type": "document", "title": d.title}
    if d.authors:
        item["author"] = [_csl_name(a) for a in d.authors]
    if d.date:
        item["issued"] = _date_parts(d.date)
    elif d.date_text:
        item["issued"] = {"literal": d.date_text}
    if d.genre:
        item["genre"] = d.genre
    item.update(
        {
            "container-title": d.container,
            "publisher": d.publisher,
            "language": d.language,
            "URL": d.url,
            "accessed": _date_parts(d.accessed),
        }
    )
    if d.version:  # CSL's `version` variable; its date as `available-date` and in the note
        item["version"] = d.version
        if d.version_date:
            item["available-date"] = _date_parts(d.version_date)
    note = "; ".join(part for part in (d.locator, _version(d, iso=True)) if part)
    if note:
        item["note"] = note
    return item


@exporter("csl-json", media_type="application/vnd.citationstyles.csl+json", extension="json")
def csl_json(document, passage=None, base_url=None, accessed=None, version=None) -> str:
    """CSL-JSON: an array holding one item, as citeproc processors and Zotero read it."""
    item = csl_item(document, passage=passage, base_url=base_url, accessed=accessed, version=version)
    return json.dumps([item], ensure_ascii=False, indent=2) + "\n"
