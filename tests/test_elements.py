"""The one element -> behaviour table (documents.tei.elements): selectors, predicates, the override hook."""

import logging

import pytest
from lxml import etree

from documents.render import render_passage
from documents.tei import elements
from documents.tei.elements import TABLE, Behaviour, ElementTable, inline, parse_selector, unwrap
from documents.tei.mapping_notes import note_markdown
from documents.tei.textview import passage_text

NS = 'xmlns="http://www.tei-c.org/ns/1.0"'


def el(xml: str):
    return etree.fromstring(xml)


def test_selectors_with_predicates():
    name, predicates = parse_selector("hi[rend~=italic][xml:lang]")
    assert name == "hi" and [p.op for p in predicates] == ["~=", ""]
    assert predicates[1].attribute == "{http://www.w3.org/XML/1998/namespace}lang"
    with pytest.raises(ValueError, match="not an element selector"):
        parse_selector("hi rend=italic")


@pytest.mark.parametrize(
    "xml, tag",
    [('<hi rend="italic"/>', "i"), ('<hi rend="Bold"/>', "b"), ('<hi rend="italic bold"/>', "i"),
     ('<hi rend="sup"/>', "sup"), ('<hi rend="smallcaps"/>', "span"), ("<hi/>", "span")],
)  # fmt: skip
def test_the_first_rule_whose_predicates_hold_wins(xml, tag):
    assert TABLE.lookup(el(xml)).tag == tag


def test_predicate_operators():
    table = ElementTable()
    table.add("seg[type=aside]", inline("aside"))
    table.add("seg[rend*=ital]", inline("i"))
    table.add("seg[n]", inline("b"))
    table.add("seg", unwrap())
    assert TABLE.lookup(el("<nothing/>")) is None
    assert table.lookup(el('<seg type="aside" n="1"/>')).tag == "aside"
    assert table.lookup(el('<seg type="Aside" rend="italics"/>')).tag == "i"  # '=' is exact, '*=' a substring
    assert table.lookup(el('<seg n="1"/>')).tag == "b"
    assert table.lookup(el("<seg/>")).kind == "unwrap"


def test_a_behaviour_must_be_of_a_known_kind():
    with pytest.raises(ValueError, match="unknown behaviour kind"):
        Behaviour("sparkle")
    with pytest.raises(ValueError, match="unknown markdown"):
        Behaviour("inline", markdown="blink")


@pytest.fixture
def smallcaps():
    """The override hook, as a project would use it: small capitals get a class of their own everywhere."""
    selector = "hi[rend~=smallcaps]"
    elements.override(selector, inline("span", "smallcaps", markdown="strong"))
    yield
    TABLE.remove(selector)


def test_one_override_changes_every_output(smallcaps):
    tei = f'<p {NS}>A <hi rend="smallcaps">Name</hi> here.</p>'
    assert render_passage(tei) == 'A <span class="smallcaps">Name</span> here.'
    assert note_markdown(el(f'<note {NS}>A <hi rend="smallcaps">Name</hi> here.</note>')) == "A **Name** here."
    assert passage_text(el(tei)).reading == "A Name here."


def test_an_override_can_take_an_element_out_of_the_text():
    TABLE.override("seg[type=editorial]", elements.drop())
    try:
        tei = el(f'<p {NS}>Kept <seg type="editorial">dropped</seg> kept.</p>')
        assert passage_text(tei).reading == "Kept kept."
        assert render_passage(tei) == "Kept kept."
    finally:
        TABLE.remove("seg[type=editorial]")
    assert passage_text(tei).reading == "Kept dropped kept."


def test_unknown_elements_keep_their_words_with_a_warning(caplog):
    tei = f"<p {NS}>a <frob>b <hi>c</hi></frob> d</p>"
    with caplog.at_level(logging.WARNING, logger="documents.render"):
        out = render_passage(tei)
    assert out == 'a b <span class="hi">c</span> d' and "<frob>" in caplog.text
    assert passage_text(el(tei)).reading == "a b c d"
    assert note_markdown(el(f"<note {NS}>a <frob>b</frob> d</note>")) == "a b d"


def test_markup_talk_in_passages_and_notes():
    assert render_passage(f"<p {NS}>The <gi>persName</gi> element.</p>") == "The <code>persName</code> element."
    assert note_markdown(el(f"<note {NS}>The <gi>persName</gi> and <att>ref</att>.</note>")) == (
        "The `<persName>` and `@ref`."
    )


def test_a_ref_without_target_is_its_words_in_a_note():
    assert note_markdown(el(f'<note {NS}><ref target="">x</ref> and <ref>y</ref></note>')) == "x and y"


def test_a_name_with_only_predicate_rules_is_unknown_when_none_holds():
    table = ElementTable()
    table.add("milestone[unit=section]", elements.drop())
    assert table.kind_of(el('<milestone unit="section"/>')) == "drop"
    assert table.kind_of(el('<milestone unit="page"/>')) == ""
    assert table.lookup(el('<milestone unit="page"/>')) is None
    assert table.kind_of(el("<seg/>")) == ""


def test_local_name_is_lxml_qname_and_empty_for_comments_and_processing_instructions():
    from documents.tei import local_name

    root = el(f"<p {NS}><!-- c --><?pi x?><hi>a</hi></p>")
    assert [local_name(node) for node in root.iter()] == ["p", "", "", "hi"]
    assert local_name(el("<plain/>")) == etree.QName(el("<plain/>")).localname == "plain"
