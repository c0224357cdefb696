"""Keeping the search index in step with the data (connected in DocumentsConfig.ready).

- `document_imported` (sent by the importer inside the file's transaction): rewrite the
  document's entries in that same transaction, so a failed import leaves the index as it was.
- Note saved or deleted (admin, importer, re-anchoring): rewrite that note's entry at once.
- Entity name or alias changed: the `names` of the passages mentioning the entity are
  refreshed once, when the transaction commits (many alias rows may change in one import).
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from documents.models import Entity, EntityAlias, Note, SearchEntry
from documents.signals import document_imported

from . import indexing

_pending_entities: set[int] = set()


def flush_entity_names():
    """Refresh the names of the pending entities (the first callback after a commit does all the work)."""
    ids = set(_pending_entities)
    _pending_entities.clear()
    if ids:
        with transaction.atomic():
            indexing.refresh_names(ids)


def _entity_changed(entity_id):
    _pending_entities.add(entity_id)
    transaction.on_commit(flush_entity_names)


@receiver(document_imported, dispatch_uid="search_index_document")
def on_document_imported(sender, document, **kwargs):
    indexing.index_document(document)


@receiver(post_save, sender=Note, dispatch_uid="search_index_note_saved")
def on_note_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        indexing.index_note(instance)


@receiver(post_delete, sender=Note, dispatch_uid="search_index_note_deleted")
def on_note_deleted(sender, instance, **kwargs):
    SearchEntry.objects.filter(note_id=instance.pk).delete()


@receiver(pre_save, sender=Entity, dispatch_uid="search_entity_old_name")
def remember_entity_name(sender, instance, raw=False, **kwargs):
    if instance.pk and not raw:
        instance._search_old_name = Entity.objects.filter(pk=instance.pk).values_list("name", flat=True).first()


@receiver(post_save, sender=Entity, dispatch_uid="search_entity_saved")
def on_entity_saved(sender, instance, created, raw=False, **kwargs):
    if not created and not raw and getattr(instance, "_search_old_name", instance.name) != instance.name:
        _entity_changed(instance.pk)


@receiver(post_save, sender=EntityAlias, dispatch_uid="search_alias_saved")
@receiver(post_delete, sender=EntityAlias, dispatch_uid="search_alias_deleted")
def on_alias_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        _entity_changed(instance.entity_id)
