"""Site navigation: every page's header links to Search; the home page holds the search box."""

import pytest
from lxml import html

from tests.builders import reader_edition

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/documents/minutes-1962-06-08/",
    "/documents/minutes-1962-06-08/cite/?passage=m-zhang-report",
    "/compare/minutes-1962-06-08/memorandum-1962-06-07/",
    "/people/",
    "/people/zhang-hanfu/",
    "/places/",
    "/organisations/prc-mfa/",
    "/search/?q=report",
]


@pytest.fixture
def ed():
    return reader_edition()


def root_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return html.fromstring(response.content)


@pytest.mark.parametrize("url", PAGES)
def test_every_page_links_to_search_in_the_header(client, ed, url):
    root = root_of(client, url)
    nav = root.xpath("//header[@class='site-header']/nav[@aria-label='Site']")[0]
    assert nav.xpath(".//a[text()='Search']/@href") == ["/search/"]
    assert len(root.xpath("//*[@id='home-q']")) == (1 if url == "/" else 0)


def test_the_home_page_has_a_search_box_that_searches(client, ed):
    root = root_of(client, "/")
    form = root.xpath("//form[@role='search']")
    assert len(form) == 1
    assert form[0].get("action") == "/search/" and form[0].get("method") == "get"
    field = form[0].xpath(".//input[@type='search']")[0]
    assert field.get("name") == "q"
    assert root.xpath(f"//label[@for='{field.get('id')}']/text()") == ["Search the edition"]
    # The search box is styled by the one site stylesheet (edition.css, inlined: issue 13.1); no request for it.
    stylesheets = root.xpath("//link[@rel='stylesheet']/@href")
    assert stylesheets == ["/static/css/print.css"]
    assert ".search-box" in "".join(root.xpath("//head/style/text()"))
    results = root_of(client, "/search/?q=report")  # where the form goes: the search page, with the query kept
    assert results.xpath("//input[@type='search'][@name='q']/@value") == ["report"]
