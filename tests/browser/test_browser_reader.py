"""The reader in real Chromium: what a reader does, and axe-core's WCAG 2.1 AA checks."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests import builders as f
from tests.browser.conftest import WCAG_AA, axe_report

pytestmark = pytest.mark.browser

MINUTES = "/documents/minutes-1962-06-08/"
COMPARE = "/compare/minutes-1962-06-08/memorandum-1962-06-07/"
PAGES = [
    "/",
    MINUTES,
    MINUTES + "?view=diplomatic",
    MINUTES + "?speaker=zhang-hanfu",
    COMPARE,
    "/compare/minutes-1962-06-08/minutes-1962-06-08/?left=reading&right=diplomatic",
    "/people/",
    "/people/chervonenko/",
    "/places/",
    "/places/xinjiang/",
    "/organisations/",
    "/organisations/prc-mfa/",
]


def box(locator):
    b = locator.bounding_box()
    assert b is not None
    return b


def overlaps(a, b):
    return not (a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"] or
                a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"])


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1400, 360])
def test_axe_reports_no_wcag_aa_violations(browser, live_server, edition, scheme, width):
    report = axe_report(browser, live_server.url, PAGES, scheme, width)
    assert not report, report


def test_axe_on_editor_view_with_drafts_and_active_note(browser, live_server, edition):
    from django.contrib.auth.models import Permission, User
    from django.test import Client

    user = User.objects.create_user("ed", password="pw-for-tests-1962")
    user.user_permissions.add(*Permission.objects.filter(codename__in=["change_note", "add_note"]))
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(live_server.url + MINUTES + "#n-draft")
    assert page.locator("#n-draft .badge").inner_text().lower() == "draft"
    assert page.locator("script[data-add-url]").count() == 1  # the editors' add-note tool is loaded
    assert not errors, errors
    results = Axe().run(page, options=WCAG_AA)
    context.close()
    assert results.violations_count == 0, results.generate_report()


def test_open_a_note_from_its_marker(page, live_server, edition):
    page.goto(live_server.url + MINUTES)
    marker = page.locator("#ref-n-amb")
    marker.focus()
    page.keyboard.press("Enter")  # a real link: works from the keyboard
    page.wait_for_function("location.hash === '#n-amb'")
    note = page.locator("#n-amb")
    expect(note).to_have_class(re.compile(r"\bis-active\b"))  # set by the hashchange handler
    assert note.is_visible()
    assert note.evaluate("el => el.matches(':target')")
    expect(page.locator('mark.note-anchor.is-active[data-notes~="n-amb"]')).to_have_count(1)
    # Wide screen: the note is beside its passage, level with its marker's line or below it.
    passage = box(page.locator("#m-p2"))
    nb, mb = box(note), box(marker)
    assert nb["x"] > passage["x"] + passage["width"]
    assert mb["y"] - 8 <= nb["y"] < passage["y"] + passage["height"] + 200
    # And back to the text.
    note.locator("a.note-back").click()
    page.wait_for_function("location.hash === '#ref-n-amb'")


def test_follow_a_permalink_and_copy_a_link(browser, live_server, edition):
    context = browser.new_context(viewport={"width": 1400, "height": 500})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()
    f.add_passage(edition["memo"], "memo-filler", "Filler. " * 400)
    page.goto(live_server.url + MINUTES + "#m-p3")
    target = page.locator("#m-p3")
    assert target.evaluate("el => el.matches(':target')")
    assert target.is_visible() and box(target)["y"] < 500
    button = page.locator('button.copy-link[data-anchor="m-p2"]')
    button.click()
    expect(button).to_have_text("Copied")  # the clipboard write is asynchronous
    assert page.evaluate("navigator.clipboard.readText()") == live_server.url + MINUTES + "#m-p2"
    page.locator('.turn-head a.permalink[href="#m-sp1"]').click()
    page.wait_for_function("location.hash === '#m-sp1'")
    context.close()


def test_switch_the_view_and_it_is_remembered(page, live_server, edition):
    page.goto(live_server.url + MINUTES)
    assert page.locator("#m-p1 .corr").inner_text() == "our"
    page.get_by_role("link", name="Diplomatic text").click()
    page.wait_for_url("**?view=diplomatic")
    assert page.locator("#m-p1 .sic").inner_text() == "out"
    page.goto(live_server.url + MINUTES)
    assert page.locator("#m-p1 .sic").count() == 1
    page.get_by_role("link", name="Reading text").click()
    page.wait_for_url("**?view=reading")
    assert page.locator("#m-p1 .corr").count() == 1


def test_correction_shows_the_witness_form_on_focus(page, live_server, edition):
    page.goto(live_server.url + MINUTES)
    corr = page.locator("#m-p1 .corr")
    corr.focus()
    after = corr.evaluate("el => getComputedStyle(el, '::after').content")
    assert "witness" in after and "out" in after


def test_entity_card_on_focus_and_hover(page, live_server, edition):
    page.goto(live_server.url + MINUTES)
    mention = page.locator('#m-p1 a.mention[href="/places/xinjiang/"]')
    mention.focus()
    pop = page.locator(".entity-pop")
    expect(pop).to_contain_text("Xinjiang Uyghur Autonomous Region")
    assert pop.is_visible()
    page.keyboard.press("Escape")
    expect(pop).to_have_count(0)
    page.locator('#m-p2 a.mention').hover()
    expect(page.locator(".entity-pop")).to_contain_text("S. V. Chervonenko")


def _long_memorandum(edition, n=40):
    """Many memorandum passages, the last linked to the minutes' m-p1, so the partner must be scrolled to."""
    for i in range(n):
        f.add_passage(edition["memo"], f"memo-f{i}", f"Paragraph {i} of filler text. " * 8)
    last = f.add_passage(edition["memo"], "memo-last", "A late paragraph, linked to the first turn.")
    f.link(edition["passages"]["p1"], last)
    for i in range(5):
        f.add_passage(edition["memo"], f"memo-g{i}", f"Paragraph {i} of more filler text. " * 8)
    return last


