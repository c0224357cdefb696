"""The edition's data model, split by area.

TEI is the source of the text: Document, Section, Turn, Passage, entities, mentions
and TEI-provided notes/links are (re)written by the importer. Editor-written notes
(provenance=editor) and links are never deleted by an import.
"""

from .collections import EDITION_COLLECTION, Collection
from .documents import Document, Passage, Section, SourceFile, Turn
from .entities import DateMention, Entity, EntityAlias, Mention, Participation
from .notes import NOTE_UUID_NAMESPACE, Note, PassageLink, note_uuid
from .search import SearchEntry
from .versions import DocumentVersion, Snapshot

__all__ = [
    "Collection",
    "EDITION_COLLECTION",
    "DateMention",
    "Document",
    "DocumentVersion",
    "Entity",
    "EntityAlias",
    "Mention",
    "Note",
    "Participation",
    "Passage",
    "PassageLink",
    "SearchEntry",
    "Snapshot",
    "Section",
    "SourceFile",
    "Turn",
    "NOTE_UUID_NAMESPACE",
    "note_uuid",
]
