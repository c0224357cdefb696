"""Plain-text export: the reading or the diplomatic text, one passage per paragraph.

As in the witness, the first paragraph of a speaker turn begins with the speaker's label
as written ("Chervonenko: I asked to visit you ...").
"""

from . import exporter


@exporter("text")
def document_text(document, view: str = "reading") -> str:
    field = "diplomatic_text" if view == "diplomatic" else "reading_text"
    columns = ("turn_id", "turn__speaker_label", "turn__label_in_text", field)
    rows = document.passages.order_by("order").values_list(*columns)
    paragraphs = []
    previous_turn = None
    for turn_id, label, in_text, text in rows:  # a label the paragraph itself begins with is not written twice
        if turn_id is not None and turn_id != previous_turn and label and not in_text:
            text = f"{label} {text}" if text else label
        previous_turn = turn_id
        paragraphs.append(text)
    return "\n\n".join(paragraphs) + "\n"
