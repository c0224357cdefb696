"""Issue 19.9: a NUL byte (%00) anywhere in a URL (path segment, any parameter a view reads, any other parameter)
is a clear 400/404, never a 500 (PostgreSQL refuses NUL in strings); odd values of the admin's add-form
parameters (?passage=xyz) are ignored. Swept over every URL pattern and every parameter, on both databases."""

import uuid

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests import builders as f

pytestmark = pytest.mark.django_db

SLUG = "minutes-1962-06-08"
NUL, NUL_IN_TEXT = "\x00", "zhang\x00hanfu"
# Every public URL pattern with the parameters its view reads (documents/routes/*, edition/urls.py).
PAGES = {
    "/": ["page", "kind", "from", "to", "speaker", "sort"],
    f"/documents/{SLUG}/": ["view", "speaker", "page"],
    f"/documents/{SLUG}/at/m-meta-date/": [],
    f"/documents/{SLUG}/text.txt": ["view"],
    f"/documents/{SLUG}/v/1/": ["view"],
    f"/documents/{SLUG}/changes/": ["from", "to", "view"],
    f"/compare/{SLUG}/memorandum-1962-06-07/": ["left", "right"],
    "/collections/": ["page"],
    "/collections/edition/": [],
    "/people/": ["page"],
    "/places/": ["page"],
    "/organisations/": ["page"],
    "/people/zhang-hanfu/": [],
    "/places/xinjiang/": [],
    "/organisations/prc-mfa/": [],
    f"/documents/{SLUG}/tei.xml": [],
    f"/documents/{SLUG}/cite.bibtex": ["passage"],
    f"/documents/{SLUG}/cite.ris": ["passage"],
    f"/documents/{SLUG}/cite.csl-json": ["passage", "format"],
    f"/documents/{SLUG}/cite/": ["passage", "format"],
    f"/documents/{SLUG}/annotations.jsonld": [],
    f"/documents/{SLUG}/book.pdf": [],
    f"/documents/{SLUG}/book.epub": [],
    "/edition.pdf": [],
    "/edition.epub": [],
    "/search/": ["q", "page", "document", "speaker", "type", "date", "person", "place", "from", "to"],
    "/api/": [],
    "/api/documents/": ["page"],
    f"/api/documents/{SLUG}/": [],
    "/api/people/": ["page"],
    "/api/people/zhang-hanfu/": [],
    "/api/places/": ["page"],
    "/api/places/xinjiang/": [],
    "/api/organisations/prc-mfa/": [],
    "/api/organisations/": ["page"],
    "/dts/": [],
    "/dts/collection/": ["id", "nav", "page"],
    "/dts/navigation/": ["resource", "ref", "start", "end", "down", "tree", "page"],
    "/dts/document/": ["resource", "ref", "start", "end", "tree", "mediaType", "version"],
    "/robots.txt": [],
    "/sitemap.xml": ["p"],
    "/api/openapi.json": [],
    "/oai": ["verb", "identifier", "metadataPrefix", "from", "until", "set", "resumptionToken"],
}
# Path segments (slugs, keys, UUIDs) with a NUL in them.
NUL_PATHS = [
    "/documents/%00/", f"/documents/{SLUG}%00/", "/documents/a%00b/text.txt", "/compare/%00/%00/", "/people/%00/",
    "/places/x%00y/", "/organisations/%00/", "/documents/%00/tei.xml", "/documents/%00/cite.bibtex",
    f"/documents/{SLUG}/cite.%00", "/documents/%00/cite/", "/documents/%00/annotations.jsonld", "/notes/%00/",
    "/api/documents/%00/", "/api/people/%00/", "/api/places/%00/", "/api/organisations/%00/", "/api/notes/%00/",
    "/documents/%00/book.pdf", "/documents/%00/book.epub", "/edition.pdf%00",
    "/collections/%00/", "/%00", "/admin/%00/", "/admin/documents/note/%00/change/", "/search/%00",
]  # fmt: skip
ADMIN = ["/admin/documents/note/", "/admin/documents/note/add/", "/admin/documents/passage/",
         "/admin/documents/document/", "/admin/documents/entity/", "/admin/documents/passagelink/"]  # fmt: skip
ADMIN_PARAMS = ["q", "document", "passage", "anchor", "exact", "occurrence", "p", "o", "status__exact",
                "needs_attention", "document__id__exact", "_changelist_filters"]  # fmt: skip


@pytest.fixture
def ed():
    return f.make_edition()


@pytest.fixture
def admin_client_(ed):
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.create_superuser("root"))
    return client


def status(client, url, params=None) -> int:
    return client.get(url, params or {}).status_code


def test_the_sweep_covers_every_url_pattern():
    from django.urls import get_resolver, resolve

    names = {p.name for p in get_resolver().url_patterns[1].url_patterns}
    swept = {resolve(url).url_name for url in PAGES}
    swept |= {resolve(f"/notes/{uuid.uuid4()}/").url_name, resolve(f"/api/notes/{uuid.uuid4()}/").url_name}
    assert names <= swept, names - swept


@pytest.mark.parametrize("url", [*PAGES, "/notes/{note}/", "/api/notes/{note}/"])
def test_nul_in_every_parameter_is_a_clear_error(ed, url):
    url = url.format(note=ed["minutes"].notes.first().uuid if "{note}" in url else "")
    client = Client(raise_request_exception=False)
    assert status(client, url) < 500
    for name in [*PAGES.get(url, []), "junk"]:
        for value in (NUL, NUL_IN_TEXT, "%00"):
            code = status(client, url, {name: value})
            assert code in (400, 404) if "\x00" in value else code < 500, (url, name, repr(value), code)
        assert status(client, url + f"?{name}=%00") in (400, 404), (url, name)
    assert status(client, url + "?%00=1") in (400, 404)


@pytest.mark.parametrize("path", NUL_PATHS)
def test_nul_in_every_path_segment_is_a_clear_error(ed, path, admin_client_):
    for client in (Client(raise_request_exception=False), admin_client_):
        assert status(client, path) in (400, 404), path


@pytest.mark.parametrize("url", ADMIN)
def test_nul_and_junk_in_admin_parameters(admin_client_, url):
    assert status(admin_client_, url) == 200
    for name in ADMIN_PARAMS:
        assert status(admin_client_, url, {name: NUL}) in (400, 404), (url, name)
        code = status(admin_client_, url, {name: "xyz"})
        assert code < 500, (url, name, code)


def test_the_admin_add_form_ignores_a_passage_that_is_not_an_id(admin_client_, ed):
    for value in ("xyz", "-1", "99999999", "1.5", str(uuid.uuid4())):
        response = admin_client_.get("/admin/documents/note/add/", {"passage": value, "document": SLUG})
        assert response.status_code == 200, value


def test_nul_in_a_posted_search_or_admin_form_is_refused(admin_client_, ed):
    response = admin_client_.post("/admin/documents/note/add/", {"body": "x\x00y", "document": ed["minutes"].pk})
    assert response.status_code in (200, 400)  # the form's own error (Django refuses NUL in CharFields) or 400
    from documents.models import Note

    assert not Note.objects.filter(body__contains="x").exists()
