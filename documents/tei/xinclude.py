"""Safe XInclude: ``<xi:include>`` resolved by the edition itself, never by libxml2 (pure lxml, no Django).

A ``teiCorpus`` root commonly holds its sittings as ``<xi:include href="sitting-1.xml"/>``. libxml2's own
XInclude would open any path or URL, so the secure parser (documents/tei/parser.py) never calls it; this
module replaces each include with the file it names, accepting only the safe local form:

- ``href`` a relative path inside the including file's folder: no URL scheme (``http:``, ``file:``, ...),
  no absolute path, no ``..`` segment, no backslash, ``%`` escape, query or fragment, and the resolved file
  (after symlinks) still inside that folder and inside the folder of the file the import started from;
  a regular file only (no device, FIFO or directory);
- every included file is read and parsed by the same secure parser (size limit, no DTD, no entities) and
  its own includes resolved in turn, at most MAX_INCLUDE_DEPTH deep; a file including itself or an
  ancestor (a cycle) is refused; at most MAX_INCLUDES files and MAX_TOTAL_FACTOR x max_bytes in all;
- ``parse="xml"`` (the default) inserts the included root element, with ``xml:base`` naming the file as
  the XInclude recommendation's base-URI fixup does; ``parse="text"`` inserts the file's text (UTF-8);
- ``xpointer`` is accepted only as a bare xml:id (the shorthand pointer) or ``element(id)``: the element
  with that id is inserted; any other scheme is refused;
- ``<xi:fallback>`` is used only when the file does not exist; a refused href is always an error.

Every refusal is a TEIError naming the including file and the line of its ``<xi:include>``:
``str(error) == "file:line:col: message"``. Nothing is fetched before the href has been checked.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from .parser import TEIError, parse_bytes
from .prolog import NCNAME, depth_error

XI_NS = "http://www.w3.org/2001/XInclude"
XI_INCLUDE = f"{{{XI_NS}}}include"
XI_FALLBACK = f"{{{XI_NS}}}fallback"
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
MAX_INCLUDE_DEPTH = 8
MAX_INCLUDES = 10_000
MAX_TOTAL_FACTOR = 10  # all included files together: at most this many times the per-file limit
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
_ELEMENT_SCHEME = re.compile(r"^element\(([^()/]+)\)$")


def has_includes(data: bytes) -> bool:
    """Whether the bytes may hold an xi:include (the XInclude namespace is named)."""
    return XI_NS.encode("ascii") in data


@dataclass
class Included:
    """What the inclusion read: each file (path, SHA-256), in order, and the bytes in all."""

    files: list[tuple[str, str]] = field(default_factory=list)
    total_bytes: int = 0

    def digest(self, own_checksum: str) -> str:
        """One checksum over the including file and every file it included (a changed sitting re-imports)."""
        if not self.files:
            return own_checksum
        combined = hashlib.sha256(own_checksum.encode("ascii"))
        for path, digest in self.files:
            combined.update(f"\n{path}\t{digest}".encode())
        return combined.hexdigest()


class _Resolver:
    def __init__(self, top: Path, max_bytes: int, max_depth: int):
        self.top_folder = top.resolve().parent
        self.max_bytes, self.max_depth = max_bytes, max_depth
        self.included = Included()

    def fail(self, file: str, element, message: str):
        return TEIError(file, element.sourceline or 0, 0, f"xi:include: {message}")

    def check_href(self, file: str, element, href: str | None) -> None:
        if href is None or not href.strip():
            raise self.fail(file, element, "@href is missing or empty (including the file itself is a cycle)")
        if _SCHEME.match(href) or href.startswith("//"):
            raise self.fail(file, element, f"href {href!r} names a URL: only relative file paths are allowed")
        if href.startswith("/") or href.startswith("~") or "\\" in href:
            raise self.fail(file, element, f"href {href!r} is an absolute path: only paths relative to "
                                           "the including file's folder are allowed")  # fmt: skip
        if any(c in href for c in "%?#") or any(ord(c) < 32 for c in href):
            raise self.fail(file, element, f"href {href!r}: '%' escapes, '?', '#' and control characters are "
                                           "not allowed (use @xpointer for a fragment)")  # fmt: skip
        if ".." in href.split("/"):
            raise self.fail(file, element, f"href {href!r} leaves the including file's folder ('..')")

    def target(self, file: str, element, href: str) -> Path | None:
        """The checked, resolved path (None: it does not exist)."""
        folder = Path(file).resolve().parent
        candidate = folder / href
        if not os.path.lexists(candidate):
            return None
        resolved = candidate.resolve()
        for root in (folder, self.top_folder):
            if not resolved.is_relative_to(root):
                raise self.fail(file, element, f"href {href!r} resolves (through a symbolic link) to a file "
                                               "outside the including file's folder")  # fmt: skip
        mode = resolved.stat().st_mode
        if not stat.S_ISREG(mode):
            raise self.fail(file, element, f"href {href!r} is not a regular file")
        return resolved

    def read(self, file: str, element, path: Path) -> bytes:
        size = path.stat().st_size
        if size > self.max_bytes:
            raise self.fail(file, element, f"{path.name} is {size:,} bytes, more than the limit of "
                                           f"{self.max_bytes:,} bytes")  # fmt: skip
        if self.included.total_bytes + size > self.max_bytes * MAX_TOTAL_FACTOR:
            raise self.fail(file, element, f"the included files exceed {self.max_bytes * MAX_TOTAL_FACTOR:,} "
                                           "bytes in all")  # fmt: skip
        if len(self.included.files) >= MAX_INCLUDES:
            raise self.fail(file, element, f"more than {MAX_INCLUDES:,} included files")
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise self.fail(file, element, f"cannot read {path.name}: {exc.strerror or exc}") from None
        self.included.total_bytes += len(data)
        self.included.files.append((str(path), hashlib.sha256(data).hexdigest()))
        return data

    def resolve(self, root, file: str, stack: tuple[str, ...]) -> None:
        """Replace every xi:include under (or at) `root`, which was read from `file`."""
        outermost = [e for e in root.iter(XI_INCLUDE) if next(e.iterancestors(XI_INCLUDE), None) is None]
        for element in outermost:
            if element.getparent() is None:
                raise self.fail(file, element, "the root element cannot be an xi:include")
            self.include(element, file, stack)
        for stray in root.iter(XI_FALLBACK):
            raise self.fail(file, stray, "xi:fallback outside an xi:include")

    def include(self, element, file: str, stack: tuple[str, ...]) -> None:
        href = element.get("href")
        parse = element.get("parse") or "xml"
        if parse not in ("xml", "text"):
            raise self.fail(file, element, f"parse={parse!r}: only 'xml' and 'text' exist")
        self.check_href(file, element, href)
        if len(stack) > MAX_INCLUDE_DEPTH:
            raise self.fail(file, element, f"includes nested deeper than {MAX_INCLUDE_DEPTH} files")
        path = self.target(file, element, href)
        if path is None:
            fallback = element.find(XI_FALLBACK)
            if fallback is None:
                raise self.fail(file, element, f"{href!r}: no such file in {Path(file).resolve().parent.name}/")
            nodes = [n for n in fallback if isinstance(n.tag, str)]
            self.replace(element, nodes, fallback.text)
            for node in nodes:
                self.resolve(node, file, stack)
            return
        if str(path) in stack:
            raise self.fail(file, element, f"{href!r} includes itself (cycle: "
                                           f"{' -> '.join(Path(p).name for p in (*stack, str(path)))})")  # fmt: skip
        data = self.read(file, element, path)
        if parse == "text":
            if element.get("xpointer") is not None:
                raise self.fail(file, element, "@xpointer is not allowed with parse='text'")
            if (element.get("encoding") or "utf-8").lower().replace("_", "-") not in ("utf-8", "utf8"):
                raise self.fail(file, element, "parse='text': only UTF-8 files can be included")
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise self.fail(file, element, f"{href!r} is not UTF-8 text (byte {exc.start})") from None
            self.replace(element, [], text)
            return
        tree = parse_bytes(data, str(path), max_bytes=self.max_bytes, max_depth=self.max_depth)
        included = tree.getroot()
        self.resolve(included, str(path), (*stack, str(path)))
        pointer = element.get("xpointer")
        if pointer is not None:
            included = self.point(file, element, included, pointer)
        included.set(XML_BASE, href)
        self.replace(element, [included], None)

    def point(self, file: str, element, root, pointer: str):
        match = _ELEMENT_SCHEME.match(pointer.strip())
        ident = match.group(1) if match else pointer.strip()
        if not NCNAME.fullmatch(ident):
            raise self.fail(file, element, f"xpointer {pointer!r}: only an xml:id or element(id) is supported")
        for candidate in root.iter(etree.Element):
            if candidate.get("{http://www.w3.org/XML/1998/namespace}id") == ident:
                return candidate
        raise self.fail(file, element, f"xpointer {pointer!r}: no element with this xml:id in {element.get('href')!r}")

    @staticmethod
    def replace(element, nodes: list, text: str | None) -> None:
        """Put `text` and `nodes` where `element` stands (its tail kept)."""
        parent = element.getparent()
        index = parent.index(element)
        before = element.getprevious()
        if text:
            if before is None:
                parent.text = (parent.text or "") + text
            else:
                before.tail = (before.tail or "") + text
        tail = element.tail
        parent.remove(element)
        for offset, node in enumerate(nodes):
            parent.insert(index + offset, node)
        last = nodes[-1] if nodes else None
        if tail:
            if last is not None:
                last.tail = (last.tail or "") + tail
            elif index > 0:
                previous = parent[index - 1]
                previous.tail = (previous.tail or "") + tail
            else:
                parent.text = (parent.text or "") + tail


def resolve_includes(tree, path, *, max_bytes: int, max_depth: int) -> Included:
    """Resolve every xi:include of a tree parsed from `path`, in place; returns what was read.

    Raises TEIError (file:line of the include) for any refused or failed include; the tree is then
    left half-resolved and must be thrown away (the importer does, before any database work).
    """
    resolver = _Resolver(Path(path), max_bytes, max_depth)
    root = tree.getroot()
    if root.tag == XI_INCLUDE:
        raise resolver.fail(str(path), root, "the root element cannot be an xi:include")
    resolver.resolve(root, str(path), (str(Path(path).resolve()),))
    line = depth_error(tree, max_depth)
    if line is not None:
        raise TEIError(str(path), line, 0, f"elements nested deeper than {max_depth} levels (after xi:include)")
    return resolver.included


def parse_with_includes(data: bytes, path, *, max_bytes: int, max_depth: int, digest: str):
    """parse_bytes, then the includes resolved: (tree, checksum over the file and every file included)."""
    tree = parse_bytes(data, str(path), max_bytes=max_bytes, max_depth=max_depth)
    if not has_includes(data):
        return tree, digest
    included = resolve_includes(tree, path, max_bytes=max_bytes, max_depth=max_depth)
    return tree, included.digest(digest)
