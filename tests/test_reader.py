"""The reading interface, server side: pages, notes and drafts, views, filters, compare, indexes, queries."""

import re

import html5lib
import pytest
from django.contrib.auth.models import Permission, User
from lxml import html

from documents.models import Note
from tests import builders as f

pytestmark = pytest.mark.django_db

MINUTES = "/documents/minutes-1962-06-08/"


@pytest.fixture
def ed():
    return f.make_edition()


@pytest.fixture
def editor(client):
    user = User.objects.create_user("ed", password="pw")
    user.user_permissions.add(Permission.objects.get(codename="change_note"))
    client.force_login(user)
    return user


def tree(response):
    assert response.status_code == 200
    return html.fromstring(response.content)


def test_home_lists_documents_and_draws_a_timeline_linking_passages(client, ed):
    page = tree(client.get("/"))
    titles = [a.text_content() for a in page.cssselect(".document-list .doc-link")]
    assert "Minutes of the Meeting between the Vice Minister and the Ambassador" in titles
    svg = page.cssselect("svg.timeline")[0]
    hrefs = [a.get("href") for a in svg.iter("{*}a", "a") if a.get("href")]
    assert f"{MINUTES}#m-p2" in hrefs and "/documents/memorandum-1962-06-07/#memo-p1" in hrefs
    dates = [t.text for t in svg.iter("text") if t.get("class") == "when"]
    assert dates == ["29 April 1962", "19 May 1962", "8 June 1962"]


def test_home_without_documents_says_how_to_import(client):
    assert b"import_tei" in client.get("/").content


def test_reader_header_card_with_participants_roles_and_sides(client, ed):
    page = tree(client.get(MINUTES))
    card = page.cssselect(".doc-card")[0].text_content()
    for fact in ["8 June 1962", "5:00 p.m.", "Meeting Room, Ministry of Foreign Affairs", "(Not reviewed by Vice"]:
        assert fact in card
    items = page.cssselect(".participants li")
    assert [li.get("class") for li in items] == ["side-a", "side-b"]
    assert "PRC Ministry of Foreign Affairs" in items[0].text_content()
    assert "Soviet embassy in China" in items[1].text_content()


def test_a_departments_member_is_on_the_side_of_its_ministry(client, ed):
    dept = f.entity("dept", "org", "Department of Soviet and Eastern European Affairs", affiliation=ed["prc"])
    yu = f.entity("yu-man", name="Yu Man", affiliation=dept)
    ed["minutes"].participations.create(entity=yu, role="attendee", description="Deputy Director", order=2)
    page = tree(client.get(MINUTES))
    (item,) = [li for li in page.cssselect(".participants li") if "Yu Man" in li.text_content()]
    assert item.get("class") == "side-a" and "PRC Ministry of Foreign Affairs" in item.text_content()


def test_turns_show_speaker_role_side_and_permalinks(client, ed):
    page = tree(client.get(MINUTES))
    turns = page.cssselect("section.turn")
    assert [t.get("id") for t in turns] == ["m-sp1", "m-sp2"]
    assert "side-b" in turns[0].get("class") and "side-a" in turns[1].get("class")
    assert turns[1].cssselect(".speaker")[0].text_content() == "Zhang Hanfu"
    assert "Vice Minister of Foreign Affairs" in turns[1].cssselect(".turn-meta")[0].text_content()
    assert turns[1].cssselect(".turn-head a.permalink")[0].get("href") == "#m-sp2"
    for anchor in ["m-p1", "m-p2", "m-p3"]:
        assert page.get_element_by_id(anchor) is not None
        assert page.cssselect(f'a.permalink[href="#{anchor}"]')
        assert page.cssselect(f'button.copy-link[data-anchor="{anchor}"]')
    # The speaker label as written is part of the witness and is kept.
    assert page.get_element_by_id("m-p1").text_content().startswith("Chervonenko: I asked")


PAGES = [MINUTES, MINUTES + "?view=diplomatic", MINUTES + "?speaker=zhang-hanfu", "/",
         "/compare/minutes-1962-06-08/memorandum-1962-06-07/", "/people/", "/people/chervonenko/",
         "/places/xinjiang/", "/organisations/prc-mfa/"]


@pytest.mark.parametrize("url", PAGES)
def test_pages_parse_as_html5_without_errors_and_ids_are_unique(client, ed, editor, url):
    content = client.get(url).content
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    parser.parse(content)  # raises ParseError on any HTML5 parse error
    ids = tree(client.get(url)).xpath("//@id")
    assert len(ids) == len(set(ids))


