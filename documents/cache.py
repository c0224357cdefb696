"""Caching of rendered pages and fragments, invalidated by a content version.

Every cache key includes the *content version*, a counter in the cache itself (so every app
process sharing the Redis cache sees the same one). Any change to a note, passage link,
document or passage, and every import, bumps the version: old entries are simply never read
again and expire. Nothing has to know which pages a change affects.

The version is bumped at once and again when the transaction commits, so a page rendered
by another process between the change and the commit cannot survive it.

Use `cache_page_for_anonymous` on reader views; signed-in users (editors see drafts) are
never served from or stored into the cache, and their pages say `Cache-Control: private`.
"""

from __future__ import annotations

import functools
import hashlib
import re

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse, QueryDict
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control

from documents.signals import document_imported, documents_imported, entities_imported

VERSION_KEY = "edition:content-version"
DEFAULT_TIMEOUT = 60 * 60


def content_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY, 1)
    return version


def bump_version() -> None:
    """Invalidate every cached page and fragment."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not set yet (or evicted): any new value differs from what was used
        cache.add(VERSION_KEY, 2, timeout=None)


def _bump_on_commit():
    bump_version()


def content_changed(*args, **kwargs) -> None:
    """Signal receiver: bump now, and once more when the surrounding transaction commits."""
    bump_version()
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(f is _bump_on_commit for _s, f, *_ in connection.run_on_commit):
        return
    transaction.on_commit(_bump_on_commit)


def _key(kind: str, *parts) -> str:
    # The active interface language is part of every key: a page or fragment rendered in Chinese must
    # never be served to an English reader (docs/i18n.md).
    parts = (translation.get_language() or "", *parts)
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:32]
    return f"edition:{kind}:{content_version()}:{digest}"


def cached_fragment(name: str, *vary_on, render, timeout: int = DEFAULT_TIMEOUT):
    """The cached result of render() for (name, vary_on...) at the current content version (search
    results and whole machine-readable responses: documents/search/cached.py, cache_responses.py)."""
    key = _key("fragment", name, *vary_on)
    value = cache.get(key)
    if value is None:
        value = render()
        cache.set(key, value, timeout)
    return value


def read_params(request, params: dict) -> QueryDict:
    """The query parameters a view reads, normalised (see cache_page_for_anonymous)."""
    return _read_params(request, params)


def _cacheable(request) -> bool:
    user = getattr(request, "user", None)
    return request.method in ("GET", "HEAD") and not (user is not None and user.is_authenticated)


def page_number(value: str) -> str | None:
    """A ?page= value kept in a cache key: a canonical positive number; anything else is page 1 (dropped)."""
    return value if re.fullmatch(r"[1-9][0-9]{0,8}", value) else None


def one_of(*allowed: str):
    """A parameter kept in the key only with one of these values (the view's default page otherwise)."""
    return lambda value: value if value in allowed else None


def _read_params(request, params: dict) -> QueryDict:
    """The query parameters the view reads, normalised: first value of each, unknown names and values dropped."""
    kept = QueryDict(mutable=True)
    for name, normalise in params.items():
        value = request.GET.get(name)
        value = normalise(value) if value is not None and normalise is not None else value
        if value:
            kept[name] = value
    kept._mutable = False
    return kept


def not_stored(response):
    """Mark a response the page cache must not store (e.g. a clamped ?page= beyond the last page)."""
    response.edition_not_stored = True
    return response


def cache_page_for_anonymous(
    timeout: int = DEFAULT_TIMEOUT, vary_on_cookies: tuple[str, ...] = (), params: dict | None = None
):
    """View decorator: serve anonymous GETs from the cache, keyed by path, read parameters and content version.

    `params` names the query parameters the view reads, each with a normaliser (a callable returning the
    canonical value or None to drop it, e.g. `page_number`, `one_of(...)`; None keeps any value: the view
    must then answer unknown values with a 404, which is not stored); `{}` for a view that reads none.
    The view sees only those parameters (request.GET is narrowed while it runs), so a page is a function
    of its key: junk parameters neither make new entries nor new renders (issue 19.3). Every reader view
    declares them; without `params` (None) the whole query string is the key, as before (floodable).
    The active interface language is always part of the key (`_key`).
    `vary_on_cookies` names cookies the page depends on; their values are part of the key. Only 200
    responses that set no cookie are stored. Responses carry `X-Edition-Cache: hit|miss`.
    """

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if not _cacheable(request):
                response = view(request, *args, **kwargs)
                if request.method in ("GET", "HEAD"):  # a signed-in editor's page (drafts): no shared cache
                    patch_cache_control(response, private=True)
                return response
            if params is None:
                return _serve(request, view, args, kwargs, request.GET.urlencode())
            full_get, request.GET = request.GET, _read_params(request, params)
            try:
                return _serve(request, view, args, kwargs, request.GET.urlencode())
            finally:
                request.GET = full_get

        def _serve(request, view, args, kwargs, query):
            # The date is part of the key: pages show "accessed <today>" in their Cite panel.
            cookies = (request.COOKIES.get(c, "") for c in vary_on_cookies)
            key = _key("page", request.path, query, timezone.localdate().isoformat(), *cookies)
            stored = cache.get(key)
            if stored is not None:
                content, content_type = stored
                response = HttpResponse(content, content_type=content_type)
                response["X-Edition-Cache"] = "hit"
                return response
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            storable = not getattr(response, "edition_not_stored", False)
            if storable and response.status_code == 200 and not response.cookies and not response.streaming:
                cache.set(key, (response.content, response["Content-Type"]), timeout)
                response["X-Edition-Cache"] = "miss"
            return response

        return wrapper

    return decorator


def connect_signals() -> None:
    """Called from DocumentsConfig.ready()."""
    from documents.models import Document, Entity, EntityAlias, Note, Passage, PassageLink

    for model in (Note, PassageLink, Document, Passage, Entity, EntityAlias):
        uid = f"edition_cache_{model.__name__}"
        post_save.connect(content_changed, sender=model, dispatch_uid=uid + "_save")
        post_delete.connect(content_changed, sender=model, dispatch_uid=uid + "_delete")
    document_imported.connect(_document_imported, dispatch_uid="edition_cache_imported")
    # The importer's bulk writes send no model signals: one bump per file (documents, renamed entities).
    documents_imported.connect(content_changed, dispatch_uid="edition_cache_documents_imported")
    entities_imported.connect(content_changed, dispatch_uid="edition_cache_entities_imported")


def _document_imported(sender, in_batch=False, **kwargs) -> None:
    """The importer's per-document sends (in_batch) were covered by its `documents_imported`."""
    if not in_batch:
        content_changed()
