"""Issue 19.10: reader pages that show drafts to a signed-in editor say `Cache-Control: private` (no shared cache
or proxy may keep them) and are never stored in the page cache."""

import pytest
from django.test import Client

from documents.models import Note
from tests import builders as f
from tests.builders import make_editor

pytestmark = pytest.mark.django_db

MINUTES = "/documents/minutes-1962-06-08/"
PAGES = ["/", MINUTES, MINUTES + "?view=diplomatic", "/compare/minutes-1962-06-08/memorandum-1962-06-07/",
         "/people/", "/people/zhang-hanfu/"]  # fmt: skip


@pytest.fixture
def ed():
    edition = f.make_edition()
    passage = edition["minutes"].passages.get(anchor="m-p1")
    Note.objects.create(document=edition["minutes"], passage=passage, anchor="m-p1", body="SECRET DRAFT NOTE.",
                        status=Note.Status.DRAFT, exact="Xinjiang")  # fmt: skip
    return edition


@pytest.fixture
def editor_browser():
    client = Client()
    client.force_login(make_editor("drafter"))
    return client


@pytest.mark.parametrize("url", PAGES)
def test_pages_for_signed_in_editors_are_private(editor_browser, ed, url):
    response = editor_browser.get(url)
    assert response.status_code == 200
    assert "private" in response.get("Cache-Control", ""), url
    assert "X-Edition-Cache" not in response


def test_the_draft_shown_to_an_editor_never_reaches_anonymous_readers(editor_browser, client, ed):
    assert "SECRET DRAFT NOTE." in editor_browser.get(MINUTES).content.decode()
    anonymous = client.get(MINUTES)
    assert anonymous["X-Edition-Cache"] == "miss"  # the editor's page was not stored
    assert "SECRET DRAFT NOTE." not in anonymous.content.decode()
    assert "private" not in anonymous.get("Cache-Control", "")
