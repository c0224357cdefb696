"""Document metadata from the TEI header (and, for FRUS-style documents, the div's own head/dateline)."""

from __future__ import annotations

from lxml import etree

from . import XML_LANG, first, tei, xpath
from .mapping_provenance import check_provenance, map_provenance, source_note_text
from .mapping_refs import FileContext
from .mapping_text import iso_date
from .mapping_types import DocumentData, ParticipantData
from .textview import view_text

KINDS = {"minutes", "memorandum"}
ROLE_BY_TYPE = {"from": "author", "to": "recipient"}


def _text(element) -> str:
    return view_text(element) if element is not None else ""


def header_xml(header, cache: dict | None = None) -> str:
    if header is None:
        return ""
    if cache is not None and header in cache:  # a FRUS volume's 478 documents share one header
        return cache[header]
    xml = etree.tostring(header, encoding="unicode", with_tail=False)
    if cache is not None:
        cache[header] = xml
    return xml


def map_tei_metadata(ctx: FileContext, tei_el, doc: DocumentData) -> None:
    """Fill doc from a <TEI> element's header and text (a document that is a whole TEI)."""
    header = tei_el.find(tei("teiHeader"))
    text = tei_el.find(tei("text"))
    doc.header_tei = header_xml(header)
    doc.kind = (text.get("type") if text is not None else "") or "other"
    if doc.kind not in KINDS:
        doc.kind = "other"
    head_title = first(text, ".//t:head[@type='title']")
    title = head_title if head_title is not None else first(
        header, "t:fileDesc/t:titleStmt/t:title[@type='main' or @type='complete'] | t:fileDesc/t:titleStmt/t:title"
    )
    doc.title = _text(title)
    head_sub = first(text, ".//t:head[@type='subtitle']")
    sub = head_sub
    if sub is None:
        sub = first(header, "t:fileDesc/t:titleStmt/t:title[@type='sub' or @type='subtitle']")
    if sub is None and head_title is None:
        titles = xpath(header, "t:fileDesc/t:titleStmt/t:title") if header is not None else []
        untyped = [t for t in titles[1:] if not t.get("type") and t is not title]
        sub = untyped[0] if untyped else None
    doc.subtitle = _text(sub)
    settings = xpath(header, "t:profileDesc/t:settingDesc/t:setting") if header is not None else []
    setting = settings[0] if settings else None
    date = None
    for path, scope in (
        (".//t:date[@when]", setting),
        ("t:profileDesc/t:creation//t:date[@when]", header),
        (".//t:docDate[@when] | .//t:dateline//t:date[@when]", text),
        ("t:fileDesc/t:publicationStmt/t:date[@type='created'][@when]", header),
    ):
        date = first(scope, path)
        if date is not None and iso_date(date.get("when")):
            break
        date = None
    if date is not None:
        doc.date, doc.date_text = iso_date(date.get("when")), _text(date)[:200]
    map_settings(settings, doc)
    doc.review_note = review_remark(text)[:300]
    source_desc = first(header, "t:fileDesc/t:sourceDesc")
    check_provenance(source_desc, ctx.issue)
    provenance = map_provenance(source_desc)
    if provenance:
        doc.metadata["provenance"] = provenance
    doc.source_note = source_note_text(provenance, _text(source_desc))
    doc.summary = _text(first(header, "t:profileDesc/t:abstract"))
    lang = (text.get(XML_LANG) if text is not None else None) or tei_el.get(XML_LANG)
    if not lang:
        language = first(header, "t:profileDesc/t:langUsage/t:language[@ident]")
        lang = language.get("ident") if language is not None else "en"
    doc.language = lang[:20]
    doc.sort_key = (tei_el.get("n") or "")[:100]
    if header is not None:
        map_participants(ctx, header, doc)