def test_notes_are_numbered_beside_their_passage_and_markers_link_to_them(client, ed):
    page = tree(client.get(MINUTES))
    aside = page.get_element_by_id("notes-m-p2")
    assert aside.get("data-for") == "m-p2"
    notes = aside.cssselect("li.note")
    assert [n.get("id") for n in notes] == ["n-supplied", "n-amb"]
    assert [n.get("value") for n in notes] == ["2", "3"]
    marker = page.get_element_by_id("ref-n-supplied")
    assert marker.get("href") == "#n-supplied" and marker.get("data-n") == "2"
    assert marker.text_content() == ""  # the number is CSS generated content, not text
    assert notes[0].cssselect("a.note-back")[0].get("href") == "#ref-n-supplied"
    assert "<em>out</em>" in html.tostring(page.get_element_by_id("n-corr")).decode()


def test_drafts_only_for_editors_with_badge(client, ed):
    page = tree(client.get(MINUTES))
    assert not page.cssselect("#n-draft") and not page.cssselect("#ref-n-draft")
    user = User.objects.create_user("ed", password="pw")
    user.user_permissions.add(Permission.objects.get(codename="change_note"))
    client.force_login(user)
    page = tree(client.get(MINUTES))
    draft = page.get_element_by_id("n-draft")
    assert "draft" in draft.get("class") and draft.cssselect(".badge")[0].text == "draft"
    assert "draft" in page.get_element_by_id("ref-n-draft").get("class")


def test_note_bodies_are_sanitized(client, ed):
    f.note(ed["passages"]["p3"], "We", "<script>alert(1)</script> [x](javascript:alert(1)) **ok**")
    content = client.get(MINUTES).content.decode()
    assert "<script>alert" not in content and 'href="javascript:' not in content
    assert "<strong>ok</strong>" in content


def test_view_switch_works_without_js_and_is_remembered(client, ed):
    page = tree(client.get(MINUTES))
    assert page.cssselect(".corr") and not page.cssselect(".sic")
    response = client.get(MINUTES + "?view=diplomatic")
    page = tree(response)
    assert page.cssselect(".sic") and not page.cssselect(".corr")
    assert response.cookies["edition_view"].value == "diplomatic"
    # Remembered: the plain URL redirects to the chosen view (so a page depends on its URL only).
    response = client.get(MINUTES + "?speaker=zhang-hanfu")
    assert response.status_code == 302 and response["Location"].endswith("?speaker=zhang-hanfu&view=diplomatic")
    page = tree(client.get(MINUTES, follow=True))
    assert page.cssselect(".sic")
    assert page.cssselect('.view-switch a[aria-current="page"]')[0].text == "Diplomatic text"
    assert not client.get(MINUTES + "?view=diplomatic").cookies  # unchanged choice: no cookie, cacheable
    page = tree(client.get(MINUTES + "?view=nonsense", follow=True))  # invalid: the remembered choice stands
    assert page.cssselect(".sic")
    response = client.get(MINUTES + "?view=reading")
    assert response.cookies["edition_view"].value == "reading"
    assert client.get(MINUTES).status_code == 200


def test_pages_carry_no_cookies_for_anonymous_readers(client, ed):
    for url in [MINUTES, "/", "/people/", "/people/chervonenko/", "/compare/minutes-1962-06-08/minutes-1962-06-08/"]:
        assert not client.get(url).cookies, url


def test_speaker_filter_shows_one_speakers_turns(client, ed):
    page = tree(client.get(MINUTES + "?speaker=zhang-hanfu"))
    assert [t.get("id") for t in page.cssselect("section.turn")] == ["m-sp2"]
    assert not page.cssselect("#m-p1") and page.cssselect("#m-p2")
    assert "Zhang Hanfu" in page.cssselect(".filter-note")[0].text_content()
    assert client.get(MINUTES + "?speaker=nobody").status_code == 404


def test_mentions_link_to_index_pages_with_a_card(client, ed):
    page = tree(client.get(MINUTES))
    link = page.cssselect('a.mention[href="/places/xinjiang/"]')[0]
    card = page.get_element_by_id(link.get("aria-describedby"))
    assert "Xinjiang Uyghur Autonomous Region" in card.text_content()


def test_a_passage_whose_stored_tei_is_broken_shows_its_text_and_logs_an_error(client, ed, caplog):
    p3 = ed["passages"]["p3"]
    p3.tei = "<p>We will continue to do this in the future.</unclosed>"
    p3.save()
    with caplog.at_level("ERROR", logger="documents.render"):
        page = tree(client.get(MINUTES + "?view=diplomatic"))
    assert "We will continue to do this in the future." in page.get_element_by_id("m-p3").text_content()
    assert "minutes-1962-06-08#m-p3" in caplog.text and "does not parse" in caplog.text


