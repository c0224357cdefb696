"""Issue 10.6: speaker fallbacks, the opt-in 'NAME:' detector, names without a pointer as unreviewed
index entries, and the admin's merge that a re-import keeps."""

from io import StringIO

import pytest
from django.core.management import call_command
from lxml import etree

from documents.models import Document, Entity, EntityAlias, Mention, Passage, Turn
from documents.tei.mapping import map_tree
from documents.tei.mapping_unpointed import normalise_name, unpointed_key
from documents.tei.parser import parse_bytes
from documents.tei.speakers import detect_label, readable_who, speaker_display
from tests.conftest import SHARED

HAC = SHARED / "samples" / "hsg-hac-minutes-1962-11-02.xml"
TEI = "http://www.tei-c.org/ns/1.0"


def tei(body: str, pi: str = "") -> bytes:
    return (
        f'<?xml version="1.0"?>{pi}<TEI xmlns="{TEI}" xml:id="t"><teiHeader><fileDesc><titleStmt><title>T</title>'
        f"</titleStmt><publicationStmt><p/></publicationStmt><sourceDesc><p/></sourceDesc></fileDesc></teiHeader>"
        f"<text><body><div>{body}</div></body></text></TEI>"
    ).encode()


def mapped(body: str, pi: str = "", detect: bool = False, name: str = "x.xml"):
    return map_tree(parse_bytes(tei(body, pi), name), name, detect_speakers=detect)


def import_(*paths, **options):
    out, err = StringIO(), StringIO()
    call_command("import_tei", *[str(p) for p in paths], stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


# -- speakers ---------------------------------------------------------------------------------------
def test_readable_who_and_the_display_fallbacks():
    assert readable_who("#Smith.John") == "Smith John"
    assert readable_who("#KučanMilan") == "Kučan Milan"
    assert readable_who("persons.xml#jd #Doe_Jane") == "jd, Doe Jane"
    assert speaker_display("Zhang Hanfu", "Zhang:", "ent:zhang-hanfu") == "Zhang Hanfu"
    assert speaker_display("", "Zhang:", "#x") == "Zhang"
    assert speaker_display("", "", "#Smith.John") == "Smith John"
    assert speaker_display("", "", "") == ""


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("SECRETARY KISSINGER: We agree.", "SECRETARY KISSINGER:"),
        ("Mr. Smith: I think so.", "Mr. Smith:"),
        ("Mr. E. R. Perkins: Yes.", "Mr. E. R. Perkins:"),
        ("The President: Go on.", "The President:"),
        ("GROMYKO: Da.", "GROMYKO:"),
        ("He said: this is not a label.", None),  # a colon inside a sentence
        ("the secretary: lowercase", None),
        ("Smith: a bare capitalised word is not enough", None),
        ("AGENDA ITEM 1: Opening remarks:", None),  # numbers
        ("1. Quantity of publication: Mr. Harrington emphasized", None),
        ("Present:", None),  # nothing after the colon
        ("Sir: I have the honor", None),  # a salutation
        ("Dear Sir: I have", None),
        ("Mr. Franklin welcomed the Committee.", None),  # no colon at all
        ("A VERY LONG LABEL OF MANY MORE WORDS THAN SPEAKERS: x", None),
    ],
)
def test_detect_label_edge_cases(text, label):
    assert detect_label(text) == label


def test_detector_is_opt_in_keeps_every_word_and_every_anchor():
    body = "<p>SECRETARY KISSINGER: We <hi>agree</hi>.</p><p>He said: no.</p><p>Mr. Smith: Fine.</p>"
    plain, detected = mapped(body), mapped(body, detect=True)
    (doc0,), (doc1,) = plain.documents, detected.documents
    assert doc0.turns == []
    assert [(t.speaker_label, t.label_in_text) for t in doc1.turns] == [
        ("SECRETARY KISSINGER:", True),
        ("Mr. Smith:", True),
    ]
    # The same passages, anchors and words, with or without the detector.
    assert [(p.anchor, p.reading, p.diplomatic, p.tei) for p in doc0.passages] == [
        (p.anchor, p.reading, p.diplomatic, p.tei) for p in doc1.passages
    ]
    assert doc1.passages[0].reading == "SECRETARY KISSINGER: We agree."
    assert [p.turn for p in doc1.passages] == [doc1.turns[0].xml_id, None, doc1.turns[1].xml_id]


