"""Real TEI imported once per test module, and every URL of the site enumerated from the resolver.

`imported_once(django_db_blocker, *paths)` imports the files inside an outer transaction that is rolled back
when the module's tests are done: each test's own transaction is a savepoint inside it, so the import is paid
once per module and nothing is left behind for other modules. (Only for `db` tests, not `transactional_db`.)
"""

from __future__ import annotations

import contextlib
from io import StringIO

from django.core.management import call_command
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver

from tests.conftest import FIXTURES, SHARED

SAMPLES = sorted((SHARED / "samples").glob("*.xml"))
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
