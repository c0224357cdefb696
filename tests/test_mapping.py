"""Mapping TEI to plain data: documents, passages, anchors, notes and pointers (no database)."""

from documents.tei.mapping import map_tree
from documents.tei.mapping_notes import note_markdown
from documents.tei.parser import parse_bytes, parse_file

NS = 'xmlns="http://www.tei-c.org/ns/1.0"'
ENT = (
    '<encodingDesc><listPrefixDef><prefixDef ident="ent" matchPattern="([a-z]+)" '
    'replacementPattern="entities.xml#$1"/></listPrefixDef></encodingDesc>'
)


def mapped(fixtures_dir, *parts):
    path = fixtures_dir.joinpath("tei", *parts)
    return map_tree(parse_file(path).tree, str(path))


def ours(body: str, back: str = "", name: str = "t.xml"):
    xml = (
        f'<TEI {NS} xml:id="t"><teiHeader><fileDesc><titleStmt><title>T</title></titleStmt></fileDesc>{ENT}'
        f'</teiHeader><text type="minutes"><body>{body}</body><back>{back}</back></text></TEI>'
    )
    return map_tree(parse_bytes(xml.encode(), name), name)


def test_our_document_header_turns_and_passages(fixtures_dir):
    data = mapped(fixtures_dir, "edition", "doc-a.xml")
    assert data.ours and not data.problems
    (doc,) = data.documents
    assert (doc.slug, doc.kind, doc.date, doc.time_text) == ("doc-a", "minutes", "1962-06-08", "5:00 p.m.")
    assert doc.title == "Minutes of the Meeting between the Vice Minister [Alpha] and Betov"
    assert doc.subtitle == "—A test subtitle—"
    assert doc.review_note == "(Not reviewed by Vice Minister Alpha)"
    assert doc.venue == "Meeting Room, The Ministry"
    assert [(p.ref.key, p.role) for p in doc.participants] == [("alpha", "speaker"), ("beta", "speaker")]
    assert [(t.xml_id, t.speaker.key, t.speaker_label) for t in doc.turns] == [
        ("a-beta-1", "beta", "Ambassador Betov (hereafter Betov):"),
        ("a-alpha-1", "alpha", "Alpha:"),
    ]
    first = next(p for p in doc.passages if p.anchor == "a-beta-1-p1")
    assert first.turn == "a-beta-1"
    assert first.diplomatic == "I came today to continue out talks about Riverland."
    assert first.reading == "I came today to continue our talks about Riverland."
    assert [(m.ref.key, m.text) for m in first.mentions] == [("riverland", "Riverland")]
    assert [(d.when, d.text) for d in first.dates] == [("1962-06-08", "today")]


def test_note_targets_become_selectors(fixtures_dir):
    (doc,) = mapped(fixtures_dir, "edition", "doc-a.xml").documents
    notes = {n.xml_id: n for n in doc.notes}
    alpha = notes["n-alpha"]  # #id of a persName inside a passage
    assert (alpha.anchor, alpha.exact) == ("a-title", "the Vice Minister [Alpha]")
    assert alpha.prefix.endswith("between ") and alpha.suffix.startswith(" and Betov")
    assert alpha.body == "Alpha is *the* test person; see [the memorandum](doc-b.xml#b-p1)."
    slip = notes["n-slip"]  # #id of a <choice>: the reading text's words
    assert (slip.anchor, slip.exact, slip.start, slip.end) == ("a-beta-1-p1", "our", 25, 28)
    border = notes["n-border"]  # string-range(anchor, offset, length)
    assert (border.anchor, border.exact, border.start, border.end) == ("a-alpha-1-p2", "border", 12, 18)
    whole = notes["n-whole"]  # #anchor: the whole passage
    assert (whole.anchor, whole.exact, whole.start, whole.end) == ("a-not-reviewed", "", None, None)
    assert notes["n-slip"].body == "The witness reads “out”."


def test_entities_keep_the_encoders_name_order_and_aliases(fixtures_dir):
    data = mapped(fixtures_dir, "edition", "entities.xml")
    entities = {e.key: e for e in data.entities}
    alpha = entities["alpha"]
    assert (alpha.name, alpha.sort_name) == ("Li Alpha", "Li, Alpha")  # surname first, as encoded
    assert alpha.aliases == [("李阿尔法", "zh-Hans")]
    assert alpha.description == "A test person who speaks first."
    assert alpha.data["occupation"] == "Vice Minister"
    assert alpha.affiliation.key == "ministry"
    assert entities["beta"].description == "Ambassador"  # no note: the occupation describes him
    assert entities["riverland"].kind == "place"
    assert data.documents == [] and data.stage == 0


def test_links_file(fixtures_dir):
    data = mapped(fixtures_dir, "edition", "links.xml")
    assert data.stage == 2
    assert [(lk.kind, lk.source_file, lk.source_anchor, lk.target_file, lk.target_anchor) for lk in data.links] == [
        ("answers", "doc-a.xml", "a-alpha-1-p2", "doc-b.xml", "b-p1"),
        ("repeats", "doc-a.xml", "a-beta-1-p1", "doc-b.xml", "b-head"),
    ]


