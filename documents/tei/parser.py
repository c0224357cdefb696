"""Secure parsing of TEI files (pure lxml; no Django, limits are passed in).

The parser never loads a DTD, never touches the network and never expands entities.
A document type declaration with an external id (``SYSTEM``/``PUBLIC``: libxml2 would open
that file) or that declares entities (the "billion laughs" bomb, external entities such as
``SYSTEM "file:///etc/passwd"``) is rejected before libxml2 reads the file (documents/tei/prolog.py),
as are files larger than ``max_bytes``, trees deeper than ``max_depth`` (at most
MAX_SUPPORTED_DEPTH), entity references and xml:ids that are not NCNames. Every failure is a
`TEIError` naming the file, line and column: ``str(error) == "file:line:col: message"``.

A UTF-8 byte-order mark, ``xml-model`` processing instructions and comments are fine
(comments are dropped; processing instructions are kept but play no part in the text).
"""

from __future__ import annotations

import hashlib
import re
import threading
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from .prolog import PrologError, check_prolog, check_tree, depth_error

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
LIBXML2_MAX_DEPTH = 256  # libxml2's nesting limit without XML_PARSE_HUGE
# The deepest nesting every output supports (the reader's and exports' renderers recurse: 230 nested
# <hi> broke the reader and compare pages). A larger configured limit does not lift it.
MAX_SUPPORTED_DEPTH = 128
DEFAULT_MAX_DEPTH = MAX_SUPPORTED_DEPTH



class TEIError(Exception):
    """A problem in a TEI file, located by file, line and column (1-based; 0 = unknown)."""

    def __init__(self, file: str, line: int | None, col: int | None, message: str):
        self.file = str(file)
        self.line = line or 0
        self.col = col or 0
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}: {self.message}"


@dataclass
class ParsedFile:
    """A parsed TEI file: its path as given, the SHA-256 of its bytes and the lxml tree."""

    path: str
    checksum: str
    tree: etree._ElementTree

    @property
    def root(self):
        return self.tree.getroot()


def make_parser() -> etree.XMLParser:
    """An lxml parser that loads no DTD, fetches nothing and expands no entity."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,  # libxml2's own limits on depth and text node size stay on
        remove_comments=True,
        remove_pis=False,
        collect_ids=False,  # duplicated xml:ids are reported by the mapping, not by libxml2
    )


def checksum(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _check_doctype(data: bytes, file: str) -> None:
    """Reject an external DTD, entity declarations or a prolog the scan cannot read, before libxml2 sees it."""
    try:
        check_prolog(data)
    except PrologError as error:
        raise TEIError(file, error.line, error.col, error.message) from None


def _check_depth(tree, file: str, max_depth: int) -> None:
    line = depth_error(tree, max_depth)
    if line is not None:
        raise TEIError(file, line, 0, f"elements nested deeper than {max_depth} levels")


def parse_bytes(data: bytes, file: str, *, max_bytes: int = DEFAULT_MAX_BYTES, max_depth: int = DEFAULT_MAX_DEPTH):
    """Parse the bytes of a TEI file securely; returns an lxml ElementTree or raises TEIError."""
    max_depth = min(max_depth, MAX_SUPPORTED_DEPTH)
    if len(data) > max_bytes:
        raise TEIError(file, 1, 1, f"file is {len(data):,} bytes, more than the limit of {max_bytes:,} bytes")
    _check_doctype(data, file)
    try:
        root = etree.fromstring(data, make_parser(), base_url=None)
    except etree.XMLSyntaxError as exc:
        line, col = exc.position if exc.position else (exc.lineno, exc.offset)
        message = exc.msg or "not well-formed"
        # libxml2 appends ", line N, column M" to some messages; the location is given already.
        message = re.sub(r",? line \d+, column \d+$", "", message)
        if message.startswith("Excessive depth"):
            raise TEIError(file, line, col, f"elements nested deeper than {max_depth} levels") from None
        raise TEIError(file, line, col, f"not well-formed XML: {message}") from None
    tree = root.getroottree()
    dtd = tree.docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        # Reached only for encodings the byte scan cannot read (e.g. UTF-16).
        raise TEIError(file, 1, 1, "the DOCTYPE declares entities: entity declarations are not allowed")
    if tree.docinfo.system_url or tree.docinfo.public_id:  # never reached: the prolog scan refuses them
        raise TEIError(file, 1, 1, "the DOCTYPE names an external DTD: external DTDs are not allowed")
    _check_depth(tree, file, max_depth)
    problem = check_tree(tree)
    if problem is not None:
        raise TEIError(file, problem[0], 0, problem[1])
    return tree


def read_file(path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The bytes of a file, refusing files over max_bytes before reading them."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise TEIError(str(path), 1, 1, f"file is {size:,} bytes, more than the limit of {max_bytes:,} bytes")
        return path.read_bytes()
    except OSError as exc:
        raise TEIError(str(path), 0, 0, f"cannot read file: {exc.strerror or exc}") from None


def parse_file(path, *, max_bytes: int = DEFAULT_MAX_BYTES, max_depth: int = DEFAULT_MAX_DEPTH) -> ParsedFile:
    """Read and parse a TEI file securely."""
    data = read_file(path, max_bytes=max_bytes)
    tree = parse_bytes(data, str(path), max_bytes=max_bytes, max_depth=max_depth)
    return ParsedFile(path=str(path), checksum=checksum(data), tree=tree)


_FRAGMENT_PARSERS = threading.local()  # lxml parsers are not to be shared between threads


def parse_fragment(xml: str | bytes):
    """Parse a stored TEI fragment (a passage, a header) with the secure parser; returns its root element.

    The one entry point for fragments the edition stored itself (the renderer, the TEI and DTS
    exports): same parser options as whole files. Raises lxml's XMLSyntaxError when it does not parse.
    """
    parser = getattr(_FRAGMENT_PARSERS, "parser", None)
    if parser is None:
        parser = _FRAGMENT_PARSERS.parser = make_parser()
    return etree.fromstring(xml.encode("utf-8") if isinstance(xml, str) else xml, parser)
