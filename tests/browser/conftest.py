"""Browser fixtures: Debian's Chromium driven by Playwright against pytest-django's live server.

Sync Playwright runs an event loop in the test thread, so Django's async-safety check must be
relaxed for these tests (DJANGO_ALLOW_ASYNC_UNSAFE); the live server runs in its own thread.
"""

import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("EDITION_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(autouse=True)
def _base_url_of_the_live_server(request, settings):
    """Absolute URLs come from settings.EDITION_BASE_URL (never the Host header): the live server's origin."""
    if "live_server" in request.fixturenames:
        settings.EDITION_BASE_URL = request.getfixturevalue("live_server").url


@pytest.fixture(scope="module")
def browser():
    """One Chromium per test module: only one sync Playwright may run at a time, and other areas' browser
    tests start their own."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _page_of_size(browser, width, height):
    context = browser.new_context(viewport={"width": width, "height": height})
    yield context.new_page()
    context.close()


@pytest.fixture
def page(browser):
    yield from _page_of_size(browser, 1400, 900)


@pytest.fixture
def narrow_page(browser):
    yield from _page_of_size(browser, 360, 740)


@pytest.fixture
def edition(transactional_db):
    from tests.builders import make_edition

    return make_edition()


WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def axe_report(browser, base_url, urls, scheme="light", width=1400) -> str:
    """axe-core's WCAG 2.1 AA report for every page in `urls` ('' when none has a violation)."""
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    axe = Axe()
    problems = {}
    for url in urls:
        page.goto(base_url + url)
        results = axe.run(page, options=WCAG_AA)
        if results.violations_count:
            problems[url] = results.generate_report()
    context.close()
    return "\n\n".join(f"{url}:\n{report}" for url, report in problems.items())


@pytest.fixture
def real_edition(transactional_db):
    """The edition's own TEI (documents/tei/), imported as `make run` does."""
    import io

    from django.core.management import call_command

    call_command("import_tei", stdout=io.StringIO(), stderr=io.StringIO())
