"""Stable public URLs of documents, turns, passages and notes.

Identifiers never contain ordinal numbers: a document is its slug, a turn its xml:id, a
passage its anchor (xml:id), a note its UUID. Exports need absolute URLs; views pass
`base_url` from the request, commands fall back to settings.EDITION_BASE_URL.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from documents.models.documents import reader_page_of


def base(base_url: str | None = None) -> str:
    """The site's origin without a trailing slash ('' gives site-relative URLs)."""
    value = base_url if base_url is not None else getattr(settings, "EDITION_BASE_URL", "")
    return (value or "").rstrip("/")


def absolute(path: str, base_url: str | None = None) -> str:
    return base(base_url) + path


def document_url(document, base_url: str | None = None) -> str:
    return absolute(reverse("documents:document", kwargs={"slug": document.slug}), base_url)


def version_url(version, base_url: str | None = None) -> str:
    """The permanent URL of one version of a document's text (/documents/<slug>/v/<n>/)."""
    return absolute(
        reverse("documents:document-version", kwargs={"slug": version.document.slug, "number": version.number}),
        base_url,
    )


def fragment_url(document, fragment: str, base_url: str | None = None) -> str:
    """Permalink of something inside a document page: a turn (xml:id) or a passage (anchor)."""
    return f"{document_url(document, base_url)}#{fragment}"


def passage_url(passage, base_url: str | None = None) -> str:
    return fragment_url(passage.document, passage.anchor, base_url)


def note_url(note, base_url: str | None = None) -> str:
    """The note's permalink (/notes/<uuid>/), also the id of its W3C annotation."""
    return absolute(reverse("documents:note", kwargs={"uuid": note.uuid}), base_url)


def note_fragment(note) -> str:
    """The id of the note's element on the document page (TEI xml:id, else derived from the UUID).

    A note restored from an export (xml:id ``n-<its uuid>``, see exports.tei.note_xml_id) keeps the
    id it had before, so a restore changes neither its permalink nor where it leads."""
    if note.xml_id and note.xml_id != f"n-{note.uuid}":
        return note.xml_id
    return f"note-{note.uuid.hex[:12]}"


def note_target_path(note) -> str:
    """Where a note's permalink leads in the reader: the note beside its passage; the document for an orphan."""
    path = reverse("documents:document", kwargs={"slug": note.document.slug})
    if not note.passage_id:
        return path
    page = reader_page_of(note.passage.order)  # a long document is paged (documents/render/reader_pages.py)
    return f"{path}{f'?page={page}' if page > 1 else ''}#{note_fragment(note)}"
