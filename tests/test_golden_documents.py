"""Whole documents of the edition in every output, compared with golden files (tests/golden/documents/).

Every output the element table (documents.tei.elements) drives, for both edition documents: the
reader's passages and notes in the reading and the diplomatic view, the plain text in both views,
the TEI export and the DTS document. A missing golden file fails; EDITION_UPDATE_GOLDEN=1 writes
them (tests/golden.py). test_every_element_of_the_table_is_in_a_golden_file checks that each rule
of the table is exercised: by the edition, or by the small fixture tests/fixtures/tei/elements.xml.
"""

import io
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command

from documents.exports import export
from documents.models import Document
from documents.render.page import reader_context
from documents.tei import XML_ID
from documents.tei.elements import TABLE
from documents.tei.parser import parse_file
from tests.golden import GOLDEN, check_golden

pytestmark = pytest.mark.django_db

SLUGS = ("minutes-1962-06-08", "memorandum-1962-06-07")


@pytest.fixture
def edition():
    call_command("import_tei", stdout=io.StringIO(), stderr=io.StringIO())
    return {d.slug: d for d in Document.objects.filter(slug__in=SLUGS)}


def reader_html(document, view: str) -> str:
    """The passages and notes of the reader's page (the part the renderers make), one per line."""
    context = reader_context(document, user=AnonymousUser(), view=view)
    lines = []
    for block in context["blocks"]:
        for row in block.rows:
            lines.append(f'<{row.tag} id="{row.html_id}">{row.html}</{row.tag}>')
            for item in row.notes:
                lines.append(f'  <li id="{item.html_id}" value="{item.number}">{item.body}</li>')
    return "\n".join(lines)


@pytest.mark.parametrize("slug", SLUGS)
@pytest.mark.parametrize("view", ["reading", "diplomatic"])
def test_reader_html(edition, slug, view):
    check_golden(f"documents/{slug}.{view}.html", reader_html(edition[slug], view))


@pytest.mark.parametrize("slug", SLUGS)
@pytest.mark.parametrize("view", ["reading", "diplomatic"])
def test_plain_text(edition, slug, view):
    check_golden(f"documents/{slug}.{view}.txt", export("text", edition[slug], view=view))


@pytest.mark.parametrize("slug", SLUGS)
def test_tei_export(edition, slug):
    check_golden(f"documents/{slug}.tei.xml", export("tei", edition[slug]))


@pytest.mark.parametrize("slug", SLUGS)
def test_dts_document(edition, slug):
    check_golden(f"documents/{slug}.dts.xml", export("dts", edition[slug]))


@pytest.mark.parametrize("slug", SLUGS)
def test_tei_and_dts_share_one_body(edition, slug):
    """One rebuilder (documents.exports.tei_text): the TEI export's <body> is the DTS document's."""
    from lxml import etree

    def body(data: bytes) -> bytes:
        (element,) = etree.fromstring(data).iter("{http://www.tei-c.org/ns/1.0}body")
        for el in element.iter():  # the TEI export indents between structural elements
            if len(el) and el.text is not None and not el.text.strip():
                el.text = None
            if el.tail is not None and not el.tail.strip():
                el.tail = None
        return etree.tostring(element, method="c14n")

    assert body(export("tei", edition[slug])) == body(export("dts", edition[slug]))


# -- every rule of the element table, exercised ------------------------------------------------------
ELEMENTS_FIXTURE = Path(__file__).parent / "fixtures" / "tei" / "elements" / "elements.xml"


def fixture_outputs() -> dict[str, str]:
    """The fixture's passages in every output the table drives (no database needed)."""
    from documents.render import render_passage
    from documents.tei import tei
    from documents.tei.mapping_notes import note_markdown
    from documents.tei.textview import passage_text

    root = parse_file(ELEMENTS_FIXTURE).root
    passages = [el for el in root.find(tei("text")).iter(tei("p"), tei("ab")) if el.get(XML_ID)]
    out = {"reading.html": [], "diplomatic.html": [], "txt": [], "notes.md": []}
    for el in passages:
        ident = el.get(XML_ID)
        for view in ("reading", "diplomatic"):
            rendered = render_passage(el, view, (), lambda ref: "/e/" + ref[1:])
            out[f"{view}.html"].append(f'<p id="{ident}">{rendered}</p>')
        text = passage_text(el)
        out["txt"].append(f"{ident} reading: {text.reading}\n{ident} diplomatic: {text.diplomatic}")
        out["notes.md"] += [note_markdown(note) for note in el.iter(tei("note"))]
    return {name: "\n".join(lines) for name, lines in out.items()}


@pytest.mark.parametrize("output", ["reading.html", "diplomatic.html", "txt", "notes.md"])
def test_elements_fixture(output, caplog):
    import logging

    with caplog.at_level(logging.WARNING, logger="documents.render"):
        check_golden(f"elements.{output}", fixture_outputs()[output])
    assert "no handler" not in caplog.text  # every element of the fixture is in the table


