"""The search page in Chromium: WCAG 2.1 AA (axe-core), light/dark, narrow/wide, and without JavaScript."""


import pytest

from tests.browser.conftest import axe_report

pytestmark = pytest.mark.browser

PAGES = [
    "/search/",
    "/search/?q=repatriate+OR+return+OR+%22come+back%22",
    "/search/?q=Sinkiang&speaker=zhang-hanfu",
    "/search/?q=zzzzqqq",
    "/search/?q=%22",
]



@pytest.mark.parametrize("scheme, width", [("light", 1400), ("dark", 1400), ("light", 360), ("dark", 360)])
def test_axe_on_the_search_pages(browser, live_server, real_edition, scheme, width):
    report = axe_report(browser, live_server.url, PAGES, scheme, width)
    assert not report, report


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
