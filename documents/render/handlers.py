"""The element -> handler table of the renderer.

Every TEI element that may occur inside a passage is in exactly one of:
- `DROP` (from `documents.tei.textview`): not part of the passage's text (notes, speaker labels, ...);
  its tail is kept;
- `UNWRAP`: no HTML of its own, its content is rendered in place;
- `HANDLERS`: a function `(renderer, element) -> None` that renders the element's content
  (the walker adds the element's tail afterwards).
Anything else is logged as a warning and unwrapped, so no word is ever lost.
"""

from __future__ import annotations

import re

from documents.tei import XML_LANG, local_name
from documents.tei.textview import DIPLOMATIC_CHOICE, MENTION, READING_CHOICE

#: Elements without HTML of their own: their words are rendered in place.
UNWRAP = frozenset(
    {"s", "phr", "w", "c", "pc", "seg", "span", "ab", "p", "div", "sp", "orig", "reg", "abbr", "expan",
     "sic", "corr", "said", "num", "measure", "roleName", "surname", "forename", "addName", "time",
     "signed", "salute", "dateline", "opener", "closer", "address", "addrLine", "list", "item", "bibl",
     "idno", "subst", "damage"}
)

ISO_DATE = re.compile(r"^-?\d{4}(-\d{2}(-\d{2})?)?$")
MENTION_CLASS = {"persName": "person", "placeName": "place", "geogName": "place", "orgName": "org"}


def has_text(element) -> bool:
    return any(t.strip() for t in element.itertext())


def _tag(tag, cls=None, attrs=None):
    def handler(r, el):
        a = dict(attrs or {})
        if cls:
            a["class"] = cls
        r.wrap(el, tag, a)

    return handler


def hi(r, el):
    rend = (el.get("rend") or "").lower()
    if "italic" in rend:
        r.wrap(el, "i")
    elif "bold" in rend:
        r.wrap(el, "b")
    elif "sup" in rend:
        r.wrap(el, "sup")
    elif "sub" in rend:
        r.wrap(el, "sub")
    else:
        r.wrap(el, "span", {"class": "hi"})


def foreign(r, el):
    r.wrap(el, "i", {"class": "foreign", "lang": el.get(XML_LANG)})


def supplied(r, el):
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


def choice(r, el):
    """Reading view: the correction, with the witness's form in a tooltip; diplomatic: the witness."""
    reading = next((c for c in el if local_name(c) in READING_CHOICE), None)
    witness = next((c for c in el if local_name(c) in DIPLOMATIC_CHOICE), None)
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
    from documents.tei.textview import _walk

    if witness is not None and has_text(witness):
        r.flush_space()
    lo = r.shadow.mark()
    if reading is not None:
        _walk(reading, r.shadow, "reading", None, top=False)
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


def mention(r, el):
    ref = el.get("ref") or el.get("corresp") or el.get("key") or ""
    url = r.entity_url(ref.split()[0]) if ref.strip() else None
    kind = MENTION_CLASS.get(local_name(el), "entity")
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


def date(r, el):
    when = el.get("when") or el.get("from") or ""
    if ISO_DATE.match(when):  # <time> needs a machine-readable date; otherwise a plain span
        r.wrap(el, "time", {"class": "date", "datetime": when})
    else:
        r.wrap(el, "span", {"class": "date"})


def label(r, el):
    r.wrap(el, "span", {"class": "label"})


def lb(r, el):
    r.flush_space()
    r.open("br")
    r.close()


def pb(r, el):
    if r.view == "diplomatic" and el.get("n"):
        r.flush_space()
        r.open("span", {"class": "pb", "title": f"Page {el.get('n')}"})
        r.stack[-1].text = f"[p. {el.get('n')}]"
        r.close()


def gap(r, el):
    r.flush_space()
    reason = el.get("reason") or "omitted"
    r.open("span", {"class": "gap", "title": f"Gap in the witness ({reason})"})
    r.stack[-1].text = "[…]"
    r.close()


HANDLERS = {
    "hi": hi,
    "emph": _tag("em"),
    "title": _tag("cite"),
    "q": _tag("q"),
    "quote": _tag("q"),
    "foreign": foreign,
    "term": _tag("span", "term"),
    "mentioned": _tag("i", "mentioned"),
    "supplied": supplied,
    "choice": choice,
    "unclear": _tag("span", "unclear", {"title": "Unclear in the witness"}),
    "add": _tag("ins", "add"),
    "del": _tag("del", "del"),
    "date": date,
    "label": label,
    "head": _tag("span", "head"),
    "lb": lb,
    "pb": pb,
    "gap": gap,
    "ref": _tag("span", "ref"),
    **dict.fromkeys(MENTION, mention),
}
