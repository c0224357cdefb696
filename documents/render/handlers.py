"""The HTML of each kind of element: the renderer's half of the element table.

Which element is what lives in one place, `documents.tei.elements.TABLE`; this module says
how each *kind* of behaviour becomes HTML (`KIND_HANDLERS`: `(renderer, element, behaviour)
-> None`, rendering the element's content; the walker adds the element's tail afterwards).
`drop` and `note` render nothing, `unwrap` renders the content in place; an element that is in
no rule is logged as a warning and unwrapped, so no word is ever lost.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from documents.tei import XML_ID, XML_LANG, local_name
from documents.tei.elements import TABLE, Behaviour
from documents.tei.textview import choice_branch, walk

ISO_DATE = re.compile(r"^-?\d{4}(-\d{2}(-\d{2})?)?$")


def has_text(element) -> bool:
    return any(t.strip() for t in element.itertext())


def inline(r, el, b: Behaviour):
    attrs = {}
    if b.title:
        attrs["title"] = b.title
    if b.cls:
        attrs["class"] = b.cls
    if el.get(XML_LANG):
        attrs["lang"] = el.get(XML_LANG)
    r.wrap(el, b.tag, attrs)


def link(r, el, b: Behaviour):
    """A pointer: a link when its target is known (on the page or in the edition), else a span."""
    target = (el.get("target") or "").split()
    url = r.ref_url(target[0]) if target and not r.link_depth else None
    if url:
        r.wrap(el, "a", {"class": b.cls or None, "href": url}, link=True)
    else:
        r.wrap(el, "span", {"class": b.cls or None})


def block(r, el, b: Behaviour):
    r.begin_block()
    r.wrap(el, b.tag, {"class": b.cls or None, "lang": el.get(XML_LANG)})
    r.end_block()


def table(r, el, b: Behaviour):
    """<table>: its <head> children become the caption (HTML wants it first), then the rows; page breaks
    and gaps before the first row stand above the table (an HTML table holds rows only)."""
    r.begin_block()
    leading = []
    for child in el:
        if not isinstance(child.tag, str) or TABLE.kind_of(child) not in ("page", "gap"):
            break
        leading.append(child)
    r.add(el.text)
    for child in leading:
        r.node(child)
    r.open("table", {"class": " ".join(filter(None, ["table", el.get("rend")])) or None})
    heads = [child for child in el if local_name(child) == "head"]
    for head in heads:
        r.wrap(head, "caption", {"class": "head"})
        r.add(head.tail)
    for child in el:
        if child not in heads and child not in leading:
            r.node(child)
    r.close()
    r.end_block()


def cell(r, el, b: Behaviour):
    row = el.getparent()
    label = el.get("role") == "label" or (row is not None and row.get("role") == "label")
    attrs = {"colspan": span(el.get("cols")), "rowspan": span(el.get("rows"))}
    if label:
        attrs["scope"] = "col" if row is not None and row.get("role") == "label" else "row"
    r.begin_block()
    r.wrap(el, "th" if label else "td", attrs)
    r.end_block()


def span(value):
    """A TEI @cols/@rows as an HTML colspan/rowspan ("1" and anything not a small number: none)."""
    return value if value and value.isdigit() and 1 < int(value) <= 1000 else None


def listing(r, el, b: Behaviour):
    """A list: its heads before it; items as li (dd after a label, which is a dt: a list with labels is a dl)."""
    children = [c for c in el if isinstance(c.tag, str)]
    labelled = any(local_name(c) == "label" for c in children)
    r.begin_block()
    r.add(el.text)
    heads = []
    for child in children:  # page breaks, gaps and heads before the first item stand above the list
        if TABLE.kind_of(child) in ("page", "gap"):
            r.node(child)
        elif local_name(child) == "head":
            r.wrap(child, "div", {"class": "list-head"})
            r.add(child.tail)
        else:
            break
        heads.append(child)
    r.open("dl" if labelled else b.tag, {"class": " ".join(filter(None, ["list", b.cls, el.get("type")]))})
    for child in children[len(heads) :]:
        name = local_name(child)
        kind = TABLE.kind_of(child, name)
        if labelled and name == "label":
            r.begin_block()
            r.wrap(child, "dt", {"class": "label"})
            r.end_block()
        elif labelled and name in ("item", "castItem"):
            r.begin_block()
            r.wrap(child, "dd", {"class": "item"})
            r.end_block()
        elif kind in ("page", "gap", "note", "drop"):  # between items: in an item of its own (HTML lists hold items)
            if kind in ("page", "gap"):
                r.open("dd" if labelled else "li", {"class": "milestone"})
                r.node(child)
                r.close()
            else:
                r.node(child)
            continue
        elif kind == "list" and not labelled:  # a group of a cast list (castGroup): an item holding a list
            r.begin_block()
            r.open("li", {"class": "group"})
            listing(r, child, TABLE.lookup(child, name))
            r.close()
            r.end_block()
            r.add(child.tail)
            continue
        else:
            r.node(child)
            continue
        r.add(child.tail)
    r.close()
    r.end_block()


def verse(r, el, b: Behaviour):
    """A verse line: its number (@n, else counted in its line group) is shown, as generated content, beside it."""
    number = r.line_number(el)
    attrs = {"class": b.cls or "l", "data-n": number}
    if el.get("rend"):
        attrs["class"] += f" {el.get('rend')}"
    r.begin_block()
    r.wrap(el, b.tag or "div", attrs)
    r.end_block()


def supplied(r, el, b=None):
    """The translator's insertion: square brackets (part of the text, as in textview) and a class."""
    resp = el.get("resp", "").lstrip("#")
    title = _("Words supplied by the translator") if resp in ("", "translator") else _("Words supplied by the editors")
    r.flush_space()
    r.open("span", {"class": "supplied", "title": title})
    r.add("[")
    r.no_space()
    r.add(el.text)
    r.no_space()
    for child in el:
        r.node(child)
    r.no_space()
    r.add("]")
    r.close()


