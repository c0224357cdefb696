"""Fidelity: the TEI edition reproduces the witness word for word, and marks every intervention.

The witness (documents/sources/minutes-and-memorandum-1962.txt, an exact copy of the file in
../shared/sources/) is the edition's only source. Its first three lines (the forum's
"View Full Version : <thread title>", a blank line, the post's timestamp) are not document text:
they are recorded verbatim in each document's sourceDesc. From the title line to the
memorandum's date line, the diplomatic text of the two TEI documents must be the witness.
"""

import copy as copy_module
import difflib
import re
from pathlib import Path

import pytest
from lxml import etree

from documents.tei import XML_ID, local_name, tei
from documents.tei.textview import passage_text, view_text
from documents.tei.witness import diplomatic_lines

ROOT = Path(__file__).resolve().parent.parent
TEI_DIR = ROOT / "documents" / "tei"
WITNESS = ROOT / "documents" / "sources" / "minutes-and-memorandum-1962.txt"
SHARED_WITNESS = ROOT.parent / "shared" / "sources" / "minutes-and-memorandum-1962.txt"
DOCUMENTS = ["minutes-1962-06-08.xml", "memorandum-1962-06-07.xml"]
PASSAGES = {"head", "p", "ab", "closer"}


def secure_parser():
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def parse(path):
    return etree.parse(str(path), secure_parser())


def normalise(text: str) -> str:
    return " ".join(text.split())


def witness_lines() -> list[str]:
    return WITNESS.read_text(encoding="utf-8").splitlines()


def witness_text_lines() -> list[str]:
    """The non-blank lines of the witness from the title line on, white space normalised."""
    lines = witness_lines()
    return [normalise(line) for line in lines[3:] if line.strip()]


def edition_lines() -> list[str]:
    lines = []
    for name in DOCUMENTS:
        lines.extend(normalise(line) for line in diplomatic_lines(parse(TEI_DIR / name)))
    return lines


def body_passages(tree):
    body = tree.getroot().find(f"{tei('text')}/{tei('body')}")
    return [el for el in body.iter() if local_name(el) in PASSAGES]


def test_witness_copy_is_exact():
    """The project's copy of the witness is byte-for-byte the shared source."""
    assert WITNESS.read_bytes() == SHARED_WITNESS.read_bytes()


def test_witness_shape_is_as_expected():
    """Guards the line arithmetic below: three lines of forum furniture, then the title line."""
    lines = witness_lines()
    assert lines[0].startswith("View Full Version : ")
    assert lines[1] == ""
    assert lines[2] == "08-10-14, 14:20"
    assert lines[3].startswith("Minutes of the Meeting between the Vice Minister [Zhang Hanfu]")
    assert witness_text_lines()[-1] == "7 June 1962"


def test_diplomatic_text_reproduces_the_witness_line_by_line():
    expected = witness_text_lines()
    actual = edition_lines()
    diff = "\n".join(difflib.unified_diff(expected, actual, "witness", "edition", lineterm="", n=0))
    assert actual == expected, diff


def test_diplomatic_text_reproduces_the_witness_word_for_word():
    """Independent of line breaks: the same words in the same order, from title line to date line."""
    expected = " ".join(witness_text_lines()).split(" ")
    actual = " ".join(edition_lines()).split(" ")
    matcher = difflib.SequenceMatcher(a=expected, b=actual, autojunk=False)
    problems = [
        f"{op}: witness {expected[i1:i2]!r} / edition {actual[j1:j2]!r}"
        for op, i1, i2, j1, j2 in matcher.get_opcodes()
        if op != "equal"
    ]
    assert not problems, "\n".join(problems)
    assert len(actual) > 1300  # the whole text (1398 words), not an empty comparison


def test_forum_lines_are_not_document_text_but_are_in_the_source_description():
    first, _, timestamp = witness_lines()[:3]
    thread_title = first.removeprefix("View Full Version : ")
    text = " ".join(edition_lines())
    assert "View Full Version" not in text
    assert timestamp not in text
    for name in DOCUMENTS:
        root = parse(TEI_DIR / name).getroot()
        source_desc = root.find(f".//{tei('sourceDesc')}")
        bibl = source_desc.find(tei("bibl"))
        title = bibl.find(tei("title"))
        assert title.text == thread_title, name
        assert title.get("{http://www.w3.org/XML/1998/namespace}lang") == "ug-Latn"
        assert bibl.find(tei("date")).text == timestamp, name
        assert bibl.find(tei("date")).get("when") is None, "the timestamp's date format is not interpreted"
        described = normalise("".join(source_desc.itertext()))
        assert first in described, name
        assert timestamp in described, name


