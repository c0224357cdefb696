"""Migration 0007_versions gives documents imported before versions existed their version 1."""

import importlib

import pytest
from django.apps import apps

from documents.models import Document, DocumentVersion
from documents.services.restore import restore_version
from documents.services.version_text import version_passages
from tests.builders import make_edition

pytestmark = pytest.mark.django_db
migration = importlib.import_module("documents.migrations.0007_versions")


def test_existing_documents_get_version_1_with_their_current_text():
    make_edition()  # built with the ORM: no version yet, as in a database from before the migration
    assert not DocumentVersion.objects.exists()
    migration.baseline_versions(apps, None)
    for doc in Document.objects.all():
        (v1,) = doc.versions.all()
        assert v1.number == 1 and v1.message == "The text as published before versions were kept."
        texts = [(p.anchor, p.reading_text) for p in version_passages(v1)]
        assert texts == list(doc.passages.order_by("order").values_list("anchor", "reading_text"))


def test_a_baseline_version_can_be_restored():
    make_edition()
    migration.baseline_versions(apps, None)
    doc = Document.objects.get(slug="minutes-1962-06-08")
    passage = doc.passages.order_by("order").last()
    old = passage.reading_text
    passage.reading_text, passage.tei = (
        "Changed.",
        f'<p xmlns="http://www.tei-c.org/ns/1.0" xml:id="{passage.anchor}">Changed.</p>',
    )
    passage.save()
    result = restore_version(doc, 1)
    assert result.version.number == 2 and doc.passages.get(anchor=passage.anchor).reading_text == old