def choice(r, el, b=None):
    """Reading view: the correction, with the witness's form in a tooltip; diplomatic: the witness."""
    reading = choice_branch(el, "reading")
    witness = choice_branch(el, "diplomatic")
    reading_words = " ".join("".join(reading.itertext()).split()) if reading is not None else ""
    witness_words = " ".join("".join(witness.itertext()).split()) if witness is not None else ""
    r.add(el.text)
    if r.view == "reading":
        if reading is None:
            return
        if witness is not None and witness_words != reading_words:
            title = _("Editors' correction; the witness reads “%(words)s”") % {"words": witness_words}
            attrs = {"class": "corr", "title": title, "data-sic": witness_words, "tabindex": "0"}
        else:
            attrs = {"class": "reg"}
        r.wrap(reading, "span", attrs)
        r.add(reading.tail)
        return
    # Diplomatic: walk the reading branch into the shadow (for offsets), display the witness.
    if witness is not None and has_text(witness):
        r.flush_space()
    lo = r.shadow.mark()
    if reading is not None:
        walk(reading, r.shadow, "reading")
    hi_ = r.shadow.length
    if witness is not None:
        r.clamp = (min(lo, hi_), hi_)
        attrs = {"class": "sic"}
        if reading is not None and witness_words != reading_words:
            title = _("Corrected in the reading text to “%(words)s”") % {"words": reading_words}
            attrs.update({"title": title, "data-corr": reading_words})
        r.wrap(witness, "span", attrs)
        r.add(witness.tail)
        r.clamp = None
    r.delta = r.shadow.length - r.flow.length


def mention(r, el, b: Behaviour):
    ref = el.get("ref") or el.get("corresp") or el.get("key") or ""
    url = r.entity_url(ref.split()[0]) if ref.strip() else None
    kind = b.cls or "entity"
    if url and r.link_depth:  # a mention inside a mention: links cannot nest, the outer one links
        r.wrap(el, "span", {"class": f"mention mention-{kind} nested", "data-entity": url_key(ref)})
    elif url:
        key = url_key(ref)
        attrs = {"class": f"mention mention-{kind}", "href": url, "data-entity": key, "aria-describedby": f"card-{key}"}
        r.wrap(el, "a", attrs, link=True)
    else:
        r.wrap(el, "span", {"class": f"mention mention-{kind} unresolved"})


def url_key(ref: str) -> str:
    """'ent:zhang-hanfu', '#zhang-hanfu', 'entities.xml#zhang-hanfu' -> 'zhang-hanfu'."""
    ref = ref.split()[0] if ref.strip() else ""
    if ref.startswith("ent:"):
        return ref[4:]
    return ref.rsplit("#", 1)[-1]


def date(r, el, b=None):
    when = el.get("when") or el.get("from") or ""
    if ISO_DATE.match(when):  # <time> needs a machine-readable date; otherwise a plain span
        r.wrap(el, "time", {"class": "date", "datetime": when})
    else:
        r.wrap(el, "span", {"class": "date"})


def line_break(r, el, b=None):
    """<br>. The words either side are two words (a space pending after it, which HTML does not show at
    the start of a line), unless break="no" joins them: as the text view (textview.walk) counts them."""
    joined = el.get("break") == "no"
    if joined:
        r.no_space()
    else:
        r.flush_space()
    r.open("br")
    r.close()
    if not joined:
        r.space()


def page_break(r, el, b=None):
    """A discreet [p. n] in both views (CSS generated content from data-n, as the note markers: the page's
    text of a passage stays its reading text); the page break's xml:id is its id (#pg_5 lands here)."""
    n = " ".join((el.get("n") or "").split())
    ident = el.get(XML_ID)
    if not n and not ident:
        return
    attrs = {"class": "pb", "id": r.html_id(ident) if ident else None, "data-n": n or None}
    attrs["title"] = _("Page %(n)s") % {"n": n} if n else _("Page break")
    r.open("span", attrs)
    r.close()


def gap_words(el) -> str:
    """What a <gap> says about itself: '1 line, illegible' from @extent/@quantity @unit and @reason."""
    extent = el.get("extent") or " ".join(filter(None, [el.get("quantity"), el.get("unit")]))
    return ", ".join(" ".join(v.split()) for v in (extent, el.get("reason")) if v and v.strip())


def gap(r, el, b=None):
    r.flush_space()
    words = gap_words(el)
    title = _("Gap in the witness (%(words)s)") % {"words": words} if words else _("Gap in the witness (omitted)")
    r.open("span", {"class": "gap", "title": title})
    r.stack[-1].text = f"[… {words}]" if words else "[…]"
    r.close()
    r.flow.ends_with_space = False  # a space after the marker is written (it is not in the text)


def unwrap(r, el, b=None):
    r.content(el)


def nothing(r, el, b=None):
    pass


#: kind -> handler; every kind of documents.tei.elements.KINDS has one.
KIND_HANDLERS = {
    "drop": nothing,
    "note": nothing,
    "unwrap": unwrap,
    "inline": inline,
    "link": link,
    "block": block,
    "table": table,
    "cell": cell,
    "list": listing,
    "verse": verse,
    "code": inline,
    "choice": choice,
    "mention": mention,
    "date": date,
    "supplied": supplied,
    "break": line_break,
    "page": page_break,
    "gap": gap,
}
