"""The one home of the tests' data builders: small editions made with the ORM, no importer.

Tests that need the edition as the importer makes it import documents/tei/ instead (the
`tei_edition_copy` fixture of tests/conftest.py, tests/versions_helpers.py). The builders here make
rows the importer would make: a passage's reading and diplomatic text, its mentions and dates come
from its TEI through documents.tei.textview, and a note on words carries the W3C selector
(exact, prefix, suffix, start, end) the importer and the note form compute.

Building blocks (each returns the object it created)

    entity(key, kind, name, ...)           an Entity (get-or-create), with its aliases
    document(slug, kind, title, ...)       a Document (xml_id and sort key default to the slug)
    turn(document, xml_id, speaker, ...)   a speaker's Turn
    add_passage(document, anchor, inner)   a Passage from the inner TEI of a <p> (or `kind`): texts,
                                           mentions (by @ref) and dates (by @when) as the importer has them
    text_passage(document, anchor, text)   a Passage of plain words (escaped into TEI); `mentions` names
                                           entities by their words
    note(passage, words, body, ...)        a Note on the n-th occurrence (1-based) of `words`, or on the
                                           whole passage (words=None); published unless `status` says
    link(source, target, kind)             a PassageLink between two passages, as if from the TEI
    make_editor(username)                  a staff user in the Editors group

Editions (each returns its objects by short name)

    make_edition()      minutes with two speakers, a correction, supplied words and dates, and a linked
                        memorandum; five notes, one a draft (reader, cache, versions, browser tests)
    reader_edition()    the sample edition of the reader, citation, API and DTS tests: sections, turns,
                        a hostile note body, a draft; `add_paragraphs(document, n)` grows it
    search_edition()    two documents with aliases in three scripts, indexed through `document_imported`
                        as an import would (search and cache tests)
    make_document(slug, texts)  one document of plain-text passages with a TEI header (editing tests);
                        `MINUTES` its usual texts, `make_note` a note by anchor, `rewrite` a re-import,
                        `note_form` the POST data of the note admin form
"""

from __future__ import annotations

import datetime
from xml.sax.saxutils import escape

from django.contrib.auth.models import Group, User
from lxml import etree

from documents.models import (
    DateMention,
    Document,
    Entity,
    EntityAlias,
    Mention,
    Note,
    Participation,
    Passage,
    PassageLink,
    Section,
    Turn,
)  # fmt: skip
from documents.render.handlers import url_key
from documents.services.anchoring import quote_selector
from documents.signals import document_imported
from documents.tei import TEI_NS
from documents.tei.textview import MENTION, passage_text

TEI = TEI_NS
HEADER = (
    f'<teiHeader xmlns="{TEI}"><fileDesc><titleStmt><title>T</title></titleStmt></fileDesc>'
    '<encodingDesc><listPrefixDef><prefixDef ident="ent" matchPattern="([a-z-]+)" '
    'replacementPattern="entities.xml#$1"/></listPrefixDef></encodingDesc></teiHeader>'
)


# -- building blocks ----------------------------------------------------------------------------------
def entity(key, kind="person", name=None, affiliation=None, description="", sort_name=None, aliases=()):
    """An entity (the existing one if `key` is taken); `aliases`: (name, language) pairs."""
    obj, _ = Entity.objects.get_or_create(
        key=key,
        defaults={"kind": kind, "name": name or key, "sort_name": sort_name or name or key,
                  "description": description, "affiliation": affiliation},
    )  # fmt: skip
    for alias, lang in aliases:
        EntityAlias.objects.create(entity=obj, name=alias, lang=lang)
    return obj


def document(slug, kind="minutes", title=None, xml_id=None, sort_key=None, **fields):
    return Document.objects.create(slug=slug, xml_id=xml_id or slug, kind=kind, title=title or slug,
                                   sort_key=sort_key or slug, **fields)  # fmt: skip


def turn(doc, xml_id, speaker, label="", order=0, section=None):
    return Turn.objects.create(document=doc, section=section, xml_id=xml_id, speaker=speaker, speaker_label=label,
                               who=f"ent:{speaker.key}" if speaker else "", order=order)  # fmt: skip


def add_passage(doc, anchor, inner, kind="p", turn=None, order=None, section=None):
    """A passage from the inner TEI of a <p> (or other `kind`), with its mentions and dates."""
    xml = f'<{kind} xmlns="{TEI}" xml:id="{anchor}">{inner}</{kind}>'
    pt = passage_text(etree.fromstring(xml))
    passage = Passage.objects.create(
        document=doc, section=section, turn=turn, anchor=anchor, kind=kind, tei=xml,
        order=doc.passages.count() if order is None else order,
        reading_text=pt.reading, diplomatic_text=pt.diplomatic,
    )  # fmt: skip
    for span in pt.spans:
        words = {"text": pt.reading[span.start : span.end], "start": span.start, "end": span.end}
        if span.element in MENTION and span.attrib.get("ref"):
            ent = Entity.objects.filter(key=url_key(span.attrib["ref"])).first()
            if ent is not None:
                Mention.objects.create(passage=passage, entity=ent, **words)
        if span.element == "date" and span.attrib.get("when"):
            DateMention.objects.create(passage=passage, when=datetime.date.fromisoformat(span.attrib["when"]), **words)
    return passage