def test_a_file_can_ask_for_the_detector_itself():
    (doc,) = mapped("<p>MR. JONES: Hello.</p>", pi="<?edition detect-speakers?>").documents
    assert [t.speaker_label for t in doc.turns] == ["MR. JONES:"]


def test_hac_minutes_have_no_name_colon_speakers_and_lose_no_word(db):
    """The HAC minutes report speech in the third person ("Mr. Franklin noted that ..."); their only
    'X:' openings are 'Present:', 'AGENDA ITEM n:' and a numbered list: the detector finds 0 turns."""
    tree = etree.parse(str(HAC))
    plain, detected = map_tree(tree, str(HAC)), map_tree(tree, str(HAC), detect_speakers=True)
    assert len(detected.documents[0].turns) == 0
    words = [p.reading for p in plain.documents[0].passages]
    assert [p.reading for p in detected.documents[0].passages] == words
    out, err = import_(HAC, detect_speakers=True)
    doc = Document.objects.get(source_file__path=str(HAC.resolve()))
    assert Turn.objects.filter(document=doc).count() == 0
    assert list(doc.passages.order_by("order").values_list("reading_text", flat=True)) == words


def test_detected_turns_import_render_and_export_the_label_once(db, client, tmp_path):
    path = tmp_path / "talk.xml"
    path.write_bytes(tei("<p>SECRETARY KISSINGER: We agree with the plan.</p><p>Mr. Smith: So do we.</p>"))
    out, err = import_(path)
    assert Turn.objects.count() == 0  # opt-in
    out, err = import_(path, detect_speakers=True)  # the option changes the import: not skipped as unchanged
    assert "1 imported" in out, out + err
    turns = list(Turn.objects.order_by("order"))
    assert [(t.speaker_label, t.label_in_text, t.display_name) for t in turns] == [
        ("SECRETARY KISSINGER:", True, "SECRETARY KISSINGER"),
        ("Mr. Smith:", True, "Mr. Smith"),
    ]
    doc = Document.objects.get()
    html = client.get(doc.get_absolute_url()).content.decode()
    assert html.count("SECRETARY KISSINGER:") == 1  # in the text, not repeated as a label before it
    assert ">SECRETARY KISSINGER</h2>" in html
    text = client.get(f"{doc.get_absolute_url()}text.txt").content.decode()
    assert text.count("SECRETARY KISSINGER:") == 1
    tei_export = client.get(f"{doc.get_absolute_url()}tei.xml").content.decode()
    assert tei_export.count("SECRETARY KISSINGER:") == 1


def test_unresolved_who_shows_the_speaker_label_or_the_pointer(db, client, tmp_path):
    path = tmp_path / "sitting.xml"
    body = (
        '<u who="persons.xml#Smith.John"><seg>Hello.</seg></u><sp who="#x"><speaker>Mrs Doe:</speaker><p>Yes.</p></sp>'
    )
    path.write_bytes(tei(body))
    import_(path)
    doc = Document.objects.get()
    assert [t.display_name for t in doc.turns.order_by("order")] == ["Smith John", "Mrs Doe"]
    html = client.get(doc.get_absolute_url()).content.decode()
    assert "Unknown speaker" not in html and ">Smith John</h2>" in html
    api = client.get(f"/api/documents/{doc.slug}/").json()
    assert [t["speaker_name"] for t in api["turns"]] == ["Smith John", "Mrs Doe"]
    search = client.get("/search/", {"q": "hello"}).content.decode()
    assert "Smith John" in search