def map_settings(settings, doc: DocumentData) -> None:
    """Time and venue from the first <setting> giving them; every setting is kept in metadata.

    The memorandum has two: the day it is dated, and the meeting at which it was handed over.
    """
    described = []
    for setting in settings:
        date = first(setting, ".//t:date")
        time = _text(first(setting, ".//t:time"))
        places = xpath(setting, "t:placeName | t:name | t:locale | t:geogName | t:orgName")
        venue = ", ".join(t for t in (_text(p) for p in places) if t)
        if time and not doc.time_text:
            doc.time_text = time[:100]
        if venue and not doc.venue:
            doc.venue = venue[:300]
        described.append(
            {
                "type": (date.get("type") if date is not None else "") or "",
                "date": iso_date(date.get("when")) if date is not None else None,
                "date_text": _text(date),
                "time": time,
                "venue": venue,
            }
        )
    if described:
        doc.metadata["settings"] = described


def review_remark(text) -> str:
    """A remark like "(Not reviewed by Vice Minister Zhang)": an element typed 'review', else a
    wholly parenthesised paragraph about reviewing in the opening, before the first speaker turn."""
    if text is None:
        return ""
    typed = first(text, ".//*[@type='review']")
    if typed is not None:
        return _text(typed)
    for p in xpath(text, "t:body/t:p[not(preceding-sibling::t:sp or preceding-sibling::t:u)]"):
        words = _text(p)
        if words.startswith("(") and words.endswith(")") and "review" in words.lower():
            return words
    return ""


def map_participants(ctx: FileContext, header, doc: DocumentData) -> None:
    """particDesc person and org entries [@sameAs][@role]: who took part (people and bodies), in which roles."""
    path = "t:profileDesc/t:particDesc//*[self::t:person or self::t:org][@sameAs or @corresp]"
    for person in xpath(header, path):
        pointer = person.get("sameAs") or person.get("corresp")
        refs = ctx.resolve(pointer, person, "sameAs")
        roles = (person.get("role") or "attendee").split()
        description = _text(first(person, "t:occupation | t:roleName | t:state | t:desc | t:note"))
        for ref in refs[:1]:
            for role in roles:
                doc.participants.append(ParticipantData(ref=ref, role=role[:50], description=description[:300]))


def map_div_metadata(ctx: FileContext, div, doc: DocumentData, header, ordinal: int) -> None:
    """Fill doc from a <div type="document"> (FRUS): head, dateline, source notes."""
    doc.header_tei = header_xml(header, ctx.cache)
    head = div.find(tei("head"))
    doc.title = (_text(head) or f"Document {div.get('n') or ordinal}")[:500]
    date = first(div, "t:dateline//t:date[@when] | t:opener//t:date[@when] | .//t:docDate[@when]")
    if date is not None and iso_date(date.get("when")):
        doc.date, doc.date_text = iso_date(date.get("when")), _text(date)[:200]
    place = first(div, "t:dateline//t:placeName")
    doc.venue = _text(place)[:300]
    sources = xpath(div, "t:note[@type='source']")
    doc.source_note = "; ".join(_text(n) for n in sources)
    doc.language = (div.get(XML_LANG) or ctx.root.get(XML_LANG) or "en")[:20]
    doc.sort_key = f"{ctx.stem}-{ordinal:05d}"[:100]
    doc.metadata = {"file": ctx.stem, "n": div.get("n") or "", "subtype": div.get("subtype") or ""}


def participants_from_text(doc: DocumentData) -> None:
    """Foreign documents: speakers of turns, senders/recipients named in the heading, signatories."""
    seen = {(p.ref.key, p.role) for p in doc.participants}

    def add(ref, role):
        if (ref.key, role) not in seen:
            seen.add((ref.key, role))
            doc.participants.append(ParticipantData(ref=ref, role=role))

    for turn in doc.turns:
        if turn.speaker is not None:
            add(turn.speaker, "speaker")
    for passage in doc.passages:
        if passage.kind not in {"head", "closer", "signed"}:
            continue
        for mention in passage.mentions:
            role = ROLE_BY_TYPE.get(mention.type)
            if role is None and passage.kind != "head" and mention.element == "persName":
                role = "author"
            if role is not None:
                add(mention.ref, role)
