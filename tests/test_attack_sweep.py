"""Attack sweeps without a browser (the Chromium sweep is tests/browser/test_browser_attack_sweep.py):

- every URL pattern over a corpus whose every TEI field is an XSS payload (tests/attack_data.py), and every
  URL parameter and path argument set to each payload: no 5xx, no active content in any HTML response, no
  machine-readable response served as HTML;
- drafts are never visible to anonymous clients anywhere (pages, search counts, facets, snippets, API, DTS,
  annotations), also after an editor has visited the same URLs (cached pages);
- an editor cannot reach user or group admin, delete documents or change the text.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from documents.models import Collection, Document, Entity, Note, Passage
from tests.attack_data import PAYLOADS, add_editor_notes, page_problems, write_hostile_tei
from tests.builders import make_editor
from tests.pages_data import fill, imported_once, url_patterns, variants

pytestmark = pytest.mark.django_db
DRAFT = "DRAFT-SECRET"
#: Every query-string parameter a view reads (reader, search, cite, API, DTS).
PARAMS = ["q", "page", "view", "speaker", "left", "right", "passage", "document", "type", "date", "person",
          "place", "from", "to", "id", "nav", "resource", "ref", "start", "end", "down", "tree", "mediaType",
          "format"]  # fmt: skip


@pytest.fixture(scope="module", autouse=True)
def hostile(django_db_setup, django_db_blocker, tmp_path_factory):
    path = write_hostile_tei(tmp_path_factory.mktemp("hostile"))
    with imported_once(django_db_blocker, path):
        add_editor_notes(DRAFT)
        yield path


@pytest.fixture(scope="module")
def data(hostile, django_db_blocker):
    with django_db_blocker.unblock():
        docs = [d.slug for d in Document.objects.in_order()]
        return {
            "read_docs": docs, "docs": docs,
            "passages": {d: list(Passage.objects.filter(document__slug=d).values_list("anchor", flat=True)[:3])
                         for d in docs},
            "notes": list(Note.objects.published().values_list("uuid", flat=True)[:20]),
            "entities": {k: list(Entity.objects.filter(kind=k).values_list("key", flat=True))
                         for k in ("person", "place", "org")},
            "collections": list(Collection.objects.values_list("slug", flat=True)),
        }  # fmt: skip


def _urls(data) -> list[str]:
    urls = []
    for name, _route, pattern in url_patterns():
        if name and not name.startswith("admin:"):
            urls += [v for url in fill(name, pattern, data) for v in variants(name, url, data)]
    urls += [f"/search/?{urlencode({'q': p})}" for p in PAYLOADS] + ["/search/?q=payload", "/search/?q=said+alias"]
    slug = data["docs"][0]
    urls += [f"/dts/navigation/?resource={slug}&down=-1", f"/dts/document/?resource={slug}"]
    return urls


def _check(client, url) -> list[str]:
    client.cookies.pop("edition_view", None)
    response = client.get(url)
    if response.status_code >= 500:
        return [f"{url}: {response.status_code}"]
    kind = response.get("Content-Type", "")
    body = response.content.decode("utf-8", "replace")
    if kind.startswith("text/html") and body.strip():
        return [f"{url}: {p}" for p in page_problems(body)]
    if any(p in body for p in PAYLOADS[:3]) and "html" in kind:
        return [f"{url}: payload served as {kind}"]
    return []


def test_there_are_at_least_60_distinct_payloads():
    assert len(PAYLOADS) >= 60 and len(set(PAYLOADS)) == len(PAYLOADS)


def test_the_hostile_corpus_puts_a_payload_in_every_tei_field():
    titles = " ".join(Document.objects.values_list("title", flat=True))
    assert PAYLOADS[0] in titles
    people = Entity.objects.filter(key__startswith="hostile-corpus:p", kind="person")
    people = set(people.values_list("name", flat=True))
    assert set(PAYLOADS) <= people
    from documents.models import EntityAlias, Turn

    assert EntityAlias.objects.filter(name=f"alias {PAYLOADS[5]}").exists()
    assert Turn.objects.filter(speaker_label=f"{PAYLOADS[7]}:").exists()
    assert Note.objects.filter(provenance="tei", body__contains="alert(9)").exists()  # kept as Markdown-escaped text
    assert Note.objects.filter(provenance="editor", body=PAYLOADS[11]).exists()


def test_stored_payloads_are_inert_on_every_page(data, settings):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    urls = _urls(data)
    assert len(urls) > 300
    assert [problem for url in urls for problem in _check(client, url)] == []


def test_stored_payloads_are_inert_in_the_admin(data, settings):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.create_superuser("root-sweep", password=None))
    note = Note.objects.filter(provenance="editor").first()
    doc = Document.objects.first()
    entity = Entity.objects.filter(key__startswith="hostile-corpus:").first()
    urls = ["/admin/documents/note/", "/admin/documents/document/", "/admin/documents/entity/",
            "/admin/documents/turn/", "/admin/documents/passage/", "/admin/documents/participation/",
            f"/admin/documents/note/{note.pk}/change/", f"/admin/documents/note/{note.pk}/history/",
            f"/admin/documents/document/{doc.pk}/change/", f"/admin/documents/entity/{entity.pk}/change/",
            "/admin/documents/note/?q=" + PAYLOADS[0]]  # fmt: skip
    assert [problem for url in urls for problem in _check(client, url)] == []


@pytest.mark.parametrize("payload", PAYLOADS)
def test_every_url_parameter_and_path_argument_reflects_payloads_inertly(data, settings, payload):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    query = "?" + urlencode(dict.fromkeys(PARAMS, payload))
    slug = data["docs"][0]
    urls = [f"/{query}", f"/documents/{slug}/{query}", f"/documents/{slug}/cite/{query}", f"/search/{query}",
            f"/compare/{slug}/{slug}/{query}", f"/people/{query}", f"/dts/collection/{query}",
            f"/dts/navigation/{query}", f"/dts/document/{query}", f"/api/documents/{query}",
            f"/documents/{slug}/annotations.jsonld{query}", f"/documents/{slug}/cite.chicago{query}"]  # fmt: skip
    segment = payload.replace("/", "%2F").replace("?", "%3F").replace("#", "%23")
    urls += [f"/people/{segment}/", f"/api/people/{segment}/", f"/documents/{slug}/{segment}"]
    assert [problem for url in urls for problem in _check(client, url)] == []


# -- drafts ------------------------------------------------------------------------------------------------
def _anonymous_sees_draft(client, urls) -> list[str]:
    seen = []
    for url in urls:
        client.cookies.pop("edition_view", None)
        body = client.get(url).content.decode("utf-8", "replace")
        if "zanzibarian" in url or DRAFT in url:  # a search for the draft's words: echoed, never found
            if "No results for" not in body or 'class="search-hit' in body:
                seen.append(url)
        elif DRAFT in body or "zanzibarian" in body:
            seen.append(url)
    return seen


def test_drafts_are_never_visible_to_anonymous_clients(data, settings):
    settings.DEBUG = False
    drafts = Note.objects.filter(status=Note.Status.DRAFT)
    assert drafts.count() == Document.objects.filter(slug__startswith="hostile").count()
    search = ["/search/?q=zanzibarian", f"/search/?q={DRAFT}", "/search/?q=zanzibarian&type=note",
              "/search/?q=payload&type=note"]  # fmt: skip
    urls = _urls(data) + search + [f"/notes/{n.uuid}/" for n in drafts] + [f"/api/notes/{n.uuid}/" for n in drafts]
    anonymous = Client(raise_request_exception=False)
    assert _anonymous_sees_draft(anonymous, urls) == []
    found = anonymous.get("/search/?q=zanzibarian").content.decode()
    assert "No results" in found
    # An editor sees the drafts; their visit leaves nothing in the cache for anonymous readers.
    editor = Client(raise_request_exception=False)
    editor.force_login(make_editor("sweep-editor"))
    reader = drafts.first().document.get_absolute_url()
    assert DRAFT in editor.get(reader).content.decode()
    for url in urls:
        editor.get(url)
    assert _anonymous_sees_draft(anonymous, urls) == []
    for note in drafts:
        assert anonymous.get(f"/notes/{note.uuid}/").status_code == 404
        assert anonymous.get(f"/api/notes/{note.uuid}/").status_code == 404


# -- what an editor cannot do ------------------------------------------------------------------------------
def test_an_editor_cannot_reach_user_or_group_admin_delete_documents_or_change_the_text(data):
    client = Client(raise_request_exception=False)
    client.force_login(make_editor("sweep-editor-2"))
    user, group = User.objects.first(), Group.objects.get(name="Editors")
    doc, passage = Document.objects.first(), Passage.objects.first()
    forbidden_get = ["/admin/auth/user/", "/admin/auth/user/add/", f"/admin/auth/user/{user.pk}/change/",
                     f"/admin/auth/user/{user.pk}/password/", "/admin/auth/group/", "/admin/auth/group/add/",
                     f"/admin/auth/group/{group.pk}/change/", f"/admin/documents/document/{doc.pk}/delete/",
                     "/admin/documents/document/add/", f"/admin/documents/passage/{passage.pk}/delete/",
                     "/admin/documents/passage/add/"]  # fmt: skip
    for url in forbidden_get:
        assert client.get(url).status_code in (403, 404), url
    before = (Document.objects.count(), Passage.objects.count(), passage.reading_text, doc.title)
    posts = {
        f"/admin/documents/document/{doc.pk}/delete/": {"post": "yes"},
        "/admin/documents/document/": {"action": "delete_selected", "_selected_action": [doc.pk], "post": "yes"},
        f"/admin/documents/passage/{passage.pk}/change/": {"reading_text": "Rewritten.", "tei": "<p>x</p>"},
        f"/admin/documents/document/{doc.pk}/change/": {"title": "Rewritten title", "slug": doc.slug},
        f"/admin/auth/user/{user.pk}/change/": {"username": "taken-over", "is_superuser": "on"},
        "/admin/auth/group/add/": {"name": "Superpowers"},
    }
    for url, form in posts.items():  # refused (403/404) or shown again without the action (200); never done:
        assert client.post(url, form).status_code in (200, 403, 404), url
    passage.refresh_from_db()
    doc.refresh_from_db()
    assert (Document.objects.count(), Passage.objects.count(), passage.reading_text, doc.title) == before
    assert not Group.objects.filter(name="Superpowers").exists() and not User.objects.filter(username="taken-over")


def test_malformed_admin_posts_are_refused_not_500(data, settings):
    """A note form posted without its fields (as a fuzzer or a broken client would) shows the form again."""
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    client.force_login(make_editor("sweep-editor-3"))
    note = Note.objects.filter(provenance="editor").first()
    for form in ({}, {"body": PAYLOADS[0]}, {"document": "x", "passage": "y", "expected_version": "z"}):
        for url in (f"/admin/documents/note/{note.pk}/change/", "/admin/documents/note/add/"):
            response = client.post(url, form)
            assert response.status_code in (200, 403), (url, form, response.status_code)