def passage_tei(anchor, text):
    return f'<p xmlns="{TEI}" xml:id="{anchor}">{escape(text)}</p>'


def text_passage(doc, anchor, text, order=None, turn=None, mentions=()):
    """A passage of plain words; `mentions`: (entity, words) pairs, each on the first occurrence of its words."""
    passage = Passage.objects.create(
        document=doc, turn=turn, anchor=anchor, order=doc.passages.count() if order is None else order,
        tei=passage_tei(anchor, text), reading_text=text, diplomatic_text=text,
    )  # fmt: skip
    for ent, words in mentions:
        start = text.index(words)
        Mention.objects.create(passage=passage, entity=ent, text=words, start=start, end=start + len(words))
    return passage


def note(passage, words=None, body="A note.", status=Note.Status.PUBLISHED, occurrence=1, **fields):
    """A note on the `occurrence`-th `words` of the passage's reading text (None: the whole passage)."""
    if words is not None:
        start = -1
        for _ in range(occurrence):
            start = passage.reading_text.index(words, start + 1)
        fields.update(quote_selector(passage.reading_text, start, start + len(words)))
    return Note.objects.create(
        document=passage.document, passage=passage, anchor=passage.anchor, body=body, status=status, **fields
    )


def link(source, target, kind=PassageLink.Kind.ANSWERS):
    return PassageLink.objects.create(
        source=source, target=target, source_document=source.document, target_document=target.document,
        source_anchor=source.anchor, target_anchor=target.anchor, kind=kind, provenance=Note.Provenance.TEI,
    )  # fmt: skip


def make_editor(username="editor"):
    user = User.objects.create_user(username, is_staff=True)  # no password: tests use force_login
    user.groups.add(Group.objects.get(name="Editors"))
    return user


# -- make_edition: minutes and a memorandum, linked, with notes ----------------------------------------
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
    )  # fmt: skip
    memo = document("memorandum-1962-06-07", "memorandum", "Memorandum of the Soviet Government",
                    date=datetime.date(1962, 6, 7), summary="The Soviet memorandum.")  # fmt: skip
    Participation.objects.create(document=minutes, entity=zhang, role="speaker",
                                 description="Vice Minister of Foreign Affairs", order=0)  # fmt: skip
    Participation.objects.create(document=minutes, entity=cherv, role="speaker", description="Ambassador", order=1)
    add_passage(minutes, "m-head", "Minutes of the Meeting", kind="head")
    add_passage(minutes, "m-date", '<label>Date:</label> <date when="1962-06-08">8 June 1962</date>, 5:00 p.m.')
    t1 = turn(minutes, "m-sp1", cherv, "Chervonenko:", order=0)
    p1 = add_passage(
        minutes, "m-p1",
        'I asked to visit you today so as to continue <choice><sic>out</sic><corr resp="#editors">our</corr></choice> '
        'previous discussions on the flight of residents of <placeName ref="ent:xinjiang">Xinjiang</placeName>.',
        turn=t1,
    )  # fmt: skip
    t2 = turn(minutes, "m-sp2", zhang, "Zhang:", order=1)
    p2 = add_passage(
        minutes, "m-p2",
        'I will reply to you after studying <supplied resp="#translator">the document</supplied>. '
        'Our memorandum of <date when="1962-05-19">19 May</date> said so to <persName ref="ent:chervonenko">the '
        'Ambassador</persName>.',
        turn=t2,
    )  # fmt: skip
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
                                                          "memo2": memo2}, "notes": notes}  # fmt: skip


# -- reader_edition: the reader's sample edition (sections, turns, a hostile note) --------------------
def add_paragraphs(doc, count: int, start: int = 100):
    """Append `count` speaker turns of one paragraph each (for tests that the query count stays flat)."""
    section = doc.sections.order_by("order").first()
    speaker = Entity.objects.get(key="zhang-hanfu")
    for i in range(start, start + count):
        t = turn(doc, f"m-sp-extra-{i}", speaker, "Zhang:", order=i, section=section)
        words = 'Extra paragraph about <placeName ref="ent:xinjiang">Xinjiang</placeName>.'
        passage = add_passage(doc, f"m-extra-{i}", words, order=i, section=section, turn=t)
        note(passage, "Xinjiang", f"Note {i}.")


