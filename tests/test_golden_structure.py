"""Block structure as the encoders meant it (issue 10, item 4), whole documents in golden files.

Two fixtures of our own (tests/fixtures/tei/structure/: a small invented play, an invented document in the
style of FRUS) are imported and compared, in every output the element table drives, with
tests/golden/structure/: the reader's passages and notes (reading and diplomatic HTML), the plain text
(both views) and the TEI export. EDITION_UPDATE_GOLDEN=1 rewrites the files (tests/golden.py). The
tests below the goldens check what the goldens show, element by element, so a regenerated golden file
cannot silently lose a table, a line number or a footnote's own number.
"""

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from lxml import etree
from lxml import html as lxml_html

from documents.exports import export
from documents.models import Document, DocumentVersion
from documents.render.page import reader_context
from tests.golden import check_golden

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures" / "tei" / "structure"
SLUGS = ("fixture-play", "fixture-frus")
FILES = {"fixture-play": "play.xml", "fixture-frus": "frus-style.xml"}
IMPORTED = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)


@pytest.fixture
def structure():
    out, err = io.StringIO(), io.StringIO()
    call_command("import_tei", str(FIXTURES), stdout=out, stderr=err)
    assert err.getvalue() == "", err.getvalue()
    # The TEI export's <change when> is the version's date (its import): fixed, so the golden files hold on any day.
    DocumentVersion.objects.filter(document__slug__in=SLUGS).update(created=IMPORTED)
    return {d.slug: d for d in Document.objects.filter(slug__in=SLUGS)}


def reader_rows(document, view: str) -> str:
    """The passages and notes of the reader's page as the template writes them, one per line."""
    context = reader_context(document, user=AnonymousUser(), view=view)
    lines = []
    for block in context["blocks"]:
        who = f' data-turn="{block.turn.xml_id}"' if block.turn is not None else ""
        for row in block.rows:
            line = f' data-line="{row.line}"' if row.line else ""
            attrs = f'class="kind-{row.passage.kind}" id="{row.html_id}"{who}{line}'
            lines.append(f"<{row.tag} {attrs}>{row.html}</{row.tag}>")
            for item in row.notes:
                attrs = f'id="{item.html_id}" value="{item.number}" data-label="{item.label}"'
                lines.append(f"  <li {attrs}>{item.body}</li>")
    return "\n".join(lines)


@pytest.mark.parametrize("slug", SLUGS)
@pytest.mark.parametrize("view", ["reading", "diplomatic"])
def test_reader_html(structure, slug, view):
    check_golden(f"structure/{slug}.{view}.html", reader_rows(structure[slug], view))


@pytest.mark.parametrize("slug", SLUGS)
@pytest.mark.parametrize("view", ["reading", "diplomatic"])
def test_plain_text(structure, slug, view):
    check_golden(f"structure/{slug}.{view}.txt", export("text", structure[slug], view=view))


@pytest.mark.parametrize("slug", SLUGS)
def test_tei_export(structure, slug):
    check_golden(f"structure/{slug}.tei.xml", export("tei", structure[slug]))


def page(structure, slug, view="reading"):
    return lxml_html.fragment_fromstring(reader_rows(structure[slug], view), create_parent="div")


def test_a_table_is_one_block_with_header_cells_and_spans(structure):
    root = page(structure, "fixture-frus")
    (table,) = root.xpath("//table")
    assert table.getparent().tag == "div"  # one passage, a <div>: a table is not a paragraph
    assert table.xpath("caption")[0].text_content() == "Reserve of grain, in tons"
    assert [th.text for th in table.xpath(".//tr[1]/th")] == ["Province", "Wheat", "Rye"]
    assert {th.get("scope") for th in table.xpath(".//tr[1]/th")} == {"col"}
    assert [th.text for th in table.xpath(".//tr/th[@scope='row']")] == ["North", "South", "Total"]
    assert table.xpath(".//td[@colspan='2']")[0].text == "2,850 in all"


def test_list_items_keep_their_paragraphs_nested_lists_and_labels(structure):
    root = page(structure, "fixture-frus")
    (first,) = root.xpath("//ul[contains(@class, 'list')]/li[1]")
    paragraphs = ["Seed: the council names two merchants.", "Both have supplied it before."]
    assert [p.text for p in first.xpath("p")] == paragraphs
    assert [li.text for li in root.xpath("//ul/li/ol/li")] == ["the upper mill", "the lower mill"]
    assert [dt.text for dt in root.xpath("//dl/dt")] == ["(a)", "(b)"]
    assert root.xpath("//dl/dd")[0].text == "a loan of ten thousand"


def test_a_block_quotation_is_a_blockquote_without_added_marks(structure):
    root = page(structure, "fixture-frus")
    (quote,) = root.xpath("//blockquote")
    assert [p.text for p in quote.xpath("p")][0] == "First, to the purchase of seed for the spring sowing;"
    assert "“" not in quote.text_content() and not quote.xpath(".//q")
    assert root.xpath("//p[@id='d9p3']//q")[0].text_content() == "in confidence"  # a phrase stays a quote


def test_page_breaks_have_ids_that_references_resolve_to(structure):
    for view in ("reading", "diplomatic"):
        root = page(structure, "fixture-frus", view)
        assert root.xpath("//span[@class='pb'][@id='pg_12']/@data-n") == ["12"]
        assert root.xpath("//span[@class='pb'][@id='pg_13']/@data-n") == ["13"]  # between blocks: kept
        assert root.xpath("//a[@class='ref']/@href") == ["#pg_12"]