@pytest.mark.parametrize("name", DOCUMENTS)
def test_reading_text_differs_from_diplomatic_only_at_corrections(name):
    """Put the witness's words (sic) into every <corr>: the reading text must become the diplomatic one."""
    tree = parse(TEI_DIR / name)
    differing = 0
    for passage in body_passages(tree):
        texts = passage_text(passage)
        copy = copy_module.deepcopy(passage)
        choices = list(copy.iter(tei("choice")))
        for choice in choices:
            sic, corr = choice.find(tei("sic")), choice.find(tei("corr"))
            corr.text, corr[:] = sic.text, [copy_module.deepcopy(child) for child in sic]
        assert view_text(copy, "reading") == texts.diplomatic, passage.get(XML_ID)
        if choices:
            assert texts.reading != texts.diplomatic, passage.get(XML_ID)
            differing += 1
        else:
            assert texts.reading == texts.diplomatic, passage.get(XML_ID)
    assert differing == 1  # one evident slip in each document


def test_the_evident_slips_are_corrected_and_only_they():
    pairs = []
    for name in DOCUMENTS:
        for choice in parse(TEI_DIR / name).getroot().iter(tei("choice")):
            pairs.append((view_text(choice.find(tei("sic"))), view_text(choice.find(tei("corr")))))
            assert choice.find(tei("corr")).get("resp") == "#editors"
    assert pairs == [("out", "our"), ("at in", "in")]


def test_translators_brackets_are_supplied_not_typed():
    """Every bracket of the witness is a <supplied resp="#translator">; none is typed in the TEI."""
    witness_brackets = re.findall(r"\[([^\]]+)\]", " ".join(witness_text_lines()))
    supplied = []
    for name in DOCUMENTS:
        tree = parse(TEI_DIR / name)
        body = tree.getroot().find(tei("text"))
        for element in body.iter():
            if not isinstance(element.tag, str):
                continue
            for chunk in (element.text, element.tail if element is not body else None):
                assert "[" not in (chunk or "") and "]" not in (chunk or ""), (name, element.sourceline)
        for element in body.iter(tei("supplied")):
            assert element.get("resp") == "#translator"
            supplied.append(view_text(element, "reading"))
    assert supplied == [f"[{words}]" for words in witness_brackets]
    assert len(supplied) == 7


def test_speaker_labels_are_as_written():
    tree = parse(TEI_DIR / "minutes-1962-06-08.xml")
    labels = [sp.findtext(tei("speaker")) for sp in tree.getroot().iter(tei("sp"))]
    assert labels == [
        "Ambassador Chervonenko (hereafter Chervonenko):",
        "Vice Minister Zhang (hereafter Zhang):",
        "Chervonenko:",
        "Zhang:",
        "Chervonenko:",
        "Zhang:",
    ]
    for label in labels:
        assert any(line.startswith(label + " ") for line in witness_text_lines())


NS = 'xmlns="http://www.tei-c.org/ns/1.0"'


def test_diplomatic_lines_puts_the_label_before_the_first_paragraph_only():
    root = etree.fromstring(
        f'<TEI {NS}><text><body><head xml:id="h">A <choice><sic>tittle</sic><corr>title</corr></choice></head>'
        '<sp who="ent:a" xml:id="s"><speaker>A:</speaker><p xml:id="p1">One <supplied>word</supplied>.</p>'
        '<p xml:id="p2">Two.<note>not text</note></p></sp>'
        '<closer xml:id="c"><dateline>7 June 1962</dateline></closer></body>'
        '<back><div type="notes"><note xml:id="n-x"><p>Never a line.</p></note></div></back></text></TEI>',
        secure_parser(),
    )
    assert diplomatic_lines(root) == ["A tittle", "A: One [word].", "Two.", "7 June 1962"]
    assert diplomatic_lines(etree.ElementTree(root)) == ["A tittle", "A: One [word].", "Two.", "7 June 1962"]


def test_diplomatic_lines_rejects_a_file_without_a_body():
    root = etree.fromstring(f"<TEI {NS}><teiHeader/></TEI>", secure_parser())
    with pytest.raises(ValueError, match="no text/body"):
        diplomatic_lines(root)
