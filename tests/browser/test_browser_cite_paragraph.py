"""Citing one paragraph in Chromium: the reader's "Cite" link opens the paragraph's panel inline (with JS)
or its cite page (without); the citation can be copied; axe-core finds no WCAG 2.1 AA violation."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.conftest import WCAG_AA

pytestmark = pytest.mark.browser

MINUTES = "/documents/minutes-1962-06-08/"
CITE_PAGE = MINUTES + "cite/?passage=m-p2"


def cite_link(page, anchor):
    return page.locator(f".ptools:has(+ #{anchor}) a.cite-link")


def test_open_and_copy_a_paragraph_citation(browser, live_server, edition):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(live_server.url + MINUTES)
    link = cite_link(page, "m-p2")
    expect(link).to_have_attribute("aria-expanded", "false")
    link.focus()
    page.keyboard.press("Enter")
    pop = page.locator("#pop-cite-m-p2")
    expect(pop).to_be_visible()
    expect(pop).to_be_focused()
    expect(link).to_have_attribute("aria-expanded", "true")
    expect(link).to_have_attribute("aria-controls", "pop-cite-m-p2")
    assert page.url == live_server.url + MINUTES  # stayed on the reader
    chicago = pop.locator("#cite-m-p2-chicago")
    assert chicago.inner_text().endswith(f"{live_server.url}{MINUTES}#m-p2.")
    pop.get_by_role("button", name="Copy Chicago citation").click()
    expect(pop.locator(".cite-status")).to_have_text("Citation copied.")
    assert page.evaluate("navigator.clipboard.readText()") == chicago.inner_text()
    # Escape closes it and gives the focus back to the link.
    page.keyboard.press("Escape")
    expect(pop).to_be_hidden()
    expect(link).to_have_attribute("aria-expanded", "false")
    expect(link).to_be_focused()
    # Opening it again reuses the panel; another paragraph's link closes it; a click outside closes that one.
    link.click()
    expect(pop).to_be_visible()
    cite_link(page, "m-p3").focus()  # the open panel lies over the next paragraph: reach its link by keyboard
    page.keyboard.press("Enter")
    expect(page.locator("#pop-cite-m-p3")).to_be_visible()
    expect(pop).to_be_hidden()
    page.locator("#m-p1").click()
    expect(page.locator("#pop-cite-m-p3")).to_be_hidden()
    expect(cite_link(page, "m-p3")).to_have_attribute("aria-expanded", "false")
    # The close button works too.
    link.click()
    pop.get_by_role("button", name="Close").click()
    expect(pop).to_be_hidden()
    expect(link).to_be_focused()
    assert page.locator("[id='pop-cite-m-p2']").count() == 1
    assert not errors
    context.close()


def test_without_javascript_the_link_opens_the_cite_page(browser, live_server, edition):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + MINUTES)
    cite_link(page, "m-p2").click()
    page.wait_for_url(live_server.url + CITE_PAGE)
    panel = page.locator("#cite-m-p2")
    expect(panel.locator("#cite-m-p2-chicago")).to_be_visible()  # open without a click
    with page.expect_download() as download:
        panel.get_by_role("link", name="RIS").click()
    assert download.value.suggested_filename == "minutes-1962-06-08-m-p2.ris"
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1400, 360])
def test_axe_on_the_cite_page_and_the_open_panel(browser, live_server, edition, scheme, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    axe = Axe()
    page.goto(live_server.url + CITE_PAGE)
    expect(page.locator("#cite-m-p2 .cite-copy").first).to_be_visible()
    on_page = axe.run(page, options=WCAG_AA)
    page.goto(live_server.url + MINUTES)
    cite_link(page, "m-p2").click()
    expect(page.locator("#pop-cite-m-p2")).to_be_visible()
    inline = axe.run(page, options=WCAG_AA)
    context.close()
    assert on_page.violations_count == 0, on_page.generate_report()
    assert inline.violations_count == 0, inline.generate_report()