def reader_edition() -> dict:
    """Create the reader's sample edition and return its objects by short name."""
    mfa = entity("prc-mfa", "org", "PRC Ministry of Foreign Affairs")
    soviet = entity("soviet-government", "org", "Government of the Soviet Union")
    zhang = entity("zhang-hanfu", name="Zhang Hanfu", affiliation=mfa, aliases=[("章汉夫", "zh-Hans")])
    cherv = entity("chervonenko", name="S. V. Chervonenko", sort_name="Chervonenko, S. V.", affiliation=soviet)
    xinjiang = entity("xinjiang", "place", "Xinjiang")
    minutes = document(
        "minutes-1962-06-08", "minutes",
        "Minutes of the Meeting between the Vice Minister [Zhang Hanfu] and the Ambassador of the Soviet "
        "Union to China [Chervonenko]", sort_key="1", date=datetime.date(1962, 6, 8), date_text="8 June 1962",
        language="en", summary="Zhang Hanfu receives Chervonenko, who hands over the Soviet memorandum.",
    )  # fmt: skip
    memo = document(
        "memorandum-1962-06-07", "memorandum",
        "Memorandum Submitted by the Ambassador of the Soviet Union to Zhang Hanfu on 8 June 1962",
        sort_key="2", date=datetime.date(1962, 6, 7), date_text="7 June 1962", language="en",
    )  # fmt: skip
    for doc, ent, role, order in ((minutes, mfa, "author", 0), (minutes, zhang, "speaker", 1),
                                  (minutes, cherv, "speaker", 2), (memo, soviet, "author", 0)):  # fmt: skip
        Participation.objects.create(document=doc, entity=ent, role=role, order=order)
    body = Section.objects.create(document=minutes, xml_id="m-body", kind="minutes", heading="", order=0)
    head = add_passage(minutes, "m-title", minutes.title, order=0, section=body, kind="head")
    t1 = turn(minutes, "m-sp-chervonenko-opening", cherv, "Ambassador Chervonenko (hereafter Chervonenko):",
              order=0, section=body)  # fmt: skip
    p1 = add_passage(
        minutes, "m-chervonenko-visit",
        "I asked to visit you today so as to continue <choice><sic>out</sic><corr>our</corr></choice> previous "
        'discussions on the massive flight of Chinese residents into the territory of the <orgName ref="ent:'
        'soviet-government">Soviet Union</orgName>.', order=1, section=body, turn=t1,
    )  # fmt: skip
    t2 = turn(minutes, "m-sp-zhang-reply", zhang, "Vice Minister Zhang (hereafter Zhang):", order=1, section=body)
    p2 = add_passage(
        minutes, "m-zhang-report",
        "I will report to our government and reply to you after studying <supplied>the document</supplied>. "
        "I would like to say something here.", order=2, section=body, turn=t2,
    )  # fmt: skip
    p3 = add_passage(
        minutes, "m-zhang-second",
        'Second, I won’t repeat the process of how, in the <placeName ref="ent:xinjiang">Xinjiang</placeName> '
        "Uyghur Autonomous Region, Chinese residents illegally crossed into the Soviet Union.",
        order=3, section=body, turn=t2,
    )  # fmt: skip
    memo_body = Section.objects.create(document=memo, xml_id="memo-body", kind="memorandum", order=0)
    q1 = add_passage(
        memo, "memo-received",
        "The Government of the Soviet Union has received the statement of the Chinese Government on the large "
        "scale border crossing of residents from China’s Xinjiang Uyghur Autonomous Region.",
        order=0, section=memo_body,
    )  # fmt: skip
    q2 = add_passage(memo, "memo-date", "7 June 1962", order=1, section=memo_body, kind="closer")
    published = note(p3, "Xinjiang", "The **Xinjiang** Uyghur Autonomous Region; see <script>alert(1)</script> "
                     "[map](javascript:alert(1)).")  # fmt: skip
    whole = note(p2, None, "Zhang's reply to the memorandum.")
    draft = note(p1, None, "Draft: not for readers.", status=Note.Status.DRAFT, exact="out", start=63, end=66)
    return {
        "minutes": minutes, "memo": memo, "body": body, "head": head, "t1": t1, "t2": t2,
        "p1": p1, "p2": p2, "p3": p3, "q1": q1, "q2": q2, "mfa": mfa, "soviet": soviet,
        "zhang": zhang, "cherv": cherv, "xinjiang": xinjiang,
        "note": published, "whole_note": whole, "draft": draft,
    }  # fmt: skip


