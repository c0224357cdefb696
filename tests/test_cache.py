"""Page and fragment caching: versioned keys, invalidation on changes, never for signed-in users."""

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory

from documents import cache as edition_cache
from documents.models import Note, PassageLink
from documents.signals import document_imported
from tests.builders import search_edition

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition():
    return search_edition()


calls = []


@edition_cache.cache_page_for_anonymous(timeout=60)
def notes_view(request, slug):
    """A page listing the published notes of a document (stands in for a reader page)."""
    calls.append(slug)
    bodies = Note.objects.published().filter(document__slug=slug).values_list("body", flat=True)
    return HttpResponse(" | ".join(bodies), content_type="text/plain; charset=utf-8")


def get(path="/documents/minutes-1962-06-08/", user=None):
    request = RequestFactory().get(path)
    request.user = user or AnonymousUser()
    return notes_view(request, "minutes-1962-06-08")


def test_anonymous_pages_are_served_from_the_cache(edition):
    calls.clear()
    first, second = get(), get()
    assert first["X-Edition-Cache"] == "miss" and second["X-Edition-Cache"] == "hit"
    assert first.content == second.content and calls == ["minutes-1962-06-08"]
    assert second["Content-Type"] == "text/plain; charset=utf-8"


def test_the_query_parameters_a_view_reads_are_part_of_the_key(edition):
    @edition_cache.cache_page_for_anonymous(params={"view": None})
    def page(request):
        return HttpResponse(f"{request.GET.get('view')} {request.GET.get('junk')}")

    def fetch(path):
        request = RequestFactory().get(path)
        request.user = AnonymousUser()
        return page(request)

    assert fetch("/d/?view=a")["X-Edition-Cache"] == "miss"
    assert fetch("/d/?view=b")["X-Edition-Cache"] == "miss"
    assert fetch("/d/?view=a")["X-Edition-Cache"] == "hit"
    # Parameters the view does not read are neither in the key nor seen by the view (issue 19.3).
    junk = fetch("/d/?view=a&junk=1")
    assert junk["X-Edition-Cache"] == "hit" and junk.content == b"a None"


def test_without_declared_parameters_the_whole_query_string_is_the_key(edition):
    assert get("/e/?view=a")["X-Edition-Cache"] == "miss"
    assert get("/e/?view=b")["X-Edition-Cache"] == "miss"
    assert get("/e/?view=a")["X-Edition-Cache"] == "hit"


def test_pages_can_vary_on_a_cookie(edition):
    @edition_cache.cache_page_for_anonymous(vary_on_cookies=("edition_view",))
    def page(request):
        return HttpResponse(request.COOKIES.get("edition_view", "reading"))

    def fetch(cookie=None):
        request = RequestFactory().get("/documents/minutes-1962-06-08/")
        if cookie:
            request.COOKIES["edition_view"] = cookie
        request.user = AnonymousUser()
        return page(request)

    assert fetch().content == b"reading" and fetch("diplomatic").content == b"diplomatic"
    assert fetch("diplomatic")["X-Edition-Cache"] == "hit" and fetch("diplomatic").content == b"diplomatic"
    assert fetch().content == b"reading"


def test_a_changed_note_shows_at_once(edition):
    assert b"recurs in the" in get().content
    note = Note.objects.get(status="published")
    note.body = "Revised: the request is repeated in the memorandum."
    note.save()
    response = get()
    assert response["X-Edition-Cache"] == "miss"
    assert b"Revised: the request" in response.content


def test_publishing_and_deleting_notes_show_at_once(edition):
    get()
    draft = Note.objects.get(status="draft")
    draft.status = Note.Status.PUBLISHED
    draft.save()
    assert b"zanzibar" in get().content
    draft.delete()
    assert b"zanzibar" not in get().content


def test_signed_in_editors_are_never_cached(edition):
    editor = User.objects.create_user("ed", password="x" * 12)
    calls.clear()
    first, second = get(user=editor), get(user=editor)
    assert "X-Edition-Cache" not in first and "X-Edition-Cache" not in second
    assert calls == ["minutes-1962-06-08", "minutes-1962-06-08"]
    assert get()["X-Edition-Cache"] == "miss"  # the editor's page was not stored for anonymous readers


