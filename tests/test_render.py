"""The passage renderer: handler table, tails, editorial markup, note markers, escaping, golden files."""

import logging
import re
from pathlib import Path

import pytest
from lxml import etree, html

from documents.render import NoteMark, render_passage
from documents.render.handlers import KIND_HANDLERS
from documents.tei.elements import KINDS
from documents.tei.textview import passage_text
from tests.golden import check_golden

NS = 'xmlns="http://www.tei-c.org/ns/1.0"'

MINUTES_P = (
    f'<p {NS} xml:id="m-p1">I asked <persName ref="ent:chervonenko">you</persName> to continue '
    '<choice><sic>out</sic><corr resp="#editors">our</corr></choice> previous discussions after studying '
    '<supplied resp="#translator">the document</supplied> of <date when="1962-05-19">19 May</date>.'
    "<note>not text</note> It <hi rend=\"italic\">is</hi> so.</p>"
)


def entity_url(ref):
    return {"ent:chervonenko": "/people/chervonenko/"}.get(ref)


def visible_text(fragment: str) -> str:
    """The text a reader sees, without note markers."""
    root = html.fragment_fromstring(fragment, create_parent="div")
    for ref in root.xpath('.//a[contains(@class, "note-ref")]'):
        ref.drop_tree()
    return root.text_content()


def notes_for(reading: str):
    i = reading.index("our previous")
    j = reading.index("you")
    k = reading.index("the document")
    return [
        NoteMark("n-1", 1, i, i + len("our previous")),
        NoteMark("n-2", 2, j, j + 3),  # ends inside the mention's link
        NoteMark("n-3", 3, k, k + 3, draft=True),
        NoteMark("n-4", 4, 0, 0),  # a point at the very start
        NoteMark("n-5", 5),  # the whole passage
    ]


@pytest.mark.parametrize("view", ["reading", "diplomatic"])
def test_golden_minutes_passage(view):
    reading = passage_text(etree.fromstring(MINUTES_P)).reading
    got = render_passage(MINUTES_P, view, notes_for(reading), entity_url)
    check_golden(f"minutes-p1-{view}.html", got)


def test_text_of_each_view_equals_the_text_model():
    pt = passage_text(etree.fromstring(MINUTES_P))
    notes = notes_for(pt.reading)
    assert visible_text(render_passage(MINUTES_P, "reading", notes, entity_url)) == pt.reading
    assert visible_text(render_passage(MINUTES_P, "diplomatic", notes, entity_url)) == pt.diplomatic


def test_reading_view_shows_correction_with_witness_form_available():
    root = html.fragment_fromstring(render_passage(MINUTES_P, "reading"), create_parent="div")
    (corr,) = root.xpath('//span[@class="corr"]')
    assert corr.text_content() == "our"
    assert corr.get("data-sic") == "out" and "out" in corr.get("title")
    assert corr.get("tabindex") == "0"  # reachable by keyboard, where CSS shows the witness form
    assert not root.xpath('//*[contains(@class, "sic")]')


def test_diplomatic_view_shows_the_witness():
    root = html.fragment_fromstring(render_passage(MINUTES_P, "diplomatic"), create_parent="div")
    (sic,) = root.xpath('//span[@class="sic"]')
    assert sic.text_content() == "out" and sic.get("data-corr") == "our"


def test_supplied_words_in_brackets_with_class():
    root = html.fragment_fromstring(render_passage(MINUTES_P), create_parent="div")
    (supplied,) = root.xpath('//span[@class="supplied"]')
    assert supplied.text_content() == "[the document]"
    assert "translator" in supplied.get("title")


def test_markers_at_offsets_and_anchored_words_highlighted():
    reading = passage_text(etree.fromstring(MINUTES_P)).reading
    out = render_passage(MINUTES_P, "reading", notes_for(reading), entity_url)
    root = html.fragment_fromstring(out, create_parent="div")
    marks = root.xpath('//mark[contains(@data-notes, "n-1")]')
    assert "".join(m.text_content() for m in marks) == "our previous"
    # The marker follows the anchored words; the text before it ends with them.
    assert out.index("previous</mark>") < out.index('id="ref-n-1"')
    # Never a link inside the mention's link: the marker of n-2 comes right after it.
    link = root.xpath('//a[contains(@class, "mention")]')[0]
    assert not link.xpath('.//a')
    assert link.getnext().get("id") == "ref-n-2"
    # Point note at 0 opens the passage; the whole-passage note closes it.
    assert root[0].get("id") == "ref-n-4"
    assert root[-1].get("id") == "ref-n-5"
    # Draft markers and highlights are flagged.
    assert "draft" in root.xpath('//a[@id="ref-n-3"]')[0].get("class")
    assert root.xpath('//a[@id="ref-n-3"]')[0].get("aria-label") == "Note 3 (draft)"


def test_markers_keep_their_words_in_the_diplomatic_view():
    reading = passage_text(etree.fromstring(MINUTES_P)).reading
    out = render_passage(MINUTES_P, "diplomatic", notes_for(reading), entity_url)
    root = html.fragment_fromstring(out, create_parent="div")
    marks = root.xpath('//mark[contains(@data-notes, "n-1")]')
    assert "".join(m.text_content() for m in marks) == "out previous"
    assert out.index("previous</mark>") < out.index('id="ref-n-1"')
    k = out.index('id="ref-n-3"')
    assert out[:k].endswith('the</mark><a class="note-ref draft" ')


