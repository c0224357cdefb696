"""Shared fixtures."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(autouse=True)
def _empty_page_cache():
    """Reading pages are cached (documents/cache.py). A test's database is rolled back without bumping the
    content version, so a page cached by one test could be served to the next: each test starts empty."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _base_url_of_the_test_client(settings):
    """Absolute URLs come from settings.EDITION_BASE_URL (never the Host header): the test client's origin."""
    settings.EDITION_BASE_URL = "http://testserver"


@pytest.fixture
def fixtures_dir():
    return FIXTURES


@pytest.fixture
def no_edition_schema(settings):
    """The small test files are not meant to satisfy the edition's schema (the import tests' modules use
    it for every test: `pytest.mark.usefixtures("no_edition_schema")`; a test may set a schema again)."""
    settings.EDITION_TEI_SCHEMA = None


@pytest.fixture
def edition(tei_edition_copy):
    """The small test edition's copy (the import tests' name for it; a module may define its own)."""
    return tei_edition_copy


@pytest.fixture
def tei_edition_copy(tmp_path, settings):
    """A writable copy of the small test edition (tests/fixtures/tei/edition/), for import tests that
    change files; the edition's schema is off (the small files are not meant to satisfy it)."""
    import shutil

    settings.EDITION_TEI_SCHEMA = None
    target = tmp_path / "edition"
    shutil.copytree(FIXTURES / "tei" / "edition", target)
    return target


@pytest.fixture(scope="session")
def tei_all():
    """TEI P5 (../shared/schemas/tei_all.rng): parsing it takes seconds, so once per test session."""
    from lxml import etree

    from documents.tei.parser import make_parser

    return etree.RelaxNG(etree.parse(str(SHARED / "schemas" / "tei_all.rng"), make_parser()))


# -- fixtures of the editing tests: editor users, a small document built with the ORM (tests/builders.py)
@pytest.fixture
def editor(db):
    from tests.builders import make_editor

    return make_editor()


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def superuser_client(client, db):
    from django.contrib.auth.models import User

    user = User.objects.create_superuser("admin", email="admin@example.org", password=None)
    client.force_login(user)
    return client


@pytest.fixture
def minutes(db):
    from tests.builders import MINUTES, make_document

    return make_document(texts=MINUTES)
