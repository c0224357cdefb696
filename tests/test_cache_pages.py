"""The reading pages (home, document, compare, entity indexes and pages) are cached for anonymous readers,
and every change shows at once; the view cookie and its redirect are never replaced by a cached page."""

import pytest
from django.contrib.auth.models import Permission, User

from documents.models import Note, PassageLink
from tests import builders as f

pytestmark = pytest.mark.django_db

MINUTES = "/documents/minutes-1962-06-08/"
COMPARE = "/compare/minutes-1962-06-08/memorandum-1962-06-07/"


@pytest.fixture
def ed():
    return f.make_edition()


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response


def served_twice(client, url):
    first, second = get(client, url), get(client, url)
    assert (first["X-Edition-Cache"], second["X-Edition-Cache"]) == ("miss", "hit"), url
    assert first.content == second.content
    return second.content.decode()


@pytest.mark.parametrize(
    "url", ["/", MINUTES, MINUTES + "?view=diplomatic", COMPARE, "/people/", "/people/zhang-hanfu/",
            "/places/xinjiang/", "/organisations/", "/organisations/prc-mfa/"],
)  # fmt: skip
def test_reading_pages_are_cached_for_anonymous_readers(client, ed, url):
    served_twice(client, url)


def test_a_changed_document_shows_at_once_on_every_page(client, ed):
    urls = ["/", MINUTES, COMPARE, "/people/zhang-hanfu/", "/places/xinjiang/"]
    for url in urls:
        assert "Minutes of the Meeting between" in served_twice(client, url), url
    ed["minutes"].title = "Minutes (revised title)"
    ed["minutes"].save()
    for url in urls:
        response = get(client, url)
        assert response["X-Edition-Cache"] == "miss", url
        assert "Minutes (revised title)" in response.content.decode(), url


def test_a_changed_or_published_note_shows_at_once(client, ed):
    assert "The memorandum handed over." in served_twice(client, MINUTES)
    note = ed["notes"]["supplied"]
    note.body = "Revised: the memorandum of 7 June."
    note.save()
    assert "Revised: the memorandum of 7 June." in get(client, MINUTES).content.decode()
    draft = ed["notes"]["draft"]
    assert get(client, MINUTES)["X-Edition-Cache"] == "hit"
    assert "Draft thought." not in get(client, MINUTES).content.decode()
    draft.status = Note.Status.PUBLISHED
    draft.save()
    assert "Draft thought." in get(client, MINUTES).content.decode()


def test_a_new_link_shows_at_once_on_compare(client, ed):
    assert 'data-target="r-memo-p2"' not in served_twice(client, COMPARE)
    f.link(ed["passages"]["memo2"], ed["passages"]["p3"])
    assert PassageLink.objects.count() == 2
    response = get(client, COMPARE)
    assert response["X-Edition-Cache"] == "miss"
    assert '<div class="crow linked" id="l-m-p3" data-partners="r-memo-p2 ">' in response.content.decode()


def test_renamed_entities_show_at_once_on_the_indexes(client, ed):
    assert "Zhang Hanfu" in served_twice(client, "/people/")
    assert "PRC Vice Minister." in served_twice(client, "/people/zhang-hanfu/")
    zhang = ed["zhang"]
    zhang.name, zhang.description = "Zhang Han-fu", "Vice Minister of Foreign Affairs of the PRC."
    zhang.save()
    assert "Zhang Han-fu" in get(client, "/people/").content.decode()
    assert "Vice Minister of Foreign Affairs of the PRC." in get(client, "/people/zhang-hanfu/").content.decode()
    assert "Zhang Han-fu" in get(client, MINUTES).content.decode()


def test_the_remembered_view_still_redirects_when_the_reading_page_is_cached(client, ed):
    served_twice(client, MINUTES)
    chosen = client.get(MINUTES + "?view=diplomatic")
    assert chosen.cookies["edition_view"].value == "diplomatic"  # set outside the cache, even on a cache miss
    again = client.get(MINUTES + "?view=diplomatic")
    assert again["X-Edition-Cache"] == "hit" and "edition_view" not in again.cookies  # unchanged: no cookie
    redirected = client.get(MINUTES)
    assert redirected.status_code == 302 and redirected["Location"] == MINUTES + "?view=diplomatic"
    back = client.get(MINUTES + "?view=reading")
    assert back["X-Edition-Cache"] == "miss" and back.cookies["edition_view"].value == "reading"
    assert get(client, MINUTES)["X-Edition-Cache"] == "hit"


def test_unknown_pages_are_404_and_not_cached(client, ed):
    for url in ["/documents/nope/", MINUTES + "?speaker=nobody", "/people/nobody/", "/compare/nope/nope/"]:
        assert client.get(url).status_code == 404
        assert client.get(url).status_code == 404


def test_editors_see_drafts_and_are_never_served_from_the_cache(client, ed):
    served_twice(client, MINUTES)
    editor = User.objects.create_user("ed", password="x" * 12, is_staff=True)
    editor.user_permissions.add(*Permission.objects.filter(codename__in=["view_note", "add_note", "change_note"]))
    client.force_login(editor)
    response = get(client, MINUTES)
    assert "X-Edition-Cache" not in response
    assert "Draft thought." in response.content.decode()
    client.logout()
    assert "Draft thought." not in get(client, MINUTES).content.decode()
