"""Real-world TEI (../shared/samples/) and the edition's own TEI (documents/tei/) import cleanly.

Sample counts were verified independently with XPath over the files (e.g. FRUS: 478
div[@type='document'], 1,195 notes inside them, 88 persName[@xml:id] in the persons list,
1,773 persName[@corresp] in the documents' text outside notes; 728 persName/placeName/orgName with words
and no @ref/@key/@corresp/@sameAs there, which become unreviewed index entries).
"""

from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from lxml import etree

from documents.models import DateMention, Document, Entity, Mention, Note, Participation, Passage, PassageLink, Turn
from tests.conftest import SHARED

pytestmark = pytest.mark.django_db
SAMPLES = SHARED / "samples"
FRUS = SAMPLES / "frus1918Russiav03-not-yet-reviewed.xml"
PARLA = SAMPLES / "parla-clarin-exemplar.xml"
HAC = SAMPLES / "hsg-hac-minutes-1962-11-02.xml"
NS = {"t": "http://www.tei-c.org/ns/1.0"}


def import_(*paths, **options):
    out, err = StringIO(), StringIO()
    call_command("import_tei", *[str(p) for p in paths], stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def test_frus_volume_becomes_478_documents():
    out, err = import_(FRUS)
    # Only words the mapping could not place are warned about (tests/test_completeness.py); nothing else.
    assert all(" words not imported " in line for line in err.splitlines()), err
    docs = Document.objects.without_matter().filter(source_file__path=str(FRUS.resolve()))
    assert docs.count() == 478  # and the volume's text outside them (tests/test_collections.py)
    # 2,790 before issue 10.4; a list and a block quotation are one passage each now (2,697)
    assert Passage.objects.filter(document__in=docs).count() == 2697
    notes = Note.objects.filter(document__in=docs, provenance="tei")
    assert notes.count() == 1195
    assert notes.filter(kind="source").count() == 904  # "File No. ..." and "[Telegram]" source notes
    assert notes.filter(exact="").count() == 1195  # all are point notes
    persons = Entity.objects.people().filter(key__startswith="frus1918Russiav03-not-yet-reviewed:")
    assert persons.count() == 88
    assert Mention.objects.filter(passage__document__in=docs, entity__reviewed=True).count() == 1773
    # Names without a pointer: mentions of unreviewed entries keyed by the normalised name (mapping_unpointed.py).
    unpointed = Mention.objects.filter(passage__document__in=docs, entity__reviewed=False)
    assert unpointed.count() == 728
    assert Entity.objects.filter(reviewed=False, key="name:place:petrograd", name="Petrograd").exists()
    assert DateMention.objects.filter(passage__document__in=docs).count() == 465
    d1 = docs.get(slug="frus1918russiav03-d1")
    assert d1.title == "The Secretary of State to the Ambassador in Russia (Francis)"
    assert (d1.date.isoformat(), d1.venue) == ("1917-04-03", "Washington")
    assert set(d1.participations.values_list("entity__name", "role")) == {
        ("David R. Francis", "recipient"),
        ("Robert Lansing", "author"),
    }
    footnote = Note.objects.get(document__slug="frus1918russiav03-d5", xml_id="d5fn1")
    assert footnote.start == footnote.end and footnote.passage is not None


def test_parla_clarin_corpus_turns_notes_and_persons():
    out, err = import_(PARLA)
    assert err == ""
    (doc,) = Document.objects.filter(source_file__path=str(PARLA.resolve()))
    assert doc.slug == "parla-clarin-exemplar-document-id"
    assert (doc.title, doc.date.isoformat(), doc.venue) == (
        "The parliament of the Republic of Slovenia", "2011-06-10", "Ljubljana, Slovenia",
    )
    turns = list(doc.turns.values_list("speaker__name", "speaker_label"))
    assert len(turns) == 7  # seven <u>
    assert turns[0] == ("Milan Kučan", "MILAN KUČAN:")  # the label from the preceding speaker note
    assert turns[4] == ("Boris Johnson", "")
    # Nine notes: four speaker notes became turn labels, five stay notes (time, quorum, vote, recount, date).
    assert doc.notes.count() == 5
    assert set(doc.participations.values_list("role", flat=True)) == {"speaker"}
    assert doc.participations.count() == 4
    assert Entity.objects.people().filter(key__startswith="parla-clarin-exemplar:").count() == 4
    assert Entity.objects.organisations().filter(key__startswith="parla-clarin-exemplar:").count() == 3
    incident = doc.passages.filter(kind="incident").values_list("reading_text", flat=True)
    assert list(incident) == ["Applause.", "Army storms the parliament"]  # unknown elements keep their text


def test_hac_minutes_without_entity_markup():
    out, err = import_(HAC)
    assert err == ""
    (doc,) = Document.objects.filter(source_file__path=str(HAC.resolve()))
    assert doc.title == "Minutes of Historical Advisory Committee Meeting, November 1962"
    assert doc.date.isoformat() == "1962-11-02"
    assert doc.passages.count() == 62  # 66 before issue 10.4, when each list item was a passage of its own
    assert doc.passages.first().reading_text.startswith("Source: Department of State")
    # No <note>, no <sp>/<u>, no entity lists in this file: the importer invents none.
    assert (doc.notes.count(), doc.turns.count(), doc.participations.count()) == (0, 0, 0)


def test_samples_reimport_unchanged():
    import_(SAMPLES)
    counts = (Document.objects.count(), Passage.objects.count(), Note.objects.count(), Entity.objects.count())
    out, err = import_(SAMPLES)
    assert "3 file(s): 0 imported, 3 unchanged, 0 failed." in out
    assert (Document.objects.count(), Passage.objects.count(), Note.objects.count(), Entity.objects.count()) == counts


def _xpath_count(path, expr):
    return int(etree.parse(str(path)).xpath(f"count({expr})", namespaces=NS))


def test_the_editions_own_tei_imports_with_its_schema():
    """documents/tei/ validated with documents/schema/edition.rng: counts follow the files themselves."""
    tei_dir = settings.EDITION_TEI_DIR
    assert settings.EDITION_TEI_SCHEMA.is_file()
    out, err = import_()
    assert "0 failed" in out, err
    minutes = Document.objects.get(slug="minutes-1962-06-08")
    memo = Document.objects.get(slug="memorandum-1962-06-07")
    assert (minutes.kind, memo.kind) == ("minutes", "memorandum")
    assert minutes.date.isoformat() == "1962-06-08" and memo.date.isoformat() == "1962-06-07"
    assert minutes.review_note.startswith("(Not reviewed")
    minutes_file = tei_dir / "minutes-1962-06-08.xml"
    memo_file = tei_dir / "memorandum-1962-06-07.xml"
    assert minutes.turns.count() == _xpath_count(minutes_file, "//t:sp")
    assert Turn.objects.filter(document=minutes, speaker__isnull=True).count() == 0
    roles = set(Participation.objects.filter(document=minutes).values_list("role", flat=True))
    assert {"speaker", "attendee", "interpreter", "minute-taker"} <= roles
    for doc, path in ((minutes, minutes_file), (memo, memo_file)):
        assert doc.notes.count() == _xpath_count(path, "//t:back//t:note[@target]")
        assert doc.passages.count() == _xpath_count(path, "//t:body//*[self::t:p or self::t:head or self::t:closer]")
        assert doc.notes.filter(passage__isnull=True).count() == 0
    assert PassageLink.objects.count() == _xpath_count(tei_dir / "links.xml", "//t:link")
    assert Entity.objects.count() == _xpath_count(
        tei_dir / "entities.xml", "//t:person[@xml:id] | //t:place[@xml:id] | //t:org[@xml:id]"
    )
    # Every <setting> is kept; time and venue come from the first that gives them.
    assert len(memo.metadata["settings"]) == _xpath_count(memo_file, "//t:settingDesc/t:setting")
    assert memo.venue and memo.venue in [s["venue"] for s in memo.metadata["settings"]]
    assert minutes.time_text == "5:00 p.m."
    slip = Note.objects.get(xml_id="n-slip-our")
    assert slip.exact == "our"
    diplomatic = Passage.objects.get(anchor="m-chervonenko-1-declaration").diplomatic_text
    assert "continue out previous discussions" in diplomatic
