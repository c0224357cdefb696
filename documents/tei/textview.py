"""The two texts of a passage, computed from its TEI fragment.

- **diplomatic**: the witness as written: `<sic>`, `<orig>`, `<abbr>` inside `<choice>`; the
  translator's `<supplied>` words in square brackets, as the witness prints them.
- **reading**: the edited text: `<corr>`, `<reg>`, `<expan>` inside `<choice>`; supplied words
  in square brackets too (the brackets are the translator's, part of the translation).

Both drop `<note>` (an inline note is reported as a zero-width span at its place), `<speaker>`
(it is the turn's label, not the passage's text), `<fw>` and
`<figDesc>`, and normalise white space (runs collapse to one space; ends stripped). Spans of
entity mentions, dates and `xml:id`-bearing elements are reported as offsets into the
*reading* text, the coordinate system of editorial notes (W3C TextPositionSelector).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import XML_ID, local_name

#: Elements whose content is not part of a passage's text.
DROP = frozenset({"note", "speaker", "fw", "figDesc", "teiHeader", "interpGrp", "linkGrp", "link"})
#: Inside <choice>: which child each view keeps.
READING_CHOICE = frozenset({"corr", "reg", "expan"})
DIPLOMATIC_CHOICE = frozenset({"sic", "orig", "abbr"})
#: Elements that mark a mention of an entity (by @ref, @corresp or @key).
MENTION = frozenset({"persName", "placeName", "orgName", "geogName", "name", "rs"})


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


class _Builder:
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
            self._emit(" ".join(words))  # runs of white space inside the text collapse to one space
        if text[-1].isspace():
            self.pending_space = True

    def _emit(self, chunk: str):
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


def _walk(element, out: _Builder, view: str, spans: list[Span] | None, top: bool):
    name = local_name(element)
    if not top:
        if name in DROP or not name:
            if name == "note" and spans is not None:
                # An inline note is a point in the text (exact="", start=end), e.g. a footnote marker.
                spans.append(Span(name, out.length, out.length, dict(element.attrib), element))
            out.add(element.tail)
            return
    start = out.mark()
    if name == "supplied":
        out.add("[")
        out.pending_space = False
    out.add(element.text)
    if name == "supplied":
        out.pending_space = False
    if name == "choice":
        keep = READING_CHOICE if view == "reading" else DIPLOMATIC_CHOICE
        for child in element:
            if local_name(child) in keep:
                _walk(child, out, view, spans, top=False)
                break
    else:
        for child in element:
            _walk(child, out, view, spans, top=False)
    if name == "supplied":
        out.pending_space = False
        out.add("]")
    end = out.length
    if spans is not None and not top and (name in MENTION or name == "date" or XML_ID in element.attrib):
        spans.append(Span(name, min(start, end), end, dict(element.attrib), element))
    if not top:
        out.add(element.tail)


def view_text(element, view: str = "reading") -> str:
    """The normalised text of `element` (its own tail excluded) in the given view."""
    out = _Builder()
    _walk(element, out, view, None, top=True)
    return out.text()


def passage_text(element) -> PassageText:
    """Reading and diplomatic text of a passage element, with spans in the reading text."""
    spans: list[Span] = []
    out = _Builder()
    _walk(element, out, "reading", spans, top=True)
    spans.sort(key=lambda s: (s.start, -s.end))
    reading = out.text()
    # The two views differ only inside <choice>: without one, the diplomatic text is the reading text.
    has_choice = next(element.iterdescendants("{http://www.tei-c.org/ns/1.0}choice", "choice"), None) is not None
    diplomatic = view_text(element, "diplomatic") if has_choice else reading
    return PassageText(reading=reading, diplomatic=diplomatic, spans=spans)
