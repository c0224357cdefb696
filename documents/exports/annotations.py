"""Published notes as W3C Web Annotations (https://www.w3.org/TR/annotation-model/).

Each note is an Annotation whose id is the note's permalink, motivation "commenting", a
TextualBody holding the sanitized HTML of the note, and a target whose source is the
passage's permalink with a TextQuoteSelector and a TextPositionSelector (offsets in code
points of the passage's reading text). Drafts never leave the building.
"""

from __future__ import annotations

import json

from django.db.models import F

from documents.markup import render_note_body

from . import exporter, links

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
#: The media type the W3C Web Annotation Protocol prescribes.
ANNO_MEDIA_TYPE = f'application/ld+json; profile="{ANNO_CONTEXT}"'


def _target(note, base_url) -> dict:
    if note.passage_id and note.anchor:
        source = links.fragment_url(note.document, note.anchor, base_url)
    else:  # orphan: the words are kept, the passage is gone
        source = links.document_url(note.document, base_url)
    selectors = []
    if note.exact:
        selectors.append(
            {"type": "TextQuoteSelector", "exact": note.exact, "prefix": note.prefix, "suffix": note.suffix}
        )
    if note.passage_id and note.start is not None and note.end is not None:
        selectors.append({"type": "TextPositionSelector", "start": note.start, "end": note.end})
    target = {"type": "SpecificResource", "source": source}
    if selectors:
        target["selector"] = selectors if len(selectors) > 1 else selectors[0]
    if note.passage_id and note.anchor:
        state = version_state(note, base_url)
        if state:
            target["state"] = state
    return target


def version_state(note, base_url) -> dict | None:
    """A TimeState (W3C model, 4.2.5): the version of the text the note's selectors hold for, with its
    permanent copy (`cached`: /documents/<slug>/v/<n>/#anchor) and date (`sourceDate`)."""
    from documents.services.version_text import latest_version

    version = latest_version(note.document)
    if version is None:
        return None
    return {
        "type": "TimeState",
        "sourceDate": version.created.isoformat(timespec="seconds"),
        "cached": f"{links.version_url(version, base_url)}#{note.anchor}",
    }


def note_annotation(note, base_url=None, with_context: bool = True) -> dict:
    """One note as a W3C Annotation (a dict ready for json.dumps)."""
    annotation = {}
    if with_context:
        annotation["@context"] = ANNO_CONTEXT
    annotation.update(
        {
            "id": links.note_url(note, base_url),
            "type": "Annotation",
            "motivation": "commenting",
            "created": note.created.isoformat(),
            "modified": note.modified.isoformat(),
            "body": {
                "type": "TextualBody",
                "purpose": "commenting",
                "format": "text/html",
                "language": "en",
                "value": render_note_body(note.body, note.document),
            },
            "target": _target(note, base_url),
        }
    )
    return annotation


def published_notes(document):
    """The document's published notes in reading order, in one query."""
    return document.notes.published().order_by(
        F("passage__order").asc(nulls_last=True),  # orphans last, on every database
        F("start").asc(nulls_last=True),  # notes on a whole passage after those on its words (as the reader)
        "created",
        "pk",
    )


def annotation_page(document, base_url=None) -> dict:
    from django.urls import reverse

    page_id = links.absolute(reverse("documents:document-annotations", kwargs={"slug": document.slug}), base_url)
    items = [note_annotation(note, base_url, with_context=False) for note in published_notes(document)]
    return {
        "@context": ANNO_CONTEXT,
        "id": page_id,
        "type": "AnnotationPage",
        "items": items,
    }


@exporter("annotations", media_type=ANNO_MEDIA_TYPE, extension="jsonld")
def annotations(document, base_url=None) -> str:
    """The document's published notes as one W3C AnnotationPage (JSON-LD)."""
    return json.dumps(annotation_page(document, base_url), ensure_ascii=False, indent=2) + "\n"
