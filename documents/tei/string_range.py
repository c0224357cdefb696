"""TEI `string-range()` offsets as the Guidelines define them, and the reading text's offsets.

TEI P5 16.2.4.5: `string-range(pointer, offset, length)` counts characters of the *string value*
of the element `pointer` names (XPath `string()`: every descendant text node, in document order),
from 0. The edition's own offsets (notes, mentions) are in the passage's *reading text*
(documents/tei/textview.py), which drops `<sic>`, inline `<note>`s and the like, normalises white
space and adds the brackets of `<supplied>`. `ReadingMap` walks a passage exactly as textview's
reading view does and records, for each reading character, where it comes from in the string
value, so offsets convert both ways:

- `to_string_range(start, end)`: reading span -> (offset, length) in the string value, for export;
- `from_string_range(offset, length)`: the reverse, for import. Generated characters (the brackets
  of `<supplied>`) sit half a position outside the words they enclose, so a range that covers a
  supplied element's words from its first to its last character brings its brackets with it.
"""

from __future__ import annotations

import math
import re

from . import local_name
from .elements import BLOCK_KINDS, TABLE
from .textview import DROP, READING_CHOICE

_WORD = re.compile(r"\S+")


class ReadingMap:
    def __init__(self, element):
        self.chars: list[str] = []
        self.positions: list[float] = []  # string-value position of each reading character
        self.sv = 0  # string-value characters seen so far
        self.pending: float | None = None  # a space to write before the next word (its position)
        self._walk(element, top=True)
        self.string_length = self.sv

    # -- building (the rules of textview._walk / _Builder, reading view) -------------------------
    def _emit(self, char: str, position: float) -> None:
        if self.pending is not None and self.chars:
            self.chars.append(" ")
            self.positions.append(self.pending)
        self.pending = None
        self.chars.append(char)
        self.positions.append(position)

    def _text(self, text: str | None, kept: bool = True) -> None:
        if not text:
            return
        base = self.sv
        self.sv += len(text)
        if not kept:
            return
        words = list(_WORD.finditer(text))
        if words and text[0].isspace() and self.pending is None:
            self.pending = base
        for i, word in enumerate(words):
            if i:
                self.pending = base + words[i - 1].end()
            for j, char in enumerate(word.group()):
                self._emit(char, base + word.start() + j)
        if text[-1].isspace():
            self.pending = base + (words[-1].end() if words else 0)

    def _skip(self, element) -> None:
        """Count an element's string value (its tail excluded) without writing it."""
        if isinstance(element.tag, str):  # comments and processing instructions have no string value
            self.sv += len(element.text or "")
            for child in element:
                self._skip(child)
                self.sv += len(child.tail or "")

    def _space_here(self) -> None:
        """A space between two blocks (or at a line break) that the string value does not have."""
        if self.pending is None:
            self.pending = self.sv

    def _walk(self, element, top: bool) -> None:
        name = local_name(element)
        if not top and (name in DROP or not name):
            self._skip(element)
            self._text(element.tail)
            return
        kind = TABLE.kind_of(element, name)
        if kind in BLOCK_KINDS and not top:  # as textview.walk: a block's words never run into its neighbours'
            self._space_here()
        if name == "supplied":
            self._emit("[", self.sv - 0.5)
            self.pending = None
        self._text(element.text)
        if name == "supplied":
            self.pending = None
        if name == "choice":  # as textview: the kept branch (with its tail), nothing after it
            children = list(element)
            kept = next((c for c in children if local_name(c) in READING_CHOICE), None)
            for child in children:
                if child is kept:
                    self._walk(child, top=False)
                else:
                    self._skip(child)
                    self.sv += len(child.tail or "")
        else:
            for child in element:
                self._walk(child, top=False)
        if name == "supplied":
            self.pending = None
            self._emit("]", self.sv - 0.5)
        if not top:
            if kind in BLOCK_KINDS:
                self._space_here()
            self._tail(element, kind)

    def _tail(self, element, kind: str) -> None:
        """As textview._add_tail: after <lb/> a space, unless break="no" joins the words (and the white
        space around it)."""
        tail = element.tail or ""
        if kind == "break" and element.get("break") == "no":
            self.pending = None
            stripped = tail.lstrip()
            self.sv += len(tail) - len(stripped)
            self._text(stripped)
            if not stripped:
                self.pending = None
            return
        if kind == "break":
            self._space_here()
        self._text(tail)

    # -- conversions ------------------------------------------------------------------------------
    @property
    def reading(self) -> str:
        return "".join(self.chars)

    def to_string_range(self, start: int, end: int) -> tuple[int, int]:
        """A span of the reading text as (offset, length) in the element's string value."""
        if end > start:
            first = math.ceil(self.positions[start])
            last = math.floor(self.positions[end - 1])
            return first, max(0, last + 1 - first)
        if start < len(self.positions):  # a point: just before the next reading character
            point = math.ceil(self.positions[start]) if start == 0 else math.floor(self.positions[start - 1]) + 1
        else:
            point = math.floor(self.positions[-1]) + 1 if self.positions else 0
        return point, 0

    def from_string_range(self, offset: int, length: int) -> tuple[int, int]:
        """(offset, length) in the string value as a (start, end) span of the reading text."""
        if length == 0:
            before = sum(1 for p in self.positions if p < offset)
            return before, before
        stop = offset + length
        keep = []
        for i, (char, p) in enumerate(zip(self.chars, self.positions, strict=True)):
            if p % 1 == 0:
                inside = offset <= p < stop
            elif char == "[":  # comes with the first supplied character
                inside = offset <= p + 0.5 < stop
            else:  # "]" comes with the last one
                inside = offset < p + 0.5 <= stop
            if inside:
                keep.append(i)
        if not keep:
            before = sum(1 for p in self.positions if p < offset)
            return before, before
        start, end = keep[0], keep[-1] + 1
        while start < end and self.chars[start] == " ":  # a range never starts or ends on a space
            start += 1
        while end > start and self.chars[end - 1] == " ":
            end -= 1
        return start, end
