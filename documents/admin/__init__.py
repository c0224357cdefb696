"""The edition's admin, one module per area.

The text (documents, sections, turns, passages, entities) comes from the TEI and is
read-only here; editors add and revise notes and passage links. See docs/editing.md.
"""

from . import entities, links, notes, text  # noqa: F401  (registers the ModelAdmins)
