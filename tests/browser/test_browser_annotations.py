"""Every published annotation anchors in the served page with Apache Annotator (issue 11.1).

Apache Annotator (`@apache-annotator/dom` and `@apache-annotator/selector` 0.2.0 from npm, exact
matching) is installed into the ignored `.clients/annotator/` and bundled with esbuild
(tests/browser/annotator/: package.json and the entry point, the only committed parts). On every
document page it resolves each annotation of `/documents/<slug>/annotations.jsonld` the way its
README shows: `makeRefinable` over a FragmentSelector matcher (the element with that id; Annotator
0.2 has none of its own) and its own TextQuote and TextPosition matchers. Each alternative must
match exactly once, on the note's words, at the same place as the other.
"""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from documents.models import Document, Note
from tests.builders import make_note
from tests.conftest import ROOT

pytestmark = pytest.mark.browser

SOURCE = ROOT / "tests" / "browser" / "annotator"
BUILD = ROOT / ".clients" / "annotator"
BUNDLE = BUILD / "annotator.js"


@pytest.fixture(scope="session")
def annotator_bundle():
    if not BUNDLE.exists():
        BUILD.mkdir(parents=True, exist_ok=True)
        for name in ("package.json", "entry.js"):
            shutil.copy(SOURCE / name, BUILD / name)
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--loglevel=error"], cwd=BUILD, check=True,
                       timeout=600)  # fmt: skip
        subprocess.run([str(BUILD / "node_modules" / ".bin" / "esbuild"), "entry.js", "--bundle", "--format=iife",
                        "--target=es2020", f"--outfile={BUNDLE}"], cwd=BUILD, check=True, timeout=300)  # fmt: skip
    return BUNDLE


ANCHOR_ALL = """
async (annotations) => {
  const A = window.EditionAnnotator;
  const createMatcher = A.makeRefinable((selector) => {
    if (selector.type === "FragmentSelector") {
      return async function* (scope) {
        const element = document.getElementById(selector.value);
        if (element) { const range = document.createRange(); range.selectNodeContents(element); yield range; }
      };
    }
    if (selector.type === "TextQuoteSelector") return A.createTextQuoteSelectorMatcher(selector);
    if (selector.type === "TextPositionSelector") return A.createTextPositionSelectorMatcher(selector);
    throw new Error("no matcher for " + selector.type);
  });
  const results = [];
  for (const annotation of annotations) {
    const target = annotation.target;
    const selectors = Array.isArray(target.selector) ? target.selector : [target.selector];
    const found = [];
    for (const selector of selectors) {
      const element = document.getElementById(selector.value);
      const matches = [];
      for await (const range of createMatcher(selector)(document)) {
        const before = document.createRange();
        before.setStart(element, 0);
        before.setEnd(range.startContainer, range.startOffset);
        matches.push({text: range.toString(), start: before.toString().length,
                      inside: element.contains(range.commonAncestorContainer)});
      }
      found.push({type: selector.refinedBy ? selector.refinedBy.type : selector.type, matches});
    }
    results.push({id: annotation.id, found});
  }
  return results;
}
"""


def test_every_published_annotation_anchors_uniquely_on_its_words(browser, live_server, real_edition,
                                                                   annotator_bundle):  # fmt: skip
    # An editor's note on words of a turn's first passage (the page writes the speaker label before them).
    minutes = Document.objects.get(slug="minutes-1962-06-08")
    make_note(minutes, "m-zhang-1-report", "our government", body="On the words after the speaker label.")
    make_note(minutes, "m-zhang-1-report", "I will", body="At the very start of the passage.")
    # Apache Annotator is injected as a client would run it (an extension or a bookmarklet); the page's CSP
    # (script-src 'self', tests/browser/test_browser_csp.py) refuses injected scripts, so the test context bypasses it.
    page = browser.new_context(bypass_csp=True).new_page()
    checked = 0
    for document in Document.objects.all():
        page.goto(f"{live_server.url}/documents/{document.slug}/")
        page.add_script_tag(path=str(annotator_bundle))
        annotations = json.loads(page.evaluate(
            f"fetch('/documents/{document.slug}/annotations.jsonld').then(r => r.text())"))["items"]  # fmt: skip
        notes = {f"{live_server.url}/notes/{n.uuid}/": n for n in Note.objects.published().filter(document=document)}
        assert set(notes) == {a["id"] for a in annotations}
        for result in page.evaluate(ANCHOR_ALL, annotations):
            note = notes[result["id"]]
            starts = set()
            for alternative in result["found"]:
                assert len(alternative["matches"]) == 1, (note.xml_id or note.pk, alternative)  # uniquely
                (match,) = alternative["matches"]
                assert match["inside"], (note.xml_id, alternative)
                if alternative["type"] == "FragmentSelector":  # a note on the whole passage
                    assert note.start is None
                    continue
                assert match["text"] == note.exact, (note.xml_id, match, note.exact)  # the right words
                starts.add(match["start"])
            assert len(starts) <= 1, (note.xml_id, result)  # quote and position agree: at their position
            checked += 1
    page.close()
    assert checked == Note.objects.published().count() >= 20
