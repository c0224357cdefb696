"""Full-text search: stemming, phrases, aliases, highlighting, facets, grouping, pagination.

Runs on the database of the test run: SQLite (FTS5) by default, PostgreSQL with DATABASE_URL.
"""

import pytest
from django.db import connection

from documents.models import Document, SearchEntry
from documents.search.backends import PostgresBackend, SQLiteFTS5Backend, backend_for
from documents.search.service import search
from documents.signals import document_imported
from tests.builders import search_edition

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition():
    return search_edition()


def anchors(results):
    return sorted(h.entry.anchor for g in results.groups for t in g.turns for h in t.hits if not h.is_note)


def test_backend_follows_the_database():
    expected = {"sqlite": SQLiteFTS5Backend, "postgresql": PostgresBackend}[connection.vendor]
    assert isinstance(backend_for(), expected)


def test_stemming_finds_every_form_of_the_word(edition):
    results = search("repatriate")
    assert anchors(results) == ["m-2", "memo-1", "memo-2"]  # repatriation, repatriate, Repatriated
    assert results.total == 4  # and the published note on "repatriation"


def test_phrase_search_needs_the_words_in_order(edition):
    assert anchors(search('"border crossing"')) == ["m-3"]
    assert anchors(search('"crossing border"')) == []
    # Without quotes both stems anywhere: m-2 has "crossed ... border".
    assert anchors(search("border crossing")) == ["m-2", "m-3"]
    assert sorted(anchors(search("border"))) == ["m-2", "m-3"]


def test_or_and_exclusion(edition):
    assert anchors(search("Moscow OR Beijing")) == ["m-1", "m-5"]
    assert anchors(search("border -organised")) == ["m-2"]
    assert anchors(search("border -crossing")) == []  # "crossed" has the same stem


@pytest.mark.parametrize("alias", ["章汉夫", "Chang Han-fu", "Червоненко", "Sinkiang", "新疆"])
def test_aliases_find_the_passages_mentioning_the_entity(edition, alias):
    results = search(alias)
    if alias == "Червоненко":
        # Chervonenko is the speaker of m-4/m-5 but no passage *mentions* him: speaking is not mentioning.
        assert results.total == 0
        return
    expected = {"章汉夫": ["m-5"], "Chang Han-fu": ["m-5"], "Sinkiang": ["m-2", "memo-1"], "新疆": ["m-2", "memo-1"]}
    assert anchors(results) == expected[alias]


def test_alias_hit_is_highlighted_in_the_names_line(edition):
    results = search("Sinkiang")
    hit = next(h for g in results.groups for t in g.turns for h in t.hits if h.entry.anchor == "memo-1")
    assert "<mark>Sinkiang</mark>" in hit.names


def test_snippets_are_escaped_and_only_our_marks_are_html(edition):
    results = search('"border crossing"')
    (hit,) = [h for g in results.groups for t in g.turns for h in t.hits]
    html = str(hit.snippet)
    assert "<script>" not in html and "&lt;script&gt;" in html and "&amp;" in html
    plain = html.replace("<mark>", "").replace("</mark>", "")
    assert plain.count("<") == 0 and "the border crossing was" in plain
    # FTS5 marks the phrase as a whole, ts_headline word by word.
    assert "<mark>border crossing</mark>" in html or "<mark>border</mark> <mark>crossing</mark>" in html


def test_drafts_are_not_searchable_published_notes_are(edition):
    assert search("zanzibar").total == 0
    results = search("memorandum", {"type": "note"})
    (hit,) = [h for g in results.groups for t in g.turns for h in t.hits]
    assert hit.is_note and hit.entry.anchor == "m-2"
    assert "**" not in hit.entry.text  # Markdown is indexed as plain text


def test_results_are_grouped_by_document_and_turn_and_link_to_anchors(edition):
    results = search("border OR repatriate OR people OR Beijing", {"document": "minutes-1962-06-08"})
    (group,) = results.groups
    assert group.document.slug == "minutes-1962-06-08"
    speakers = [t.turn.xml_id if t.turn else None for t in group.turns]
    assert speakers == [None, "m-sp1", "m-sp2"] or speakers == ["m-sp1", "m-sp2"]
    first_turn = next(t for t in group.turns if t.turn and t.turn.xml_id == "m-sp1")
    assert [h.entry.anchor for h in first_turn.hits if not h.is_note] == ["m-2", "m-3"]
    assert first_turn.hits[0].url == "/documents/minutes-1962-06-08/#m-2"


