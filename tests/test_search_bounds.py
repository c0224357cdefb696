"""Bounded search: pathological queries are refused (400, "query too complex"), every search has a time budget
(PostgreSQL statement_timeout, SQLite progress handler), and results are cached by their normalised query."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from documents.models import Note
from documents.search import backends, cached
from documents.search.budget import is_timeout, time_budget
from documents.search.query import MAX_RAW_CHARS, MAX_RAW_TOKENS, too_complex
from tests.builders import search_edition

pytestmark = pytest.mark.django_db
SEARCH = reverse("documents:search")


@pytest.fixture
def edition():
    return search_edition()


#: A statement that runs for many seconds unless stopped (a recursive count / a sleep).
SLOW = {
    "sqlite": "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM "
              "(SELECT x FROM c LIMIT 2000000000)",
    "postgresql": "SELECT pg_sleep(30)",
}


def _slow_statement():
    with connection.cursor() as cursor:
        cursor.execute(SLOW[connection.vendor])
        return cursor.fetchall()


# -- refused outright ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("q", [
    "x" * (MAX_RAW_CHARS + 1),
    "repatriation " * 400,
    " OR ".join(f"w{i}" for i in range(MAX_RAW_TOKENS)),
    " ".join(["a"] * 5000),
    '"a" ' * (MAX_RAW_TOKENS // 2 + 10),
])  # fmt: skip
def test_pathological_queries_get_a_clear_400(client, edition, q, monkeypatch):
    monkeypatch.setattr(cached, "search", lambda *a, **k: pytest.fail("a refused query must not be searched"))
    response = client.get(SEARCH, {"q": q})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Query too complex" in html and 'role="search"' in html
    assert too_complex(q) in html
    assert 'name="robots" content="noindex"' in html


@pytest.mark.parametrize("q", ["x" * MAX_RAW_CHARS, " OR ".join(["repatriation"] * (MAX_RAW_TOKENS // 2))])
def test_queries_at_the_limits_are_searched(client, edition, q):
    response = client.get(SEARCH, {"q": q})
    assert response.status_code == 200
    assert "Query too complex" not in response.content.decode()


# -- the time budget -----------------------------------------------------------------------------------------
def test_a_slow_statement_is_stopped_by_the_budget():
    with pytest.raises(DatabaseError) as stopped, transaction.atomic(), time_budget(50):
        _slow_statement()
    assert is_timeout(stopped.value)
    with connection.cursor() as cursor:  # the connection is usable afterwards, with no budget left over
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


def test_the_budget_is_lifted_after_the_block():
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW statement_timeout")
            before = cursor.fetchone()[0]
        with transaction.atomic(), time_budget(1234):
            with connection.cursor() as cursor:
                cursor.execute("SHOW statement_timeout")
                assert cursor.fetchone()[0] == "1234ms"
        with connection.cursor() as cursor:
            cursor.execute("SHOW statement_timeout")
            assert cursor.fetchone()[0] == before
    else:
        with transaction.atomic(), time_budget(1234):
            pass
        connection.connection.execute("SELECT 1")  # no handler left: would raise 'interrupted' otherwise
    assert not is_timeout(DatabaseError("something else"))


def test_a_search_past_its_budget_answers_503_with_advice(client, edition, settings, monkeypatch, caplog):
    settings.EDITION_SEARCH_TIMEOUT_MS = 50
    for backend in (backends.SQLiteFTS5Backend, backends.PostgresBackend):
        slow = (lambda real: lambda self, *a, **k: (_slow_statement(), real(self, *a, **k))[1])(backend.count)
        monkeypatch.setattr(backend, "count", slow)
    response = client.get(SEARCH, {"q": "repatriation"})
    assert response.status_code == 503
    assert "took too long and was stopped" in response.content.decode()
    assert "search stopped by its time budget" in caplog.text
    monkeypatch.undo()
    settings.EDITION_SEARCH_TIMEOUT_MS = 2000
    again = client.get(SEARCH, {"q": "repatriation"})  # the stopped search was not cached
    assert again.status_code == 200 and "took too long" not in again.content.decode()
    assert "results for" in again.content.decode()


# -- cached results ------------------------------------------------------------------------------------------
def _count_searches(monkeypatch):
    calls = []
    real = cached.search
    monkeypatch.setattr(cached, "search", lambda *a, **k: (calls.append(a), real(*a, **k))[1])
    return calls


def test_results_are_cached_by_normalised_query(client, edition, monkeypatch):
    calls = _count_searches(monkeypatch)
    first = client.get(SEARCH, {"q": "repatriation OR Sinkiang"})
    assert first.status_code == 200 and first["X-Edition-Cache"] == "miss"
    second = client.get(SEARCH, {"q": "repatriation OR Sinkiang"})
    assert second["X-Edition-Cache"] == "hit" and second.content == first.content
    # Other spellings of the same search: pages of their own, results from the cache.
    for q in ("Repatriation OR SINKIANG", "  repatriation   OR sinkiang AND", "repatriation OR Sinkiang OR"):
        page = client.get(SEARCH, {"q": q})
        assert page.status_code == 200 and page["X-Edition-Cache"] == "miss"
        assert page.content.decode().count('class="search-hit') == first.content.decode().count('class="search-hit')
    assert len(calls) == 1
    own = client.get(SEARCH, {"q": "Repatriation OR SINKIANG"}).content.decode()
    assert 'value="Repatriation OR SINKIANG"' in own and "for Repatriation OR SINKIANG" in own  # as typed
    client.get(SEARCH, {"q": "repatriation OR Sinkiang", "type": "note"})  # a filter is another search
    client.get(SEARCH, {"q": "repatriation OR Sinkiang", "page": "2"})
    assert len(calls) == 3


def test_a_published_note_shows_in_the_next_search(client, edition):
    assert "No results" in client.get(SEARCH, {"q": "zanzibar"}).content.decode()  # a draft: not found
    assert client.get(SEARCH, {"q": "zanzibar"})["X-Edition-Cache"] == "hit"
    note = Note.objects.get(body__contains="zanzibar")
    note.status = Note.Status.PUBLISHED
    note.save()
    response = client.get(SEARCH, {"q": "zanzibar"})
    assert response["X-Edition-Cache"] == "miss"
    assert "1 result" in response.content.decode()


def test_editors_are_never_served_cached_search_pages(editor_client, edition):
    editor_client.get(SEARCH, {"q": "repatriation"})
    response = editor_client.get(SEARCH, {"q": "repatriation"})
    assert response.status_code == 200 and "X-Edition-Cache" not in response
