"""Small ORM builders for the editing tests (until the importer provides real documents)."""

from documents.models import Document, Note, Passage
from documents.services.anchoring import quote_selector


def make_document(slug="minutes", texts=None, kind="minutes", title=None):
    """A document with one passage per (anchor, reading text) pair."""
    doc = Document.objects.create(slug=slug, xml_id=slug, kind=kind, title=title or f"Document {slug}")
    for order, (anchor, text) in enumerate((texts or {}).items()):
        Passage.objects.create(
            document=doc, anchor=anchor, order=order, tei=f"<p>{text}</p>", reading_text=text, diplomatic_text=text
        )
    return doc


def make_note(document, anchor, exact, body="A note.", occurrence=1, **fields):
    """An editor's note on the n-th occurrence of `exact` in the passage `anchor`."""
    passage = document.passages.get(anchor=anchor)
    start = -1
    for _ in range(occurrence):
        start = passage.reading_text.index(exact, start + 1)
    sel = quote_selector(passage.reading_text, start, start + len(exact))
    fields.setdefault("status", Note.Status.PUBLISHED)
    return Note.objects.create(document=document, passage=passage, anchor=anchor, body=body, **sel, **fields)


def rewrite(document, texts):
    """Simulate a re-import: replace the passages' texts (new anchors created, missing ones deleted).

    Returns old_texts as the importer passes it to reanchor_document_notes.
    """
    old_texts = dict(document.passages.values_list("anchor", "reading_text"))
    document.passages.exclude(anchor__in=list(texts)).delete()
    for order, (anchor, text) in enumerate(texts.items()):
        Passage.objects.update_or_create(
            document=document,
            anchor=anchor,
            defaults={"order": order, "tei": f"<p>{text}</p>", "reading_text": text, "diplomatic_text": text},
        )
    return old_texts