def wait_for_scroll_end(page, selector):
    page.wait_for_function(
        """sel => new Promise(done => {
            const el = document.querySelector(sel); let last = -1;
            const tick = () => {
                if (el.scrollTop === last) done(true); else { last = el.scrollTop; setTimeout(tick, 120); }
            };
            tick(); })""",
        arg=selector,
    )


def test_pick_a_linked_passage_and_see_its_partner(page, live_server, edition):
    _long_memorandum(edition)
    page.goto(live_server.url + COMPARE)
    right = page.locator(".column-right")
    assert right.evaluate("el => el.scrollTop") == 0
    page.locator('#l-m-p1 a.partner').click()
    partner = page.locator("#r-memo-last")
    page.wait_for_function("document.querySelector('#r-memo-last').classList.contains('is-partner')")
    wait_for_scroll_end(page, ".column-right")
    col, pb = box(right), box(partner)
    assert right.evaluate("el => el.scrollTop") > 0
    assert col["y"] <= pb["y"] and pb["y"] + pb["height"] <= col["y"] + col["height"]
    assert "is-partner" in page.locator("#l-m-p1").get_attribute("class")
    # And back from the other side.
    partner.locator("a.partner").click()
    page.wait_for_function("document.querySelector('#l-m-p1').classList.contains('is-partner')")


def test_partner_links_work_without_javascript(browser, live_server, edition):
    _long_memorandum(edition)
    context = browser.new_context(viewport={"width": 1400, "height": 800}, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + COMPARE)
    page.locator('#l-m-p1 a.partner').click()
    page.wait_for_url("**#r-memo-last")
    right, partner = page.locator(".column-right"), page.locator("#r-memo-last")
    col, pb = box(right), box(partner)
    assert col["y"] <= pb["y"] < col["y"] + col["height"]
    # Notes open from their markers without JS too.
    page.goto(live_server.url + MINUTES)
    page.locator("#ref-n-corr").click()
    page.wait_for_url("**#n-corr")
    assert page.locator("#n-corr").evaluate("el => el.matches(':target')")
    context.close()


