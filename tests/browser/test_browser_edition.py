"""axe-core on the real edition (documents/tei/ imported), and the margin notes of the real minutes."""


import pytest

from tests.browser.conftest import axe_report

pytestmark = pytest.mark.browser

PAGES = [
    "/",
    "/documents/minutes-1962-06-08/",
    "/documents/minutes-1962-06-08/?view=diplomatic",
    "/documents/memorandum-1962-06-07/",
    "/compare/minutes-1962-06-08/memorandum-1962-06-07/",
    "/compare/memorandum-1962-06-07/memorandum-1962-06-07/?left=reading&right=diplomatic",
    "/people/",
    "/people/chervonenko/",
    "/places/",  # the map of the places and its list (docs/map.md)
    "/places/xinjiang/",
    "/organisations/",
]



@pytest.mark.parametrize("scheme, width", [("light", 1400), ("dark", 1400), ("light", 360), ("dark", 360)])
def test_axe_on_the_real_edition(browser, live_server, real_edition, scheme, width):
    report = axe_report(browser, live_server.url, PAGES, scheme, width)
    assert not report, report


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
