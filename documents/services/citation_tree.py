"""A document's citation tree: section -> turn -> paragraph, as DTS and the exports see it.

Built in three queries (sections, turns, passages) whatever the document's size. Units are
identified by their stable xml:ids (sections, turns) and anchors (passages), never by
position. Document order is the passages' order: a turn or section comes where its first
passage comes, so the tree does not depend on how the importer numbers turns and sections.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

logger = logging.getLogger(__name__)

SECTION, TURN, PARAGRAPH = "section", "turn", "paragraph"


@dataclass(eq=False)
class Unit:
    """A citable unit: one section, turn or passage of a document."""

    identifier: str
    cite_type: str
    pk: int
    title: str = ""
    parent: Unit | None = None
    children: list[Unit] = field(default_factory=list)
    level: int = 0
    position: float = float("inf")  # order of the first passage inside
    rank: int = 0  # tie-break: sections before turns before passages
    attrib: dict = field(default_factory=dict)

    @property
    def parent_identifier(self) -> str | None:
        return self.parent.identifier if self.parent else None


class CitationTree:
    """The units of one document, in document order (pre-order, depth first)."""

    def __init__(self, roots: list[Unit]):
        self.roots = roots
        self.units: list[Unit] = []
        self.by_identifier: dict[str, Unit] = {}
        self.index: dict[Unit, int] = {}
        self._flatten(roots, 1)

    def _flatten(self, units, level):
        for unit in units:
            unit.level = level
            self.index[unit] = len(self.units)
            self.units.append(unit)
            if unit.identifier in self.by_identifier:
                logger.warning("duplicate citation identifier %r; the first one is kept", unit.identifier)
            else:
                self.by_identifier[unit.identifier] = unit
            self._flatten(unit.children, level + 1)

    def get(self, identifier: str) -> Unit | None:
        return self.by_identifier.get(identifier)

    def last_descendant(self, unit: Unit) -> Unit:
        while unit.children:
            unit = unit.children[-1]
        return unit

    def subtree(self, unit: Unit) -> list[Unit]:
        """The unit and all its descendants, in document order."""
        return self.units[self.index[unit] : self.index[self.last_descendant(unit)] + 1]

    def span(self, start: Unit, end: Unit) -> list[Unit]:
        """Units from `start` through `end` and its descendants, in document order."""
        return self.units[self.index[start] : self.index[self.last_descendant(end)] + 1]

    def in_order(self, first: Unit, second: Unit) -> bool:
        return self.index[first] <= self.index[second]

    @property
    def depth(self) -> int:
        return max((u.level for u in self.units), default=0)

    def cite_structure(self) -> list[dict]:
        """DTS citeStructure: every parent/child type relation that occurs, as a nested list."""
        trie: dict = {}
        for unit in self.units:
            path, node = [], unit
            while node is not None:
                path.append(node.cite_type)
                node = node.parent
            level = trie
            for cite_type in reversed(path):
                level = level.setdefault(cite_type, {})

        def convert(level: dict) -> list[dict]:
            out = []
            for cite_type, children in level.items():
                item = {"@type": "CiteStructure", "citeType": cite_type}
                if children:
                    item["citeStructure"] = convert(children)
                out.append(item)
            return out

        return convert(trie)


def sorted_units(units: list[Unit]) -> list[Unit]:
    return sorted(units, key=lambda u: (u.position, u.rank))


def build_trees(documents) -> dict[int, CitationTree]:
    """Citation trees of many documents in three queries: {document pk: tree}."""
    from documents.models import Passage, Section, Turn

    documents = list(documents)
    ids = [d.pk for d in documents]
    sections: dict[int, Unit] = {}
    turns: dict[int, Unit] = {}
    passages: dict[int, list[Unit]] = {pk: [] for pk in ids}
    roots: dict[int, list[Unit]] = {pk: [] for pk in ids}
    for row in (
        Section.objects.filter(document__in=ids)
        .order_by("order", "pk")
        .values("id", "document_id", "xml_id", "heading", "kind", "parent_id")
    ):
        sections[row["id"]] = Unit(row["xml_id"], SECTION, row["id"], title=row["heading"], rank=0, attrib=row)
    for row in (
        Turn.objects.filter(document__in=ids)
        .order_by("order", "pk")
        .values("id", "document_id", "xml_id", "speaker_label", "who", "label_in_text", "section_id")
    ):
        turns[row["id"]] = Unit(row["xml_id"], TURN, row["id"], title=row["speaker_label"], rank=1, attrib=row)
    for row in (
        Passage.objects.filter(document__in=ids)
        .order_by("order", "pk")
        .values("id", "document_id", "anchor", "kind", "order", "turn_id", "section_id")
    ):
        passages[row["document_id"]].append(
            Unit(row["anchor"], PARAGRAPH, row["id"], rank=2, position=row["order"], attrib=row)
        )

    def attach(unit: Unit, parent: Unit | None):
        unit.parent = parent
        (parent.children if parent else roots[unit.attrib["document_id"]]).append(unit)

    for section in sections.values():
        attach(section, sections.get(section.attrib["parent_id"]))
    for turn in turns.values():
        attach(turn, sections.get(turn.attrib["section_id"]))
    for doc_passages in passages.values():
        for passage in doc_passages:
            parent = turns.get(passage.attrib["turn_id"]) or sections.get(passage.attrib["section_id"])
            attach(passage, parent)
            node = parent
            while node is not None and node.position > passage.position:
                node.position = passage.position
                node = node.parent

    def order(units: list[Unit]) -> list[Unit]:
        units[:] = sorted_units(units)
        for unit in units:
            order(unit.children)
        return units

    return {pk: CitationTree(order(roots[pk])) for pk in ids}


def build_tree(document) -> CitationTree:
    """The citation tree of one document (three queries whatever its size)."""
    return build_trees([document])[document.pk]
