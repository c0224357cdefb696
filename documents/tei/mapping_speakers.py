"""Speakers written in running text: an opt-in detector (`import_tei --detect-speakers`, or the file's
own `<?edition detect-speakers?>` processing instruction before its root element).

A paragraph outside any `<sp>`/`<u>` whose text begins with a speaker's label (`speakers.detect_label`:
"SECRETARY KISSINGER: ...", "Mr. Smith: ...") becomes a speaker turn holding that one paragraph. The
paragraph itself is untouched: its TEI, its reading and diplomatic texts and its anchor are those it has
without the detector (the label words stay in the text as written), and the turn records its label with
`label_in_text`, so that pages and exports do not write the label a second time.
"""

from __future__ import annotations

from . import local_name
from .mapping_refs import line_of
from .mapping_types import TurnData
from .speakers import detect_label
from .textview import passage_text

PI_TARGET = "edition"
PI_VALUE = "detect-speakers"


def asks_for_detection(root) -> bool:
    """True when a processing instruction before the root element reads <?edition detect-speakers?>."""
    for node in root.itersiblings(preceding=True):
        if getattr(node, "target", None) == PI_TARGET and PI_VALUE in (node.text or "").split():
            return True
    return False


def add_detected_turn(mapper, element, parent_id: str, section: str | None) -> bool:
    """Make `element` (a <p> beginning 'NAME:') a turn of its own; False (nothing done) for any other element."""
    if local_name(element) != "p":
        return False
    label = detect_label(passage_text(element).reading)
    if label is None:
        return False
    xml_id = mapper.ids.take(None, parent_id, "sp", f"{label} {passage_text(element).reading[:200]}")
    mapper.doc.turns.append(
        TurnData(
            xml_id=xml_id,
            who="",
            speaker=None,
            speaker_label=label[:300],
            order=len(mapper.doc.turns),
            section=section,
            line=line_of(element),
            label_in_text=True,
        )
    )
    before = len(mapper.doc.passages)
    # The paragraph's anchor is derived from its own parent, as without the detector: permalinks do not move.
    mapper.add_passage(element, parent_id, section, xml_id)
    if len(mapper.doc.passages) > before and xml_id not in mapper.targets:
        mapper.targets[xml_id] = mapper.targets[mapper.doc.passages[before].anchor]
    return True
