"""The passage renderer: walks a TEI fragment, builds an lxml HTML tree, places note markers.

What each element becomes is decided by the one element table (`documents.tei.elements`) and the
HTML of each kind (`documents.render.handlers`). Text goes through the same white-space
normalisation as `documents.tei.textview` (its `TextBuilder` is reused), so every character written
has a known offset in the *reading* text -- the coordinate system of `Note.start/end`. In the
diplomatic view the reading offset is tracked alongside (a shadow builder fed the reading branch of
each `<choice>`), so markers stay with their words there too.
"""

from __future__ import annotations

import html
import logging
from dataclasses import dataclass

from django.utils.translation import gettext as _
from lxml import etree

from documents.tei import local_name
from documents.tei.elements import TABLE
from documents.tei.parser import parse_fragment
from documents.tei.textview import TextBuilder

from .handlers import KIND_HANDLERS, has_text

logger = logging.getLogger("documents.render")

VIEWS = ("reading", "diplomatic")


@dataclass(frozen=True)
class NoteMark:
    """What the renderer needs to know about a note: its html id, number and span (reading offsets)."""

    html_id: str
    number: int | str  # shown: the source's note/@n, or the count
    start: int | None = None  # None: a note on the whole passage (marker at the end)
    end: int | None = None
    draft: bool = False


class _Text(TextBuilder):
    """textview's builder, plus: a space written early (before an element opens) is not written twice."""

    def __init__(self):
        super().__init__()
        self.ends_with_space = False

    def emit(self, chunk: str):
        if self.ends_with_space:
            self.pending_space = False
        space = " " if self.pending_space and self.length else ""
        start = self.length
        super().emit(chunk)
        self.ends_with_space = not chunk and bool(space) or (self.ends_with_space and not chunk)
        return space, start


class _Flow(_Text):
    """The displayed text; every emitted chunk is handed to the renderer with its offset."""

    def __init__(self, renderer):
        super().__init__()
        self.renderer = renderer

    def emit(self, chunk: str):
        space, start = super().emit(chunk)
        if space or chunk:
            self.renderer.write(space + chunk, start)


