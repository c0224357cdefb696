"""The interface languages in real Chromium (issue 15.1, docs/i18n.md): home and the minutes reader in en,
zh-Hans, ru and ug pass axe-core's WCAG 2.1 AA checks; Uyghur is right to left and its layout is mirrored
(the margin notes on the other side of the text); the switcher works without JavaScript."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings

from tests.browser.conftest import WCAG_AA

pytestmark = pytest.mark.browser

MINUTES = "/documents/minutes-1962-06-08/"
LANGUAGES = ["en", "zh-hans", "ru", "ug"]
PEOPLE = {"en": "People", "zh-hans": "人物", "ru": "Лица", "ug": "كىشىلەر"}


def reader_in(browser, lang, width=1400, javascript=True):
    context = browser.new_context(viewport={"width": width, "height": 900}, java_script_enabled=javascript,
                                  extra_http_headers={"Accept-Language": lang})  # fmt: skip
    return context, context.new_page()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_home_and_reader_pass_axe_in_each_language(browser, live_server, edition, lang):
    context, page = reader_in(browser, lang)
    axe = Axe()
    problems = {}
    for url in ("/", MINUTES):
        page.goto(live_server.url + url)
        assert page.get_attribute("html", "lang") == lang
        assert page.get_attribute("html", "dir") == ("rtl" if lang == "ug" else "ltr")
        assert page.locator("nav.site-nav a[href='/people/']").inner_text() == PEOPLE[lang]
        results = axe.run(page, options=WCAG_AA)
        if results.violations_count:
            problems[url] = results.generate_report()
    context.close()
    assert not problems, "\n\n".join(f"{url}:\n{report}" for url, report in problems.items())


def _layout(browser, live_server, lang):
    context, page = reader_in(browser, lang)
    page.goto(live_server.url + MINUTES)
    notes = page.locator("aside.notes").first
    passage = page.locator(f"#{notes.get_attribute('data-for')}")
    tools = page.locator(".ptools").first
    turn = page.locator("section.turn").first
    boxes = {
        "notes": notes.bounding_box(),
        "passage": passage.bounding_box(),
        "tools": tools.bounding_box(),
        "turn_border_start": turn.evaluate("t => getComputedStyle(t).borderInlineStartWidth"),
        "turn_border_left": turn.evaluate("t => getComputedStyle(t).borderLeftWidth"),
        "turn_border_right": turn.evaluate("t => getComputedStyle(t).borderRightWidth"),
        "passage_dir": passage.evaluate("p => getComputedStyle(p).direction"),
        "width": page.evaluate("document.documentElement.clientWidth"),
        "scroll_width": page.evaluate("document.documentElement.scrollWidth"),
    }
    context.close()
    return boxes


def test_uyghur_mirrors_the_layout_and_moves_the_margin_notes(browser, live_server, edition):
    en, ug = _layout(browser, live_server, "en"), _layout(browser, live_server, "ug")
    # English: paragraph tools, text, then the notes to its right.
    assert en["tools"]["x"] < en["passage"]["x"] < en["notes"]["x"]
    assert en["notes"]["x"] >= en["passage"]["x"] + en["passage"]["width"]
    # Uyghur: the same columns from the right: the notes to the text's left, the tools to its right.
    assert ug["notes"]["x"] + ug["notes"]["width"] <= ug["passage"]["x"]
    assert ug["tools"]["x"] >= ug["passage"]["x"] + ug["passage"]["width"]
    # Mirrored, not moved: each box sits at the mirror image of its English place (within a few pixels).
    for name in ("notes", "passage", "tools"):
        mirrored = en["width"] - (en[name]["x"] + en[name]["width"])
        assert abs(ug[name]["x"] - mirrored) < 4, (name, ug[name]["x"], mirrored)
    # The turn's side rule is on the start edge: left in English, right in Uyghur.
    assert en["turn_border_left"] == en["turn_border_start"] != "0px"
    assert ug["turn_border_right"] == ug["turn_border_start"] != "0px" and ug["turn_border_left"] == "0px"
    # The edition's English text keeps its own direction inside the mirrored page; nothing overflows.
    assert ug["passage_dir"] == "ltr" and en["passage_dir"] == "ltr"
    assert ug["scroll_width"] <= ug["width"]


def test_the_switcher_works_without_javascript(browser, live_server, edition):
    context, page = reader_in(browser, "en", javascript=False)
    page.goto(live_server.url + MINUTES + "?view=reading")
    page.select_option("#language-select", "ru")
    page.locator("form.language-switcher button[type=submit]").click()
    page.wait_for_load_state()
    assert page.url == live_server.url + MINUTES + "?view=reading"
    assert page.get_attribute("html", "lang") == "ru"
    assert page.locator("nav.site-nav a[href='/people/']").inner_text() == "Лица"
    page.goto(live_server.url + "/")  # the choice sticks (cookie)
    assert page.get_attribute("html", "lang") == "ru"
    cookie = {c["name"]: c["value"] for c in context.cookies()}[settings.LANGUAGE_COOKIE_NAME]
    assert cookie == "ru"
    context.close()
