"""The unreviewed index entries of one file (names without a pointer, documents/tei/mapping_unpointed.py).

Called by the FileWriter inside the file's transaction:

1. `redirect_merged`: a key an editor merged into another entity (EntityAlias.merged_key, set by the
   admin's "Merge into..." action) now means that entity: the file's mentions and participants are
   repointed before anything is written, so a re-import never brings a merged entry back.
2. `write_unpointed`: the entries not in the database yet are created, unreviewed. Existing entries are
   left as they are (their label is the name as first written; an editor may have reviewed them).
3. `drop_unused_unpointed`: after the documents are written, this file's unreviewed entries that
   nothing mentions any more are deleted (a reviewed entity is never deleted here).
"""

from __future__ import annotations

from django.db.models import Q

from documents.models import Entity, EntityAlias
from documents.tei.mapping_types import FileData, Ref


def redirect_merged(data: FileData) -> int:
    """Repoint the file's references to merged keys at the entity they were merged into; the number repointed."""
    keys = {e.key for e in data.unpointed}
    if not keys:
        return 0
    target = dict(EntityAlias.objects.filter(merged_key__in=keys).values_list("merged_key", "entity__key"))
    if not target:
        return 0
    data.unpointed = [e for e in data.unpointed if e.key not in target]
    moved = 0

    def repoint(ref: Ref) -> Ref:
        nonlocal moved
        if ref.key not in target:
            return ref
        moved += 1
        return Ref(key=target[ref.key], raw=ref.raw, line=ref.line)

    for doc in data.documents:
        for passage in doc.passages:
            for mention in passage.mentions:
                mention.ref = repoint(mention.ref)
        seen, participants = set(), []
        for part in doc.participants:
            part.ref = repoint(part.ref)
            if (part.ref.key, part.role) not in seen:  # the merged entry and its target in one role: once
                seen.add((part.ref.key, part.role))
                participants.append(part)
        doc.participants = participants
    return moved


def write_unpointed(data: FileData, source, counts) -> None:
    """Create the file's unreviewed entries that do not exist yet (counted as created entities)."""
    if not data.unpointed:
        return
    existing = set(Entity.objects.filter(key__in=[e.key for e in data.unpointed]).values_list("key", flat=True))
    new = [
        Entity(key=e.key, kind=e.kind, name=e.name, sort_name=e.sort_name, reviewed=False, source_file=source)
        for e in data.unpointed
        if e.key not in existing
    ]
    Entity.objects.bulk_create(new, batch_size=500)
    counts.created += len(new)
    counts.unchanged += len(data.unpointed) - len(new)


def drop_unused_unpointed(source, counts) -> int:
    """Delete this file's unreviewed entries that nothing refers to any more; the number deleted."""
    used = Q(mentions__isnull=False) | Q(turns__isnull=False) | Q(participations__isnull=False)
    merged_into = EntityAlias.objects.exclude(merged_key="").values("entity_id")
    candidates = Entity.objects.filter(source_file=source, reviewed=False).exclude(pk__in=merged_into)
    unused = list(candidates.exclude(pk__in=Entity.objects.filter(used).values("pk")).values_list("pk", flat=True))
    if unused:
        Entity.objects.filter(pk__in=unused).delete()
        counts.deleted += len(unused)
    return len(unused)
