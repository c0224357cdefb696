"""The text of a document: sections (<div>), speaker turns (<sp>, <u who>) and passages.

A passage is a block element carrying text: <p>, <head>, <ab>, <closer>, <dateline>, <item>, ...
A table, a list, a cast list and a block quotation are one passage each (their rows, items and
paragraphs are rendered inside it, as the encoders nested them); a line group is a container whose
lines are passages. Any other element is a container if it holds only block children (no text of
its own), otherwise it is a passage too, so that unknown elements keep their text. Inline notes
become point notes; a block-level note (a FRUS source note) is a point at the start of the next
passage. A block-level page break or gap (between paragraphs) goes into the next passage, before its
first word (the document's last ones after the last passage's last word), so the reader shows it and
`#pg_5` resolves: the same place in the text, one level down in the tree.
"""

from __future__ import annotations

from copy import deepcopy
from datetime import date as _date

from lxml import etree

from . import XML_ID, local_name, tei
from .mapping_notes import Target, point_note, resolve_note_target
from .mapping_refs import FileContext, IdAllocator, line_of
from .mapping_speakers import add_detected_turn
from .mapping_types import DateData, DocumentData, MentionData, PassageData, SectionData, TurnData
from .mapping_unpointed import is_unpointed, unpointed_mention
from .textview import MENTION, passage_text, view_text

PASSAGE = frozenset(
    {"p", "head", "ab", "closer", "opener", "dateline", "salute", "signed", "byline", "docDate", "docAuthor",
     "docTitle", "trailer", "l", "item", "label", "table", "bibl", "stage", "castList", "address", "argument",
     "list", "quote", "q"}
)
#: Block-level milestones carried into the next passage (they carry no text of their own).
CARRIED = frozenset({"pb", "gap"})
SECTION = frozenset({"div", "div1", "div2", "div3", "div4", "div5", "div6", "div7"})
TURN = frozenset({"sp", "u"})
#: Block-level elements that carry no text of the document.
SKIP = frozenset(
    {"teiHeader", "lb", "cb", "milestone", "anchor", "fw", "listEvent", "standOff", "facsimile",
     "sourceDoc", "interpGrp", "linkGrp", "link", "spanGrp", "listPerson", "listPlace", "listOrg", "listRelation",
     "graphic", "figDesc", "speaker", "timeline", "join", "joinGrp", "media", "binaryObject", "listPrefixDef"}
)
BLOCKISH = PASSAGE | SECTION | TURN | {"note", "list", "lg", "quote", "figure", "floatingText", "group", "text",
                                       "body", "front", "back", "seg"}


def _has_own_text(element) -> bool:
    if element.text and element.text.strip():
        return True
    return any(child.tail and child.tail.strip() for child in element)


def _is_container(element) -> bool:
    """No text of its own and at least one block-level child."""
    if _has_own_text(element):
        return False
    return any(local_name(child) in BLOCKISH for child in element)


def iso_date(value: str | None) -> str | None:
    """YYYY-MM-DD from @when (a time part is dropped); None for partial or invalid dates."""
    if not value or len(value) < 10:
        return None
    try:
        return _date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        return None


