"""Plain-text export: the reading or the diplomatic text, one passage per paragraph."""

from . import exporter


@exporter("text")
def document_text(document, view: str = "reading") -> str:
    field = "diplomatic_text" if view == "diplomatic" else "reading_text"
    texts = document.passages.order_by("order").values_list(field, flat=True)
    return "\n\n".join(texts) + "\n"
