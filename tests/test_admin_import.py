"""The admin import view: superusers only, dry run by default, the importer's report shown."""

import pytest
from django.urls import reverse

from documents.models import Document

pytestmark = pytest.mark.django_db
URL = reverse("admin:documents_document_import")


def test_editors_cannot_import(editor_client):
    assert editor_client.get(URL).status_code == 403
    assert editor_client.post(URL, {}).status_code == 403
    assert not Document.objects.exists()


def test_superuser_dry_run_then_import(superuser_client):
    page = superuser_client.get(reverse("admin:documents_document_changelist")).content.decode()
    assert URL in page
    response = superuser_client.post(URL, {"dry_run": "1"})
    assert response.status_code == 200
    assert "Dry run (nothing was saved)" in response.content.decode()
    assert not Document.objects.exists()
    response = superuser_client.post(URL, {})
    assert "0 failed" in response.content.decode()
    assert Document.objects.count() == 2


def test_import_needs_csrf(superuser_client):
    from django.contrib.auth.models import User
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(User.objects.get(username="admin"))
    assert client.post(URL, {}).status_code == 403
    assert not Document.objects.exists()
