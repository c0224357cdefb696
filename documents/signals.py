"""Signals of the edition.

All are sent by the importer inside the file's transaction, so that derived data (search
index, caches) can follow; receivers must not assume the transaction commits.

- `documents_imported`: once per FILE, with every document written from it (created or
  updated), so that a receiver can do its work in batches (the search index does: a FRUS
  volume holds 400+ documents in one file). Sent before the per-document signals.
- `document_imported`: once per document written. When the importer sends it, the
  document was already part of a `documents_imported` send and `in_batch=True` is passed;
  a receiver of both signals ignores those (other senders, e.g. tests or scripts, omit it).
- `entities_imported`: once per file whose entity list changed the name or the aliases of
  entities that existed before (bulk writes send no model signals).
"""

from django.dispatch import Signal

#: sender=Document class, documents=[<Document>, ...], created={pk of each new document}
documents_imported = Signal()

#: sender=Document class, document=<Document>, created=<bool>[, in_batch=True from the importer]
document_imported = Signal()

#: sender=Entity class, entity_ids={pk, ...} (existing entities whose name or aliases changed)
entities_imported = Signal()
