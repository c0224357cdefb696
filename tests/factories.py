"""Factory helpers: small editions built in the test database from real TEI fragments.

`add_passage` computes the reading/diplomatic texts and the mention/date offsets with
`documents.tei.textview`, exactly as the importer does, so notes can be anchored by offsets.
"""

from __future__ import annotations

import datetime

from lxml import etree

from documents.models import (
    DateMention,
    Document,
    Entity,
    Mention,
    Note,
    Participation,
    Passage,
    PassageLink,
    Turn,
)
from documents.render.handlers import url_key
from documents.tei.textview import MENTION, passage_text

TEI_NS = "http://www.tei-c.org/ns/1.0"


def entity(key, kind="person", name=None, affiliation=None, description=""):
    obj, _ = Entity.objects.get_or_create(
        key=key,
        defaults={"kind": kind, "name": name or key, "sort_name": name or key, "description": description,
                  "affiliation": affiliation},
    )
    return obj


def document(slug, kind="minutes", title=None, **fields):
    return Document.objects.create(slug=slug, xml_id=slug, kind=kind, title=title or slug, sort_key=slug, **fields)


def turn(doc, xml_id, speaker, label="", order=0):
    return Turn.objects.create(document=doc, xml_id=xml_id, speaker=speaker, speaker_label=label,
                               who=f"ent:{speaker.key}" if speaker else "", order=order)


def add_passage(doc, anchor, inner, kind="p", turn=None, order=None):
    """Create a passage from the inner TEI of a <p> (or other `kind`), with its mentions and dates."""
    xml = f'<{kind} xmlns="{TEI_NS}" xml:id="{anchor}">{inner}</{kind}>'
    element = etree.fromstring(xml)
    pt = passage_text(element)
    if order is None:
        order = doc.passages.count()
    passage = Passage.objects.create(
        document=doc, turn=turn, anchor=anchor, kind=kind, order=order, tei=xml,
        reading_text=pt.reading, diplomatic_text=pt.diplomatic,
    )
    for span in pt.spans:
        if span.element in MENTION and span.attrib.get("ref"):
            ent = Entity.objects.filter(key=url_key(span.attrib["ref"])).first()
            if ent is not None:
                Mention.objects.create(passage=passage, entity=ent, text=pt.reading[span.start:span.end],
                                       start=span.start, end=span.end)
        if span.element == "date" and span.attrib.get("when"):
            DateMention.objects.create(passage=passage, when=datetime.date.fromisoformat(span.attrib["when"]),
                                       text=pt.reading[span.start:span.end], start=span.start, end=span.end)
    return passage


def note(passage, words=None, body="A note.", status=Note.Status.PUBLISHED, xml_id="", occurrence=0, **fields):
    """A note on `words` of the passage's reading text (None: the whole passage)."""
    start = end = None
    if words is not None:
        start = -1
        for _ in range(occurrence + 1):
            start = passage.reading_text.index(words, start + 1)
        end = start + len(words)
    return Note.objects.create(
        document=passage.document, passage=passage, anchor=passage.anchor, exact=words or "",
        start=start, end=end, body=body, status=status, xml_id=xml_id, **fields,
    )


def link(source, target, kind=PassageLink.Kind.ANSWERS):
    return PassageLink.objects.create(
        source=source, target=target, source_document=source.document, target_document=target.document,
        source_anchor=source.anchor, target_anchor=target.anchor, kind=kind, provenance=Note.Provenance.TEI,
    )


def make_edition():
    """Minutes (two speakers of two sides, a correction, supplied words, dates) and a memorandum, linked."""
    prc = entity("prc-mfa", "org", "PRC Ministry of Foreign Affairs")
    embassy = entity("soviet-embassy", "org", "Soviet embassy in China")
    zhang = entity("zhang-hanfu", name="Zhang Hanfu", affiliation=prc, description="PRC Vice Minister.")
    cherv = entity("chervonenko", name="S. V. Chervonenko", affiliation=embassy, description="Soviet ambassador.")
    xinjiang = entity("xinjiang", "place", "Xinjiang Uyghur Autonomous Region")
    minutes = document(
        "minutes-1962-06-08", "minutes", "Minutes of the Meeting between the Vice Minister and the Ambassador",
        subtitle="The Soviet Union’s Reply to our Memorandum dated 19 May",
        date=datetime.date(1962, 6, 8), date_text="8 June 1962", time_text="5:00 p.m.",
        venue="Meeting Room, Ministry of Foreign Affairs", review_note="(Not reviewed by Vice Minister Zhang)",
        source_note="An English translation posted online.", summary="The meeting of 8 June 1962.",
    )
    memo = document("memorandum-1962-06-07", "memorandum", "Memorandum of the Soviet Government",
                    date=datetime.date(1962, 6, 7), summary="The Soviet memorandum.")
    Participation.objects.create(document=minutes, entity=zhang, role="speaker",
                                 description="Vice Minister of Foreign Affairs", order=0)
    Participation.objects.create(document=minutes, entity=cherv, role="speaker", description="Ambassador", order=1)
    add_passage(minutes, "m-head", "Minutes of the Meeting", kind="head")
    add_passage(minutes, "m-date", '<label>Date:</label> <date when="1962-06-08">8 June 1962</date>, 5:00 p.m.')
    t1 = turn(minutes, "m-sp1", cherv, "Chervonenko:", order=0)
    p1 = add_passage(
        minutes, "m-p1",
        'I asked to visit you today so as to continue <choice><sic>out</sic><corr resp="#editors">our</corr></choice> '
        'previous discussions on the flight of residents of <placeName ref="ent:xinjiang">Xinjiang</placeName>.',
        turn=t1,
    )
    t2 = turn(minutes, "m-sp2", zhang, "Zhang:", order=1)
    p2 = add_passage(
        minutes, "m-p2",
        'I will reply to you after studying <supplied resp="#translator">the document</supplied>. '
        'Our memorandum of <date when="1962-05-19">19 May</date> said so to <persName ref="ent:chervonenko">the '
        'Ambassador</persName>.',
        turn=t2,
    )
    p3 = add_passage(minutes, "m-p3", "We will continue to do this in the future.", turn=t2)
    memo1 = add_passage(memo, "memo-p1", 'The statement of <date when="1962-05-19">19 May</date> was received.')
    memo2 = add_passage(memo, "memo-p2", 'The border was crossed on <date when="1962-04-29">29 April</date>.')
    link(memo1, p2)
    notes = {
        "corr": note(p1, "our previous discussions", "The witness reads *out*.", xml_id="n-corr"),
        "supplied": note(p2, "the document", "The memorandum handed over.", xml_id="n-supplied"),
        "mention": note(p2, "the Ambassador", "Chervonenko.", xml_id="n-amb"),
        "whole": note(p3, None, "A note on the whole paragraph.", xml_id="n-whole"),
        "draft": note(p3, "the future", "Draft thought.", status=Note.Status.DRAFT, xml_id="n-draft"),
    }
    return {"minutes": minutes, "memo": memo, "zhang": zhang, "cherv": cherv, "xinjiang": xinjiang,
            "prc": prc, "embassy": embassy, "passages": {"p1": p1, "p2": p2, "p3": p3, "memo1": memo1,
                                                          "memo2": memo2}, "notes": notes}
