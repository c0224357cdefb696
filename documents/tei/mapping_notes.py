"""Notes: note bodies to Markdown, note kinds, and note targets to W3C selectors.

A note's target (docs/encoding.md) is ``#anchor`` (a whole passage), ``#id`` of an element inside
a passage (the note is on its words), or ``#string-range(anchor,offset,length)`` (offsets in the
passage element's string value, as TEI P5 16.2.4.5 defines them; converted to reading-text
offsets). A note without @target standing inline is a point note at its position.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import XML_ID, local_name
from .elements import TABLE
from .mapping_refs import FileContext, line_of
from .mapping_types import NoteData
from .string_range import ReadingMap

CONTEXT = 32  # characters of prefix/suffix kept with a text-quote selector
KINDS = {"editorial", "translation", "crossref", "commentary", "source"}
STRING_RANGE = re.compile(r"^#?string-range\(\s*([^,\s)]+)\s*,\s*(\d+)\s*,\s*(\d+)\s*\)$")
_BREAK = "\ue000"  # a hard line break (<lb/>) while white space is collapsed; Markdown's "  \n" after
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#])")


def note_kind(element) -> str:
    kind = (element.get("type") or "").strip()
    if kind in KINDS:
        return kind
    if kind in {"footnote", "endnote", ""}:
        return "editorial"
    return "commentary"


_MD_ESCAPES = str.maketrans({c: "\\" + c for c in "\\`*_[]<>#"})  # the characters of _MD_SPECIAL


def _escape(text: str) -> str:
    return text.translate(_MD_ESCAPES)  # as _MD_SPECIAL.sub(r"\\\1", text), without a template per match


def _inline_md(element, parts: list[str]) -> None:
    """Markdown for the content of element (its own tail excluded), by the element table's `markdown`."""
    if element.text:
        parts.append(_escape(element.text))
    for child in element:
        name = local_name(child)
        behaviour = TABLE.lookup(child, name) if name else None
        md = behaviour.markdown if behaviour is not None else ""
        if name == "" or md == "omit":
            pass
        elif md == "break":
            parts.append(_BREAK)
        elif md == "code":
            parts.append(f"`{behaviour.shown.format(''.join(child.itertext()).strip())}`")
        elif md in ("em", "strong", "quote"):
            inner: list[str] = []
            _inline_md(child, inner)
            text = "".join(inner).strip()
            if text:
                parts.append({"em": "*{}*", "strong": "**{}**", "quote": "“{}”"}[md].format(text))
        elif md == "link" and (child.get("target") or "").strip():
            inner = []
            _inline_md(child, inner)
            text = "".join(inner).strip() or _escape(child.get("target"))
            target = child.get("target").split()[0].replace(")", "%29").replace(" ", "%20")
            parts.append(f"[{text}]({target})")
        elif md == "para":
            parts.append("\n\n")
            _inline_md(child, parts)
            parts.append("\n\n")
        else:
            _inline_md(child, parts)
        if child.tail:
            parts.append(_escape(child.tail))


def note_markdown(element) -> str:
    """The body of a TEI <note> as Markdown (paragraphs, italics, bold, links): documents.tei.elements says
    what each element becomes (its behaviour's `markdown`)."""
    parts: list[str] = []
    _inline_md(element, parts)
    text = "".join(parts)
    paragraphs = [re.sub(r"[ \t\r\n]+", " ", p).strip() for p in re.split(r"\n\s*\n", text)]
    paragraphs = [re.sub(f" ?{_BREAK} ?", "  \n", p.strip(f" {_BREAK}")) for p in paragraphs]
    paragraphs = [p for p in paragraphs if p]
    return "\n\n".join(paragraphs)


def quote_selector(text: str, start: int, end: int) -> dict:
    """W3C TextQuoteSelector + TextPositionSelector for text[start:end] (the importer's and the editors')."""
    return {
        "exact": text[start:end],
        "prefix": text[max(0, start - CONTEXT) : start],
        "suffix": text[end : end + CONTEXT],
        "start": start,
        "end": end,
    }


def source_number(element) -> str:
    """The number the source prints for a note (its @n, at most 20 characters), or ""."""
    return (element.get("n") or "").strip()[:20]


def point_note(ctx: FileContext, element, xml_id: str, anchor: str, text: str, position: int) -> NoteData:
    """An inline note at a point of a passage's reading text (exact="", start=end)."""
    sel = quote_selector(text, position, position)
    return NoteData(
        xml_id=xml_id,
        kind=note_kind(element),
        body=note_markdown(element),
        anchor=anchor,
        line=line_of(element),
        n=source_number(element),
        **sel,
    )


@dataclass
class Target:
    """Where a pointer lands: a passage, optionally a span of its reading text."""

    anchor: str
    start: int | None = None
    end: int | None = None


def resolve_note_target(
    ctx: FileContext,
    element,
    targets: dict[str, Target],
    texts: dict[str, str],
    elements: dict | None = None,
) -> NoteData | None:
    """Map a <note target="..."> to a NoteData; records a problem and returns None if it dangles.

    targets: xml:id -> Target (passages, elements inside passages, turns: their first passage);
    texts: anchor -> reading text.
    """
    raw = (element.get("target") or "").strip()
    xml_id = element.get(XML_ID) or ""
    pointers = raw.split()
    if len(pointers) != 1:
        ctx.issue(element, f"note @target={raw!r}: exactly one pointer expected")
        return None
    pointer = pointers[0]
    match = STRING_RANGE.match(pointer.partition(".xml")[2] or pointer) if "string-range" in pointer else None
    if match:
        anchor, offset, length = match.group(1), int(match.group(2)), int(match.group(3))
        if anchor not in texts:
            ctx.issue(element, f"note @target={raw!r}: no passage with anchor {anchor!r}")
            return None
        # TEI P5 16.2.4.5: offsets count the passage element's string value (documents/tei/string_range.py).
        passage = elements.get(anchor) if elements else None
        reading_map = ReadingMap(passage) if passage is not None else None
        size = reading_map.string_length if reading_map is not None else len(texts[anchor])
        if offset + length > size:
            ctx.issue(
                element,
                f"note @target={raw!r}: range {offset}+{length} is beyond the passage's "
                f"text ({size} characters)",
            )
            return None
        start, end = reading_map.from_string_range(offset, length) if reading_map else (offset, offset + length)
        target = Target(anchor, start, end)
    else:
        ident = pointer.partition("#")[2] if "#" in pointer else pointer
        target = targets.get(ident)
        if target is None:
            ctx.issue(element, f"note @target={raw!r}: nothing with xml:id {ident!r} in this document")
            return None
    text = texts[target.anchor]
    note = NoteData(
        xml_id=xml_id,
        kind=note_kind(element),
        body=note_markdown(element),
        anchor=target.anchor,
        line=line_of(element),
        n=source_number(element),
    )
    if target.start is not None:
        sel = quote_selector(text, target.start, target.end)
        note.exact, note.prefix, note.suffix = sel["exact"], sel["prefix"], sel["suffix"]
        note.start, note.end = sel["start"], sel["end"]
    return note