def test_only_successful_responses_without_cookies_are_stored(edition):
    @edition_cache.cache_page_for_anonymous()
    def not_found(request):
        return HttpResponse("gone", status=404)

    @edition_cache.cache_page_for_anonymous()
    def with_cookie(request):
        response = HttpResponse("hello")
        response.set_cookie("x", "1")
        return response

    request = RequestFactory().get("/x/")
    request.user = AnonymousUser()
    assert "X-Edition-Cache" not in not_found(request)
    assert "X-Edition-Cache" not in not_found(request)
    with_cookie(request)
    assert "X-Edition-Cache" not in with_cookie(request)
    post = RequestFactory().post("/documents/minutes-1962-06-08/")
    post.user = AnonymousUser()
    assert "X-Edition-Cache" not in notes_view(post, "minutes-1962-06-08")


@pytest.mark.parametrize("change", ["link", "document", "passage", "import", "alias"])
def test_every_kind_of_change_bumps_the_version(edition, change):
    before = edition_cache.content_version()
    minutes, memo = edition["minutes"], edition["memo"]
    if change == "link":
        PassageLink.objects.create(
            source_document=minutes, target_document=memo, source_anchor="m-2", target_anchor="memo-1"
        )
    elif change == "document":
        minutes.title = "Minutes (revised)"
        minutes.save()
    elif change == "passage":
        edition["passages"]["m-1"].save()
    elif change == "import":
        document_imported.send(sender=type(minutes), document=minutes, created=False)
    elif change == "alias":
        edition["zhang"].aliases.first().delete()
    assert edition_cache.content_version() > before


def test_version_survives_a_cleared_cache():
    cache.clear()
    edition_cache.bump_version()  # must not fail when the key is missing
    assert edition_cache.content_version() >= 1


def test_bump_is_scheduled_once_per_transaction(edition):
    """Many changes in one transaction (an import) add one post-commit bump, not one per row."""
    from django.db import connection

    note = Note.objects.get(status="published")
    for _ in range(3):
        note.save()
    edition["passages"]["m-1"].save()
    pending = [f for _sids, f, *_ in connection.run_on_commit if f is edition_cache._bump_on_commit]
    assert len(pending) == 1


# -- the reader's document page, on the edition as import_tei loads it ---------------------------

READER = "/documents/minutes-1962-06-08/"


@pytest.fixture
def imported():
    from io import StringIO

    from django.core.management import call_command

    call_command("import_tei", stdout=StringIO(), stderr=StringIO())


def test_reader_page_is_cached_for_anonymous_readers(client, imported):
    first, second = client.get(READER), client.get(READER)
    assert first.status_code == second.status_code == 200
    assert first["X-Edition-Cache"] == "miss" and second["X-Edition-Cache"] == "hit"
    assert first.content == second.content


def test_a_changed_note_shows_at_once_on_the_reader_page(client, imported):
    note = Note.objects.published().filter(document__slug="minutes-1962-06-08").first()
    assert client.get(READER)["X-Edition-Cache"] == "miss"
    assert client.get(READER)["X-Edition-Cache"] == "hit"
    note.body = "A revised note: quokka."
    note.save()
    response = client.get(READER)
    assert response["X-Edition-Cache"] == "miss" and b"quokka" in response.content


def test_editors_get_fresh_pages_with_drafts(client, imported):
    from django.contrib.auth.models import Permission

    editor = User.objects.create_user("editor", password="x" * 12)
    editor.user_permissions.add(Permission.objects.get(codename="change_note"))
    client.get(READER)  # cached for anonymous readers
    passage = Note.objects.published().filter(document__slug="minutes-1962-06-08").first().passage
    Note.objects.create(
        document=passage.document, passage=passage, anchor=passage.anchor, body="Draft about a wombat.",
        status="draft", exact="", start=0, end=0,
    )
    client.force_login(editor)
    response = client.get(READER)
    assert "X-Edition-Cache" not in response and b"wombat" in response.content
    client.logout()
    anonymous = client.get(READER)
    assert b"wombat" not in anonymous.content


def test_the_remembered_diplomatic_view_is_not_answered_from_the_reading_page_cache(client, imported):
    assert client.get(READER)["X-Edition-Cache"] == "miss"
    client.cookies["edition_view"] = "diplomatic"
    response = client.get(READER)
    assert response.status_code == 302 and "view=diplomatic" in response["Location"]
