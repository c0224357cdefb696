"""Merging index entries (the admin's "Merge into..." action on entities, docs/editing.md).

`merge_entities(sources, target)` repoints every mention, turn and participation of the sources at the
target, keeps each source's name and aliases as aliases of the target (the source's key as the alias's
`merged_key`, so that a re-import maps that key to the target: documents/services/import_unpointed.py),
deletes the sources and re-indexes the affected documents for search. One transaction: a failure changes
nothing.
"""

from __future__ import annotations

from django.db import transaction

from documents.models import Document, Entity, EntityAlias, Mention, Participation, Turn


class MergeError(Exception):
    pass


@transaction.atomic
def merge_entities(sources, target: Entity) -> int:
    """Merge `sources` (Entity objects) into `target`; returns the number of mentions repointed."""
    sources = [s for s in sources if s.pk != target.pk]
    if not sources:
        raise MergeError("choose at least one entry other than the one to merge into")
    kinds = {s.kind for s in sources} | {target.kind}
    if len(kinds) > 1:
        raise MergeError("only entries of one kind (people, places or organisations) can be merged")
    ids = [s.pk for s in sources]
    documents = set(Mention.objects.filter(entity_id__in=ids).values_list("passage__document_id", flat=True))
    documents |= set(Turn.objects.filter(speaker_id__in=ids).values_list("document_id", flat=True))
    moved = Mention.objects.filter(entity_id__in=ids).update(entity=target)
    Turn.objects.filter(speaker_id__in=ids).update(speaker=target)
    taken = set(Participation.objects.filter(entity=target).values_list("document_id", "role"))
    for part in Participation.objects.filter(entity_id__in=ids).order_by("pk"):
        if (part.document_id, part.role) in taken:
            part.delete()  # the target already has that role in that document
        else:
            taken.add((part.document_id, part.role))
            Participation.objects.filter(pk=part.pk).update(entity=target)
    existing = set(EntityAlias.objects.filter(entity=target).values_list("name", "lang", "merged_key"))
    new = []
    for source in sources:
        wanted = [(source.name, "", source.key)]
        # The source's own aliases, and earlier merges into it, follow it (merged keys keep mapping here).
        wanted += [(a.name, a.lang, a.merged_key or source.key) for a in source.aliases.all()]
        for name, lang, key in wanted:
            if (name, lang, key) not in existing:
                existing.add((name, lang, key))
                new.append(EntityAlias(entity=target, name=name[:300], lang=lang, merged_key=key[:200]))
    EntityAlias.objects.bulk_create(new)
    Entity.objects.filter(pk__in=ids).delete()
    transaction.on_commit(lambda: _reindex(documents, target.pk))
    return moved


def _reindex(document_ids, target_pk) -> None:
    from documents.search.indexing import index_documents

    index_documents(Document.objects.filter(pk__in=document_ids))
