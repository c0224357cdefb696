"""static/js/add-note.js in a real browser: a selection in a passage becomes a pre-filled admin URL."""

from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

pytestmark = pytest.mark.browser

SCRIPT = (Path(__file__).resolve().parent.parent / "static" / "js" / "add-note.js").read_text(encoding="utf-8")
PAGE = """<!doctype html><html><body>
<article>
  <p class="passage" id="m-p1"><span class="speaker-label">Zhang:</span> the memorandum and
     <a class="note-ref" href="#n1">1</a>the   memorandum again.</p>
  <div data-anchor="m-p2" data-document="other-doc">Words of   a second
     passage.</div>
</article>
<script src="/static/js/add-note.js" data-add-url="/admin/documents/note/add/" data-document="minutes"></script>
</body></html>"""


@pytest.fixture
def page():
    from playwright.sync_api import sync_playwright

    def serve(route):
        if route.request.url.endswith("/add-note.js"):
            route.fulfill(body=SCRIPT, content_type="text/javascript")
        else:
            route.fulfill(body=PAGE, content_type="text/html")

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = browser.new_page()
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.route("http://edition.test/**", serve)
        page.goto("http://edition.test/documents/minutes/")
        yield page
        browser.close()
        assert errors == []


def select(page, selector, text, occurrence=1):
    """Select the n-th occurrence of `text` inside the element (across text nodes)."""
    # Start from no selection, so the button's link cannot be the previous selection's.
    page.evaluate("window.getSelection().removeAllRanges()")
    page.wait_for_selector("a.add-note-button", state="hidden")
    page.evaluate(
        """([selector, text, occurrence]) => {
            const root = document.querySelector(selector);
            const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
            const nodes = []; let all = "";
            while (walker.nextNode()) { nodes.push([walker.currentNode, all.length]); all += walker.currentNode.data; }
            let at = -1;
            for (let i = 0; i < occurrence; i++) at = all.indexOf(text, at + 1);
            const locate = (offset) => {
                for (let i = nodes.length - 1; i >= 0; i--) {
                    if (nodes[i][1] <= offset) return [nodes[i][0], offset - nodes[i][1]];
                }
            };
            const range = document.createRange();
            range.setStart(...locate(at)); range.setEnd(...locate(at + text.length));
            const sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(range);
        }""",
        [selector, text, occurrence],
    )
    page.wait_for_selector("a.add-note-button:not([hidden])")
    href = page.get_attribute("a.add-note-button", "href")
    url = urlparse(href)
    return url.path, {k: v[0] for k, v in parse_qs(url.query).items()}


def test_selection_opens_the_prefilled_add_form(page):
    path, params = select(page, "#m-p1", "the memorandum", occurrence=1)
    assert path == "/admin/documents/note/add/"
    assert params == {"document": "minutes", "anchor": "m-p1", "exact": "the memorandum", "occurrence": "1"}


def test_second_occurrence_is_counted_without_note_markers(page):
    _, params = select(page, "#m-p1", "memorandum again")
    assert params["occurrence"] == "1"
    _, params = select(page, "#m-p1", "the   memorandum", occurrence=1)
    assert (params["exact"], params["occurrence"]) == ("the memorandum", "2")


def test_data_anchor_and_document_of_the_container(page):
    _, params = select(page, "[data-anchor=m-p2]", "of   a second\n     passage")
    assert params == {"document": "other-doc", "anchor": "m-p2", "exact": "of a second passage", "occurrence": "1"}


def test_no_button_outside_passages_or_across_two(page):
    page.evaluate(
        """() => {
            const range = document.createRange();
            range.setStart(document.querySelector('#m-p1').lastChild, 3);
            range.setEnd(document.querySelector('[data-anchor=m-p2]').firstChild, 5);
            const sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(range);
        }"""
    )
    page.wait_for_timeout(200)
    assert page.get_attribute("a.add-note-button", "hidden") is not None
