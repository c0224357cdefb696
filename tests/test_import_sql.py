"""The importer's fast path (documents/services/import_sql.py: executemany on SQLite, COPY on PostgreSQL)
writes exactly the rows the plain ORM writes: same values, defaults, JSON, UUID and timestamp types."""

import datetime
import uuid

import pytest
from django.utils import timezone

from documents.models import Document, Entity, Mention, Note, Passage
from documents.services.import_sql import insert_objects, insert_rows, update_rows

pytestmark = pytest.mark.django_db

IGNORED = {"id", "uuid", "created", "modified"}  # differ between any two rows by design


def row(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields if f.attname not in IGNORED}


def test_insert_objects_writes_what_create_writes():
    values = {"kind": Entity.Kind.PERSON, "name": "Zhang Hanfu", "data": {"birth": "1905", "idno": [1]}}
    orm = Entity.objects.create(key="orm", **values)
    insert_objects(Entity, [{"key": "fast", **values}])
    fast = Entity.objects.get(key="fast")
    assert {**row(fast), "key": "orm"} == row(orm)
    assert fast.data == {"birth": "1905", "idno": [1]} and fast.kind == "person"


def test_insert_objects_gives_defaults_uuids_and_timestamps_like_the_orm():
    doc = Document.objects.create(slug="d", title="D")
    before = timezone.now()
    orm = Note.objects.create(document=doc, anchor="a", body="x", start=1, end=2)
    insert_objects(Note, [{"document_id": doc.pk, "anchor": "a", "body": "x", "start": 1, "end": 2}])
    orm.refresh_from_db()
    fast = Note.objects.exclude(pk=orm.pk).get()
    assert row(fast) == row(orm)
    assert isinstance(fast.uuid, uuid.UUID) and fast.uuid != orm.uuid
    assert isinstance(fast.created, datetime.datetime) and fast.created >= before and fast.modified >= before
    assert fast.status == Note.Status.DRAFT and fast.version == 1


def test_insert_rows_and_update_rows_match_the_orm():
    doc = Document.objects.create(slug="d", title="D")
    entity = Entity.objects.create(key="e", kind=Entity.Kind.PLACE, name="Xinjiang")
    passage = Passage.objects.create(document=doc, anchor="p", order=1, tei="<p/>", reading_text="In Xinjiang.")
    orm = Mention.objects.create(passage=passage, entity=entity, text="Xinjiang", start=3, end=11)
    insert_rows(Mention, ("passage", "entity", "text", "start", "end"), [(passage.pk, entity.pk, "Xinjiang", 3, 11)])
    fast = Mention.objects.exclude(pk=orm.pk).get()
    assert row(fast) == row(orm)

    other = Passage.objects.create(document=doc, anchor="q", order=2, tei="<p/>", reading_text="x")
    Passage.objects.filter(pk=other.pk).update(reading_text="Changed.", order=5)
    expected = row(Passage.objects.get(pk=other.pk))
    update_rows(Passage, ["reading_text", "order"], [("Changed.", 5, passage.pk)])
    assert {**row(Passage.objects.get(pk=passage.pk)), "anchor": "q"} == expected
