"""The Cite panel in Debian's Chromium: it works without JavaScript, copies a paragraph's citation
with it, and passes axe-core's WCAG 2.1 AA checks open, in light and dark mode."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import WCAG_AA
from tests.builders import reader_edition

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.urls("tests.cite_browser_urls")]

PAGE = "/cite-page/minutes-1962-06-08/"


@pytest.fixture
def edition():
    return reader_edition()


def test_copy_a_paragraph_citation(browser, live_server, edition):
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()
    page.goto(live_server.url + PAGE)
    panel = page.locator("#cite-m-zhang-report")
    panel.locator("summary").click()
    button = panel.get_by_role("button", name="Copy Chicago citation")
    assert button.is_visible()
    button.click()
    page.wait_for_function("document.querySelector('#cite-m-zhang-report .cite-status').textContent !== ''")
    assert panel.locator(".cite-status").inner_text() == "Citation copied."
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == panel.locator("#cite-m-zhang-report-chicago").inner_text()
    assert copied.startswith("PRC Ministry of Foreign Affairs. “Minutes of the Meeting")
    assert copied.endswith(f"{live_server.url}/documents/minutes-1962-06-08/#m-zhang-report.")
    context.close()


def test_the_panel_works_without_javascript(browser, live_server, edition):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + PAGE)
    panel = page.locator("#cite-m-zhang-report")
    assert not panel.locator(".citation").first.is_visible()
    panel.locator("summary").click()
    assert panel.locator("#cite-m-zhang-report-apa").is_visible()
    assert not panel.get_by_role("button").first.is_visible()  # copy buttons need JS: hidden without it
    with page.expect_download() as download:
        panel.get_by_role("link", name="BibTeX").click()
    assert download.value.suggested_filename == "minutes-1962-06-08-m-zhang-report.bib"
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1200, 360])
def test_open_panels_pass_axe(browser, live_server, edition, scheme, width):
    context = browser.new_context(viewport={"width": width, "height": 800}, color_scheme=scheme)
    page = context.new_page()
    page.goto(live_server.url + PAGE)
    page.locator("#cite-minutes-1962-06-08 summary").click()
    page.locator("#cite-m-zhang-report summary").click()
    results = Axe().run(page, options=WCAG_AA)
    context.close()
    assert results.violations_count == 0, results.generate_report()
