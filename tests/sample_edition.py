"""A small edition built with the ORM (until the importer lands): two documents, their
authors, people, sections, speaker turns and passages whose texts come from real TEI
fragments through documents.tei.textview, exactly as the importer will compute them.
"""

from __future__ import annotations

import datetime

from lxml import etree

from documents.models import Document, Entity, Mention, Note, Participation, Passage, Section, Turn
from documents.services.anchoring import quote_selector
from documents.tei.textview import passage_text

TEI = "http://www.tei-c.org/ns/1.0"


def _passage(document, anchor, xml, order, section=None, turn=None, kind="p"):
    tei = f'<{kind} xmlns="{TEI}" xml:id="{anchor}">{xml}</{kind}>'
    text = passage_text(etree.fromstring(tei))
    passage = Passage.objects.create(
        document=document,
        section=section,
        turn=turn,
        anchor=anchor,
        kind=kind,
        order=order,
        tei=tei,
        reading_text=text.reading,
        diplomatic_text=text.diplomatic,
    )
    for span in text.spans_of("persName", "placeName", "orgName"):
        key = span.attrib.get("ref", "").removeprefix("ent:")
        entity = Entity.objects.filter(key=key).first()
        if entity:
            Mention.objects.create(
                passage=passage, entity=entity, text=text.reading[span.start : span.end], start=span.start, end=span.end
            )
    return passage


def add_paragraphs(document, count: int, start: int = 100):
    """Append `count` speaker turns of one paragraph each (for tests that the query count stays flat)."""
    section = document.sections.order_by("order").first()
    speaker = Entity.objects.get(key="zhang-hanfu")
    for i in range(start, start + count):
        turn = Turn.objects.create(
            document=document, section=section, xml_id=f"m-sp-extra-{i}", who="ent:zhang-hanfu", speaker=speaker,
            speaker_label="Zhang:", order=i,
        )  # fmt: skip
        passage = _passage(
            document, f"m-extra-{i}", 'Extra paragraph about <placeName ref="ent:xinjiang">Xinjiang</placeName>.',
            i, section=section, turn=turn,
        )  # fmt: skip
        Note.objects.create(
            document=document, passage=passage, anchor=passage.anchor, exact="Xinjiang", start=22, end=30,
            status=Note.Status.PUBLISHED, body=f"Note {i}.",
        )  # fmt: skip


