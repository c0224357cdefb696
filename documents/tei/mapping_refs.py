"""Pointers and identifiers: resolving @ref/@who/@corresp to entity keys, generating stable ids.

Our edition's files declare the private prefix ``ent:`` (``<prefixDef ident="ent">``) and use
plain entity ids (``zhang-hanfu``). Foreign files keep their own ids, namespaced by the file's
stem (``frus1918Russiav03:p_FDR1``) so that two corpora never collide.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from . import XML_ID, tei
from .mapping_types import Problem, Ref

MAX_ID = 180  # the id columns hold 200 characters; room for a -NN suffix
EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)


def short_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8"), usedforsecurity=False).hexdigest()[:6]  # an id suffix


def derived_id(parent_id: str, kind: str, text: str) -> str:
    """The id the importer gives an element without xml:id (before de-duplication: `-2`, `-3`...)."""
    return f"{parent_id}-{kind}-{short_hash(text)}"


def slugify(value: str) -> str:
    """A URL slug: ASCII letters, digits and hyphens (other characters become hyphens)."""
    value = re.sub(r"[^A-Za-z0-9_-]+", "-", value).strip("-_")
    return re.sub(r"-{2,}", "-", value) or "document"


def line_of(element) -> int:
    return element.sourceline or 0


class FileContext:
    """Per-file state of the mapping: who the file is, its entity ids, its problems."""

    def __init__(self, path: str, root):
        self.path = str(path)
        self.stem = Path(path).stem
        self.root = root
        self.ours = any(pd.get("ident") == "ent" for pd in root.iter(tei("prefixDef")))
        #: xml:ids of entities defined in this file (raw ids, before namespacing).
        self.local_entities: set[str] = set()
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        #: Values computed once per file (e.g. the serialized header shared by a volume's documents).
        self.cache: dict = {}
        #: Paragraphs beginning 'NAME:' become speaker turns (import_tei --detect-speakers; mapping_speakers.py).
        self.detect_speakers = False

    # -- problems ---------------------------------------------------------------------------
    def problem(self, element_or_line, message: str, col: int = 0) -> None:
        line = element_or_line if isinstance(element_or_line, int) else line_of(element_or_line)
        self.problems.append(Problem(self.path, line, col, message))

    def warn(self, element_or_line, message: str) -> None:
        line = element_or_line if isinstance(element_or_line, int) else line_of(element_or_line)
        self.warnings.append(Problem(self.path, line, 0, message))

    def issue(self, element_or_line, message: str) -> None:
        """An error in our own files (strict), a warning in foreign TEI (imported as well as possible)."""
        (self.problem if self.ours else self.warn)(element_or_line, message)

    # -- entity keys ------------------------------------------------------------------------
    def entity_key(self, xml_id: str) -> str:
        """The database key of an entity defined in this file."""
        return xml_id if self.ours else f"{self.stem}:{xml_id}"

    def resolve(self, raw: str | None, element, attribute: str = "ref") -> list[Ref]:
        """Entity keys for a pointer attribute (space-separated pointers allowed).

        Our files: ``ent:x``, ``entities.xml#x`` and ``#x`` all mean entity ``x``; the importer
        checks that it exists (a dangling pointer is an error). Foreign files: ``#x`` resolves
        only against the file's own entity lists; other pointers (URLs, other files) are kept
        out of the database silently, as they point outside the edition.
        """
        refs: list[Ref] = []
        if not raw:
            return refs
        line = line_of(element)
        for token in raw.split():
            key = None
            if token.startswith("ent:"):
                key = token[4:]
            elif EXTERNAL.match(token):
                key = None
            elif "#" in token:
                file_part, _, ident = token.partition("#")
                if not ident:
                    key = None
                elif self.ours:
                    key = ident
                elif not file_part and ident in self.local_entities:
                    key = self.entity_key(ident)
            if key:
                refs.append(Ref(key=key, raw=token, line=line))
            elif self.ours and not EXTERNAL.match(token):
                self.problem(element, f"@{attribute}={token!r} is not a pointer to an entity (use ent:id)")
        return refs


class IdAllocator:
    """Stable, unique ids within one document: xml:id when present, else derived from the
    parent's id and a short hash of the content (not a bare ordinal, so that inserting a
    paragraph does not renumber its neighbours), de-duplicated with -2, -3, ..."""

    def __init__(self, ctx: FileContext, scope=None):
        self.ctx = ctx
        self.used: set[str] = set()
        #: Real xml:ids of the scope, so that a derived id never takes one of them.
        self.reserved: set[str] = set()
        if scope is not None:
            self.reserved.update(v for v in scope.xpath(".//@xml:id") if v)

    def take(self, element, parent_id: str, kind: str, text) -> str:
        """The element's xml:id, else a derived id; `text` may be a callable (only called when needed)."""
        xml_id = element.get(XML_ID) if element is not None else None
        if xml_id:
            if xml_id in self.used:
                if self.ctx.ours:
                    self.ctx.problem(element, f"duplicate xml:id {xml_id!r}")
                return self._dedupe(xml_id)
            self.used.add(xml_id)
            return xml_id
        return self._dedupe(derived_id(parent_id, kind, text() if callable(text) else text))

    def _dedupe(self, base: str) -> str:
        if len(base) > MAX_ID:  # deep nesting: keep the id short and still unique
            base = f"{base[: MAX_ID - 8]}-{short_hash(base)}"
        candidate, n = base, 1
        while candidate in self.used or candidate in self.reserved:
            n += 1
            candidate = f"{base}-{n}"
        self.used.add(candidate)
        return candidate