def test_document_without_text_and_entity_without_mentions(client, ed):
    f.document("empty", "other", "An empty document")
    assert "no text yet" in tree(client.get("/documents/empty/")).text_content()
    f.entity("nobody", name="Nobody at all")
    assert "No mentions." in tree(client.get("/people/nobody/")).text_content()


def test_unknown_document_is_404(client, ed):
    assert client.get("/documents/nope/").status_code == 404
    assert client.get("/compare/nope/minutes-1962-06-08/").status_code == 404


def test_compare_marks_linked_pairs_on_both_sides(client, ed):
    page = tree(client.get("/compare/minutes-1962-06-08/memorandum-1962-06-07/"))
    left = page.get_element_by_id("l-m-p2")
    right = page.get_element_by_id("r-memo-p1")
    assert left.cssselect("a.partner")[0].get("href") == "#r-memo-p1"
    assert right.cssselect("a.partner")[0].get("href") == "#l-m-p2"
    assert "linked" in left.get("class") and "linked" not in page.get_element_by_id("l-m-p1").get("class")
    # The other way round, the link (stored memo -> minutes) is found too.
    page = tree(client.get("/compare/memorandum-1962-06-07/minutes-1962-06-08/"))
    assert page.get_element_by_id("l-memo-p1").cssselect("a.partner")[0].get("href") == "#r-m-p2"
    for link in page.cssselect("a.mention"):  # every mention's card is on the page
        assert page.get_element_by_id(link.get("aria-describedby")) is not None


def test_compare_same_document_in_two_views(client, ed):
    page = tree(client.get("/compare/minutes-1962-06-08/minutes-1962-06-08/?left=reading&right=diplomatic"))
    assert page.get_element_by_id("l-m-p1").cssselect(".corr")
    assert page.get_element_by_id("r-m-p1").cssselect(".sic")
    assert page.get_element_by_id("l-m-p1").cssselect("a.partner")[0].get("href") == "#r-m-p1"
    ids = page.xpath("//@id")
    assert len(ids) == len(set(ids)), "ids must be unique across both columns"


def test_reader_links_to_compare_pages_of_linked_documents_only(client, ed):
    f.document("unrelated", "other", "An unrelated document")
    page = tree(client.get(MINUTES))
    hrefs = [a.get("href") for a in page.cssselect(".doc-links a")]
    assert "/compare/minutes-1962-06-08/memorandum-1962-06-07/" in hrefs
    assert "/compare/minutes-1962-06-08/minutes-1962-06-08/?left=reading&right=diplomatic" in hrefs
    assert not [h for h in hrefs if "unrelated" in h]


@pytest.mark.parametrize("url, name", [("/people/", "Zhang Hanfu"), ("/places/", "Xinjiang"),
                                       ("/organisations/", "PRC Ministry of Foreign Affairs")])
def test_index_lists(client, ed, url, name):
    assert name in tree(client.get(url)).text_content()


def test_person_page_roles_turns_and_mentions_with_context(client, ed):
    page = tree(client.get("/people/chervonenko/"))
    text = page.text_content()
    assert "Speaker (Ambassador)" in text
    turn_links = [a.get("href") for a in page.cssselect("#turns-title + ol a")]
    assert turn_links == [f"{MINUTES}#m-sp1"]
    (mention,) = page.cssselect("#mentions-title ~ ol li")
    assert mention.cssselect("a")[0].get("href") == f"{MINUTES}#m-p2"
    assert mention.cssselect("mark")[0].text == "the Ambassador"
    assert "said so to" in mention.cssselect("blockquote")[0].text_content()
    assert client.get("/people/xinjiang/").status_code == 404  # a place is not a person


def test_organisation_page_lists_members(client, ed):
    page = tree(client.get("/organisations/prc-mfa/"))
    assert [a.text for a in page.cssselect("#members-title + ul a")] == ["Zhang Hanfu"]


def _grow(ed, n):
    """Add n passages, each with a mention, a date and two notes, to the minutes."""
    turn = ed["passages"]["p3"].turn
    for i in range(n):
        p = f.add_passage(
            ed["minutes"], f"m-x{i}",
            f'Point {i}: <persName ref="ent:chervonenko">the Ambassador</persName> on '
            f'<date when="1962-05-19">19 May</date> <choice><sic>an</sic><corr>and</corr></choice> more.',
            turn=turn,
        )
        f.note(p, "Point", "A note.")
        f.note(p, "more", "Another.", status=Note.Status.DRAFT)


