"""TEI string-range() pointers as the Guidelines define them (issue 11.4).

TEI P5 16.2.4.5: the offsets of `string-range(pointer, offset, length)` count the characters of the
string value of the element `pointer` names, the first being 0 (as quoted in Cayless & Soroka, "On
Implementing string-range() for TEI", Balisage 2010). Every pointer the edition exports is resolved
here with libxml2's XPath (lxml: `string(//*[@xml:id=$id])`) and Python slicing, independently of
documents/tei/string_range.py, and the words compared with the note's.
"""

import re

import pytest
from django.conf import settings
from lxml import etree

from documents.exports.tei import document_tei
from documents.models import Document, Note
from documents.services.importer import TEIImporter
from documents.tei.string_range import ReadingMap
from documents.tei.textview import passage_text
from tests.builders import make_note

pytestmark = pytest.mark.django_db

TEI = "http://www.tei-c.org/ns/1.0"
POINTER = re.compile(r"^#string-range\(([^,]+),(\d+),(\d+)\)$")


@pytest.fixture
def edition():
    report = TEIImporter().import_paths([settings.EDITION_TEI_DIR])
    assert not report.failed
    minutes = Document.objects.get(slug="minutes-1962-06-08")
    # Editors' notes on the hard places: a <corr>, words across a <choice>, a <supplied> with its brackets.
    make_note(minutes, "m-chervonenko-1-declaration", "our", body="On the correction.")
    make_note(minutes, "m-chervonenko-1-declaration", "continue our previous", body="Across the choice.")
    make_note(minutes, "m-zhang-1-report", "[the document]", body="The supplied words.")
    make_note(minutes, "m-zhang-1-report", "our government", body="A mention.")
    return minutes


def words(text: str) -> list[str]:
    return text.split()


def resolve_all(slug: str):
    """[(note xml:id, resolved text, the pointer's element)] for every string-range pointer of the export."""
    root = etree.fromstring(document_tei(Document.objects.get(slug=slug)))
    out = []
    for note in root.iter(f"{{{TEI}}}note"):
        match = POINTER.match(note.get("target") or "")
        if not match:
            continue
        anchor, offset, length = match.group(1), int(match.group(2)), int(match.group(3))
        value = root.xpath("string(//*[@xml:id=$id])", id=anchor)
        assert offset + length <= len(value), (anchor, offset, length, len(value))
        (element,) = root.xpath("//*[@xml:id=$id]", id=anchor)
        out.append((note.get("{http://www.w3.org/XML/1998/namespace}id"), value[offset : offset + length], element))
    return out


def expected_string_value_words(note: Note, element) -> list[str]:
    """The note's words as the string value has them: the brackets of <supplied> are the reading text's."""
    return words(note.exact.replace("[", "").replace("]", ""))


def test_every_exported_pointer_resolves_to_the_notes_words(edition):
    checked = crossing = 0
    by_xml_id = {}
    for note in Note.objects.published().filter(passage__isnull=False, start__isnull=False):
        by_xml_id[note.xml_id if note.xml_id.startswith("n-") else f"n-{note.uuid}"] = note
    for slug in Document.objects.values_list("slug", flat=True):
        for xml_id, resolved, element in resolve_all(slug):
            note = by_xml_id[xml_id]
            if not note.exact:  # a point: an empty range at the note's place
                assert resolved == ""
                checked += 1
                continue
            # The string value holds what the reading text leaves out: both branches of a <choice>,
            # inline notes (the TEI cannot point around them). Take out those of the range, by name.
            for left_out in element.xpath(".//t:sic | .//t:orig | .//t:abbr | .//t:note", namespaces={"t": TEI}):
                text = left_out.xpath("string()")
                whole = left_out.getparent().xpath("string()") if etree.QName(left_out).localname != "note" else text
                if text and whole in resolved and resolved != text:
                    resolved = resolved.replace(text, "", 1)
                    crossing += 1
            assert words(resolved) == expected_string_value_words(note, element), (xml_id, resolved, note.exact)
            checked += 1
    assert checked >= 15 and crossing >= 1


def test_offsets_convert_both_ways_over_every_passage_of_the_samples():
    """For every word of every passage of the edition and the shared samples: reading span -> string
    range -> the same words in the string value (libxml2's) -> back to the same reading span."""
    from pathlib import Path

    files = sorted(Path(settings.EDITION_TEI_DIR).glob("*.xml")) + sorted((Path(settings.BASE_DIR).parent / "shared"
                                                                           / "samples").glob("*.xml"))  # fmt: skip
    spans = 0
    tags = ("p", "list", "table", "lg", "head", "quote", "dateline", "closer")  # what passages are
    for path in [*files, Path(__file__).parent / "fixtures" / "tei" / "structure" / "frus-style.xml"]:
        root = etree.parse(str(path)).getroot()
        for element in [e for tag in tags for e in list(root.iter(f"{{{TEI}}}{tag}"))[:200]]:
            reading = passage_text(element).reading
            if "[" in reading or not reading:
                continue
            rmap = ReadingMap(element)
            # the map walks as the text view does: blocks set apart, <lb/> a word boundary
            assert rmap.reading == reading, (path.name, reading)
            end = len(reading)  # a point at the end (a footnote after the last word) comes back there
            assert rmap.from_string_range(*rmap.to_string_range(end, end)) == (end, end), (path.name, reading)
            if len(reading) > 3000:  # each conversion walks the passage: every word of a long index is quadratic
                continue
            value = element.xpath("string()")
            for match in re.finditer(r"\S+", reading):
                offset, length = rmap.to_string_range(match.start(), match.end())
                assert rmap.from_string_range(offset, length) == (match.start(), match.end()), (path.name, match)
                if element.find(f".//{{{TEI}}}choice") is None and element.find(f".//{{{TEI}}}note") is None:
                    assert value[offset : offset + length] == match.group(), (path.name, match.group())
                spans += 1
    assert spans > 1000
