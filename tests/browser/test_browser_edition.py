"""axe-core on the real edition (documents/tei/ imported), and the margin notes of the real minutes."""

import io

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

pytestmark = pytest.mark.browser

WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
PAGES = [
    "/",
    "/documents/minutes-1962-06-08/",
    "/documents/minutes-1962-06-08/?view=diplomatic",
    "/documents/memorandum-1962-06-07/",
    "/compare/minutes-1962-06-08/memorandum-1962-06-07/",
    "/compare/memorandum-1962-06-07/memorandum-1962-06-07/?left=reading&right=diplomatic",
    "/people/",
    "/people/chervonenko/",
    "/places/xinjiang/",
    "/organisations/",
]


@pytest.fixture
def real_edition(transactional_db):
    call_command("import_tei", stdout=io.StringIO(), stderr=io.StringIO())


@pytest.mark.parametrize("scheme, width", [("light", 1400), ("dark", 1400), ("light", 360), ("dark", 360)])
def test_axe_on_the_real_edition(browser, live_server, real_edition, scheme, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    axe = Axe()
    problems = {}
    for url in PAGES:
        page.goto(live_server.url + url)
        results = axe.run(page, options=WCAG_AA)
        if results.violations_count:
            problems[url] = results.generate_report()
    context.close()
    assert not problems, "\n\n".join(f"{url}:\n{report}" for url, report in problems.items())


@pytest.mark.parametrize("width", [1024, 1440, 1920])
def test_real_margin_notes_never_overlap(browser, live_server, real_edition, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(live_server.url + "/documents/minutes-1962-06-08/")
    boxes = page.eval_on_selector_all(
        ".rows > .notes .note", "els => els.map(e => { const r = e.getBoundingClientRect(); "
        "return [r.left, r.top + scrollY, r.right, r.bottom + scrollY]; })"
    )
    assert len(boxes) >= 10
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert a[3] <= b[1] or b[3] <= a[1] or a[2] <= b[0] or b[2] <= a[0], (a, b)
    # In document order, each note starts no higher than the previous one ends.
    tops = [b[1] for b in boxes]
    assert tops == sorted(tops)
    context.close()