def test_footnotes_are_numbered_as_the_source_numbers_them(structure):
    """The source's note/@n (1, 2, *, and 3 on a note between paragraphs); the source notes it did not
    number are a, b: no mark twice. The TEI export gives the number back."""
    context = reader_context(structure["fixture-frus"], user=AnonymousUser())
    by_id = {item.note.xml_id: item.label for b in context["blocks"] for r in b.rows for item in r.notes}
    assert (by_id["d9fn1"], by_id["d9fn2"], by_id["d9fnstar"], by_id["d9fn3"]) == ("1", "2", "*", "3")
    tei = export("tei", structure["fixture-frus"]).decode()
    assert 'n="3" target="#string-range(' in tei  # a note between paragraphs keeps its number
    assert sorted(label for ident, label in by_id.items() if not ident.startswith("d9fn")) == ["a", "b"]
    root = page(structure, "fixture-frus")
    assert root.xpath("//a[@class='note-ref'][@href='#" + next(
        item.html_id for b in context["blocks"] for r in b.rows for item in r.notes if item.note.xml_id == "d9fnstar"
    ) + "']/@data-n") == ["*"]


def test_a_gap_between_paragraphs_shows_its_reason_and_extent(structure):
    root = page(structure, "fixture-frus")
    assert [g.text for g in root.xpath("//span[@class='gap']")] == ["[… one line, illegible]"]
    play = page(structure, "fixture-play")
    assert [g.text for g in play.xpath("//span[@class='gap']")] == ["[… two lines, lost]"]


def test_verse_lines_are_numbered_from_n_or_counted(structure):
    context = reader_context(structure["fixture-play"], user=AnonymousUser())
    lines = {row.html_id: row.line for b in context["blocks"] for row in b.rows if row.passage.kind == "l"}
    assert lines == {"l1": "1", "l2": "2", "l3": "3", "l10": "10", "l11": "11", "l12": "12"}
    root = page(structure, "fixture-play")
    assert [div.get("data-n") for div in root.xpath("//blockquote/div[@class='lg']/div")] == ["1", "2"]


def test_stage_directions_are_set_apart_and_speeches_keep_their_lines(structure):
    context = reader_context(structure["fixture-play"], user=AnonymousUser())
    kinds = [(b.turn.xml_id if b.turn else None, row.passage.kind) for b in context["blocks"] for row in b.rows]
    assert ("sp1", "stage") in kinds and (None, "stage") in kinds  # own passages, not merged into a line
    assert kinds.count(("sp1", "l")) == 3
    root = page(structure, "fixture-play")
    assert root.xpath("//p[@id='l3']/span[@class='stage']")[0].text == "aside"  # inline: styled in its line


def test_the_cast_list_is_a_list(structure):
    root = page(structure, "fixture-play")
    (cast,) = root.xpath("//ul[contains(@class, 'cast-list')]")
    roles = ["Mara", "Tobin", "First Watchman", "Second Watchman"]
    assert [r.text for r in cast.xpath(".//span[@class='role']")] == roles
    assert cast.xpath("li[@class='group']/div[@class='list-head']")[0].text == "Watchmen"


@pytest.mark.parametrize("slug", SLUGS)
def test_the_text_keeps_every_word_of_the_source(structure, slug):
    """Every word of the fixture's <text> outside notes and speaker labels is in the stored text, in order."""
    from documents.tei import tei
    from documents.tei.parser import parse_file

    root = parse_file(FIXTURES / FILES[slug]).root
    dropped = (tei("note"), tei("speaker"))
    words = []

    def collect(el):
        if el.tag not in dropped:
            words.extend((el.text or "").split())
            for child in el:
                collect(child)
        words.extend((el.tail or "").split())

    collect(root.find(tei("text")))
    stored = " ".join(structure[slug].passages.order_by("order").values_list("reading_text", flat=True)).split()
    assert "".join(stored) == "".join(words)  # every character, in order (white space aside)
    assert len(stored) >= len(words) - 5  # and no two blocks' words run together (a run-on would merge words)


def test_the_tei_export_holds_each_footnote_once_and_reimports_to_the_same_notes(structure, tmp_path):
    """FRUS writes footnotes inline: the export moves them to the back once (their own xml:id, @n, a
    string-range into the passage as exported), and importing the export gives back the same notes."""
    document = structure["fixture-frus"]

    def notes():
        return sorted(document.notes.values_list("xml_id", "anchor", "start", "end", "n", "body"))

    before = notes()
    exported = export("tei", document)
    root = etree.fromstring(exported)
    ids = root.xpath("//t:note/@xml:id", namespaces={"t": "http://www.tei-c.org/ns/1.0"})
    assert len(ids) == len(set(ids)) and {"d9fn1", "d9fn2", "d9fn3", "d9fnstar"} <= set(ids)
    assert not root.xpath("//t:body//t:note[@xml:id='d9fnstar']", namespaces={"t": "http://www.tei-c.org/ns/1.0"})
    path = tmp_path / "frus-style.xml"
    path.write_bytes(exported)
    document.source_file.__class__.objects.filter(pk=document.source_file_id).update(path=str(path))  # its new file
    out, err = io.StringIO(), io.StringIO()
    call_command("import_tei", str(path), stdout=out, stderr=err)
    assert " 0 failed" in out.getvalue(), out.getvalue() + err.getvalue()
    assert notes() == before
