"""The search page in Chromium: WCAG 2.1 AA (axe-core), light/dark, narrow/wide, and without JavaScript."""

import io

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

pytestmark = pytest.mark.browser

WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
PAGES = [
    "/search/",
    "/search/?q=repatriate+OR+return+OR+%22come+back%22",
    "/search/?q=Sinkiang&speaker=zhang-hanfu",
    "/search/?q=zzzzqqq",
    "/search/?q=%22",
]


@pytest.fixture
def real_edition(transactional_db):
    call_command("import_tei", stdout=io.StringIO(), stderr=io.StringIO())


@pytest.mark.parametrize("scheme, width", [("light", 1400), ("dark", 1400), ("light", 360), ("dark", 360)])
def test_axe_on_the_search_pages(browser, live_server, real_edition, scheme, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    problems = {}
    for url in PAGES:
        page.goto(live_server.url + url)
        results = Axe().run(page, options=WCAG_AA)
        if results.violations_count:
            problems[url] = results.generate_report()
    context.close()
    assert not problems, "\n\n".join(f"{url}:\n{report}" for url, report in problems.items())


def test_search_works_without_javascript(browser, live_server, real_edition):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/")
    page.click("text=Search")
    page.fill("#search-page-q", "repatriation")
    page.click("form.search-box button[type=submit]")
    assert "repatriation" in page.url
    page.click(".search-facet:has(h3:text-is('Speaker')) a:has-text('Zhang Hanfu')")
    assert "speaker=zhang-hanfu" in page.url
    link = page.locator(".search-hit__link").first
    assert link.get_attribute("href") == "/documents/minutes-1962-06-08/#m-zhang-1-repatriation"
    link.click()
    assert page.url.endswith("#m-zhang-1-repatriation")
    context.close()
