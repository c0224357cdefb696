"""The /search/ page: rendering, links, facets, pagination, and queries that must never fail."""

import pytest
from django.urls import reverse

from tests.builders import search_edition

pytestmark = pytest.mark.django_db

NASTY = [
    "",
    " ",
    '"',
    '""',
    '"""',
    "*",
    "**",
    "AND OR",
    "OR",
    "NOT",
    "-",
    "--",
    "- -foo",
    "-foo",
    "()",
    "(repatriation",
    "repatriation)",
    "NEAR(a b)",
    "text:foo",
    "^foo",
    "foo*",
    "a' OR '1'='1",
    "'; DROP TABLE documents_passage; --",
    "%",
    "_",
    "\\",
    "\x00",
    "\x00repatriation",
    "x" * 1900,  # long, but under the refusal limits (tests/test_search_bounds.py): cut, with a message
    "repatriation " * 150,
    "\u202e\u200b\ufeff",
    "\ue000mark\ue001",
    "<script>alert(1)</script>",
    "&amp; &lt;",
    "🙂",
    "章汉夫",
    "Червоненко",
    "Ｒｅｐａｔｒｉａｔｉｏｎ",
    "e\u0301",
    '"unterminated phrase',
    '"the"',
    "the",
    ":",
    "!",
    "|",
    "&",
    "<->",
    "'",
    "{}",
    "[]",
    "repatriation -",
    "OR repatriation OR",
]


@pytest.fixture
def edition():
    return search_edition()


def get(client, **params):
    return client.get(reverse("documents:search"), params)


@pytest.mark.parametrize("q", NASTY)
def test_nasty_queries_get_a_page_never_an_error(client, edition, q):
    response = get(client, q=q, page="1")
    if "\x00" in q:  # a NUL byte is refused before any view runs (issue 19.9, documents/security.py)
        assert response.status_code == 400 and "NUL" in response.content.decode()
        return
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "could not be run" not in html  # no database error behind the page


def test_marker_characters_in_the_query_never_become_markup(client, edition):
    assert "&lt;mark&gt;" in get(client, q="<mark>").content.decode()  # a typed tag is echoed escaped
    html = get(client, q="\ue000repatriate\ue001").content.decode()
    assert "4 results" in html  # the private-use characters are ignored, the word is searched
    snippets = [chunk.split("</p>")[0] for chunk in html.split('class="search-hit__snippet">')[1:]]
    assert snippets and all("\ue000" not in s and "\ue001" not in s for s in snippets)


@pytest.mark.parametrize("params", [{"page": "-1"}, {"page": "1e9"}, {"page": "99999999999999"}, {"from": "1962-13-45"},
                                    {"date": "0000"}, {"date": "x" * 300}, {"document": "../../etc"}, {"type": "\x00"}])
def test_nasty_parameters_get_a_page(client, edition, params):
    response = get(client, q="repatriate", **params)
    assert response.status_code == (400 if "\x00" in "".join(params.values()) else 200)  # NUL: issue 19.9
    assert "could not be run" not in response.content.decode()


def test_empty_query_shows_help(client, edition):
    html = get(client).content.decode()
    assert "How to search" in html and 'role="search"' in html


def test_symbol_only_query_explains_itself(client, edition):
    html = get(client, q="*").content.decode()
    assert "Nothing to search for" in html and "Symbols without letters or digits were ignored" in html


def test_results_page_links_to_passage_anchors_and_highlights(client, edition):
    html = get(client, q="repatriate").content.decode()
    assert 'href="/documents/minutes-1962-06-08/#m-2"' in html
    assert 'href="/documents/memorandum-1962-06-07/#memo-1"' in html
    assert "<mark>" in html
    assert "4 results" in html


def test_facet_links_filter_and_keep_the_query(client, edition):
    html = get(client, q="repatriate").content.decode()
    assert "?q=repatriate&amp;speaker=zhang-hanfu" in html
    filtered = get(client, q="repatriate", speaker="zhang-hanfu").content.decode()
    assert "1–2 of 2 results" in filtered and 'aria-current="true"' in filtered
    assert "Remove filter speaker" in filtered


def test_researcher_finds_repatriation_filtered_by_speaker(client, edition):
    html = get(client, q="repatriation", speaker="zhang-hanfu", type="passage").content.decode()
    assert "#m-2" in html and "#memo-1" not in html


def test_pagination_links(client, edition, monkeypatch):
    from documents.search import service

    monkeypatch.setattr(service, "PER_PAGE", 3)
    first = get(client, q="repatriate").content.decode()
    assert "1–3 of 4 results" in first and "Page 1 of 2" in first
    assert 'href="?q=repatriate&amp;page=2" rel="next"' in first and 'rel="prev"' not in first
    second = get(client, q="repatriate", page="2").content.decode()
    assert "4–4 of 4 results" in second and 'rel="prev"' in second and 'rel="next"' not in second


def test_search_box_snippet_can_be_included_anywhere(edition):
    from django.template.loader import render_to_string

    html = render_to_string("documents/snippets/search_box.html", {"q": 'a "b" <c>'})
    assert 'action="/search/"' in html and 'name="q"' in html
    assert 'value="a &quot;b&quot; &lt;c&gt;"' in html
    assert '<label for="search-q">' in html
