"""Names without a pointer: `persName`/`placeName`/`orgName` with no @ref, @key or @corresp in foreign TEI.

A FRUS volume writes most of its names this way; without them its people and places indexes would be
empty. Each such name becomes a mention of an index entry keyed by the name's normalised form
(`normalise_name`: NFKC, white space collapsed, case-folded), so that "LANSING" and "Lansing" are one
entry; its label is the name as first written. The entries are *unreviewed* (Entity.reviewed False):
the indexes mark them, and editors merge them into the right entity in the admin (docs/editing.md).
The importer keeps an editor's merge on re-import (documents/services/import_unpointed.py).

The edition's own files are strict (every name points at the entity lists) and are left alone.
"""

from __future__ import annotations

import hashlib
import unicodedata

from .mapping_refs import FileContext, line_of
from .mapping_types import EntityData, MentionData, Ref

KINDS = {"persName": "person", "placeName": "place", "orgName": "org"}
POINTERS = ("ref", "key", "corresp", "sameAs")
PREFIX = "name"
MAX_KEY = 200


def normalise_name(text: str) -> str:
    """The form a name is keyed by: NFKC, runs of white space as one space, case-folded."""
    return " ".join(unicodedata.normalize("NFKC", text or "").split()).casefold()


def unpointed_key(kind: str, text: str) -> str:
    """'name:<kind>:<normalised name>' (a long name is cut and given a short hash, to fit the key column)."""
    key = f"{PREFIX}:{kind}:{normalise_name(text)}"
    if len(key) > MAX_KEY:
        digest = hashlib.sha1(key.encode("utf-8"), usedforsecurity=False).hexdigest()[:8]  # an id suffix
        key = f"{key[: MAX_KEY - 9]}~{digest}"
    return key


def is_unpointed(ctx: FileContext, span) -> bool:
    """A name element of a foreign file with words and no pointer attribute at all."""
    if ctx.ours or span.element not in KINDS or span.end <= span.start:
        return False
    return not any(span.attrib.get(a) for a in POINTERS)


def unpointed_mention(ctx: FileContext, span, reading: str) -> MentionData:
    """The mention of the name's index entry; the entry is recorded once per file in ctx.cache."""
    text = reading[span.start : span.end]
    kind = KINDS[span.element]
    key = unpointed_key(kind, text)
    entries = ctx.cache.setdefault("unpointed", {})
    line = line_of(span.node) if span.node is not None else 0
    if key not in entries:
        label = " ".join(text.split())[:300]
        entries[key] = EntityData(key=key, kind=kind, name=label, sort_name=label, line=line)
    return MentionData(
        ref=Ref(key=key, raw=text[:200], line=line),
        text=text[:500],
        start=span.start,
        end=span.end,
        element=span.element,
        type=span.attrib.get("type") or "",
    )


def unpointed_entities(ctx: FileContext) -> list[EntityData]:
    """The file's unreviewed index entries, in order of first mention."""
    return list(ctx.cache.get("unpointed", {}).values())
