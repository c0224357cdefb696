"""Signals of the edition.

`document_imported` is sent by the importer inside the file's transaction, once per
document written (created or updated), so that derived data (search index, caches)
can follow. Receivers must not assume the transaction commits.
"""

from django.dispatch import Signal

#: sender=Document class, document=<Document>, created=<bool>
document_imported = Signal()