# -- names without a pointer --------------------------------------------------------------------------
NAMES = (
    "<p>Mr. <persName>Lansing</persName> went to <placeName>Petrograd</placeName>.</p>"
    "<p><persName>LANSING</persName> and <persName>R. Lansing</persName> met the "
    "<orgName>War Trade Board</orgName>.</p>"
)


def test_normalised_keys():
    assert normalise_name(" Lansing\n ") == normalise_name("LANSING") == "lansing"
    assert normalise_name("ＰＥＴＲＯＧＲＡＤ") == "petrograd"  # NFKC: full-width letters
    assert unpointed_key("person", "Robert  Lansing") == "name:person:robert lansing"
    assert len(unpointed_key("person", "x" * 500)) <= 200


def test_unpointed_names_become_unreviewed_entries_and_reimport_keeps_merges(db, client, tmp_path):
    path = tmp_path / "volume.xml"
    path.write_bytes(tei(NAMES))
    out, err = import_(path)
    lansing = Entity.objects.get(key="name:person:lansing")
    assert (lansing.name, lansing.reviewed) == ("Lansing", False)  # the label as first written
    assert lansing.mentions.count() == 2  # "Lansing" and "LANSING"
    assert set(Entity.objects.filter(reviewed=False).values_list("kind", "name")) == {
        ("person", "Lansing"),
        ("person", "R. Lansing"),
        ("place", "Petrograd"),
        ("org", "War Trade Board"),
    }
    people = client.get("/people/").content.decode()
    assert "Lansing" in people and "unreviewed" in people
    # An editor merges "R. Lansing" into "Lansing" (the service behind the admin action).
    from documents.services.entity_merge import merge_entities

    merge_entities([Entity.objects.get(key="name:person:r. lansing")], lansing)
    assert lansing.mentions.count() == 3
    assert EntityAlias.objects.filter(entity=lansing, name="R. Lansing", merged_key="name:person:r. lansing").exists()
    # A changed file re-imported: no duplicate, the merge holds.
    path.write_bytes(tei(NAMES + "<p>Again <persName>R. Lansing</persName>.</p>"))
    out, err = import_(path)
    assert "1 imported" in out, out + err
    assert not Entity.objects.filter(key="name:person:r. lansing").exists()
    assert Entity.objects.filter(reviewed=False, kind="person").count() == 1
    assert Mention.objects.filter(entity=lansing).count() == 4
    assert import_(path, force=True)[0].count("0 created") >= 1
    assert Entity.objects.filter(reviewed=False).count() == 3


def test_admin_merge_action(db, editor_client, tmp_path):  # noqa: F811
    path = tmp_path / "volume.xml"
    path.write_bytes(tei(NAMES))
    import_(path)
    target = Entity.objects.get(key="name:person:lansing")
    source = Entity.objects.get(key="name:person:r. lansing")
    url = "/admin/documents/entity/"
    confirm = editor_client.post(url, {"action": "merge_into", "_selected_action": [source.pk]})
    assert confirm.status_code == 200 and b"Merge into" in confirm.content
    done = editor_client.post(
        url, {"action": "merge_into", "_selected_action": [source.pk], "target": target.pk, "apply": "Merge"}
    )
    assert done.status_code == 302
    assert not Entity.objects.filter(pk=source.pk).exists()
    assert target.mentions.count() == 3
    assert target.aliases.filter(merged_key="name:person:r. lansing").exists()
    editor_client.post(url, {"action": "mark_reviewed", "_selected_action": [target.pk]})
    target.refresh_from_db()
    assert target.reviewed


def test_our_own_files_make_no_unreviewed_entries(db):
    import_()  # the edition's documents/tei/
    assert not Entity.objects.filter(reviewed=False).exists()
    assert Passage.objects.exists()
