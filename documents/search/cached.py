"""Search results cached by their *normalised* query: "Xinjiang  OR sinkiang", "xinjiang or Sinkiang" and
"Xinjiang OR Sinkiang AND" are one search, run once per content version (documents.cache).

The cached object is the SearchResults of the first request; each request gets it with its own parsed query
(the page shows what this reader typed) and messages. Failed or timed-out searches are not stored.
"""

from __future__ import annotations

import dataclasses

from documents.cache import cached_fragment

from .query import parse
from .service import SearchResults, page_number_of, search


class _NotStored(Exception):
    def __init__(self, results):
        super().__init__("not cacheable")
        self.results = results


def normalised_key(q: str | None, params: dict, page) -> tuple:
    """What the results depend on: the parsed query (case-folded: both backends fold case), the filters
    and the page number."""
    parsed = parse(q)
    filters = tuple(sorted((k, str(v).strip()) for k, v in (params or {}).items() if str(v).strip()))
    return parsed.websearch().casefold(), filters, page_number_of(page)


def cached_search(q: str | None, params: dict, page=1) -> SearchResults:
    """`search(q, params, page)`, from the cache when the same normalised search ran at this content version."""
    parsed = parse(q)
    if not parsed.is_searchable:  # nothing to run: the help page
        return search(q, params, page=page)

    def render():
        results = search(q, params, page=page)
        if results.error or results.timed_out:
            raise _NotStored(results)
        return results

    try:
        stored = cached_fragment("search-results", *normalised_key(q, params, page), render=render)
    except _NotStored as failed:
        return failed.results
    own = stored.messages[len(stored.query.messages):]  # the filters' and the ranking's messages
    return dataclasses.replace(stored, query=parsed, messages=parsed.messages + own)