def test_compare_stacks_on_narrow_screens_and_keeps_partner_links(narrow_page, live_server, edition):
    _long_memorandum(edition)
    narrow_page.goto(live_server.url + COMPARE)
    left, right = box(narrow_page.locator(".column-left")), box(narrow_page.locator(".column-right"))
    assert right["y"] >= left["y"] + left["height"]  # stacked
    assert narrow_page.evaluate("document.documentElement.scrollWidth") <= 360
    narrow_page.locator("#l-m-p1 a.partner").click()
    narrow_page.wait_for_function("document.querySelector('#r-memo-last').classList.contains('is-partner')")
    wait_for_scroll_end(narrow_page, "html")
    partner = box(narrow_page.locator("#r-memo-last"))
    assert 0 <= partner["y"] < 740


def _crowd_notes(edition):
    """Six notes on neighbouring words of one short passage, and a long note: the margin is crowded."""
    p = edition["passages"]["p3"]
    for i, word in enumerate(["We", "will", "continue", "to", "do", "this"]):
        f.note(p, word, f"Note {i} on “{word}”. " + "It has some length. " * (3 if i % 2 else 1))


@pytest.mark.parametrize("width", [1024, 1400, 1920])
def test_margin_notes_never_overlap_and_never_drift(browser, live_server, edition, width):
    _crowd_notes(edition)
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(live_server.url + MINUTES)
    notes = page.locator(".rows > .notes .note")
    boxes = [box(notes.nth(i)) for i in range(notes.count())]
    assert len(boxes) >= 9
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not overlaps(a, b), (a, b)
    asides = page.locator(".rows > .notes")
    for i in range(asides.count()):
        aside = asides.nth(i)
        passage = box(page.locator("#" + aside.get_attribute("data-for")))
        group = box(aside)
        assert group["x"] >= passage["x"] + passage["width"]  # in the margin, not over the text
        assert abs(group["y"] - passage["y"]) < 2 or group["y"] > passage["y"]  # starts level with its passage
        for j in range(aside.locator(".note").count()):
            note = aside.locator(".note").nth(j)
            nb, marker = box(note), box(page.locator(f"#ref-{note.get_attribute('id')}"))
            assert nb["y"] >= marker["y"] - 8 or j > 0  # never above its marker's line
            # never below a later passage that has notes of its own (they would be out of order)
            following = page.locator(".rows > .notes").nth(i + 1) if i + 1 < asides.count() else None
            if following is not None and following.evaluate("(el, a) => el.parentElement === a.parentElement",
                                                             aside.element_handle()):
                assert nb["y"] + nb["height"] <= box(following)["y"] + 1
    context.close()


def test_narrow_screen_shows_numbered_footnotes_below_the_paragraph(narrow_page, live_server, edition):
    narrow_page.goto(live_server.url + MINUTES)
    passage, note = box(narrow_page.locator("#m-p2")), box(narrow_page.locator("#n-supplied"))
    assert note["y"] >= passage["y"] + passage["height"]
    assert narrow_page.locator("#n-supplied .note-back").inner_text() == "2"
    width = narrow_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, "no horizontal scrolling at 360 px"


def test_print_shows_notes_as_footnotes_and_hides_tools(page, live_server, edition):
    page.goto(live_server.url + MINUTES)
    page.emulate_media(media="print")
    assert not page.locator(".doc-tools").is_visible()
    assert not page.locator(".ptools").first.is_visible()
    passage, note = box(page.locator("#m-p2")), box(page.locator("#n-supplied"))
    assert note["y"] >= passage["y"] + passage["height"]
    assert len(page.pdf()) > 1000


def test_the_accessibility_check_can_fail(page):
    """Guard against a silently broken checker: a page with known violations is reported."""
    page.set_content('<html><body><img src="data:,"><a href="#"></a></body></html>')
    results = Axe().run(page, options=WCAG_AA)
    assert results.violations_count >= 2


def test_no_script_errors_and_no_third_party_requests(page, live_server, edition):
    errors, foreign = [], []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("request", lambda req: foreign.append(req.url) if not req.url.startswith(live_server.url) else None)
    for url in PAGES:
        page.goto(live_server.url + url)
        page.mouse.move(300, 300)
    page.set_viewport_size({"width": 700, "height": 900})  # resize: notes are placed again
    page.emulate_media(media="print")
    assert not errors and not foreign, (errors, foreign)
