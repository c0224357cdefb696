"""Issue 19.6 and 19.7: the parser refuses, before libxml2 sees the file, any DOCTYPE with an external id (also
behind comments, PIs, a BOM, whitespace or in UTF-16), never opens the named file, refuses entity references,
invalid xml:ids and nesting deeper than every output supports; each with file:line."""

import os
import subprocess
import sys
import textwrap

import pytest

from documents.tei.parser import MAX_SUPPORTED_DEPTH, TEIError, parse_bytes
from tests.conftest import ROOT

TEI_NS = "http://www.tei-c.org/ns/1.0"
BODY = f'<TEI xmlns="{TEI_NS}"><text><body><p xml:id="p1">Hello</p></body></text></TEI>'


def refused(data: bytes, name="x.xml") -> TEIError:
    with pytest.raises(TEIError) as info:
        parse_bytes(data, name)
    return info.value


@pytest.mark.parametrize(
    "prolog",
    [
        '<!DOCTYPE TEI SYSTEM "/etc/passwd">',
        '<!DOCTYPE TEI PUBLIC "-//X//DTD X//EN" "/etc/passwd">',
        '<!-- a comment --><!DOCTYPE TEI SYSTEM "/etc/passwd">',
        '<!-- <!DOCTYPE fake> --><?pi data?>\n\n  <!DOCTYPE TEI SYSTEM "tei.dtd">',
        '<?xml version="1.0" encoding="UTF-8"?>\n<!--\n--><!DOCTYPE\nTEI\nSYSTEM\n"x.dtd" [ ]>',
        "<!DOCTYPE TEI SYSTEM 'relative.dtd' [<!-- no entities -->]>",
        '<!DOCTYPE TEI [ ]><!-- second --><!DOCTYPE TEI SYSTEM "/etc/passwd">',
    ],
)
def test_a_doctype_with_an_external_id_is_refused(prolog):
    error = refused((prolog + BODY).encode())
    assert "external" in error.message and "DOCTYPE" in error.message
    assert error.line >= 1


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be"])
def test_external_ids_are_refused_in_every_encoding(encoding):
    declared = "UTF-16" if "16" in encoding else "UTF-8"
    xml = f'<?xml version="1.0" encoding="{declared}"?><!-- c --><!DOCTYPE TEI SYSTEM "/etc/passwd">{BODY}'
    data = xml.encode(encoding)
    if encoding in ("utf-16-le", "utf-16-be"):
        data = xml.encode(encoding)  # no byte-order mark
    error = refused(data)
    assert "external" in error.message or "encoding" in error.message


def test_an_internal_subset_without_entities_is_still_fine():
    tree = parse_bytes(("<!-- c --><!DOCTYPE TEI [ <!-- nothing --> ]>" + BODY).encode(), "ok.xml")
    assert tree.getroot().tag == f"{{{TEI_NS}}}TEI"


def test_the_file_named_by_a_system_id_is_never_opened(tmp_path):
    """A FIFO with no writer blocks whoever opens it: the parse returns only if the file was not opened."""
    fifo = tmp_path / "dtd.fifo"
    os.mkfifo(fifo)
    for prolog in (f'<!-- c --><!DOCTYPE TEI SYSTEM "{fifo}">', f'<?pi x?><!DOCTYPE TEI PUBLIC "-//A//B" "{fifo}">',
                   f'<!DOCTYPE TEI SYSTEM "file://{fifo}">'):  # fmt: skip
        xml = tmp_path / "hostile.xml"
        xml.write_text(prolog + BODY, encoding="utf-8")
        code = textwrap.dedent(f"""
            from documents.tei.parser import TEIError, parse_file
            try:
                parse_file({str(xml)!r})
            except TEIError as error:
                print("REFUSED", error)
            else:
                print("PARSED")
        """)
        try:
            result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
        except subprocess.TimeoutExpired:
            pytest.fail(f"the parser opened the FIFO named by {prolog!r} (it blocked)")
        assert result.stdout.startswith("REFUSED"), result.stdout + result.stderr
        assert f"{xml}:1:" in result.stdout


def test_undefined_entity_references_are_refused():
    for data in (f"<!DOCTYPE TEI [ ]><TEI xmlns='{TEI_NS}'>&undefined;</TEI>", f"<TEI xmlns='{TEI_NS}'>&nope;</TEI>"):
        error = refused(data.encode())
        assert error.line == 1


def test_predefined_and_character_references_are_fine():
    tree = parse_bytes(f"<TEI xmlns='{TEI_NS}'>&amp;&lt;&#x41;&#66;</TEI>".encode(), "ok.xml")
    assert tree.getroot().text == "&<AB"


@pytest.mark.parametrize(
    "value", ['a"b', "a<b", "a\nb", "1abc", "a b", "a:b", "", "-x", "a'b", "a&amp;b", "a>b", "a\tb"]
)
def test_xml_ids_that_are_not_ncnames_are_refused_with_the_line(value):
    quoted = value.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;").replace("\n", "&#10;")
    quoted = quoted.replace("\t", "&#9;").replace("&amp;amp;", "&amp;")
    data = f'<TEI xmlns="{TEI_NS}">\n<text>\n<p xml:id="{quoted}">x</p></text></TEI>'.encode()
    error = refused(data, "ids.xml")
    assert error.line == 3 and error.file == "ids.xml"
    assert "xml:id" in error.message and "NCName" in error.message


@pytest.mark.parametrize("value", ["p1", "_x", "m-p1.2", "Ω-1", "a·b", "x_y-z.9"])
def test_ncname_xml_ids_are_fine(value):
    parse_bytes(f'<TEI xmlns="{TEI_NS}"><p xml:id="{value}">x</p></TEI>'.encode(), "ok.xml")


def test_nesting_is_capped_at_what_every_output_supports():
    deep = f'<TEI xmlns="{TEI_NS}"><text><body><p>\n' + "<hi>" * 245 + "x" + "</hi>" * 245 + "</p></body></text></TEI>"
    error = refused(deep.encode(), "deep.xml")
    assert error.line == 2 and f"deeper than {MAX_SUPPORTED_DEPTH}" in error.message
    # A larger configured limit does not lift the supported one.
    with pytest.raises(TEIError):
        parse_bytes(deep.encode(), "deep.xml", max_depth=10_000)
    fits = "<a>" * MAX_SUPPORTED_DEPTH + "</a>" * MAX_SUPPORTED_DEPTH
    parse_bytes(fits.encode(), "fits.xml", max_depth=10_000)
