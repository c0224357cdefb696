"""The reading and diplomatic texts of a passage, and offsets into the reading text."""

from lxml import etree

from documents.tei.textview import passage_text

NS = 'xmlns="http://www.tei-c.org/ns/1.0"'


def parse(xml):
    return etree.fromstring(xml)


def test_choice_supplied_and_notes():
    p = parse(
        f"<p {NS}>to continue <choice><sic>out</sic><corr>our</corr></choice> talks after "
        "studying <supplied>the document</supplied>.<note>not text</note> End.</p>"
    )
    pt = passage_text(p)
    assert pt.diplomatic == "to continue out talks after studying [the document]. End."
    assert pt.reading == "to continue our talks after studying [the document]. End."


def test_whitespace_is_normalised_and_spans_are_offsets_in_reading_text():
    p = parse(
        f'<p {NS}>\n  Met   <persName ref="ent:z">Zhang\n Hanfu</persName> on '
        '<date when="1962-05-19">19 May</date>.</p>'
    )
    pt = passage_text(p)
    assert pt.reading == "Met Zhang Hanfu on 19 May."
    (person,) = pt.spans_of("persName")
    (date,) = pt.spans_of("date")
    assert pt.reading[person.start : person.end] == "Zhang Hanfu"
    assert person.attrib["ref"] == "ent:z"
    assert pt.reading[date.start : date.end] == "19 May"


def test_speaker_is_not_passage_text():
    sp = parse(f"<sp {NS}><speaker>Zhang:</speaker><p>I agree.</p></sp>")
    assert passage_text(sp).reading == "I agree."
