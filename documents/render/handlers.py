"""The HTML of each kind of element: the renderer's half of the element table.

Which element is what lives in one place, `documents.tei.elements.TABLE`; this module says
how each *kind* of behaviour becomes HTML (`KIND_HANDLERS`: `(renderer, element, behaviour)
-> None`, rendering the element's content; the walker adds the element's tail afterwards).
`drop` and `note` render nothing, `unwrap` renders the content in place; an element that is in
no rule is logged as a warning and unwrapped, so no word is ever lost.
"""

from __future__ import annotations

import re

from documents.tei import XML_LANG
from documents.tei.elements import Behaviour
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


def block(r, el, b: Behaviour):
    r.flush_space()
    r.wrap(el, b.tag, {"class": b.cls or None})


def supplied(r, el, b=None):
    """The translator's insertion: square brackets (part of the text, as in textview) and a class."""
    resp = el.get("resp", "").lstrip("#")
    who = "the translator" if resp in ("", "translator") else "the editors"
    r.flush_space()
    r.open("span", {"class": "supplied", "title": f"Words supplied by {who}"})
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
            title = f"Editors' correction; the witness reads “{witness_words}”"
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
            attrs.update({"title": f"Corrected in the reading text to “{reading_words}”", "data-corr": reading_words})
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
    r.flush_space()
    r.open("br")
    r.close()


def page_break(r, el, b=None):
    if r.view == "diplomatic" and el.get("n"):
        r.flush_space()
        r.open("span", {"class": "pb", "title": f"Page {el.get('n')}"})
        r.stack[-1].text = f"[p. {el.get('n')}]"
        r.close()
        r.flow.ends_with_space = False  # a space after the marker is written (it is not in the text)


def gap(r, el, b=None):
    r.flush_space()
    reason = el.get("reason") or "omitted"
    r.open("span", {"class": "gap", "title": f"Gap in the witness ({reason})"})
    r.stack[-1].text = "[…]"
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
    "block": block,
    "code": inline,
    "choice": choice,
    "mention": mention,
    "date": date,
    "supplied": supplied,
    "break": line_break,
    "page": page_break,
    "gap": gap,
}
