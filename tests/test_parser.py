"""The secure TEI parser: hostile and broken input is rejected with file:line:col; good input parses."""

import pytest

from documents.tei.parser import MAX_SUPPORTED_DEPTH, TEIError, parse_bytes, parse_file, read_file

TEI = '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>Hello</p></body></text></TEI>'


def test_error_string_is_file_line_col_message():
    err = TEIError("a.xml", 3, 7, "something is wrong")
    assert str(err) == "a.xml:3:7: something is wrong"
    assert (err.file, err.line, err.col) == ("a.xml", 3, 7)


def test_billion_laughs_is_rejected_before_any_expansion(fixtures_dir):
    path = fixtures_dir / "tei" / "bad" / "billion-laughs.xml"
    with pytest.raises(TEIError) as info:
        parse_file(path)
    err = info.value
    assert err.file == str(path)
    assert (err.line, err.col) == (3, 2)  # the first <!ENTITY
    assert "entity 'lol'" in err.message and "not allowed" in err.message
    assert str(err).startswith(f"{path}:3:2: ")


@pytest.mark.parametrize(
    ("name", "entity"),
    [("xxe-file.xml", "secret"), ("xxe-http.xml", "remote")],
)
def test_external_entities_are_rejected(fixtures_dir, name, entity):
    path = fixtures_dir / "tei" / "bad" / name
    with pytest.raises(TEIError) as info:
        parse_file(path)
    assert info.value.line == 3
    assert f"entity {entity!r}" in info.value.message


def test_entities_are_rejected_in_encodings_the_byte_scan_cannot_read():
    xml = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY e "boom">]><x>&e;</x>'
    with pytest.raises(TEIError) as info:
        parse_bytes(xml.encode("utf-16"), "utf16.xml")
    assert "entity declarations are not allowed" in info.value.message


def test_entity_content_is_never_expanded():
    # Even a DOCTYPE without entity declarations cannot smuggle an undeclared reference in.
    with pytest.raises(TEIError) as info:
        parse_bytes(b"<!DOCTYPE x><x>&undeclared;</x>", "u.xml")
    assert "not well-formed" in info.value.message
    assert info.value.line == 1


def test_malformed_xml_names_line_and_column(fixtures_dir):
    path = fixtures_dir / "tei" / "bad" / "malformed.xml"
    with pytest.raises(TEIError) as info:
        parse_file(path)
    err = info.value
    assert err.line == 5 and err.col > 0
    assert "not well-formed XML" in err.message
    assert "mismatch" in err.message


def test_too_deep_is_rejected_with_the_line():
    xml = "<a>\n" + "<b>" * 30 + "</b>" * 30 + "</a>"
    with pytest.raises(TEIError) as info:
        parse_bytes(xml.encode(), "deep.xml", max_depth=10)
    assert info.value.line == 2
    assert "deeper than 10" in info.value.message
    parse_bytes(xml.encode(), "deep.xml", max_depth=40)  # within the limit: fine


def test_libxml2_depth_limit_also_holds_without_huge_tree():
    xml = "<a>" * 300 + "</a>" * 300
    with pytest.raises(TEIError) as info:
        parse_bytes(xml.encode(), "deep.xml", max_depth=10_000)
    assert info.value.message == f"elements nested deeper than {MAX_SUPPORTED_DEPTH} levels"


def test_too_big_is_rejected_before_reading(tmp_path):
    path = tmp_path / "big.xml"
    path.write_text(TEI * 10, encoding="utf-8")
    with pytest.raises(TEIError) as info:
        read_file(path, max_bytes=100)
    assert info.value.file == str(path)
    assert "more than the limit of 100 bytes" in info.value.message
    with pytest.raises(TEIError):
        parse_bytes(path.read_bytes(), str(path), max_bytes=100)


def test_missing_file_is_a_tei_error(tmp_path):
    with pytest.raises(TEIError) as info:
        read_file(tmp_path / "nope.xml")
    assert "cannot read file" in info.value.message


def test_bom_xml_model_and_comments_are_fine():
    data = (
        b"\xef\xbb\xbf<?xml version='1.0' encoding='UTF-8'?>\n"
        b'<?xml-model href="x.rng" type="application/xml"?>\n' + TEI.replace("Hello", "Hel<!-- c -->lo").encode()
    )
    tree = parse_bytes(data, "bom.xml")
    p = tree.getroot().find(".//{http://www.tei-c.org/ns/1.0}p")
    assert "".join(p.itertext()) == "Hello"  # comments are dropped
    assert tree.getroot().getprevious() is not None  # the xml-model PI is kept


def test_parse_file_returns_checksum(fixtures_dir):
    parsed = parse_file(fixtures_dir / "tei" / "edition" / "doc-b.xml")
    assert len(parsed.checksum) == 64
    assert parsed.root.get("{http://www.w3.org/XML/1998/namespace}id") == "doc-b"
