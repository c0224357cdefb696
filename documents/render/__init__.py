"""TEI passage fragment -> HTML for the reader.

`render_passage(tei, view=..., notes=..., entities=...)` returns the *inner* HTML of one
passage (the template supplies the `<p>`/`<h2>` and its id). The element handlers live in
`documents.render.handlers`; the text and its offsets follow `documents.tei.textview`, so
note markers land exactly at `Note.start/end` (offsets in the reading text).
"""

from .passage import NoteMark, render_passage

__all__ = ["NoteMark", "render_passage"]