def test_facets_count_documents_speakers_types_dates_people_places(edition):
    facets = search("repatriate").facets
    counts = {f.param: {i.value: i.count for i in f.items} for f in facets}
    assert counts["document"] == {"minutes-1962-06-08": 2, "memorandum-1962-06-07": 2}
    assert counts["speaker"] == {"zhang-hanfu": 2}
    assert counts["type"] == {"passage": 3, "note": 1}
    assert counts["date"] == {"1962-06-07": 2, "1962-06-08": 2}
    # The note on memo-2 counts for Xinjiang too: its passage mentions Xinjiang.
    assert counts["place"] == {"xinjiang": 3, "ili": 1}
    assert counts["person"] == {}


def test_a_facet_count_is_the_number_of_hits_its_link_keeps(edition):
    for facet in search("repatriate OR border OR people").facets:
        for item in facet.items:
            assert search("repatriate OR border OR people", {facet.param: item.value}).total == item.count, (
                facet.param, item.value)


def test_filters_by_speaker_place_and_date(edition):
    assert anchors(search("people OR request OR border", {"speaker": "chervonenko"})) == ["m-4", "m-5"]
    assert anchors(search("repatriate", {"place": "ili"})) == ["memo-1"]
    assert anchors(search("repatriate", {"date": "1962-06-07"})) == ["memo-1", "memo-2"]
    assert anchors(search("repatriate", {"from": "1962-06-08", "to": "1962-06-08"})) == ["m-2"]
    assert search("repatriate", {"date": "1962"}).total == 4


def test_unknown_filters_are_reported_not_fatal(edition):
    results = search("repatriate", {"speaker": "nobody", "type": "poem", "from": "yesterday"})
    assert results.total == 4
    assert len(results.messages) == 3


ANY = "border OR repatriate OR people OR Beijing OR Moscow OR request"


