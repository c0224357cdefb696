"""A small edition built with the ORM for the search and cache tests (no importer needed).

Indexing goes through the `document_imported` signal, as the importer sends it.
"""

import datetime as dt

from documents.models import Document, Entity, EntityAlias, Mention, Note, Passage, Turn
from documents.signals import document_imported


def _passage(doc, turn, anchor, order, text, mentions=()):
    p = Passage.objects.create(
        document=doc, turn=turn, anchor=anchor, order=order, tei="<p/>", reading_text=text, diplomatic_text=text
    )
    for entity, words in mentions:
        start = text.index(words)
        Mention.objects.create(passage=p, entity=entity, text=words, start=start, end=start + len(words))
    return p


def build_edition():
    """Two documents, three people/places with aliases, turns, passages, notes; indexed."""
    zhang = Entity.objects.create(key="zhang-hanfu", kind="person", name="Zhang Hanfu")
    EntityAlias.objects.create(entity=zhang, name="章汉夫", lang="zh-Hans")
    EntityAlias.objects.create(entity=zhang, name="Chang Han-fu", lang="en")
    cherv = Entity.objects.create(key="chervonenko", kind="person", name="S. V. Chervonenko")
    EntityAlias.objects.create(entity=cherv, name="Червоненко", lang="ru")
    xinjiang = Entity.objects.create(key="xinjiang", kind="place", name="Xinjiang")
    EntityAlias.objects.create(entity=xinjiang, name="Sinkiang", lang="en")
    EntityAlias.objects.create(entity=xinjiang, name="新疆", lang="zh-Hans")
    ili = Entity.objects.create(key="ili", kind="place", name="Ili")

    minutes = Document.objects.create(
        slug="minutes-1962-06-08", xml_id="minutes", kind="minutes", title="Minutes of the meeting",
        date=dt.date(1962, 6, 8), sort_key="1",
    )
    memo = Document.objects.create(
        slug="memorandum-1962-06-07", xml_id="memo", kind="memorandum", title="Soviet memorandum",
        date=dt.date(1962, 6, 7), sort_key="2",
    )
    t1 = Turn.objects.create(document=minutes, xml_id="m-sp1", speaker=zhang, speaker_label="Zhang Hanfu:", order=1)
    t2 = Turn.objects.create(document=minutes, xml_id="m-sp2", speaker=cherv, speaker_label="Chervonenko:", order=2)
    p = {}
    p["m-1"] = _passage(minutes, None, "m-1", 1, "Record of the conversation held in Beijing.")
    p["m-2"] = _passage(
        minutes, t1, "m-2", 2,
        "The Vice Minister asked for the repatriation of the residents who had crossed the border from Xinjiang.",
        [(xinjiang, "Xinjiang")],
    )
    p["m-3"] = _passage(
        minutes, t1, "m-3", 3, "He said the border crossing was organised <script>alert(1)</script> & planned.",
    )
    p["m-4"] = _passage(
        minutes, t2, "m-4", 4,
        "The Ambassador replied that the people could not be made to return against their will.",
    )
    p["m-5"] = _passage(minutes, t2, "m-5", 5, "He promised to report the request to Moscow.", [(zhang, "request")])
    p["memo-1"] = _passage(
        memo, None, "memo-1", 1,
        "The Soviet side considers that to repatriate the people would be inhumane; the area of Ili is calm.",
        [(ili, "Ili"), (xinjiang, "area")],
    )
    p["memo-2"] = _passage(memo, None, "memo-2", 2, "Repatriated persons were not discussed further.")
    Note.objects.create(
        document=minutes, passage=p["m-2"], anchor="m-2", exact="repatriation", start=18, end=30,
        body="The request for **repatriation** recurs in the *memorandum*.", status="published", kind="commentary",
    )
    Note.objects.create(
        document=minutes, passage=p["m-4"], anchor="m-4", exact="return", body="Draft: secret zanzibar remark.",
        status="draft",
    )
    for doc in (minutes, memo):
        document_imported.send(sender=Document, document=doc, created=True)
    return {"minutes": minutes, "memo": memo, "zhang": zhang, "cherv": cherv, "xinjiang": xinjiang, "passages": p}
