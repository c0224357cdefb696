"""Writing a file's collection: the Collection row and each document's place in it (docs/importer.md).

Runs inside the file's transaction, after its documents (the matter document among them) are
written, so a failing file changes nothing. The places are rewritten on every import of the file,
also for documents whose fingerprint is unchanged; editors' notes are not touched here (the matter
document's passages go through the ordinary document writer, which keeps them).
"""

from __future__ import annotations

import contextlib
import contextvars
from pathlib import Path

from django.conf import settings
from django.db.models import Max

from documents.models import EDITION_COLLECTION, Collection, Document, Section
from documents.tei.mapping_types import CollectionData

from .import_sql import update_rows

PLACE_FIELDS = ["collection", "collection_section", "collection_order"]
#: The collections to number later, while numbering is deferred (None: number at once).
_DEFERRED: contextvars.ContextVar[set | None] = contextvars.ContextVar("deferred_numbering", default=None)


@contextlib.contextmanager
def numbering_deferred():
    """For a batch of files (the bulk import): `number_edition` is not run after each file; the
    collections it would number are collected, and numbered by the caller inside the same
    transaction, once (`number_deferred`). Numbering after every file read the whole collection
    each time: quadratic in its size."""
    pending: set[int] = set()
    token = _DEFERRED.set(pending)
    try:
        yield pending
    finally:
        _DEFERRED.reset(token)


def number_deferred(pending: set[int]) -> None:
    """Number the collections collected by `numbering_deferred` (what each file's import would have left)."""
    for pk in sorted(pending):
        number_edition(pk)


def _next_order() -> int:
    return (Collection.objects.aggregate(m=Max("order"))["m"] or 0) + 1


def edition_collection() -> Collection:
    """The edition's own collection (its files use the ent: prefix), created on first use."""
    collection, _ = Collection.objects.get_or_create(
        slug=EDITION_COLLECTION, defaults={"title": settings.EDITION_TITLE, "order": 0}
    )
    return collection


def _free_slug(slug: str) -> str:
    """The slug, or slug-2, slug-3, ... when another file's collection holds it (two files with one stem)."""
    taken = set(Collection.objects.filter(slug__startswith=slug).values_list("slug", flat=True))
    candidate, n = slug, 1
    while candidate in taken:
        n += 1
        candidate = f"{slug[:190]}-{n}"
    return candidate


def _collection_row(fw, data: CollectionData) -> Collection:
    """Create or update the collection of a foreign file. It is found by its file first (its slug stays, even
    if the file's root id changes), then by slug when no existing file holds it; else a new slug is chosen."""
    collection = Collection.objects.filter(source_file=fw.source).order_by("pk").first()
    if collection is None:
        collection = Collection.objects.filter(slug=data.slug).select_related("source_file").first()
        if collection is not None and collection.source_file is not None and Path(collection.source_file.path).exists():
            collection = None  # another file's collection: this one gets a slug of its own
    values = {"title": data.title[:500], "subtitle": data.subtitle[:500], "header_tei": data.header_tei,
              "metadata": data.metadata, "source_file_id": fw.source.pk}  # fmt: skip
    if collection is None:
        return Collection.objects.create(slug=_free_slug(data.slug), order=_next_order(), **values)
    if any(getattr(collection, f) != v for f, v in values.items()):
        for f, v in values.items():
            setattr(collection, f, v)
        collection.save()
    return collection


def write_collection(fw) -> None:
    """The file's collection (or the edition's, for our files) and its documents' places."""
    data: CollectionData | None = fw.data.collection
    documents = [d for d in fw.data.documents if d.kind != Document.Kind.MATTER]
    if data is None:
        if not fw.data.ours or not documents:
            return  # e.g. a restored document: its place is kept as it is
        collection = edition_collection()
        places = [(d.slug, None) for d in documents]
        matter_slug, ordered = None, False
    else:
        collection = _collection_row(fw, data)
        places, matter_slug, ordered = data.places, data.matter.slug if data.matter else None, True
        # A collection this file held under another slug before (its root xml:id changed) is gone.
        Collection.objects.filter(source_file=fw.source).exclude(pk=collection.pk).delete()
    matter = Document.objects.filter(slug=matter_slug).values_list("pk", flat=True).first() if matter_slug else None
    if collection.matter_id != matter and data is not None:
        collection.matter_id = matter
        collection.save(update_fields=["matter", "modified"])
    sections = dict(Section.objects.filter(document_id=matter).values_list("xml_id", "pk")) if matter else {}
    wanted = {
        slug: (collection.pk, sections.get(section) if section else None, i if ordered else None)
        for i, (slug, section) in enumerate(places, 1)
    }
    if matter_slug:
        wanted[matter_slug] = (collection.pk, None, 0)
    rows = Document.objects.filter(slug__in=wanted).values_list(
        "pk", "slug", "collection_id", "collection_section_id", "collection_order"
    )
    changed = []
    for pk, slug, *current in rows:
        place = wanted[slug] if wanted[slug][2] is not None else (*wanted[slug][:2], current[2])
        if tuple(current) != place:
            changed.append((*place, pk))
    update_rows(Document, PLACE_FIELDS, changed)
    if not ordered:
        deferred = _DEFERRED.get()
        if deferred is None:
            number_edition(collection)
        else:
            deferred.add(collection.pk)


def number_edition(collection) -> None:
    """The edition's files each hold one document: they are numbered 1, 2, ... as the edition lists them
    (sort key, date, slug), so that every collection's documents have distinct positions. `collection`:
    a Collection or its pk."""
    listing = Document.objects.without_matter().filter(collection=collection).order_by("sort_key", "date", "slug")
    rows = listing.values_list("pk", "collection_order")
    update_rows(Document, ["collection_order"], [(n, pk) for n, (pk, order) in enumerate(rows, 1) if order != n])