@pytest.mark.parametrize("url", [MINUTES, "/", "/compare/minutes-1962-06-08/memorandum-1962-06-07/",
                                 "/people/chervonenko/", "/people/"])
def test_queries_do_not_grow_with_passages_notes_mentions(client, ed, editor, url, django_assert_max_num_queries):
    client.get(url)  # warm up (session, permissions)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _grow(ed, 25)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200
    if url == MINUTES:
        assert len(re.findall(rb'class="note-ref', response.content)) >= 50


def test_editors_who_may_add_notes_get_the_add_note_script(client, ed):
    assert not tree(client.get(MINUTES)).xpath('//script[@data-add-url]')  # anonymous: no
    user = User.objects.create_user("annotator", password="pw")
    user.user_permissions.add(Permission.objects.get(codename="add_note"))
    client.force_login(user)
    (script,) = tree(client.get(MINUTES)).xpath('//script[@data-add-url]')
    assert script.get("data-add-url") == "/admin/documents/note/add/"
    assert script.get("data-document") == "minutes-1962-06-08" and script.get("src").endswith("js/add-note.js")


def test_indexes_are_paginated_with_counts_for_the_page(client, ed, monkeypatch, django_assert_max_num_queries):
    """An archive's index lists ENTITIES_PER_PAGE entries a page, counting mentions and turns for that page only."""
    from django.core.cache import cache

    from documents.models import Entity
    from documents.views import reader

    people = Entity.objects.filter(kind="person").count()
    for i in range(7):
        f.entity(f"extra-{i:02d}", name=f"Zz Extra {i:02d}")
    monkeypatch.setattr(reader, "ENTITIES_PER_PAGE", 3)
    pages = -(-(people + 7) // 3)
    first = tree(client.get("/people/"))
    assert len(first.cssselect(".entity-list li")) == 3
    nav = first.cssselect("nav.pagination")[0]
    assert nav.get("aria-label") == "Index pages" and f"Page 1 of {pages}" in nav.text_content()
    assert nav.cssselect("a[rel=next]")[0].get("href") == "?page=2" and not nav.cssselect("a[rel=prev]")
    last = tree(client.get(f"/people/?page={pages}"))
    assert "Zz Extra 06" in last.text_content() and last.cssselect("nav.pagination a[rel=prev]")
    assert tree(client.get("/people/?page=999")).cssselect("nav.pagination span")[0].text == f"Page {pages} of {pages}"
    assert tree(client.get("/people/?page=abc")).cssselect("nav.pagination span")[0].text == f"Page 1 of {pages}"
    monkeypatch.setattr(reader, "ENTITIES_PER_PAGE", 100)
    cache.clear()  # the index pages are cached for anonymous readers
    text = tree(client.get("/people/")).text_content()
    assert not tree(client.get("/people/")).cssselect("nav.pagination")  # one page: no navigation
    chervonenko = Entity.objects.get(key="chervonenko")
    mentions, turns = chervonenko.mentions.count(), Entity.objects.get(key="chervonenko").turns.count()
    assert mentions and turns
    assert f"{turns} turn{'s' if turns != 1 else ''}, {mentions} mention{'s' if mentions != 1 else ''}" in text
    with django_assert_max_num_queries(6):  # page count, page, mentions, turns (+ session/user lookups)
        client.get("/people/?page=1")


def test_home_lists_documents_a_page_at_a_time_with_their_timeline(client, ed, monkeypatch):
    from documents.views import reader

    monkeypatch.setattr(reader, "HOME_PER_PAGE", 1)
    pages = [tree(client.get("/")), tree(client.get("/?page=2"))]
    listed = [[a.get("href") for a in page.cssselect(".doc-link")] for page in pages]
    assert sorted(listed) == [["/documents/memorandum-1962-06-07/"], [MINUTES]]
    assert pages[0].cssselect("nav.pagination a[rel=next]") and pages[1].cssselect("nav.pagination a[rel=prev]")
    for page, (document,) in zip(pages, listed, strict=True):
        # Each page's timeline shows the dates mentioned in the document listed on it, and only those.
        hrefs = {a.get("href") for a in page.cssselect("svg.timeline")[0].iter("{*}a", "a") if a.get("href")}
        assert hrefs and all(h.startswith(document + "#") for h in hrefs), (document, hrefs)
        assert "in the documents listed on this page" in page.cssselect(".timeline-section .hint")[0].text_content()
