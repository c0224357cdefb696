"""The reader on the real edition (documents/tei/ imported): every word, every note, valid pages."""

import io
import logging

import html5lib
import pytest
from django.core.management import call_command
from lxml import html

from documents.models import DateMention, Document, Entity, Note, Passage, PassageLink

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition():
    call_command("import_tei", stdout=io.StringIO(), stderr=io.StringIO())
    assert Document.objects.count() >= 2
    return {d.slug: d for d in Document.objects.all()}


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(response.content)
    root = html.fromstring(response.content)
    ids = root.xpath("//@id")
    assert len(ids) == len(set(ids)), url
    assert not root.xpath("//a//a"), f"nested links on {url}"
    for ref in root.xpath("//@aria-describedby | //@aria-labelledby"):
        for target in ref.split():
            assert target in ids, f"{url}: aria reference to missing #{target}"
    for href in root.xpath("//a/@href[starts-with(., '#')]"):
        assert href[1:] in ids, f"{url}: link to missing {href}"
    return root


def text_without_markers(element) -> str:
    element = html.fromstring(html.tostring(element))
    for ref in element.xpath('.//a[contains(@class, "note-ref")] | .//span[@class="speaker-label"]'):
        ref.drop_tree()
    return " ".join(element.text_content().split())


@pytest.mark.parametrize("view", ["reading", "diplomatic"])
def test_every_passage_shows_exactly_its_text_and_every_note_is_marked(client, edition, view, caplog):
    with caplog.at_level(logging.WARNING, logger="documents.render"):
        for doc in edition.values():
            root = page(client, f"{doc.get_absolute_url()}?view={view}")
            for passage in doc.passages.all():
                (element,) = root.xpath(f'//*[@id="{passage.anchor}"]')
                expected = passage.reading_text if view == "reading" else passage.diplomatic_text
                assert text_without_markers(element) == expected, passage.anchor
            for note in Note.objects.published().filter(document=doc, passage__isnull=False):
                html_id = note.xml_id or f"note-{note.uuid.hex[:12]}"
                assert root.xpath(f'//li[@id="{html_id}"]'), html_id
                (marker,) = root.xpath(f'//a[@id="ref-{html_id}"]')
                assert marker.get("href") == f"#{html_id}"
    assert "no handler" not in caplog.text, caplog.text


def test_every_mention_links_to_its_entity(client, edition):
    root = page(client, edition["minutes-1962-06-08"].get_absolute_url())
    hrefs = set(root.xpath('//a[contains(@class, "mention")]/@href'))
    mentioned = Entity.objects.filter(mentions__passage__document__slug="minutes-1962-06-08").distinct()
    assert mentioned and all(e.get_absolute_url() in hrefs for e in mentioned)


def test_turns_have_both_sides(client, edition):
    root = page(client, edition["minutes-1962-06-08"].get_absolute_url())
    sides = {cls for t in root.xpath("//section[contains(@class, 'turn')]") for cls in t.get("class").split()}
    assert {"side-a", "side-b"} <= sides


def test_timeline_links_every_dated_event(client, edition):
    root = page(client, "/")
    hrefs = set(root.xpath("//*[local-name()='svg']//*[local-name()='a']/@href"))
    for mention in DateMention.objects.select_related("passage__document"):
        assert mention.passage.get_absolute_url() in hrefs


def test_compare_marks_every_published_link_on_both_sides(client, edition):
    left, right = edition["minutes-1962-06-08"], edition["memorandum-1962-06-07"]
    root = page(client, f"/compare/{left.slug}/{right.slug}/")
    links = PassageLink.objects.filter(status="published")
    assert links.count() >= 1
    for link in links:
        l_anchor, r_anchor = (
            (link.source_anchor, link.target_anchor) if link.source_document == left
            else (link.target_anchor, link.source_anchor)
        )
        assert root.xpath(f'//*[@id="l-{l_anchor}"]//a[@href="#r-{r_anchor}"]'), link
        assert root.xpath(f'//*[@id="r-{r_anchor}"]//a[@href="#l-{l_anchor}"]'), link
    page(client, f"/compare/{left.slug}/{left.slug}/?left=reading&right=diplomatic")


def test_every_entity_page(client, edition):
    for kind, url in (("person", "/people/"), ("place", "/places/"), ("org", "/organisations/")):
        page(client, url)
        for entity in Entity.objects.filter(kind=kind):
            page(client, entity.get_absolute_url())


def test_minutes_page_queries_are_few(client, edition, django_assert_max_num_queries):
    passages = Passage.objects.filter(document__slug="minutes-1962-06-08").count()
    assert passages > 10
    # A fixed number, whatever the corpus: 12 before the archive work, plus the long-document paging's last
    # passage number (render/reader_pages.py) and the previous/next documents of its collection.
    with django_assert_max_num_queries(14):
        client.get(edition["minutes-1962-06-08"].get_absolute_url())


def test_yu_man_is_on_the_side_of_his_ministry(client, edition):
    """entities.xml nests his department in the PRC Ministry of Foreign Affairs, so the header card puts the
    attendee Yu Man on Zhang Hanfu's side, not on a side of his own."""
    department = Entity.objects.get(key="dept-soviet-eastern-european-affairs")
    assert department.affiliation.key == "prc-mfa"
    root = page(client, edition["minutes-1962-06-08"].get_absolute_url())
    yu = root.xpath("//li[a[@href='/people/yu-man/']]")[0]
    zhang = root.xpath("//li[a[@href='/people/zhang-hanfu/']]")[0]
    assert yu.get("class") == zhang.get("class") == "side-a"
    ministry = "Ministry of Foreign Affairs of the People's Republic of China"
    assert yu.xpath("string(.//*[@class='side-label'])") == ministry
    assert not root.xpath("//*[contains(@class, 'side-c')]")