class Renderer:
    """One rendering of one passage. Not reusable."""

    def __init__(self, view="reading", notes=(), entity_url=None, warn_context="", ref_url=None, id_prefix=""):
        if view not in VIEWS:
            raise ValueError(f"unknown view {view!r}; expected one of {', '.join(VIEWS)}")
        self.view = view
        self.entity_url = entity_url or (lambda ref: None)
        self.ref_url = ref_url or (lambda target: None)
        self.id_prefix = id_prefix
        self.blocks = False  # whether a block (table, list, paragraph, quotation...) was opened
        self.lines: dict = {}  # line group -> the number of its last line
        self.warn_context = warn_context
        self.root = etree.Element("div")
        self.stack = [self.root]
        self.flow = _Flow(self)
        # Diplomatic view: the reading text, built alongside, gives note offsets.
        self.shadow = _Text() if view == "diplomatic" else None
        self.delta = 0  # reading offset - displayed offset (outside <choice>)
        self.clamp = None  # inside a diplomatic <sic>: the reading span of the whole <choice>
        self.link_depth = 0
        self.queued: list[NoteMark] = []
        self.ranged = [n for n in notes if n.start is not None and n.end is not None and n.end > n.start]
        self.unplaced = sorted(
            (n for n in notes if n.end is not None), key=lambda n: (n.end, n.start if n.start is not None else 0)
        )
        self.whole = [n for n in notes if n.end is None]
        self.cuts = sorted({n.start for n in self.ranged} | {n.end for n in self.ranged})

    # -- text ---------------------------------------------------------------------------------
    def add(self, text):
        """Feed TEI text to the displayed flow (and to the reading shadow in the diplomatic view)."""
        if not text:
            return
        if self.shadow is not None and self.clamp is None:
            self.shadow.add(text)
        self.flow.add(text)

    def no_space(self):
        self.flow.pending_space = False
        if self.shadow is not None and self.clamp is None:
            self.shadow.pending_space = False

    def space(self):
        """A space between blocks (the text view's, see textview.walk): pending, written only before words."""
        self.flow.pending_space = True
        if self.shadow is not None and self.clamp is None:
            self.shadow.pending_space = True

    def begin_block(self):
        """Before a block: a space pending (written, outside the block, only if words follow in it)."""
        self.blocks = True
        self.space()

    def end_block(self):
        self.space()

    def html_id(self, ident: str) -> str:
        """The id on the page of an element's xml:id (prefixed in a compare column)."""
        return f"{self.id_prefix}{ident}"

    def line_number(self, element) -> str:
        """A verse line's number: its @n, else one more than the line before it in its line group."""
        group = element.getparent()
        given = (element.get("n") or "").strip()
        if given:
            if given.isdigit():
                self.lines[group] = int(given)
            return given
        self.lines[group] = self.lines.get(group, 0) + 1
        return str(self.lines[group])

    def flush_space(self):
        """Write a pending space before opening an element, so the space stays outside it."""
        if self.flow.pending_space and self.flow.length:
            self.flow.emit("")
            if self.shadow is not None and self.clamp is None and self.shadow.pending_space and self.shadow.length:
                self.shadow.emit("")

    def _append_text(self, text):
        cur = self.stack[-1]
        if len(cur):
            cur[-1].tail = (cur[-1].tail or "") + text
        else:
            cur.text = (cur.text or "") + text

    def write(self, text, start):
        """Called by the flow with displayed text at displayed offset `start`."""
        if not self.unplaced and not self.ranged:  # no notes (left) in this passage: plain text
            self._append_text(text)
            return
        if self.clamp is not None:  # diplomatic text of a <choice>: no reading offsets of its own
            lo, hi = self.clamp
            covering = [n for n in self.ranged if n.start <= lo and hi <= n.end]
            self._piece(text, covering)
            self._place_markers(hi)
            return
        a = start + self.delta
        b = a + len(text)
        self._place_markers(a)
        cuts = [c for c in self.cuts if a < c < b]
        for x, y in zip([a, *cuts], [*cuts, b], strict=True):
            covering = [n for n in self.ranged if n.start <= x and y <= n.end]
            self._piece(text[x - a : y - a], covering)
            self._place_markers(y)

    def _piece(self, text, covering):
        if not covering:
            self._append_text(text)
            return
        ids = " ".join(n.html_id for n in covering)
        cur = self.stack[-1]
        if len(cur) and cur[-1].tag == "mark" and not cur[-1].tail and cur[-1].get("data-notes") == ids:
            cur[-1].text += text  # the same notes' words, split only by white-space handling
            return
        mark = etree.SubElement(cur, "mark", {"class": "note-anchor"})
        mark.set("data-notes", ids)
        if any(n.draft for n in covering):
            mark.set("class", "note-anchor draft")
        mark.text = text

    # -- markers ------------------------------------------------------------------------------
    def _place_markers(self, upto):
        while self.unplaced and self.unplaced[0].end <= upto:
            self._marker(self.unplaced.pop(0))

    def _marker(self, note: NoteMark):
        if self.link_depth:  # never nest a link in a mention's link: place it after
            self.queued.append(note)
            return
        attrs = {
            "class": "note-ref" + (" draft" if note.draft else ""),
            "id": f"ref-{note.html_id}",
            "href": f"#{note.html_id}",
            "role": "doc-noteref",
            "aria-label": (_("Note %(n)s (draft)") if note.draft else _("Note %(n)s")) % {"n": note.number},
        }
        # The number is generated content (CSS ::after from data-n), not a text node: the passage's
        # text on the page stays its reading text, so annotation selectors hold (docs/api.md).
        attrs["data-n"] = str(note.number)
        etree.SubElement(self.stack[-1], "a", attrs)

    # -- elements -----------------------------------------------------------------------------
    def open(self, tag, attrs=None, link=False):
        el = etree.SubElement(self.stack[-1], tag, {k: v for k, v in (attrs or {}).items() if v is not None})
        self.stack.append(el)
        if link:
            self.link_depth += 1
        return el

    def close(self, link=False):
        self.stack.pop()
        if link:
            self.link_depth -= 1
            if not self.link_depth:
                queued, self.queued = self.queued, []
                for note in queued:
                    self._marker(note)

    def wrap(self, element, tag, attrs=None, link=False):
        """Open `tag`, render the element's content into it, close it."""
        if has_text(element):
            self.flush_space()
        self.open(tag, attrs, link=link)
        self.content(element)
        self.close(link=link)

    def content(self, element):
        self.add(element.text)
        for child in element:
            self.node(child)

    def node(self, element):
        name = local_name(element)
        behaviour = TABLE.lookup(element, name) if name else None
        if not name:
            pass
        elif behaviour is not None:
            KIND_HANDLERS[behaviour.kind](self, element, behaviour)
        else:
            logger.warning(
                "render: no handler for TEI element <%s>%s; its text is kept", name, self.warn_context
            )
            self.content(element)
        tail = element.tail
        if tail and behaviour is not None and behaviour.kind == "break" and element.get("break") == "no":
            tail = tail.lstrip()  # the word goes on on the next line (handlers.line_break)
        self.add(tail)

    # -- result -------------------------------------------------------------------------------
    def result(self) -> str:
        self._place_markers(float("inf"))
        for note in self.whole:
            self._marker(note)
        parts = [html.escape(self.root.text or "", quote=False)]
        parts += [etree.tostring(child, method="html", encoding="unicode") for child in self.root]
        return "".join(parts)


@dataclass(frozen=True)
class Rendered:
    """A passage's inner HTML; `blocks`: it holds blocks (its element on the page is a <div>, not a <p>)."""

    html: str
    blocks: bool = False


def renders_itself(behaviour) -> bool:
    """Whether a passage of this element is rendered as the element itself (a table, a list, a block
    quotation) inside a <div>, rather than as the content of the page's <p>/<h2> for it."""
    return behaviour is not None and (behaviour.kind in ("table", "list") or behaviour.tag == "blockquote")


def render(tei, view="reading", notes=(), entity_url=None, where="", ref_url=None, id_prefix="") -> Rendered:
    """A passage rendered (see render_passage), with whether it holds blocks."""
    element = parse_fragment(tei) if isinstance(tei, str | bytes) else tei
    r = Renderer(view=view, notes=notes, entity_url=entity_url, warn_context=where, ref_url=ref_url,
                 id_prefix=id_prefix)  # fmt: skip
    behaviour = TABLE.lookup(element)
    if renders_itself(behaviour):
        KIND_HANDLERS[behaviour.kind](r, element, behaviour)
    else:
        r.content(element)
    return Rendered(r.result(), r.blocks)


def render_passage(tei, view="reading", notes=(), entity_url=None, where="", ref_url=None, id_prefix="") -> str:
    """Inner HTML of a passage.

    tei: the passage's TEI fragment (str/bytes) or an lxml element; view: 'reading' or 'diplomatic';
    notes: NoteMark objects with offsets in the passage's reading text; entity_url: callable
    ref -> URL (or None) for mentions; where: text for warnings (e.g. ' in minutes#m-p3');
    ref_url: callable target -> URL (or None) for pointers (<ref target>); id_prefix: before the ids
    the passage's elements bring (page breaks), for a page that shows a document twice.
    """
    return render(tei, view, notes, entity_url, where, ref_url, id_prefix).html
