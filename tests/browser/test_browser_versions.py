"""axe-core on the pages of versions: a version's text, the latest, the change page (light/dark, wide/narrow)."""

import pytest

from tests.browser.conftest import axe_report
from tests.versions_helpers import MINUTES, NEW, OLD, imported_copy, note_on, reimport

pytestmark = pytest.mark.browser
PAGES = [
    f"/documents/{MINUTES}/v/1/",
    f"/documents/{MINUTES}/v/2/?view=diplomatic",
    f"/documents/{MINUTES}/changes/?from=1&to=2",
    f"/documents/{MINUTES}/changes/?from=1&to=2&view=diplomatic",
    f"/documents/{MINUTES}/cite/?passage=m-zhang-1-measures&version=1",
    f"/documents/{MINUTES}/",
]


@pytest.fixture
def corrected(transactional_db, tmp_path):
    tei_dir = imported_copy(tmp_path)
    note_on("m-zhang-1-measures", "we appreciate such efforts")
    reimport(tei_dir, OLD, NEW, message="Corrected a word.")


@pytest.mark.parametrize("scheme, width", [("light", 1400), ("dark", 1400), ("light", 360), ("dark", 360)])
def test_axe_on_the_pages_of_versions(browser, live_server, corrected, scheme, width):
    report = axe_report(browser, live_server.url, PAGES, scheme, width)
    assert not report, report


def test_the_permalink_of_an_old_paragraph_shows_its_old_words(browser, live_server, corrected):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.goto(live_server.url + f"/documents/{MINUTES}/v/1/#m-zhang-1-measures")
    assert "we appreciate such efforts" in page.inner_text("#m-zhang-1-measures")
    context.close()