def test_every_element_of_the_table_is_in_a_golden_file():
    """Each rule of documents.tei.elements.TABLE decides some element of a golden file's source: the
    edition's documents (their TEI export is golden), the elements fixture or the structure fixtures (the
    play and the FRUS-style document: their outputs are golden)."""
    structure = sorted((ELEMENTS_FIXTURE.parent.parent / "structure").glob("*.xml"))  # tests/test_golden_structure.py
    sources = sorted((GOLDEN / "documents").glob("*.tei.xml")) + [ELEMENTS_FIXTURE, *structure]
    assert len(sources) == len(SLUGS) + 1 + 2
    decided = set()
    for source in sources:
        for el in parse_file(source).root.iter():
            rule = TABLE.rule_for(el) if isinstance(el.tag, str) else None
            if rule is not None:
                decided.add(rule.selector)
    assert sorted(set(TABLE.selectors()) - decided) == []


def test_a_missing_golden_file_fails_unless_regeneration_is_asked_for(monkeypatch, tmp_path):
    import tests.golden as golden

    monkeypatch.setattr(golden, "GOLDEN", tmp_path)
    monkeypatch.delenv(golden.UPDATE_VARIABLE, raising=False)
    monkeypatch.delenv("UPDATE_GOLDEN", raising=False)
    with pytest.raises(AssertionError, match="is missing"):
        golden.check_golden("absent.html", "<p>x</p>")
    assert not (tmp_path / "absent.html").exists()
    monkeypatch.setenv(golden.UPDATE_VARIABLE, "1")
    golden.check_golden("absent.html", "<p>x</p>")
    monkeypatch.delenv(golden.UPDATE_VARIABLE)
    golden.check_golden("absent.html", "<p>x</p>")
    with pytest.raises(AssertionError, match="differs"):
        golden.check_golden("absent.html", "<p>y</p>")


# -- the other direction: a note body's HTML back to TEI, from the same table ------------------------
def note_tei_outputs() -> str:
    """The fixture's notes through the TEI export's path (Markdown -> the readers' HTML -> TEI), then one
    paragraph with every inline tag the note renderer allows (markup.ALLOWED_TAGS)."""
    from lxml import etree

    from documents.exports.tei_body import BLOCKS, html_to_tei_prose, markdown_to_tei
    from documents.markup import ALLOWED_TAGS
    from documents.tei import TEI_NS, tei

    bodies = [note_markdown_of(el) for el in parse_file(ELEMENTS_FIXTURE).root.iter(tei("note"))]
    paragraphs = [p for body in bodies for p in markdown_to_tei(body)]
    every_tag = " ".join(
        f'<{tag} href="/documents/d/#x">{tag}</{tag}>' if tag == "a" else f"<{tag}>{tag}</{tag}>"
        for tag in sorted(ALLOWED_TAGS - BLOCKS - {"p"})
    )
    paragraphs += html_to_tei_prose(f"<p>{every_tag}</p>")
    return "\n".join(etree.tostring(p, encoding="unicode").replace(f' xmlns="{TEI_NS}"', "") for p in paragraphs)


def note_markdown_of(element) -> str:
    from documents.tei.mapping_notes import note_markdown

    return note_markdown(element)


@pytest.mark.django_db
def test_note_bodies_back_to_tei():
    check_golden("elements.notes.tei.xml", note_tei_outputs())


@pytest.mark.django_db
def test_every_tag_a_note_can_hold_goes_back_to_the_rule_that_makes_it():
    """Each inline tag of a note's HTML becomes the TEI element whose table rule makes that tag again
    (documents.tei.reverse); the block tags are tei_body's; the golden file holds every one."""
    from lxml import etree

    from documents.exports.tei_body import BLOCKS
    from documents.markup import ALLOWED_TAGS
    from documents.tei.reverse import html_tags, html_to_tei

    reverse = html_to_tei(TABLE)
    assert sorted(ALLOWED_TAGS - BLOCKS - set(reverse)) == []
    golden = etree.fromstring(f"<x xmlns='{TEI}'>{(GOLDEN / 'elements.notes.tei.xml').read_text()}</x>")
    decided = {TABLE.rule_for(el).selector for el in golden.iter() if el is not golden and TABLE.rule_for(el)}
    for tag in ALLOWED_TAGS - BLOCKS:
        rule = next(r for rules in TABLE.rules.values() for r in rules if r.selector == reverse[tag].selector)
        assert tag in html_tags(rule.behaviour), tag
        assert reverse[tag].selector in decided, tag


def test_the_reverse_map_follows_the_table():
    """A table whose only "em" rule is <emph> writes <em> back as <emph>: nothing else lists elements."""
    from documents.tei.elements import ElementTable, code, inline
    from documents.tei.reverse import html_to_tei

    table = ElementTable().add("emph", inline("em", markdown="em")).add("gi", code("<{}>")).add("x[a*=b]", inline("u"))
    reverse = html_to_tei(table)
    assert (reverse["em"].name, reverse["em"].attrib) == ("emph", {})
    assert "code" not in reverse and "u" not in reverse  # <gi>'s words are decorated; *= cannot be written


TEI = "http://www.tei-c.org/ns/1.0"