def build() -> dict:
    """Create the sample edition and return its objects by short name."""
    mfa = Entity.objects.create(key="prc-mfa", kind="org", name="PRC Ministry of Foreign Affairs")
    soviet = Entity.objects.create(key="soviet-government", kind="org", name="Government of the Soviet Union")
    zhang = Entity.objects.create(
        key="zhang-hanfu", kind="person", name="Zhang Hanfu", sort_name="Zhang Hanfu", affiliation=mfa
    )
    cherv = Entity.objects.create(
        key="chervonenko", kind="person", name="S. V. Chervonenko", sort_name="Chervonenko, S. V.", affiliation=soviet
    )
    xinjiang = Entity.objects.create(key="xinjiang", kind="place", name="Xinjiang")
    zhang.aliases.create(name="章汉夫", lang="zh-Hans")

    minutes = Document.objects.create(
        slug="minutes-1962-06-08",
        xml_id="minutes-1962-06-08",
        kind="minutes",
        title="Minutes of the Meeting between the Vice Minister [Zhang Hanfu] and the Ambassador of the Soviet "
        "Union to China [Chervonenko]",
        date=datetime.date(1962, 6, 8),
        date_text="8 June 1962",
        language="en",
        sort_key="1",
        summary="Zhang Hanfu receives Chervonenko, who hands over the Soviet memorandum.",
    )
    memo = Document.objects.create(
        slug="memorandum-1962-06-07",
        xml_id="memorandum-1962-06-07",
        kind="memorandum",
        title="Memorandum Submitted by the Ambassador of the Soviet Union to Zhang Hanfu on 8 June 1962",
        date=datetime.date(1962, 6, 7),
        date_text="7 June 1962",
        language="en",
        sort_key="2",
    )
    Participation.objects.create(document=minutes, entity=mfa, role="author", order=0)
    Participation.objects.create(document=minutes, entity=zhang, role="speaker", order=1)
    Participation.objects.create(document=minutes, entity=cherv, role="speaker", order=2)
    Participation.objects.create(document=memo, entity=soviet, role="author", order=0)

    body = Section.objects.create(document=minutes, xml_id="m-body", kind="minutes", heading="", order=0)
    head = _passage(minutes, "m-title", minutes.title, 0, section=body, kind="head")
    t1 = Turn.objects.create(
        document=minutes, section=body, xml_id="m-sp-chervonenko-opening", who="ent:chervonenko",
        speaker=cherv, speaker_label="Ambassador Chervonenko (hereafter Chervonenko):", order=0,
    )  # fmt: skip
    p1 = _passage(
        minutes,
        "m-chervonenko-visit",
        "I asked to visit you today so as to continue <choice><sic>out</sic><corr>our</corr></choice> previous "
        'discussions on the massive flight of Chinese residents into the territory of the <orgName ref="ent:'
        'soviet-government">Soviet Union</orgName>.',
        1,
        section=body,
        turn=t1,
    )
    t2 = Turn.objects.create(
        document=minutes, section=body, xml_id="m-sp-zhang-reply", who="ent:zhang-hanfu",
        speaker=zhang, speaker_label="Vice Minister Zhang (hereafter Zhang):", order=1,
    )  # fmt: skip
    p2 = _passage(
        minutes,
        "m-zhang-report",
        "I will report to our government and reply to you after studying <supplied>the document</supplied>. "
        "I would like to say something here.",
        2,
        section=body,
        turn=t2,
    )
    p3 = _passage(
        minutes,
        "m-zhang-second",
        'Second, I won’t repeat the process of how, in the <placeName ref="ent:xinjiang">Xinjiang</placeName> '
        "Uyghur Autonomous Region, Chinese residents illegally crossed into the Soviet Union.",
        3,
        section=body,
        turn=t2,
    )
    memo_body = Section.objects.create(document=memo, xml_id="memo-body", kind="memorandum", order=0)
    q1 = _passage(
        memo,
        "memo-received",
        "The Government of the Soviet Union has received the statement of the Chinese Government on the large "
        "scale border crossing of residents from China’s Xinjiang Uyghur Autonomous Region.",
        0,
        section=memo_body,
    )
    q2 = _passage(memo, "memo-date", "7 June 1962", 1, section=memo_body, kind="closer")

    sel = quote_selector(p3.reading_text, p3.reading_text.index("Xinjiang"), p3.reading_text.index("Xinjiang") + 8)
    published = Note.objects.create(
        document=minutes, passage=p3, anchor=p3.anchor, exact=sel["exact"], prefix=sel["prefix"],
        suffix=sel["suffix"], start=sel["start"], end=sel["end"], status=Note.Status.PUBLISHED,
        body="The **Xinjiang** Uyghur Autonomous Region; see <script>alert(1)</script> [map](javascript:alert(1)).",
    )  # fmt: skip
    whole = Note.objects.create(
        document=minutes, passage=p2, anchor=p2.anchor, status=Note.Status.PUBLISHED,
        body="Zhang's reply to the memorandum.",
    )  # fmt: skip
    draft = Note.objects.create(
        document=minutes, passage=p1, anchor=p1.anchor, exact="out", start=63, end=66,
        status=Note.Status.DRAFT, body="Draft: not for readers.",
    )  # fmt: skip
    return {
        "minutes": minutes, "memo": memo, "body": body, "head": head, "t1": t1, "t2": t2,
        "p1": p1, "p2": p2, "p3": p3, "q1": q1, "q2": q2, "mfa": mfa, "soviet": soviet,
        "zhang": zhang, "cherv": cherv, "xinjiang": xinjiang,
        "note": published, "whole_note": whole, "draft": draft,
    }  # fmt: skip