class TextMapper:
    """Walks one document's text and fills a DocumentData's sections, turns, passages and notes."""

    def __init__(self, ctx: FileContext, doc: DocumentData, scope):
        self.ctx = ctx
        self.doc = doc
        self.ids = IdAllocator(ctx, scope)
        self.targets: dict[str, Target] = {}
        self.texts: dict[str, str] = {}
        self.elements: dict = {}  # anchor -> passage element (string-range() counts its string value)
        self.pending_notes: list = []  # block-level notes waiting for the next passage
        self.carried: list = []  # block-level page breaks and gaps waiting for the next passage
        self.targeted_notes: list = []  # <note target> elements, resolved at the end
        self.labels: dict[int, str] = {}  # id(u element) -> label from a preceding <note type="speaker">

    # -- walking ----------------------------------------------------------------------------
    def walk_children(self, element, parent_id: str, section: str | None, turn: str | None) -> None:
        children = [c for c in element if isinstance(c.tag, str)]
        for i, child in enumerate(children):
            name = local_name(child)
            if name == "note" and child.get("type") == "speaker" and not child.get("target"):
                nxt = children[i + 1] if i + 1 < len(children) else None
                if nxt is not None and local_name(nxt) == "u":
                    # Parla-CLARIN: the speaker's label as printed, before the utterance.
                    self.labels[id(nxt)] = view_text(child)
                    continue
            self.walk(child, parent_id, section, turn)

    def walk(self, element, parent_id: str, section: str | None, turn: str | None) -> None:
        name = local_name(element)
        if not name or name in SKIP:
            return
        if name in CARRIED:
            self.carried.append(element)
            return
        if name == "note":
            if element.get("target"):
                self.targeted_notes.append(element)
            else:
                self.pending_notes.append(element)
            return
        if name in SECTION:
            self.add_section(element, parent_id, section, turn)
        elif name in TURN:
            self.add_turn(element, parent_id, section)
        elif turn is None and self.ctx.detect_speakers and add_detected_turn(self, element, parent_id, section):
            pass  # a paragraph beginning 'NAME:' is a speaker turn of its own (mapping_speakers.py)
        elif name in PASSAGE or not _is_container(element):
            self.add_passage(element, parent_id, section, turn)
        else:
            ident = element.get(XML_ID)
            self.walk_children(element, ident or parent_id, section, turn)
            if ident:
                self._point_at_first_passage_after(ident, len(self.doc.passages))

    def _point_at_first_passage_after(self, ident: str, index_before: int) -> None:
        """An id on a container or turn resolves to its first passage (as a whole)."""
        if ident in self.targets or index_before >= len(self.doc.passages):
            return
        self.targets[ident] = Target(self.doc.passages[index_before].anchor)

    def add_section(self, element, parent_id, section, turn) -> None:
        head = element.find(tei("head"))
        heading = view_text(head) if head is not None else ""
        kind = element.get("type") or ""
        xml_id = self.ids.take(element, parent_id, "div", f"{kind} {heading}")
        self.doc.sections.append(
            SectionData(xml_id=xml_id, kind=kind, heading=heading[:500], order=len(self.doc.sections), parent=section)
        )
        before = len(self.doc.passages)
        self.walk_children(element, xml_id, xml_id, turn)
        self._point_at_first_passage_after(xml_id, before)

    def add_turn(self, element, parent_id, section) -> None:
        name = local_name(element)
        who = element.get("who") or ""
        refs = self.ctx.resolve(who, element, "who")
        speaker = element.find(tei("speaker"))
        label = view_text(speaker) if speaker is not None else self.labels.get(id(element), "")
        # The turn's whole text is only computed when it has no xml:id to keep.
        xml_id = self.ids.take(element, parent_id, name, lambda: f"{who} {label} {view_text(element)[:200]}")
        self.doc.turns.append(
            TurnData(
                xml_id=xml_id,
                who=who[:300],
                speaker=refs[0] if refs else None,
                speaker_label=label[:300],
                order=len(self.doc.turns),
                section=section,
                line=line_of(element),
            )
        )
        before = len(self.doc.passages)
        if _is_container(element) or not _has_own_text(element):
            self.walk_children(element, xml_id, section, xml_id)
        else:
            self.add_passage(element, xml_id, section, xml_id, as_turn=True)
        self._point_at_first_passage_after(xml_id, before)

    # -- passages ---------------------------------------------------------------------------
    def with_carried(self, element):
        """`element`, or a copy of it that begins with the page breaks and gaps carried to it."""
        if not self.carried:
            return element
        copy = deepcopy(element)
        text, copy.text = copy.text, None
        for i, milestone in enumerate(self.carried):
            carried = deepcopy(milestone)
            carried.tail = None
            copy.insert(i, carried)
        copy[len(self.carried) - 1].tail = text
        return copy

    def add_passage(self, element, parent_id, section, turn, as_turn: bool = False) -> None:
        pt = passage_text(element)
        all_notes = [n for n in element.iter(tei("note")) if n is not element]
        if not pt.reading and not pt.diplomatic and not all_notes:
            return
        if self.carried:
            element = self.with_carried(element)
            self.carried = []
            pt = passage_text(element)
            all_notes = [n for n in element.iter(tei("note")) if n is not element]
        kind = local_name(element)
        anchor = (
            self.ids.take(None, parent_id, kind, pt.reading)
            if as_turn
            else self.ids.take(element, parent_id, kind, pt.reading)
        )
        passage = PassageData(
            anchor=anchor,
            kind=kind[:50],
            order=len(self.doc.passages),
            tei=etree.tostring(element, encoding="unicode", with_tail=False),
            reading=pt.reading,
            diplomatic=pt.diplomatic,
            section=section,
            turn=turn,
            line=line_of(element),
        )
        self.doc.passages.append(passage)
        self.texts[anchor] = pt.reading
        self.elements[anchor] = element
        self.targets[anchor] = Target(anchor)
        self.add_spans(passage, pt)
        self.place_notes(element, anchor, pt, all_notes)

    def add_spans(self, passage: PassageData, pt) -> None:
        """The passage's id-bearing elements (note targets), entity mentions and dates."""
        for span in pt.spans:
            if span.element == "note":
                continue
            ident = span.attrib.get(XML_ID)
            if ident and ident not in self.targets:
                self.targets[ident] = Target(passage.anchor, span.start, span.end)
            if span.element in MENTION and is_unpointed(self.ctx, span):
                passage.mentions.append(unpointed_mention(self.ctx, span, pt.reading))
            elif span.element in MENTION:
                pointer = span.attrib.get("ref") or span.attrib.get("corresp")
                for ref in self.ctx.resolve(pointer, span.node, "ref" if span.attrib.get("ref") else "corresp"):
                    passage.mentions.append(
                        MentionData(
                            ref=ref,
                            text=pt.reading[span.start : span.end][:500],
                            start=span.start,
                            end=span.end,
                            element=span.element,
                            type=span.attrib.get("type") or "",
                        )
                    )
            elif span.element == "date":
                when = iso_date(span.attrib.get("when") or span.attrib.get("when-iso"))
                if when:
                    passage.dates.append(
                        DateData(
                            when=when, text=pt.reading[span.start : span.end][:200], start=span.start, end=span.end
                        )
                    )

    def place_notes(self, element, anchor: str, pt, all_notes: list) -> None:
        """Notes waiting before this passage point at its start; inline notes at their place."""
        for note in self.pending_notes:
            self._add_point(note, anchor, pt.reading, 0)
        self.pending_notes = []
        placed = set()
        for span in pt.spans:
            if span.element != "note":
                continue
            placed.add(span.node)
            if span.node.get("target"):
                self.targeted_notes.append(span.node)
            else:
                self._add_point(span.node, anchor, pt.reading, span.start)
        for note in all_notes:  # notes the reading view does not reach (e.g. inside <sic>)
            if note not in placed and not any(a in placed for a in note.iterancestors(tei("note"))):
                if note.getparent() is not None and local_name(note.getparent()) != "note":
                    self._add_point(note, anchor, pt.reading, len(pt.reading))

    def _add_point(self, element, anchor: str, text: str, position: int) -> None:
        xml_id = self.ids.take(element, anchor, "note", lambda: view_text(element))
        self.doc.notes.append(point_note(self.ctx, element, xml_id, anchor, text, position))

    # -- the end ----------------------------------------------------------------------------
    def finish(self) -> None:
        """Place trailing block notes and milestones, resolve targeted notes, drop empty sections."""
        if self.carried and self.doc.passages:
            last = self.doc.passages[-1]
            element = deepcopy(self.elements[last.anchor])  # the parsed tree itself is never changed
            self.elements[last.anchor] = element
            for milestone in self.carried:
                carried = deepcopy(milestone)
                carried.tail = None
                element.append(carried)
            last.tei = etree.tostring(element, encoding="unicode", with_tail=False)
        self.carried = []
        if self.pending_notes:
            if self.doc.passages:
                last = self.doc.passages[-1]
                for note in self.pending_notes:
                    self._add_point(note, last.anchor, last.reading, len(last.reading))
            else:
                for note in self.pending_notes:
                    self.ctx.issue(note, "note outside any passage: the document has no text to attach it to")
            self.pending_notes = []
        for element in self.targeted_notes:
            note = resolve_note_target(self.ctx, element, self.targets, self.texts, self.elements)
            if note is not None:
                note.xml_id = self.ids.take(element, note.anchor, "note", note.body) if not note.xml_id else note.xml_id
                self.doc.notes.append(note)
        used = {p.section for p in self.doc.passages if p.section} | {t.section for t in self.doc.turns if t.section}
        parents = {s.xml_id: s.parent for s in self.doc.sections}
        keep = set()
        for ident in used:
            while ident and ident not in keep:
                keep.add(ident)
                ident = parents.get(ident)
        self.doc.sections = [s for s in self.doc.sections if s.xml_id in keep]
