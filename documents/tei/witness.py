"""The edition's documents rendered back as the witness prints them (for fidelity checks).

`diplomatic_lines(tree)` walks a parsed document file of the edition and yields one line per
line of the witness: each heading, each paragraph, each meta line, each speaker turn's label
followed by its first paragraph (the witness prints them on one line), each further paragraph
of a turn, and the closer. The text of every line is the passage's diplomatic text as defined by
`documents.tei.textview` (slips uncorrected, the translator's brackets printed, notes dropped).
Pure: no database, no HTML.
"""

from __future__ import annotations

from . import local_name, tei
from .textview import view_text

#: Elements that are one line of the witness each.
LINE_ELEMENTS = frozenset({"head", "p", "ab", "closer"})


def _body(tree):
    root = tree.getroot() if hasattr(tree, "getroot") else tree
    body = root.find(f"{tei('text')}/{tei('body')}")
    if body is None:
        raise ValueError("not a TEI document: no text/body")
    return body


def _lines_of(element, lines: list[str]) -> None:
    name = local_name(element)
    if name == "sp":
        speaker = element.find(tei("speaker"))
        label = view_text(speaker, "diplomatic") if speaker is not None else ""
        paragraphs = [child for child in element if local_name(child) in LINE_ELEMENTS]
        if not paragraphs:
            lines.append(label)
            return
        first, *rest = paragraphs
        lines.append(" ".join(part for part in (label, view_text(first, "diplomatic")) if part))
        lines.extend(view_text(p, "diplomatic") for p in rest)
    elif name in LINE_ELEMENTS:
        lines.append(view_text(element, "diplomatic"))
    elif name == "div" or name == "body":
        for child in element:
            _lines_of(child, lines)
    # Anything else (notes, comments, milestones) is not a line of the witness.


def diplomatic_lines(tree) -> list[str]:
    """The document's body as the witness prints it: one string per non-blank witness line.

    `tree` is a parsed TEI document (an ElementTree or its root element).
    """
    lines: list[str] = []
    for child in _body(tree):
        _lines_of(child, lines)
    return lines
