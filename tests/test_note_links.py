"""Links in notes: one renderer (documents.markup.render_note_body) for every place a note is shown.

On the imported edition every link of every rendered note -- on the reader's pages, in the admin
preview and in the W3C annotations -- has an href, and every link into the edition answers 200.
"""

import io
import json

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from lxml import html

from documents.markup import render_note_body
from documents.models import Document, Note
from documents.services.pointers import PointerResolver

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition():
    call_command("import_tei", stdout=io.StringIO(), stderr=io.StringIO())
    return {d.slug: d for d in Document.objects.all()}


def assert_links_work(_client, links, where):
    client = Client()  # a reader arriving by the link (no view remembered in a session)
    assert links, f"no links in the notes of {where}"
    for link in links:
        href = link.get("href")
        assert href, f"{where}: a note link without href: {html.tostring(link, encoding='unicode')}"
        if href.startswith("/"):
            path = href.split("#", 1)[0]
            assert client.get(path).status_code == 200, f"{where}: {href}"


@pytest.mark.parametrize("view", ["reading", "diplomatic"])
def test_every_link_in_every_reader_note_has_a_working_href(client, edition, view):
    for doc in edition.values():
        if not doc.notes.exists():
            continue
        root = html.fromstring(client.get(f"{doc.get_absolute_url()}?view={view}").content)
        assert_links_work(client, root.xpath("//div[@class='note-body']//a"), doc.slug)


def test_the_edition_notes_link_across_documents(client, edition):
    """The pointers that used to lose their href (file.xml#anchor) now link to the other document."""
    root = html.fromstring(client.get(edition["minutes-1962-06-08"].get_absolute_url()).content)
    hrefs = root.xpath("//div[@class='note-body']//a/@href")
    assert any(h.startswith(edition["memorandum-1962-06-07"].get_absolute_url()) for h in hrefs), hrefs


def test_the_reader_shows_each_note_as_the_one_renderer_does(client, edition):
    doc = edition["minutes-1962-06-08"]
    root = html.fromstring(client.get(doc.get_absolute_url()).content)
    for note in Note.objects.published().filter(document=doc, passage__isnull=False):
        (shown,) = root.xpath(f"//li[@id='{note.xml_id or 'note-' + note.uuid.hex[:12]}']//div[@class='note-body']")
        expected = html.fragment_fromstring(render_note_body(note.body, doc), create_parent="div")
        assert shown.text_content().split() == expected.text_content().split()
        assert [a.get("href") for a in shown.iter("a")] == [a.get("href") for a in expected.iter("a")]


def test_admin_preview_and_annotations_links_work(client, editor_client, edition):
    doc = edition["minutes-1962-06-08"]
    note = next(n for n in Note.objects.published().filter(document=doc) if ".xml#" in n.body)
    data = {
        "document": doc.pk, "passage": note.passage_id, "kind": note.kind, "status": "published",
        "exact": note.exact, "prefix": note.prefix, "suffix": note.suffix, "body": note.body,
    }  # fmt: skip
    response = editor_client.post(reverse("admin:documents_note_preview"), data)
    assert response.status_code == 200
    preview = html.fromstring(response.content).xpath("//div[@class='note-body']//a")
    assert_links_work(client, preview, "the admin preview")
    page = json.loads(client.get(reverse("documents:document-annotations", kwargs={"slug": doc.slug})).content)
    bodies = [html.fragment_fromstring(item["body"]["value"], create_parent="div") for item in page["items"]]
    links = [a for body in bodies for a in body.iter("a")]
    assert_links_work(client, links, "the annotations")


def test_pointers_of_a_page_are_resolved_in_two_queries(edition, django_assert_max_num_queries):
    doc = edition["minutes-1962-06-08"]
    bodies = list(doc.notes.values_list("body", flat=True))
    with django_assert_max_num_queries(2):
        resolver = PointerResolver(doc).prefetch(bodies)
    with django_assert_max_num_queries(0):
        for body in bodies:
            resolver.resolve(body)


def test_an_unknown_pointer_keeps_its_text_and_loses_its_href(edition):
    rendered = render_note_body("See [there](nowhere.xml#x) and [here](#m-p1).", None)
    root = html.fragment_fromstring(rendered, create_parent="div")
    assert [a.get("href") for a in root.iter("a")] == [None, "#m-p1"]  # no document: a link on the same page
    assert root.text_content().strip() == "See there and here."
