"""TEI pointers kept in imported note bodies, resolved to the edition's URLs at render time.

Note bodies imported from TEI keep their ``<ref target>`` as the Markdown link target:
``#m-zhang-3-reply`` (same document) or ``memorandum-1962-06-07.xml#memo-cooperation``
(another file of the edition). They are resolved when rendered, because the document a
pointer names may be imported after the note that points to it.
"""

from __future__ import annotations

import re

from documents.models import Document, Passage

LINK = re.compile(r"\]\((?P<target>[^)\s]+)\)")
POINTER = re.compile(r"^(?P<file>[A-Za-z0-9_.-]+\.xml)?#(?P<anchor>[A-Za-z0-9_.:-]+)$")


def tei_pointer_url(target: str, document: Document | None = None) -> str | None:
    """The URL of a TEI pointer ('#anchor' or 'file.xml#anchor'), or None if it is not one we know."""
    match = POINTER.match(target)
    if match is None:
        return None
    name, anchor = match.group("file"), match.group("anchor")
    if name is None:
        return f"{document.get_absolute_url()}#{anchor}" if document is not None else None
    passage = (
        Passage.objects.filter(anchor=anchor, document__source_file__path__endswith=f"/{name}")
        .select_related("document")
        .first()
    )
    if passage is not None:
        return passage.get_absolute_url()
    doc = Document.objects.filter(source_file__path__endswith=f"/{name}").first()
    return f"{doc.get_absolute_url()}#{anchor}" if doc is not None else None


def resolve_markdown_pointers(body: str, document: Document | None = None) -> str:
    """Rewrite Markdown link targets that are TEI pointers to the edition's URLs."""

    def replace(match):
        url = tei_pointer_url(match.group("target"), document)
        return f"]({url})" if url else match.group(0)

    return LINK.sub(replace, body)
