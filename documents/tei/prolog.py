"""Checks of a TEI file's bytes before libxml2 reads them, and of the parsed tree after (pure Python + lxml).

libxml2 opens the file named by a DOCTYPE's external id even with ``load_dtd=False`` and
``no_network=True`` (a local path, ``/dev/stdin`` or a FIFO: the import blocked), so the prolog is
scanned first, properly (an XML declaration, comments, processing instructions and whitespace may
precede the DOCTYPE; UTF-8 with or without BOM, UTF-16, 8-bit encodings), and a DOCTYPE is
accepted only without an external id and with an internal subset free of entity declarations and
parameter-entity references. Anything the scan does not understand is refused, never passed on.

After parsing: no entity reference may remain, every xml:id is an NCName (exports put them in
XML, BibTeX keys and file names), and nesting stays within what every output supports.
"""

from __future__ import annotations

import re

from lxml import etree

PROLOG_LIMIT = 1_000_000  # characters of prolog (declarations, comments, DOCTYPE) scanned at most
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
ASCII_COMPATIBLE = re.compile(r"(utf-?8|us-ascii|ascii|iso[-_]?8859[-_]\d{1,2}|latin-?1|windows-125\d|cp125\d)", re.I)
UTF16 = re.compile(r"utf-?16(le|be)?|ucs-?2", re.I)