def test_pagination(edition):
    everything = search(ANY, per_page=2)
    assert everything.total >= 5 and everything.num_pages == -(-everything.total // 2)
    seen = []
    for page in range(1, everything.num_pages + 1):
        results = search(ANY, page=page, per_page=2)
        assert results.page == page
        seen += [h.entry.pk for g in results.groups for t in g.turns for h in t.hits]
    assert len(seen) == len(set(seen)) == everything.total
    assert search(ANY, page=999, per_page=2).page == everything.num_pages  # clamped
    assert search(ANY, page="x").page == 1


def test_common_words_alone_are_not_searched_on_any_database(edition):
    results = search("the of")
    assert not results.query.is_searchable and results.total == 0
    assert "Very common words" in results.messages[0]
    assert anchors(search('"the border crossing"')) == ["m-3"]  # inside a phrase they count


def test_reimport_replaces_the_entries_of_the_document(edition):
    memo = edition["memo"]
    passage = edition["passages"]["memo-2"]
    passage.reading_text = "Emigration was not discussed further."
    passage.save()
    document_imported.send(sender=Document, document=memo, created=False)
    assert anchors(search("repatriate")) == ["m-2", "memo-1"]
    assert anchors(search("emigration")) == ["memo-2"]
    assert SearchEntry.objects.filter(document=memo).count() == 2


def test_deleting_a_document_removes_its_entries(edition):
    memo = edition["memo"]
    memo.passages.all().delete()
    assert anchors(search("repatriate")) == ["m-2"]


def test_large_result_sets_are_listed_in_edition_order_and_facets_sampled(edition, monkeypatch):
    from documents.search import facets, service

    monkeypatch.setattr(service, "RANK_LIMIT", 2)
    monkeypatch.setattr(service, "FACET_LIMIT", 3)
    results = search("repatriate")
    assert results.total == 4 and not results.ranked
    assert "listed in the order of the edition" in results.messages[0]
    assert results.facets.sampled and results.facets.counted == 3
    assert sum(i.count for i in results.facets.types.items) == 3
    ids = [h.entry.pk for g in results.groups for t in g.turns for h in t.hits]
    assert sorted(ids) == sorted(SearchEntry.objects.filter(text__icontains="repatri").values_list("id", flat=True))
    assert facets.FACET_LIMIT == 2000  # the module default is untouched


def test_filter_tokens_are_not_searchable_as_words(edition):
    entry = SearchEntry.objects.filter(kind="passage").first()
    for token in entry.filters.split():
        assert search(token).total == 0, token
        # On PostgreSQL the tokens are in the tsvector (weight D): the parser keeps them out of queries.
        assert search(f'"Xinjiang {token}"').total == 0
        assert search(f"repatriate OR {token.upper()}").total == search("repatriate").total
    results = search(entry.filters.split()[0])
    assert not results.query.is_searchable
    assert any("name the index's filters" in m for m in results.messages)


def test_a_search_is_a_constant_number_of_queries(edition, django_assert_max_num_queries):
    """On PostgreSQL the matching rows are read once (count, ranked page and facet sample come from
    one list); on SQLite each step asks the FTS5 index, which answers from its doclists."""
    from django.test.utils import CaptureQueriesContext

    for params in ({}, {"speaker": "zhang-hanfu"}, {"place": "xinjiang", "date": "1962"}):
        # 15: the highlighting asks which distinct words of the page match (search/highlight.py).
        with django_assert_max_num_queries(15), CaptureQueriesContext(connection) as queries:
            results = search("repatriate OR border", params)
        assert results.total and results.facets
        full_text = [q["sql"] for q in queries if "@@" in q["sql"] or " MATCH " in q["sql"]]
        # PostgreSQL: the one match and the highlighted words (search/highlight.py); SQLite: count, page,
        # facets and the highlighted words.
        assert len(full_text) == (2 if connection.vendor == "postgresql" else 4), full_text


def test_date_ranges_as_tokens_and_through_the_fallback(edition, monkeypatch):
    from documents.search import tokens

    expected = ["m-2", "memo-1", "memo-2"]
    assert anchors(search("repatriate", {"from": "1962-01-01", "to": "1962-06-08"})) == expected
    assert anchors(search("repatriate", {"from": "1962-06-08"})) == ["m-2"]
    assert anchors(search("repatriate", {"to": "1962-06-07"})) == ["memo-1", "memo-2"]
    assert anchors(search("repatriate", {"from": "1962-06-09"})) == []
    monkeypatch.setattr(tokens, "MAX_DATE_TOKENS", 0)  # force the filter through the entries table
    assert anchors(search("repatriate", {"from": "1962-01-01", "to": "1962-06-07"})) == ["memo-1", "memo-2"]
    assert anchors(search("repatriate", {"from": "1962-06-08", "type": "passage"})) == ["m-2"]


def test_an_open_date_range_looks_up_its_end_once_per_search(edition):
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert anchors(search("repatriate", {"from": "1962-06-08"})) == ["m-2"]
    bounds = [q["sql"] for q in queries if 'MAX("documents_searchentry"."date")' in q["sql"]]
    assert len(bounds) == 1, bounds


def test_date_cover_is_exact_and_small():
    import datetime as dt

    from documents.search.tokens import date_cover, day, month, year

    d = dt.date
    assert date_cover(d(1962, 1, 1), d(1963, 12, 31)) == [year(1962), year(1963)]
    assert date_cover(d(1962, 5, 31), d(1962, 7, 1)) == [day(d(1962, 5, 31)), month(1962, 6), day(d(1962, 7, 1))]
    cover = date_cover(d(1950, 3, 15), d(1979, 10, 2))
    assert len(cover) < 80 and year(1960) in cover and month(1950, 4) in cover and day(d(1979, 10, 2)) in cover
    assert date_cover(d(9999, 12, 30), d(9999, 12, 31)) == [day(d(9999, 12, 30)), day(d(9999, 12, 31))]
    assert date_cover(d(1, 1, 1), d(9999, 12, 31)) is None  # too many years: the caller falls back


def test_counting_stops_at_the_backend_limit_and_says_so(edition, monkeypatch, client):
    backend = backend_for()
    monkeypatch.setattr(type(backend), "COUNT_LIMIT", 2)
    results = search("repatriate", per_page=1)
    assert results.total == 2 and not results.total_exact and not results.ranked
    assert results.num_pages == 2 and len([h for g in results.groups for t in g.turns for h in t.hits]) == 1
    # The facets count the first hits only, and say so.
    assert results.facets.sampled and results.facets.counted == 2
    assert sum(i.count for i in results.facets.types.items) == 2
    monkeypatch.setattr(type(backend), "COUNT_LIMIT", 3)
    html = client.get("/search/", {"q": "repatriate"}).content.decode()
    assert "of more than 3 results" in html
    assert "Counts are for the first 3 of more than 3 results" in " ".join(html.split())