def test_several_document_divs_make_several_documents(fixtures_dir):
    data = mapped(fixtures_dir, "foreign", "volume.xml")
    assert not data.ours and not data.problems
    # The text outside the two documents (the front matter's list of persons, the chapter heading) is kept
    # as the collection's matter document (docs/importer.md, "Collections"), after the documents.
    assert [d.slug for d in data.documents] == ["vol1-d1", "vol1-d2", "vol1-matter"]
    assert [s.xml_id for s in data.collection.matter.sections] == ["front", "persons", "ch1"]
    assert data.collection.places == [("vol1-d1", "ch1"), ("vol1-d2", "ch1")]
    d1 = data.documents[0]
    assert (d1.date, d1.venue, d1.source_note) == ("1917-04-03", "Washington", "File No. 1/1")
    # Entity keys from foreign files are namespaced by the file stem.
    assert {e.key: e.name for e in data.entities} == {"volume:p_ONE": "Ann One", "volume:p_TWO": "Bob Two"}
    assert {(p.ref.key, p.role) for p in d1.participants} == {("volume:p_TWO", "recipient"), ("volume:p_ONE", "author")}
    texts = [p.reading for p in d1.passages]
    assert "An attached paper." in texts and "Words in an unknown element." in texts  # unknown elements keep text
    source, footnote = d1.notes
    assert (source.kind, source.body, source.anchor, source.start, source.end) == (
        "source", "File No. 1/1", d1.passages[0].anchor, 0, 0,
    )
    p = next(p for p in d1.passages if p.reading.startswith("First"))
    assert (footnote.xml_id, footnote.anchor, footnote.exact) == ("d1fn1", p.anchor, "")
    assert footnote.start == footnote.end == len("First paragraph.")


def test_generated_anchors_are_stable_hashes_not_ordinals(fixtures_dir):
    data = mapped(fixtures_dir, "foreign", "volume.xml")
    d2 = data.documents[1]
    anchors = [p.anchor for p in d2.passages]
    assert anchors[1].startswith("d2-p-") and anchors[2] == anchors[1] + "-2"  # same text: de-duplicated
    xml = (fixtures_dir / "tei" / "foreign" / "volume.xml").read_bytes()
    inserted = xml.replace(b"<p>A paragraph without id.</p>", b"<p>Inserted.</p><p>A paragraph without id.</p>")
    again = map_tree(parse_bytes(inserted, "volume.xml"), "volume.xml")
    before = {p.reading: p.anchor for p in data.documents[0].passages}
    after = {p.reading: p.anchor for p in again.documents[0].passages}
    assert after["A paragraph without id."] == before["A paragraph without id."]


def test_tei_corpus_and_utterances(fixtures_dir):
    data = mapped(fixtures_dir, "foreign", "corpus.xml")
    assert [d.slug for d in data.documents] == ["corpus-sitting-1", "corpus-sitting-2"]
    one, two = data.documents
    assert (one.title, one.subtitle, one.date, one.venue) == ("Sitting one", "First day", "2011-06-10", "Capital")
    u1, unknown = one.turns
    assert (u1.xml_id, u1.speaker.key, u1.speaker_label) == ("u1", "corpus:Speaker1", "ANA SPEAKER:")
    assert unknown.speaker is None and unknown.who == "#Unknown9"  # foreign pointer outside the file: kept raw
    assert [p.reading for p in one.passages if p.turn == "u1"] == ["Dear members.", "We begin."]
    (note,) = one.notes  # the speaker note became the label; the time note is a point note
    assert note.body == "Opened at 10.03."
    assert [p.reading for p in two.passages] == ["Direct text in an utterance."]
    assert two.passages[0].turn == two.turns[0].xml_id


def test_dangling_pointers_in_our_tei_are_problems_with_lines():
    data = ours(
        '<p xml:id="p1">See <persName ref="nobody">X</persName>.</p>',
        '<note xml:id="n-1" target="#missing"><p>Note.</p></note>'
        '<note xml:id="n-2" target="#string-range(p1,2,99)"><p>Too long.</p></note>',
    )
    messages = [(p.line, p.message) for p in data.problems]
    assert any("@ref='nobody' is not a pointer" in m for _, m in messages)
    assert any("nothing with xml:id 'missing'" in m for _, m in messages)
    assert any("beyond the passage's text" in m for _, m in messages)
    assert all(line == 1 for line, _ in messages)


def test_duplicate_ids_in_our_tei_are_problems():
    data = ours('<p xml:id="p1">One.</p><p xml:id="p1">Two.</p>')
    assert [p.message for p in data.problems] == ["duplicate xml:id 'p1'"]


def test_root_must_be_tei():
    data = map_tree(parse_bytes(b"<html/>", "x.xml"), "x.xml")
    assert "not <TEI> or <teiCorpus>" in data.problems[0].message


def test_note_markdown_escapes_and_formats():
    from lxml import etree

    note = etree.fromstring(
        f'<note {NS}><p>A *star* and <hi rend="bold">bold</hi>, <gi>supplied</gi>.</p><p>Second.</p></note>'
    )
    assert note_markdown(note) == "A \\*star\\* and **bold**, `<supplied>`.\n\nSecond."


def test_an_org_nested_in_an_org_is_part_of_it():
    """TEI has no <affiliation> in <org>: a ministry's department is an <org> inside the ministry's <org>."""
    xml = (
        f'<TEI {NS} xml:id="entities"><teiHeader><fileDesc><titleStmt><title>E</title></titleStmt></fileDesc>'
        f"{ENT}</teiHeader>"
        '<standOff><listOrg><org xml:id="ministry"><orgName>Ministry</orgName><note>A ministry.</note>'
        '<org xml:id="dept"><orgName>Department</orgName><note>Its department.</note></org></org>'
        '<org xml:id="other"><orgName>Other</orgName></org></listOrg></standOff></TEI>'
    )
    data = map_tree(parse_bytes(xml.encode(), "entities.xml"), "entities.xml")
    entities = {e.key: e for e in data.entities}
    assert not data.problems
    assert entities["dept"].affiliation.key == "ministry" and entities["dept"].affiliation.line == 1
    assert entities["ministry"].affiliation is None and entities["other"].affiliation is None
    assert entities["ministry"].description == "A ministry."  # the nested org's note is not the parent's