# -- search_edition: aliases in three scripts, indexed -------------------------------------------------
def search_edition():
    """Two documents, three people/places with aliases, turns, passages, notes; indexed."""
    zhang = entity("zhang-hanfu", name="Zhang Hanfu", aliases=[("章汉夫", "zh-Hans"), ("Chang Han-fu", "en")])
    cherv = entity("chervonenko", name="S. V. Chervonenko", aliases=[("Червоненко", "ru")])
    xinjiang = entity("xinjiang", "place", "Xinjiang", aliases=[("Sinkiang", "en"), ("新疆", "zh-Hans")])
    ili = entity("ili", "place", "Ili")
    minutes = document("minutes-1962-06-08", "minutes", "Minutes of the meeting", xml_id="minutes", sort_key="1",
                       date=datetime.date(1962, 6, 8))  # fmt: skip
    memo = document("memorandum-1962-06-07", "memorandum", "Soviet memorandum", xml_id="memo", sort_key="2",
                    date=datetime.date(1962, 6, 7))  # fmt: skip
    t1 = turn(minutes, "m-sp1", zhang, "Zhang Hanfu:", order=1)
    t2 = turn(minutes, "m-sp2", cherv, "Chervonenko:", order=2)
    p = {}
    p["m-1"] = text_passage(minutes, "m-1", "Record of the conversation held in Beijing.", 1)
    p["m-2"] = text_passage(
        minutes, "m-2",
        "The Vice Minister asked for the repatriation of the residents who had crossed the border from Xinjiang.",
        2, t1, [(xinjiang, "Xinjiang")],
    )  # fmt: skip
    p["m-3"] = text_passage(
        minutes, "m-3", "He said the border crossing was organised <script>alert(1)</script> & planned.", 3, t1
    )
    p["m-4"] = text_passage(
        minutes, "m-4", "The Ambassador replied that the people could not be made to return against their will.", 4, t2
    )
    p["m-5"] = text_passage(minutes, "m-5", "He promised to report the request to Moscow.", 5, t2, [(zhang, "request")])
    p["memo-1"] = text_passage(
        memo, "memo-1",
        "The Soviet side considers that to repatriate the people would be inhumane; the area of Ili is calm.",
        1, None, [(ili, "Ili"), (xinjiang, "area")],
    )  # fmt: skip
    p["memo-2"] = text_passage(memo, "memo-2", "Repatriated persons were not discussed further.", 2)
    note(p["m-2"], "repatriation", "The request for **repatriation** recurs in the *memorandum*.", kind="commentary")
    note(p["m-4"], "return", "Draft: secret zanzibar remark.", status=Note.Status.DRAFT)
    for doc in (minutes, memo):
        document_imported.send(sender=Document, document=doc, created=True)
    return {"minutes": minutes, "memo": memo, "zhang": zhang, "cherv": cherv, "xinjiang": xinjiang, "passages": p}


# -- make_document: plain-text documents of the editing tests ------------------------------------------
MINUTES = {
    "m-p1": "The Soviet side handed over a memorandum dated 7 June 1962 about the events in Xinjiang.",
    "m-p2": "Zhang Hanfu said that the Chinese side would study the memorandum and answer the memorandum.",
}


def make_document(slug="minutes", texts=None, kind="minutes", title=None):
    """A document with a TEI header and one passage per (anchor, reading text) pair."""
    doc = Document.objects.create(slug=slug, xml_id=slug, kind=kind, title=title or f"Document {slug}",
                                  header_tei=HEADER)  # fmt: skip
    for order, (anchor, text) in enumerate((texts or {}).items()):
        text_passage(doc, anchor, text, order)
    return doc


def make_note(document, anchor, exact, body="A note.", occurrence=1, **fields):
    """An editor's note on the n-th occurrence of `exact` in the passage `anchor` (published by default)."""
    return note(document.passages.get(anchor=anchor), exact, body, occurrence=occurrence, **fields)


def rewrite(document, texts):
    """Simulate a re-import: replace the passages' texts (new anchors created, missing ones deleted).

    Returns old_texts as the importer passes it to reanchor_document_notes.
    """
    old_texts = dict(document.passages.values_list("anchor", "reading_text"))
    document.passages.exclude(anchor__in=list(texts)).delete()
    for order, (anchor, text) in enumerate(texts.items()):
        Passage.objects.update_or_create(
            document=document, anchor=anchor,
            defaults={"order": order, "tei": passage_tei(anchor, text), "reading_text": text, "diplomatic_text": text},
        )  # fmt: skip
    return old_texts


def note_form(document, passage, exact="", body="A note.", **extra):
    """POST data of the note admin form."""
    data = {"document": document.pk, "passage": passage.pk, "exact": exact, "occurrence": "", "kind": "editorial",
            "status": "draft", "body": body, "expected_version": "", "_save": "Save"}  # fmt: skip
    data.update({k: ("" if v is None else v) for k, v in extra.items()})
    return data