_START = (
    "A-Z_a-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
NCNAME = re.compile(f"[{_START}][{_START}\\-.0-9\u00b7\u0300-\u036f\u203f-\u2040]*")
_SPACE = re.compile(r"[ \t\r\n]*")
_XML_DECL = re.compile(r"<\?xml[ \t\r\n]")
_ENCODING = re.compile(r"""encoding[ \t\r\n]*=[ \t\r\n]*["']([^"']*)["']""")
_DOCTYPE = re.compile(r"<!DOCTYPE", re.I)
_DOCTYPE_NAME = re.compile(r"<!DOCTYPE[ \t\r\n]+[^ \t\r\n\[>]+[ \t\r\n]*", re.I)
_EXTERNAL_ID = re.compile(r"(SYSTEM|PUBLIC)\b", re.I)
_ENTITY_DECL = re.compile(r"<!ENTITY[ \t\r\n]+(%[ \t\r\n]+)?([^ \t\r\n>]+)", re.I)
_MARKUP_DECL = re.compile(r"<!(ELEMENT|ATTLIST|NOTATION)[ \t\r\n]", re.I)
_DECL_BODY = re.compile(r"""(?:[^"'>]+|"[^"]*"|'[^']*')*>""")


class PrologError(Exception):
    """A refused prolog: (line, col, message); the parser turns it into a TEIError naming the file."""

    def __init__(self, line: int, col: int, message: str):
        self.line, self.col, self.message = line, col, message
        super().__init__(message)


def _decode_prefix(data: bytes) -> str:
    """The first PROLOG_LIMIT characters as libxml2 would read them (its own autodetection rules)."""
    head = data[:4]
    prefix = data[: PROLOG_LIMIT * 2]
    if head.startswith(b"\xef\xbb\xbf"):
        return prefix[3:].decode("latin-1")
    if head in (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff") or head.startswith((b"\x00\x00\x00<", b"<\x00\x00\x00")):
        raise PrologError(1, 1, "unsupported encoding (UCS-4): use UTF-8")
    if head.startswith(b"\xff\xfe"):
        return prefix[2:].decode("utf-16-le", "replace")
    if head.startswith(b"\xfe\xff"):
        return prefix[2:].decode("utf-16-be", "replace")
    if head.startswith(b"<\x00"):
        return prefix.decode("utf-16-le", "replace")
    if head.startswith(b"\x00<"):
        return prefix.decode("utf-16-be", "replace")
    if head == b"\x4c\x6f\xa7\x94":
        raise PrologError(1, 1, "unsupported encoding (EBCDIC): use UTF-8")
    return prefix[: PROLOG_LIMIT].decode("latin-1")  # ASCII-compatible: every markup character is itself


def _where(text: str, offset: int) -> tuple[int, int]:
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _skip(text: str, pos: int, end: str, what: str) -> int:
    found = text.find(end, pos)
    if found == -1:
        raise PrologError(*_where(text, pos), f"unterminated {what} before the root element")
    return found + len(end)


def _check_encoding(text: str, declaration_end: int, utf16: bool) -> None:
    match = _ENCODING.search(text, 0, declaration_end)
    if match is None:
        return
    name = match.group(1)
    if not (UTF16 if utf16 else ASCII_COMPATIBLE).fullmatch(name):
        raise PrologError(*_where(text, match.start(1)), f"unsupported encoding {name!r}: use UTF-8")


def _internal_subset(text: str, pos: int) -> int:
    """Scan an internal subset from after '['; returns the offset after its ']'. Entities are refused."""
    while True:
        pos = _SPACE.match(text, pos).end()
        if text.startswith("]", pos):
            return pos + 1
        if text.startswith("<!--", pos):
            pos = _skip(text, pos + 4, "-->", "comment")
        elif text.startswith("<?", pos):
            pos = _skip(text, pos + 2, "?>", "processing instruction")
        elif entity := _ENTITY_DECL.match(text, pos):
            raise PrologError(
                *_where(text, pos),
                f"the DOCTYPE declares entity {entity.group(2)!r}: entity declarations are not allowed",
            )
        elif _MARKUP_DECL.match(text, pos):
            body = _DECL_BODY.match(text, pos + 2)
            if body is None:
                raise PrologError(*_where(text, pos), "unterminated declaration in the DOCTYPE")
            pos = body.end()
        elif text.startswith("%", pos):
            raise PrologError(*_where(text, pos), "parameter-entity references are not allowed in the DOCTYPE")
        else:
            raise PrologError(*_where(text, pos), "unexpected content in the DOCTYPE's internal subset")


def _doctype(text: str, pos: int) -> int:
    name = _DOCTYPE_NAME.match(text, pos)
    if name is None:
        raise PrologError(*_where(text, pos), "malformed DOCTYPE")
    at = name.end()
    if _EXTERNAL_ID.match(text, at):
        raise PrologError(
            *_where(text, pos),
            "the DOCTYPE names an external DTD (SYSTEM/PUBLIC id): external DTDs are not allowed",
        )
    if text.startswith("[", at):
        at = _SPACE.match(text, _internal_subset(text, at + 1)).end()
    if not text.startswith(">", at):
        raise PrologError(*_where(text, at), "malformed DOCTYPE")
    return at + 1


def check_prolog(data: bytes) -> None:
    """Refuse a prolog with an external DTD, entity declarations or anything not understood (PrologError)."""
    text = _decode_prefix(data)
    utf16 = not data.startswith(b"\xef\xbb\xbf") and (data[:1] == b"\x00" or data[1:2] == b"\x00" or
                                                      data[:2] in (b"\xff\xfe", b"\xfe\xff"))  # fmt: skip
    pos = _SPACE.match(text).end()
    if _XML_DECL.match(text, pos):
        pos = _skip(text, pos, "?>", "XML declaration")
        _check_encoding(text, pos, utf16)
    while True:
        pos = _SPACE.match(text, pos).end()
        if pos >= len(text):
            if len(text) >= PROLOG_LIMIT:
                raise PrologError(*_where(text, pos), f"prolog longer than {PROLOG_LIMIT:,} characters")
            return
        if text.startswith("<!--", pos):
            pos = _skip(text, pos + 4, "-->", "comment")
        elif text.startswith("<?", pos):
            pos = _skip(text, pos + 2, "?>", "processing instruction")
        elif _DOCTYPE.match(text, pos):
            pos = _doctype(text, pos)
        else:
            return  # the root element (or garbage, which libxml2 reports with its position)


def check_tree(tree) -> tuple[int, str] | None:
    """(line, message) of the first entity reference or non-NCName xml:id in a parsed tree, else None."""
    for node in tree.iter(etree.Entity):
        return node.sourceline or 0, f"entity reference {node.text} is not allowed"
    for element in tree.iter(etree.Element):
        value = element.get(XML_ID)
        if value is not None and not NCNAME.fullmatch(value):
            return element.sourceline or 0, f"xml:id {value!r} is not an XML name (NCName: a letter or _ first, "\
                "then letters, digits, '-', '_', '.'; no spaces, quotes, ':' or '<')"  # fmt: skip
    return None


def depth_error(tree, max_depth: int) -> int | None:
    """The line of the first element nested deeper than max_depth, else None (iterative)."""
    depth = 0
    for event, element in etree.iterwalk(tree, events=("start", "end")):
        if event == "start":
            depth += 1
            if depth > max_depth:
                return element.sourceline or 0
        else:
            depth -= 1
    return None
