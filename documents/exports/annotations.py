"""Published notes as W3C Web Annotations (https://www.w3.org/TR/annotation-model/).

Each note is an Annotation whose id is the note's permalink, motivation "commenting", a
TextualBody holding the sanitized HTML of the note, and a target whose source is the document
page. Its selectors hold in that page as served: a FragmentSelector on the passage element (its
id, the passage's anchor), refined by a TextQuoteSelector and, as an alternative, by a
TextPositionSelector, both measured on the element's text as the page shows it -- the speaker
label the page writes before a turn's first passage, then the passage's reading text (note
markers are generated content, not text: documents/render/passage.py). Offsets are code points.
A note on a whole passage has the FragmentSelector alone; an orphan targets the document with its
quote. Drafts never leave the building.
"""

from __future__ import annotations

import json

from django.db.models import F

from documents.markup import render_note_body
from documents.services.anchoring import CONTEXT

from . import exporter, links

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
#: The media type the W3C Web Annotation Protocol prescribes.
ANNO_MEDIA_TYPE = f'application/ld+json; profile="{ANNO_CONTEXT}"'


FRAGMENT_SPEC = "http://tools.ietf.org/rfc/rfc3986"  # an HTML id as a URI fragment (W3C annotation model 4.2.1)


def page_prefixes(document) -> dict[int, str]:
    """{passage pk: the text the page shows before its reading text inside the passage element}.

    The reader writes the turn's speaker label (and a space) in the first passage of each run of a
    turn's passages (documents/render/page.py, layout_rows; templates/documents/snippets/passage_row.html).
    """
    prefixes, previous = {}, None
    columns = ("pk", "turn_id", "turn__speaker_label", "turn__label_in_text")
    rows = document.passages.order_by("order").values_list(*columns)
    for pk, turn, label, in_text in rows:  # a label written in the passage itself (a detected speaker): no prefix
        prefixes[pk] = f"{label} " if turn is not None and turn != previous and label and not in_text else ""
        previous = turn
    return prefixes


def page_text(passage, prefix: str) -> str:
    """The passage element's text on the page."""
    return prefix + passage.reading_text


def _fragment(note, refined=None) -> dict:
    selector = {"type": "FragmentSelector", "conformsTo": FRAGMENT_SPEC, "value": note.anchor}
    if refined:
        selector["refinedBy"] = refined
    return selector


def _target(note, base_url, prefix: str = "") -> dict:
    target = {"type": "SpecificResource", "source": links.document_url(note.document, base_url)}
    if not (note.passage_id and note.anchor):  # orphan: the words are kept, the passage is gone
        if note.exact:
            target["selector"] = {"type": "TextQuoteSelector", "exact": note.exact, "prefix": note.prefix,
                                  "suffix": note.suffix}  # fmt: skip
        return target
    if note.start is None or note.end is None:  # the whole passage
        target["selector"] = _fragment(note)
        return target
    text = page_text(note.passage, prefix)
    start, end = note.start + len(prefix), note.end + len(prefix)
    position = {"type": "TextPositionSelector", "start": start, "end": end}
    if not note.exact:  # a point (a footnote marker): a position only
        target["selector"] = _fragment(note, position)
        return target
    quote = {"type": "TextQuoteSelector", "exact": text[start:end], "prefix": text[max(0, start - CONTEXT) : start],
             "suffix": text[end : end + CONTEXT]}  # fmt: skip
    target["selector"] = [_fragment(note, quote), _fragment(note, position)]
    return target


_LOOK_UP = object()  # version_state's default: find the document's latest version


def _with_state(target: dict, note, base_url, version=_LOOK_UP) -> dict:
    """The target with the TimeState of the version its selectors hold for (passage notes only)."""
    if note.passage_id and note.anchor:
        state = version_state(note, base_url, version)
        if state:
            target["state"] = state
    return target


def version_state(note, base_url, version=_LOOK_UP) -> dict | None:
    """A TimeState (W3C model, 4.2.5): the version of the text the note's selectors hold for, with its
    permanent copy (`cached`: /documents/<slug>/v/<n>/#anchor) and date (`sourceDate`). `version`: the
    document's latest version when the caller has it (one query for a whole page), else looked up."""
    from documents.services.version_text import latest_version

    if version is _LOOK_UP:
        version = latest_version(note.document)
    if version is None:
        return None
    return {
        "type": "TimeState",
        "sourceDate": version.created.isoformat(timespec="seconds"),
        "cached": f"{links.version_url(version, base_url)}#{note.anchor}",
    }


def passage_prefix(note) -> str:
    """page_prefixes for one note's passage (two small queries)."""
    passage = note.passage
    if passage is None or passage.turn_id is None:
        return ""
    before = note.document.passages.filter(order__lt=passage.order).order_by("-order").values_list("turn_id")
    previous = before.first()
    if previous is not None and previous[0] == passage.turn_id:
        return ""
    label = passage.turn.speaker_label
    return f"{label} " if label and not passage.turn.label_in_text else ""


def note_annotation(
    note, base_url=None, with_context: bool = True, prefixes: dict | None = None, version=_LOOK_UP
) -> dict:
    """One note as a W3C Annotation (a dict ready for json.dumps); prefixes: page_prefixes(document)."""
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
            "target": _with_state(
                _target(note, base_url, prefixes.get(note.passage_id, "") if prefixes is not None
                        else passage_prefix(note)),
                note, base_url, version,
            ),  # fmt: skip
        }
    )
    return annotation


def published_notes(document):
    """The document's published notes in reading order, in one query."""
    return document.notes.published().select_related("passage", "document").order_by(
        F("passage__order").asc(nulls_last=True),  # orphans last, on every database
        F("start").asc(nulls_last=True),  # notes on a whole passage after those on its words (as the reader)
        "created",
        "pk",
    )


def annotation_page(document, base_url=None) -> dict:
    from django.urls import reverse

    page_id = links.absolute(reverse("documents:document-annotations", kwargs={"slug": document.slug}), base_url)
    from documents.services.version_text import latest_version

    prefixes, version = page_prefixes(document), latest_version(document)
    items = [note_annotation(note, base_url, with_context=False, prefixes=prefixes, version=version)
             for note in published_notes(document)]  # fmt: skip
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
