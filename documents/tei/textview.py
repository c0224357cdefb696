"""The two texts of a passage, computed from its TEI fragment.

- **diplomatic**: the witness as written: `<sic>`, `<orig>`, `<abbr>` inside `<choice>`; the
  translator's `<supplied>` words in square brackets, as the witness prints them.
- **reading**: the edited text: `<corr>`, `<reg>`, `<expan>` inside `<choice>`; supplied words
  in square brackets too (the brackets are the translator's, part of the translation).

Which element is what comes from the one element table (`documents.tei.elements`). Both drop the
`drop` and `note` kinds (`<note>`: an inline note is reported as a zero-width span at its place;
`<speaker>`: the turn's label, not the passage's text; `<fw>`, `<figDesc>`), and normalise white
space (runs collapse to one space; ends stripped); a block inside a passage (a table cell, a list item,
a verse line: `elements.BLOCK_KINDS`) is set apart by a space, so no two cells' words run together.
Spans of entity mentions, dates and `xml:id`-bearing elements are reported as offsets into the *reading*
text, the coordinate system of editorial notes (W3C TextPositionSelector).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import XML_ID, local_name
from .elements import BLOCK_KINDS, TABLE

#: Derived from the element table (documents.tei.elements), for callers that test names:
#: elements whose content is not part of a passage's text,
DROP = TABLE.names("drop", "note")
#: inside <choice>, which child each view keeps,
READING_CHOICE = TABLE.names_where(lambda b: b.choice == "reading")
DIPLOMATIC_CHOICE = TABLE.names_where(lambda b: b.choice == "diplomatic")
#: and the elements that mark a mention of an entity (by @ref, @corresp or @key).
MENTION = TABLE.names("mention")


@dataclass
class Span:
    """A span of the reading text covered by an element."""

    element: str  # local name, e.g. 'persName'
    start: int
    end: int
    attrib: dict = field(default_factory=dict)
    #: The lxml element itself (used by the importer to place inline notes).
    node: object = field(default=None, repr=False, compare=False)


@dataclass
class PassageText:
    reading: str
    diplomatic: str
    spans: list[Span]

    def spans_of(self, *names: str) -> list[Span]:
        return [s for s in self.spans if s.element in names]


class TextBuilder:
    """Accumulates text with white-space normalisation, tracking the output length."""

    def __init__(self):
        self.parts: list[str] = []
        self.length = 0
        self.pending_space = False

    def add(self, text: str | None):
        if not text:
            return
        words = text.split()
        if words:
            if text[0].isspace():
                self.pending_space = True
            self.emit(" ".join(words))  # runs of white space inside the text collapse to one space
        if text[-1].isspace():
            self.pending_space = True

    def emit(self, chunk: str):
        """Write `chunk` (preceded by the pending space, if any, unless at the start)."""
        if self.pending_space and self.length:
            self.parts.append(" ")
            self.length += 1
        self.pending_space = False
        self.parts.append(chunk)
        self.length += len(chunk)

    def mark(self) -> int:
        """Offset where the next visible character will start."""
        return self.length + (1 if self.pending_space and self.length else 0)

    def text(self) -> str:
        return "".join(self.parts)


def walk(element, out: TextBuilder, view: str, spans: list[Span] | None = None, top: bool = False):
    """Feed the text of `element` in `view` to `out` (with its tail unless top), reporting spans."""
    name = local_name(element)
    kind = TABLE.kind_of(element, name) if name else ""
    if not top:
        if not name or kind in ("drop", "note"):
            if kind == "note" and spans is not None:
                # An inline note is a point in the text (exact="", start=end), e.g. a footnote marker.
                spans.append(Span(name, out.length, out.length, dict(element.attrib), element))
            out.add(element.tail)
            return
    if kind in BLOCK_KINDS and not top:  # a block's words never run into its neighbours' (cells, items, lines)
        out.pending_space = True
    start = out.mark()
    if kind == "supplied":
        out.add("[")
        out.pending_space = False
    out.add(element.text)
    if kind == "supplied":
        out.pending_space = False
    for child in _children_in_view(element, kind, view):
        walk(child, out, view, spans)
    if kind == "supplied":
        out.pending_space = False
        out.add("]")
    end = out.length
    if spans is not None and not top and (kind in ("mention", "date") or XML_ID in element.attrib):
        spans.append(Span(name, min(start, end), end, dict(element.attrib), element))
    if not top:
        if kind in BLOCK_KINDS:
            out.pending_space = True
        _add_tail(element, kind, out)


def _add_tail(element, kind: str, out: TextBuilder) -> None:
    """The text after an element. After <lb/>, the words on either side are two words, unless break="no"
    joins them (white space around it included: the word goes on on the next line)."""
    if kind == "break":
        joined = element.get("break") == "no"
        out.pending_space = not joined
        if joined:
            out.add((element.tail or "").lstrip())
            return
    out.add(element.tail)


def _children_in_view(element, kind: str, view: str) -> list:
    """The children the text of `view` walks: a <choice>'s branch for the view, every child otherwise."""
    if kind != "choice":
        return list(element)
    child = choice_branch(element, view)
    return [] if child is None else [child]


def choice_branch(element, view: str):
    """The child of a <choice> that `view` shows ('reading': corr/reg/expan; else sic/orig/abbr), or None."""
    branch = "reading" if view == "reading" else "diplomatic"
    for child in element:
        name = local_name(child)
        behaviour = TABLE.lookup(child, name) if name else None
        if behaviour is not None and behaviour.choice == branch:
            return child
    return None


def view_text(element, view: str = "reading") -> str:
    """The normalised text of `element` (its own tail excluded) in the given view."""
    out = TextBuilder()
    walk(element, out, view, None, top=True)
    return out.text()


def passage_text(element) -> PassageText:
    """Reading and diplomatic text of a passage element, with spans in the reading text."""
    spans: list[Span] = []
    out = TextBuilder()
    walk(element, out, "reading", spans, top=True)
    spans.sort(key=lambda s: (s.start, -s.end))
    reading = out.text()
    # The two views differ only inside <choice>: without one, the diplomatic text is the reading text.
    has_choice = next(element.iterdescendants("{http://www.tei-c.org/ns/1.0}choice", "choice"), None) is not None
    diplomatic = view_text(element, "diplomatic") if has_choice else reading
    return PassageText(reading=reading, diplomatic=diplomatic, spans=spans)
