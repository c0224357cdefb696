"""Real TEI imported once per test module, and every URL of the site enumerated from the resolver.

`imported_once(django_db_blocker, *paths)` imports the files inside an outer transaction that is rolled back
when the module's tests are done: each test's own transaction is a savepoint inside it, so the import is paid
once per module and nothing is left behind for other modules. (Only for `db` tests, not `transactional_db`.)
"""

from __future__ import annotations

import contextlib
import re
from io import StringIO

from django.core.management import call_command
from django.db import transaction
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from documents.exports.citation import CITATION_FORMATS
from tests.conftest import FIXTURES, SHARED

SAMPLES = sorted((SHARED / "samples").glob("*.xml"))
#: The PDF and EPUB downloads of a document (docs/reader.md), requested for the first BOOK_SAMPLE documents.
BOOKS = ("documents:document-pdf", "documents:document-epub")
BOOK_SAMPLE = 3
#: A teiCorpus with an utterance whose @who points outside the file (no speaker, no label): the search 500.
UNLABELLED = FIXTURES / "tei" / "foreign" / "corpus.xml"


@contextlib.contextmanager
def imported_once(django_db_blocker, *paths, edition: bool = True):
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            out, err = StringIO(), StringIO()
            if edition:
                call_command("import_tei", stdout=out, stderr=err)
            if paths:
                call_command("import_tei", *[str(p) for p in paths], stdout=out, stderr=err)
            assert "failed." in out.getvalue() and " 0 failed" in out.getvalue(), out.getvalue() + err.getvalue()
            yield out.getvalue()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def url_patterns(resolver=None, prefix: str = "", namespace: str = ""):
    """(namespaced name or None, route, pattern) for every URL pattern of the site, recursively."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = ":".join(n for n in (namespace, entry.namespace) if n)
            yield from url_patterns(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            name = ":".join(n for n in (namespace, entry.name) if n) if entry.name else None
            yield name, prefix + str(entry.pattern), entry


def fill(name: str, pattern, data) -> list[str]:
    """Every URL to request for one pattern (empty when its arguments are unknown here)."""
    converters = pattern.pattern.converters if hasattr(pattern.pattern, "converters") else {}
    params = set(converters) or set(re.findall(r"<(?:\w+:)?(\w+)>", str(pattern.pattern)))
    kind = (pattern.default_args or {}).get("kind")
    docs = data["read_docs"] if name == "documents:document" else data["docs"]
    if params == set():
        combos = [{}]
    elif params == {"slug"} and name in BOOKS:  # a PDF or EPUB is made per request: a few documents
        combos = [{"slug": s} for s in docs[:BOOK_SAMPLE]]
    elif params == {"slug"}:
        combos = [{"slug": s} for s in docs]
    elif params == {"slug", "fmt"}:
        combos = [{"slug": s, "fmt": f} for s in data["docs"][:6] for f in CITATION_FORMATS]
    elif params == {"left", "right"}:
        d = data["docs"]
        combos = [{"left": a, "right": b} for a, b in zip(d, d[1:] + d[:1], strict=True)]
        combos.append({"left": d[0], "right": d[0]})
    elif params == {"collection"}:  # every collection the samples gave (a volume, a corpus, a file, the edition)
        combos = [{"collection": c} for c in data["collections"]]
    elif params == {"key"} and kind:
        combos = [{"key": k} for k in data["entities"][kind]]
    elif params == {"uuid"}:
        combos = [{"uuid": u} for u in data["notes"]]
    elif params == {"slug", "anchor"}:  # a passage of a (long) document: redirects to its page; and a missing one
        combos = [{"slug": s, "anchor": a} for s in docs[:6] for a in data["passages"].get(s, [])[:2] + ["nope"]]
    elif params == {"slug", "number"}:  # a citable version (docs/versions.md): the first, and one that is not
        combos = [{"slug": s, "number": n} for s in data["docs"][:6] for n in (1, 2)]
    else:
        return []
    urls = []
    for kwargs in combos:
        try:
            urls.append(reverse(name, kwargs=kwargs))
        except NoReverseMatch:
            return []
    return urls


def variants(name: str, url: str, data) -> list[str]:
    """Query-string variants of a URL that views read."""
    slug = url.split("/documents/")[1].split("/")[0] if "/documents/" in url else ""
    anchors = data["passages"].get(slug, [])
    extra = {
        "documents:home": ["?page=2", "?page=999", "?page=x", "?sort=date", "?sort=-date", "?sort=title",
                           "?kind=minutes", "?from=1918&to=1918-06", "?from=1962-06-08", "?to=nope",
                           "?speaker=nope", "?speaker=zhang-hanfu&sort=title&page=2",
                           "?lang=zh-hans", "?lang=ru", "?lang=ug"],  # interface languages (docs/i18n.md)
        "documents:collections": ["?page=2", "?page=x"],
        "documents:collection": ["?from=1918-03&to=1918-03", "?sort=-date", "?sort=title&page=2", "?kind=minutes",
                                 "?page=999&sort=date", "?speaker=nope", "?to=nope", "?lang=ug"],
        "documents:document": ["?view=diplomatic", "?page=2", "?page=999", "?lang=ug"] if slug in data["docs"] else [],
        "documents:document-text": ["?view=diplomatic"],
        "documents:compare": ["?left=diplomatic&right=reading"],
        "documents:cite-page": [f"?passage={a}" for a in anchors] + ["?passage=nope"],
        "documents:document-cite": [f"?passage={a}" for a in anchors[:1]],
        "documents:people": ["?page=2", "?lang=zh-hans"], "documents:places": ["?page=2", "?lang=ru"],
        "documents:organisations": ["?page=2", "?lang=ug"],
        "documents:api-document-list": ["?page=2", "?page=0"], "documents:api-people-list": ["?page=2"],
        "documents:note": ["?format=json"],
    }.get(name, [])
    return [url] + [url + q for q in extra]
