"""Assembling a reader page: passages rendered with their notes, grouped into speaker turns.

The number of queries is fixed (document, passages with turns and speakers, notes,
participations, entities); nothing here queries per passage, note or mention.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.html import escape
from django.utils.safestring import mark_safe
from lxml import etree

from documents.exports.links import note_fragment
from documents.markup import render_note_body
from documents.models import Entity, Mention, Note, Passage, PassageLink, Turn
from documents.services.pointers import PointerResolver

from .handlers import url_key
from .passage import NoteMark, Rendered, render

logger = logging.getLogger("documents.render")

#: CSS classes of the sides (a speaker's affiliation, or its parent organisation), in order of appearance.
SIDE_CLASSES = ("side-a", "side-b", "side-c")
ROLE_ORDER = {"speaker": 0, "author": 1, "recipient": 2, "attendee": 3, "interpreter": 4, "minute-taker": 5}
#: In a passage's stored TEI (serialized by lxml: attributes in double quotes, '>' escaped in values):
XML_IDS = re.compile(r'\sxml:id="([^"]+)"')
REF_TARGET = re.compile(r'<ref\b[^>]*\starget="([^"\s]+)')
LINE_N = re.compile(r'^<l\b[^>]*\sn="([^"]*)"')


@dataclass
class NoteItem:
    note: Note
    number: int
    html_id: str
    body: str
    draft: bool
    label: str = ""  # the number shown: the source's note/@n when it has one, else `number`


@dataclass
class Row:
    """One passage on the page, with its rendered text and its notes."""

    passage: Passage
    html: str
    number: int
    html_id: str
    notes: list[NoteItem] = field(default_factory=list)
    partners: list[dict] = field(default_factory=list)
    show_speaker: bool = False  # first passage of a turn: the speaker label as written precedes it
    grid_row: int = 1  # the passage's row in its block's grid (wide screens)
    span: int = 1  # rows its notes may use: down to the next passage with notes in the block
    blocks: bool = False  # it holds blocks (a table, a list, paragraphs of a quotation): a <div> on the page
    line: str = ""  # a verse line's number (its @n, else counted)

    @property
    def tag(self):
        return passage_tag(self.passage.kind, self.blocks)


def passage_tag(kind: str, blocks: bool) -> str:
    """The HTML element of a passage on the page: <div> when it holds blocks, <h2> for a heading, <p> otherwise."""
    if blocks:
        return "div"
    return "h2" if kind == "head" else "p"


@dataclass
class Block:
    """Consecutive passages: a speaker turn, or text outside turns (heads, meta lines, the memorandum)."""

    turn: object | None
    rows: list[Row]
    side: dict | None = None
    roles: list[str] = field(default_factory=list)


def safe_render(passage, view, marks, url, slug, ref_url=None, id_prefix="") -> Rendered:
    """The passage rendered; if its stored TEI cannot be parsed, its plain text (and an error in the log)."""
    where = f" in {slug}#{passage.anchor}"
    try:
        return render(passage.tei, view, marks, url, where=where, ref_url=ref_url, id_prefix=id_prefix)
    except etree.XMLSyntaxError as exc:
        logger.error("render: the stored TEI of passage%s does not parse (%s); showing its plain text", where, exc)
        text = passage.reading_text if view == "reading" else passage.diplomatic_text
        return Rendered(escape(text))


def ids_on_page(passages) -> set[str]:
    """The ids a reader page of these passages has: passages, turns, and xml:ids inside them (page breaks)."""
    ids = {p.anchor for p in passages} | {p.turn.xml_id for p in passages if p.turn_id}
    for passage in passages:
        if "xml:id=" in passage.tei:
            ids.update(XML_IDS.findall(passage.tei))
    return ids


def reference_resolver(document, passages, prefix="", on_page=None):
    """<ref target> -> URL: '#id' of a passage, turn or page break on this page (#pg_5); an id of another
    document of the same file (a FRUS cross-reference to a page) or an edition file's pointer
    ('file.xml#id') through the PointerResolver (one query each at most), else None."""
    on_page = ids_on_page(passages) if on_page is None else on_page
    wanted = set()
    for passage in passages:
        if "<ref" in passage.tei:
            wanted.update(t for t in REF_TARGET.findall(passage.tei) if not (t.startswith("#") and t[1:] in on_page))
    pointers = PointerResolver(document).prefetch(f"]({t})" for t in sorted(wanted)).locate_elsewhere(on_page)

    here = f"{document.get_absolute_url()}#"  # what the resolver gives a local pointer it did not find

    def url(target: str):
        if target.startswith("#") and target[1:] in on_page:
            return f"#{prefix}{target[1:]}"
        found = pointers.urls.get(target) if target in wanted else None
        return None if found is None or (target.startswith("#") and found.startswith(here)) else found

    return url


def line_numbers(passages) -> dict[int, str]:
    """passage pk -> the number of a verse line passage (<l>): its @n, else one more than the line before."""
    numbers, last = {}, 0
    for passage in passages:
        if passage.kind != "l":
            continue
        match = LINE_N.match(passage.tei)
        given = " ".join(match.group(1).split()) if match else ""
        if given.isdigit():
            last = int(given)
        elif not given:
            last += 1
        numbers[passage.pk] = given or str(last)
    return numbers


def note_html_id(note: Note) -> str:
    """The id of the note on the page (shared with its permalink /notes/<uuid>/, see exports.links)."""
    return note_fragment(note)


def entity_resolver(entities: dict[str, Entity]):
    """ref -> URL of the entity page (or None), each URL reversed once per page."""
    urls: dict[str, str | None] = {}

    def url(ref: str):
        key = url_key(ref)
        if key not in urls:
            entity = entities.get(key)
            urls[key] = entity.get_absolute_url() if entity is not None else None
        return urls[key]

    return url


def document_entities(document) -> dict[str, Entity]:
    """Every entity mentioned in or speaking in the document, by key (one query)."""
    # Two subqueries, not an OR across joins: that joined every entity to all its mentions and turns
    # in the whole corpus before filtering (minutes per page at 100,000 documents on SQLite).
    mentioned = Mention.objects.filter(passage__document=document).values("entity_id")
    speaking = Turn.objects.filter(document=document, speaker__isnull=False).values("speaker_id")
    qs = Entity.objects.filter(Q(pk__in=mentioned) | Q(pk__in=speaking))
    return {e.key: e for e in qs.select_related("affiliation")}


def side_org(person):
    """The organisation a person speaks for: their affiliation, or its parent (a department's ministry)."""
    org = person.affiliation if person is not None and person.affiliation_id else None
    if org is not None and org.affiliation_id:
        org = org.affiliation
    return org


def sides_of(participations, passages) -> dict[int, dict]:
    """side organisation id -> {'class', 'name', 'entity'} in order of first appearance."""
    sides: dict[int, dict] = {}

    def add(org):
        if org is not None and org.pk not in sides:
            sides[org.pk] = {"class": SIDE_CLASSES[min(len(sides), 2)], "name": org.name, "entity": org}

    for part in participations:
        add(side_org(part.entity))
    for passage in passages:
        if passage.turn_id and passage.turn.speaker_id:
            add(side_org(passage.turn.speaker))
    return sides


def side_of(person, sides):
    org = side_org(person)
    return sides.get(org.pk) if org is not None else None


def layout_rows(rows: list[Row]) -> None:
    """Grid rows of a block: a passage's notes span the rows down to the next passage that has notes.

    Notes thus start level with their passage (never drift) and can never overlap another
    passage's notes (they are in other grid areas), while long notes use the margin beside the
    following passages instead of pushing them down.
    """
    with_notes = [i for i, row in enumerate(rows) if row.notes] + [len(rows)]
    for i, row in enumerate(rows):
        row.grid_row = i + 1
        row.span = max(1, next(j for j in with_notes if j > i) - i) if row.notes else 1
    for i, row in enumerate(rows):
        turn = row.passage.turn_id
        row.show_speaker = turn is not None and (i == 0 or rows[i - 1].passage.turn_id != turn)


def note_items(document, notes, passages, on_page=None) -> dict[int, list[NoteItem]]:
    """passage pk -> its notes, numbered in reading order and rendered by the one note renderer. A note
    is shown with the source's note/@n (Note.n) when it has one (FRUS numbers its footnotes per document); on
    such a page the notes without one (source notes, editors' notes) are marked a, b, c... so that no
    two notes share a mark."""
    order = {p.pk: p.order for p in passages}
    notes.sort(key=lambda n: (order.get(n.passage_id, 0), n.start is None, n.end or 0, n.start or 0, n.created))
    by_passage: dict[int, list[NoteItem]] = {}
    pointers = PointerResolver(document).prefetch(n.body for n in notes)
    if on_page is not None:  # '#pg_591' of another document of the volume: to that document's page
        pointers.locate_elsewhere(on_page)
    for number, note in enumerate(notes, 1):
        item = NoteItem(
            note=note,
            number=number,
            html_id=note_html_id(note),
            body=mark_safe(render_note_body(note.body, document, pointers)),  # noqa: S308 -- sanitized by nh3
            draft=note.status == Note.Status.DRAFT,
            label=note.n,
        )
        by_passage.setdefault(note.passage_id, []).append(item)
    items = [item for row in by_passage.values() for item in row]
    if any(item.label for item in items):  # the source's numbers are shown: the other notes get letters
        unnumbered = sorted((item for item in items if not item.label), key=lambda item: item.number)
        for i, item in enumerate(unnumbered):
            item.label = letters(i)
    for item in items:
        item.label = item.label or str(item.number)
    return by_passage


def letters(i: int) -> str:
    """0 -> 'a', 25 -> 'z', 26 -> 'aa': the marks of notes the source did not number, beside its numbers."""
    out = ""
    i += 1
    while i:
        i, rest = divmod(i - 1, 26)
        out = chr(ord("a") + rest) + out
    return out


def blocks_of(rows: list[Row], sides, roles_by_entity) -> list[Block]:
    """Consecutive rows grouped into speaker turns and runs of text outside turns."""
    blocks: list[Block] = []
    for row in rows:
        turn = row.passage.turn if row.passage.turn_id else None
        last = blocks[-1].turn if blocks else False
        if blocks and ((last is None and turn is None) or (last and turn is not None and last.pk == turn.pk)):
            blocks[-1].rows.append(row)
            continue
        block = Block(turn=turn, rows=[row])
        if turn is not None and turn.speaker_id:
            block.side = side_of(turn.speaker, sides)
            block.roles = roles_by_entity.get(turn.speaker_id, [])
        blocks.append(block)
    return blocks


def reader_context(document, *, user, view="reading", speaker=None, page=None) -> dict:
    """Everything the reader page shows, in a fixed number of queries (see the module docstring).

    page: a ReaderPage (documents/render/reader_pages.py): only its passages and their notes are shown."""
    passages = document.passages.for_reader()
    notes = Note.objects.visible_to(user).filter(document=document, passage__isnull=False)
    if page is not None and page.paged:
        passages = passages.filter(order__gte=page.start, order__lt=page.end)
        notes = notes.filter(passage__order__gte=page.start, passage__order__lt=page.end)
    passages, notes = list(passages), list(notes.order_by("created"))
    first_number = page.first_number if page is not None else 1
    participations = list(document.participations.select_related("entity__affiliation__affiliation").order_by("order"))
    entities = document_entities(document)
    sides = sides_of(participations, passages)
    on_page = ids_on_page(passages)
    by_passage = note_items(document, notes, passages, on_page)
    url = entity_resolver(entities)
    refs = reference_resolver(document, passages, on_page=on_page)
    lines = line_numbers(passages)
    rows = []
    for number, passage in enumerate(passages, first_number):
        items = by_passage.get(passage.pk, [])
        marks = [NoteMark(i.html_id, i.label, i.note.start, i.note.end, i.draft) for i in items]
        out = safe_render(passage, view, marks, url, document.slug, refs)
        html = mark_safe(out.html)  # noqa: S308 -- built as an lxml tree by the renderer
        rows.append(Row(passage=passage, html=html, number=number, html_id=passage.anchor, notes=items,
                        blocks=out.blocks, line=lines.get(passage.pk, "")))  # fmt: skip
    speakers: dict[str, Entity] = {}
    for passage in passages:
        if passage.turn_id and passage.turn.speaker_id:
            speakers.setdefault(passage.turn.speaker.key, passage.turn.speaker)
    roles_by_entity: dict[int, list[str]] = {}
    for part in participations:
        roles_by_entity.setdefault(part.entity_id, []).append(part.description or part.role)
    blocks = blocks_of(rows, sides, roles_by_entity)
    if speaker:
        blocks = [b for b in blocks if b.turn is not None and b.turn.speaker_id and b.turn.speaker.key == speaker]
    for block in blocks:
        layout_rows(block.rows)
    participants = [
        {"participation": part, "entity": part.entity, "side": side_of(part.entity, sides)}
        for part in sorted(participations, key=lambda p: (ROLE_ORDER.get(p.role, 9), p.order))
    ]
    return {
        "document": document,
        "blocks": blocks,
        "participants": participants,
        "sides": list(sides.values()),
        "speakers": list(speakers.values()),
        "speaker": speakers.get(speaker) if speaker else None,
        "speaker_key": speaker or "",
        "view": view,
        "entities": sorted(entities.values(), key=lambda e: e.key),
        "note_count": len(notes),
    }


# -- side by side -------------------------------------------------------------------------------
def compare_column(document, view, prefix, partner_prefix, partners, other, other_document=None) -> dict:
    """One column of the compare page: rows without notes, each with its partner anchors."""
    passages = list(document.passages.select_related("turn__speaker").order_by("order"))
    entities = document_entities(document)
    url = entity_resolver(entities)
    refs = reference_resolver(document, passages, prefix=f"{prefix}-")
    lines = line_numbers(passages)
    rows = []
    same = other_document is None or other_document.pk == document.pk
    label = "" if same else other_document.get_kind_display()
    previous_turn = None
    for number, passage in enumerate(passages, 1):
        out = safe_render(passage, view, (), url, document.slug, refs, id_prefix=f"{prefix}-")
        html = mark_safe(out.html)  # noqa: S308 -- built as an lxml tree by the renderer
        row = Row(passage=passage, html=html, number=number, html_id=f"{prefix}-{passage.anchor}", blocks=out.blocks,
                  line=lines.get(passage.pk, ""))  # fmt: skip
        row.show_speaker = passage.turn_id is not None and passage.turn_id != previous_turn
        previous_turn = passage.turn_id
        row.partners = [
            {"id": f"{partner_prefix}-{anchor}", "anchor": anchor, "number": other.get(anchor), "label": label}
            for anchor in partners.get(passage.anchor, [])
        ]
        rows.append(row)
    return {"document": document, "view": view, "rows": rows, "prefix": prefix, "entities": entities}


def linked_pairs(left, right) -> list[tuple[str, str]]:
    """(left anchor, right anchor) of every published link between the two documents, both directions."""
    if left.pk == right.pk:
        return [(a, a) for a in left.passages.order_by("order").values_list("anchor", flat=True)]
    links = PassageLink.objects.filter(status=Note.Status.PUBLISHED).filter(
        source_document__in=[left, right], target_document__in=[left, right]
    )
    pairs = []
    for link in links.only("source_document_id", "target_document_id", "source_anchor", "target_anchor"):
        if link.source_document_id == left.pk and link.target_document_id == right.pk:
            pairs.append((link.source_anchor, link.target_anchor))
        elif link.source_document_id == right.pk and link.target_document_id == left.pk:
            pairs.append((link.target_anchor, link.source_anchor))
    return pairs


def compare_context(left, right, left_view, right_view) -> dict:
    pairs = linked_pairs(left, right)
    to_right: dict[str, list[str]] = {}
    to_left: dict[str, list[str]] = {}
    for a, b in pairs:
        to_right.setdefault(a, []).append(b)
        to_left.setdefault(b, []).append(a)
    left_numbers = left.passages.anchor_numbers()
    right_numbers = left_numbers if left.pk == right.pk else right.passages.anchor_numbers()
    left_col = compare_column(left, left_view, "l", "r", to_right, right_numbers, right)
    right_col = compare_column(right, right_view, "r", "l", to_left, left_numbers, left)
    return {
        "left": left_col,
        "right": right_col,
        "pair_count": len(pairs),
        "entities": sorted({**left_col["entities"], **right_col["entities"]}.values(), key=lambda e: e.key),
    }