def test_mentions_link_to_entity_pages_and_unknown_refs_stay_text():
    tei = (
        f'<p {NS}><persName ref="ent:chervonenko">Chervonenko</persName> met '
        '<persName ref="ent:nobody">X</persName>.</p>'
    )
    root = html.fragment_fromstring(render_passage(tei, entity_url=entity_url), create_parent="div")
    (link,) = root.xpath("//a")
    assert link.get("href") == "/people/chervonenko/"
    assert link.get("aria-describedby") == "card-chervonenko"
    (span,) = root.xpath('//span[contains(@class, "unresolved")]')
    assert span.text == "X"


def test_nested_mentions_never_nest_links():
    tei = (
        f'<p {NS}><persName ref="ent:chervonenko">the Ambassador of the '
        '<placeName ref="ent:chervonenko">Soviet Union</placeName></persName> spoke.</p>'
    )
    root = html.fragment_fromstring(render_passage(tei, entity_url=entity_url), create_parent="div")
    (link,) = root.xpath("//a")
    assert not link.xpath(".//a") and link.xpath('.//span[contains(@class, "nested")]')[0].text == "Soviet Union"


def test_tails_are_kept_after_dropped_unwrapped_and_handled_elements():
    tei = (
        f"<p {NS}>a <note>dropped</note>b <seg>c</seg> d <hi>e</hi> f<lb/>g "
        "<speaker>S:</speaker>h<!-- comment -->i<?pi x?>j</p>"
    )
    out = render_passage(tei)
    assert visible_text(out) == passage_text(etree.fromstring(tei)).reading == "a b c d e f g hij"
    assert "dropped" not in out and "S:" not in out and "<br>" in out


def test_a_line_break_parts_two_words_unless_break_no_joins_them():
    """<lb/> is a word boundary in the reading text (search, plain text, note offsets) and on the page;
    <lb break="no"/> joins a word broken across lines, white space around it included."""
    tei = f'<p {NS}>OF STATE<lb/>PAPERS, hy<lb break="no"/>phen and con-\n   <lb break="no"/>\n  tinued</p>'
    reading = passage_text(etree.fromstring(tei)).reading
    assert reading == "OF STATE PAPERS, hyphen and con-tinued"
    out = render_passage(tei, "reading", [NoteMark("n", 1, reading.index("PAPERS"), reading.index("PAPERS") + 6)])
    assert visible_text(out) == reading and out.count("<br>") == 3
    assert re.search(r"<mark[^>]*>PAPERS</mark>", out), out  # a note after the break stays on its words


def test_unknown_element_warns_and_keeps_its_text(caplog):
    tei = f"<p {NS}>before <frob>kept words</frob> after</p>"
    with caplog.at_level(logging.WARNING, logger="documents.render"):
        out = render_passage(tei, where=" in doc#p1")
    assert visible_text(out) == "before kept words after"
    assert "<frob>" in caplog.text and "doc#p1" in caplog.text


def test_text_is_escaped_never_interpreted():
    tei = f"<p {NS}>&lt;script&gt;alert(1)&lt;/script&gt; &amp; <hi>&lt;b&gt;</hi></p>"
    out = render_passage(tei)
    assert "<script>" not in out and "&lt;script&gt;" in out and "&amp;" in out


def test_unknown_view_is_refused():
    with pytest.raises(ValueError, match="unknown view"):
        render_passage(f"<p {NS}>x</p>", view="facsimile")


def test_every_kind_of_the_element_table_has_an_html_handler():
    assert set(KIND_HANDLERS) == set(KINDS)


def test_date_becomes_time_with_iso_datetime_only_when_valid():
    tei = f'<p {NS}><date when="1962-05-19">19 May</date> <date when="spring">spring</date></p>'
    root = html.fragment_fromstring(render_passage(tei), create_parent="div")
    (first,) = root.xpath("//time")
    assert first.get("datetime") == "1962-05-19"
    assert root.xpath('//span[@class="date"]')[0].text == "spring"


SAMPLES = Path(__file__).resolve().parent.parent.parent / "shared" / "samples"


@pytest.mark.parametrize(
    "sample, tag, limit",
    [("frus1918Russiav03-not-yet-reviewed.xml", "p", 600), ("parla-clarin-exemplar.xml", "u", 400),
     ("hsg-hac-minutes-1962-11-02.xml", "p", 400)],
)
def test_foreign_tei_renders_every_word(sample, tag, limit, caplog):
    """On TEI we did not write, the rendered text of each paragraph is exactly its reading text."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True)
    tree = etree.parse(str(SAMPLES / sample), parser)
    paragraphs = tree.iterfind(f".//{{http://www.tei-c.org/ns/1.0}}{tag}")
    checked = 0
    with caplog.at_level(logging.WARNING, logger="documents.render"):
        for p in paragraphs:
            if checked == limit:
                break
            reading = passage_text(p).reading
            out = render_passage(p, "reading", [NoteMark("n", 1, 0, min(5, len(reading)))])
            assert visible_text(out) == reading, etree.tostring(p)[:300]
            checked += 1
    assert checked >= 7
