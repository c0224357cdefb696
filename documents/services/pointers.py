"""TEI pointers kept in imported note bodies, resolved to the edition's URLs at render time.

Note bodies imported from TEI keep their ``<ref target>`` as the Markdown link target:
``#m-zhang-3-reply`` (same document) or ``memorandum-1962-06-07.xml#memo-cooperation``
(another file of the edition). They are resolved when rendered, because the document a
pointer names may be imported after the note that points to it.

`PointerResolver` resolves the pointers of many bodies (a reader page's notes) in at most two
queries; `resolve_markdown_pointers` is the one-body convenience.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.db.models import Q

from documents.models import Document, Passage

LINK = re.compile(r"\]\((?P<target>[^)\s]+)\)")
POINTER = re.compile(r"^(?P<file>[A-Za-z0-9_.-]+\.xml)?#(?P<anchor>[A-Za-z0-9_.:-]+)$")


class PointerResolver:
    """TEI pointer -> reader URL for the note bodies of one document, each file looked up once."""

    def __init__(self, document: Document | None = None):
        self.document = document
        self.urls: dict[str, str | None] = {}

    def prefetch(self, bodies: Iterable[str]) -> PointerResolver:
        """Resolve every pointer of `bodies` at once (two queries at most, none without file pointers)."""
        wanted: dict[str, tuple[str, str]] = {}  # target -> (file name, anchor)
        for body in bodies:
            for match in LINK.finditer(body or ""):
                target = match.group("target")
                pointer = POINTER.match(target)
                if target in self.urls or pointer is None:
                    continue
                if pointer.group("file") is None:
                    self.urls[target] = self._local(pointer.group("anchor"))
                else:
                    wanted[target] = (pointer.group("file"), pointer.group("anchor"))
        if wanted:
            self._look_up(wanted)
        return self

    def _look_up(self, wanted: dict[str, tuple[str, str]]) -> None:
        """Passages named by (file, anchor); a document's URL + #anchor when only the file is known."""
        passages = Passage.objects.filter(anchor__in={a for _, a in wanted.values()}).select_related(
            "document__source_file"
        )
        found: dict[tuple[str, str], str] = {}
        for passage in passages.order_by("pk"):
            found.setdefault((_file_name(passage.document), passage.anchor), passage.get_absolute_url())
        missing = {name for name, anchor in wanted.values() if (name, anchor) not in found}
        documents: dict[str, str] = {}
        if missing:
            query = Q()
            for name in missing:
                query |= Q(source_file__path__endswith=f"/{name}")
            for doc in Document.objects.filter(query).select_related("source_file").order_by("pk"):
                documents.setdefault(_file_name(doc), doc.get_absolute_url())
        for target, (name, anchor) in wanted.items():
            url = found.get((name, anchor))
            if url is None and name in documents:
                url = f"{documents[name]}#{anchor}"
            self.urls[target] = url

    def locate_elsewhere(self, on_page: set[str], limit: int = 200) -> PointerResolver:
        """Local pointers ('#pg_591') to an id that is not on this document's page: the document of the same
        file whose passages hold that xml:id (a page break, a FRUS cross-reference), one query for all."""
        if self.document is None or self.document.source_file_id is None:
            return self
        wanted = sorted(
            t for t in self.urls if t.startswith("#") and t[1:] not in on_page and POINTER.match(t)
        )[:limit]
        if not wanted:
            return self
        query = Q()
        for target in wanted:
            query |= Q(tei__contains=f' xml:id="{target[1:]}"')
        passages = Passage.objects.filter(document__source_file_id=self.document.source_file_id).filter(query)
        found: dict[str, str] = {}
        for passage in passages.exclude(document=self.document).select_related("document").order_by("pk"):
            for target in wanted:
                if target not in found and f' xml:id="{target[1:]}"' in passage.tei:
                    found[target] = f"{passage.document.get_absolute_url()}{target}"
        self.urls.update(found)
        return self

    def _local(self, anchor: str) -> str | None:
        return f"{self.document.get_absolute_url()}#{anchor}" if self.document is not None else None

    def url(self, target: str) -> str | None:
        """The URL of a TEI pointer ('#anchor' or 'file.xml#anchor'), or None if it is not one we know."""
        if target not in self.urls:
            self.prefetch([f"]({target})"])
        return self.urls.get(target)

    def resolve(self, body: str) -> str:
        """Rewrite the Markdown link targets of `body` that are TEI pointers to the edition's URLs."""
        if "](" not in (body or ""):
            return body or ""
        self.prefetch([body])

        def replace(match):
            url = self.urls.get(match.group("target"))
            return f"]({url})" if url else match.group(0)

        return LINK.sub(replace, body)


def _file_name(document) -> str:
    source = document.source_file
    return source.path.rsplit("/", 1)[-1] if source is not None else ""


def tei_pointer_url(target: str, document: Document | None = None) -> str | None:
    """The URL of a TEI pointer ('#anchor' or 'file.xml#anchor'), or None if it is not one we know."""
    return PointerResolver(document).url(target)


def resolve_markdown_pointers(body: str, document: Document | None = None) -> str:
    """Rewrite Markdown link targets that are TEI pointers to the edition's URLs."""
    return PointerResolver(document).resolve(body)
