"""Nothing dropped in silence: how many words of a file's ``<text>`` the mapping placed (pure lxml, no Django).

The mapping (documents/tei/mapping.py) turns blocks of ``<text>`` into passages, notes and speaker labels;
whatever it does not place is not stored. `measure` compares the two, per file:

- *words in <text>*: the word tokens (``\\w+``) of every text node under each outermost ``<text>`` (the
  file's documents' texts; a teiCorpus has one per ``<TEI>``, included files counted too);
- *words stored*: the words of the elements the mapping placed, i.e. the elements a passage, a note or a
  speaker label was made from (found by their line and name in the FileData, in document order); a placed
  element's whole subtree is stored (its TEI fragment is), nested notes included;
- *a warning for every element not placed*: the outermost element of each part of ``<text>`` holding no
  placed element, e.g. ``file:1203:0: <head> not placed (outside any document): 7 words not imported ("CHAPTER
  I ...")``, and a container's own words between its placed children.

`completeness_percent` = stored / text x 100 (100 for a text without words). The importer service reports
it per file (documents/services/importer.py, FileResult.completeness), the bulk importer too.
Other placements (e.g. a collection's sections and headnotes) are passed as `extra` (line, name) pairs.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from . import local_name, tei
from .mapping_text import SKIP
from .mapping_types import FileData, Problem

WORD = re.compile(r"\w+")
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
SNIPPET_WORDS = 8


def count_words(text: str | None) -> int:
    return len(WORD.findall(text)) if text else 0


@dataclass
class Completeness:
    """Words of a file's <text> against the words its mapping placed, and a warning per unplaced part."""

    text_words: int = 0
    stored_words: int = 0
    warnings: list[Problem] = field(default_factory=list)

    @property
    def percent(self) -> float:
        return 100.0 if not self.text_words else 100.0 * self.stored_words / self.text_words

    @property
    def missing_words(self) -> int:
        return self.text_words - self.stored_words

    def describe(self) -> str:
        return f"{self.stored_words:,} of {self.text_words:,} words of <text> stored ({self.percent:.1f}%)"

    def lost_by_element(self) -> dict[str, int]:
        """Words not imported, by element name (the figures docs/importer.md gives)."""
        lost: Counter = Counter()
        for warning in self.warnings:
            match = re.match(r"<([^ >]+)", warning.message)
            words = re.search(r": ([\d,]+) words? not imported", warning.message)
            if match and words:
                lost[match.group(1)] += int(words.group(1).replace(",", ""))
        return dict(lost.most_common())


def placements(data: FileData) -> Counter:
    """(line, element name) of every element the mapping made something of: passages, notes, speakers."""
    placed: Counter = Counter()
    matter = data.collection.matter if getattr(data, "collection", None) is not None else None
    for doc in [*data.documents, *([matter] if matter is not None else [])]:  # the text outside documents too
        for passage in doc.passages:
            placed[(passage.line, passage.kind)] += 1
        for note in doc.notes:
            placed[(note.line, "note")] += 1
        for turn in doc.turns:
            if turn.speaker_label:
                placed[(turn.line, "#label")] += 1  # the turn's <speaker>, or the note before a <u>
    return placed


def _texts(root) -> list:
    """The outermost <text> elements (a <text> inside <group> or <floatingText> belongs to its outer one)."""
    return [t for t in root.iter(tei("text")) if next(t.iterancestors(tei("text")), None) is None]


def _placed_elements(texts: list, placed: Counter) -> set:
    found = set()
    for text in texts:
        for element in text.iter(etree.Element):
            key = (element.sourceline or 0, local_name(element))
            if placed[key] > 0:
                placed[key] -= 1
                found.add(element)
            elif local_name(element) in ("sp", "u") and placed[(element.sourceline or 0, "#label")] > 0:
                label = element.find(tei("speaker"))
                previous = element.getprevious()
                if label is None and previous is not None and local_name(previous) == "note":
                    label = previous  # Parla-CLARIN: <note type="speaker"> before the <u>
                if label is not None:
                    placed[(element.sourceline or 0, "#label")] -= 1
                    found.add(label)
    return found


def _subtree_words(element) -> int:
    return sum(count_words(t) for t in element.xpath(".//text()"))


def _own_words(element) -> int:
    return count_words(element.text) + sum(count_words(child.tail) for child in element)


def _file_of(element, path: str) -> str:
    """The file an element was read from: xml:base set by documents/tei/xinclude.py, else the file itself."""
    bases = [a.get(XML_BASE) for a in (element, *element.iterancestors()) if a.get(XML_BASE)]
    if not bases:
        return path
    folder = Path(path).parent
    for base in reversed(bases[1:]):
        folder = (folder / base).parent
    return str(folder / bases[0])


def _snippet(element) -> str:
    words = " ".join(" ".join(element.itertext()).split()).split(" ")
    text = " ".join(words[:SNIPPET_WORDS])
    return f"{text} ..." if len(words) > SNIPPET_WORDS else text


def _label(element) -> str:
    kind = element.get("type")
    return f"<{local_name(element)} type={kind!r}>" if kind else f"<{local_name(element)}>"


def measure(tree, data: FileData, extra: Iterable[tuple[int, str]] = ()) -> Completeness:
    """The completeness of one mapped file (see the module docstring); `extra`: further placed (line, name)."""
    root = tree.getroot() if hasattr(tree, "getroot") else tree
    texts = _texts(root)
    placed = placements(data)
    placed.update(extra)
    found = _placed_elements(texts, placed)
    holds_placed = {a for element in found for a in element.iterancestors()}
    result = Completeness()

    def warn(element, words: int, what: str) -> None:
        reason = "skipped by the mapping" if local_name(element) in SKIP else "not placed"
        message = f"{_label(element)} {what}{reason}: {words:,} word{'s' if words != 1 else ''} not imported"
        snippet = _snippet(element) if not what else ""
        result.warnings.append(Problem(_file_of(element, data.path), element.sourceline or 0, 0,
                                       f"{message} ({snippet!r})" if snippet else message))  # fmt: skip

    def visit(element) -> None:
        if not isinstance(element.tag, str):
            return
        words = _subtree_words(element)
        result.text_words += words if element in texts else 0
        if element in found:
            result.stored_words += words
            return
        if element not in holds_placed:
            if words:
                warn(element, words, "")
            return
        own = _own_words(element)
        if own:
            warn(element, own, "text between its parts ")
        for child in element:
            visit(child)

    for text in texts:
        visit(text)
    return result
