"""The XSS sweep in Chromium: the hostile corpus (every TEI field and every editor's note body a payload,
tests/attack_data.py) on every HTML page type, and every payload reflected through the URL parameters of the
reader, search and cite pages. Nothing may execute: no dialog (alert/confirm/prompt/print are also trapped
before the page's own scripts run), no console message from a payload, no request to another host, and no
injected element or attribute (on* handlers, javascript:/data: URLs, iframes, objects, bases, refreshes) in
the DOM once the page has loaded -- the last also catches what a CSP would merely block.
"""

from __future__ import annotations

from urllib.parse import urlencode, urlparse

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.attack_data import PAYLOADS, add_editor_notes, write_hostile_tei
from tests.pages_data import fill, url_patterns, variants

pytestmark = [pytest.mark.browser]
HTML_PAGES = {"documents:home", "documents:document", "documents:compare", "documents:people", "documents:places",
              "documents:organisations", "documents:person", "documents:place", "documents:organisation",
              "documents:search", "documents:cite-page"}  # fmt: skip
TRAP = """
(() => {
  const hit = (what) => { (window.__xss = window.__xss || []).push(what); console.log('XSS-EXECUTED ' + what); };
  for (const name of ['alert', 'confirm', 'prompt', 'print']) {
    window[name] = (...args) => hit(name + '(' + args.join(',') + ')');
  }
})();
"""
SCAN = """
() => {
  const bad = [];
  const urlAttrs = ['href', 'src', 'action', 'formaction', 'data', 'background', 'xlink:href', 'poster'];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      const value = attr.value.replace(/[\\s\\u0000-\\u001f]/g, '').toLowerCase();
      if (name.startsWith('on')) bad.push(el.tagName + '[' + name + ']');
      if (name === 'srcdoc') bad.push(el.tagName + '[srcdoc]');
      if (urlAttrs.includes(name) && /^(javascript|vbscript|data):/.test(value)) bad.push(el.tagName + '[' + name + '=' + value.slice(0, 30) + ']');
    }
  }
  for (const s of document.scripts) {
    const type = (s.type || '').toLowerCase();
    const data = type === 'application/ld+json' || type === 'application/json';
    if (s.src && new URL(s.src).origin !== location.origin) bad.push('script from ' + s.src);
    if (!s.src && !data && /alert|print\\(|fetch\\(/.test(s.textContent)) bad.push('inline script ' + s.textContent.slice(0, 40));
  }
  for (const sel of ['iframe', 'object', 'embed', 'base', 'meta[http-equiv]', 'marquee', 'isindex', 'keygen', 'svg script',
                     'svg animate', 'math', 'template', 'video', 'audio', 'link[href^="javascript"]', 'x[contenteditable]']) {
    for (const el of document.querySelectorAll(sel)) bad.push('<' + sel + '>');
  }
  return bad;
}
"""


@pytest.fixture
def hostile(transactional_db, tmp_path):
    import io

    from django.core.management import call_command

    call_command("import_tei", str(write_hostile_tei(tmp_path)), stdout=io.StringIO(), stderr=io.StringIO())
    add_editor_notes()
    from documents.models import Document, Entity, Note, Passage

    docs = [d.slug for d in Document.objects.in_order()]
    return {
        "read_docs": docs, "docs": docs, "notes": list(Note.objects.published().values_list("uuid", flat=True)[:5]),
        "passages": {d: list(Passage.objects.filter(document__slug=d).values_list("anchor", flat=True)[:2]) for d in docs},
        "entities": {k: list(Entity.objects.filter(kind=k).values_list("key", flat=True)) for k in ("person", "place", "org")},
    }  # fmt: skip


class Sweep:
    def __init__(self, context, base):
        self.base, self.problems = base, []
        self.page = context.new_page()
        self.url = ""
        self.page.on("dialog", lambda d: (self.problems.append(f"{self.url}: dialog {d.type} {d.message}"), d.dismiss()))
        self.page.on("console", self._console)
        self.page.on("request", self._request)

    def _console(self, message):
        if "XSS-EXECUTED" in message.text:
            self.problems.append(f"{self.url}: {message.text}")

    def _request(self, request):
        host = urlparse(request.url).netloc
        if request.url.startswith(("http:", "https:")) and host != urlparse(self.base).netloc:
            self.problems.append(f"{self.url}: request to {request.url}")

    def visit(self, url):
        self.url = url
        response = self.page.goto(self.base + url, wait_until="load")
        assert response is not None and response.status < 500, (url, response and response.status)
        self.page.wait_for_timeout(20)  # let autofocus/onload handlers fire, if any got in
        self.problems += [f"{url}: {p}" for p in self.page.evaluate(SCAN)]
        self.problems += [f"{url}: trapped {p}" for p in self.page.evaluate("window.__xss || []")]


def _context(browser, cookies=()):
    context = browser.new_context(viewport={"width": 1200, "height": 800})
    context.add_init_script(TRAP)
    if cookies:
        context.add_cookies(list(cookies))
    return context


def test_stored_payloads_never_execute_on_any_page(browser, live_server, hostile):
    urls = []
    for name, _route, pattern in url_patterns():
        if name in HTML_PAGES:
            urls += [v for url in fill(name, pattern, hostile) for v in variants(name, url, hostile)]
    urls += ["/search/?" + urlencode({"q": "payload said"}), "/search/?q=alias", "/search/?q=note&type=note"]
    assert len(urls) > 150
    context = _context(browser)
    sweep = Sweep(context, live_server.url)
    for url in urls:
        sweep.visit(url)
    context.close()
    assert sweep.problems == []


def test_reflected_payloads_never_execute(browser, live_server, hostile):
    slug = hostile["docs"][0]
    context = _context(browser)
    sweep = Sweep(context, live_server.url)
    params = ["document", "speaker", "type", "date", "person", "place", "from", "to", "page"]
    for payload in PAYLOADS:
        sweep.visit("/search/?" + urlencode({"q": payload, **dict.fromkeys(params, payload)}))
        sweep.visit(f"/documents/{slug}/?" + urlencode({"view": payload, "speaker": payload}))
        sweep.visit(f"/documents/{slug}/cite/?" + urlencode({"passage": payload}))
        sweep.visit(f"/compare/{slug}/{slug}/?" + urlencode({"left": payload, "right": payload}))
    context.close()
    assert sweep.problems == []


def test_stored_payloads_never_execute_in_the_admin(browser, live_server, hostile):
    from documents.models import Document, Entity, Note

    client = Client()
    client.force_login(User.objects.create_superuser("sweep-root", password=None))
    cookie = {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}
    context = _context(browser, [cookie])
    sweep = Sweep(context, live_server.url)
    notes = Note.objects.filter(provenance="editor").order_by("pk")[:6]
    urls = ["/admin/documents/note/", "/admin/documents/document/", "/admin/documents/entity/",
            "/admin/documents/turn/", f"/admin/documents/note/?q={PAYLOADS[0]}"]  # fmt: skip
    urls += [f"/admin/documents/note/{n.pk}/change/" for n in notes]
    urls += [f"/admin/documents/document/{d.pk}/change/" for d in Document.objects.all()[:3]]
    urls += [f"/admin/documents/entity/{e.pk}/change/" for e in Entity.objects.all()[:6]]
    for url in urls:
        sweep.visit(url)
    context.close()
    assert sweep.problems == []


def test_the_sweep_sees_what_executes(browser, live_server):
    """The detectors themselves: an executed handler, a trapped alert and an injected element are all reported."""
    context = _context(browser)
    sweep = Sweep(context, live_server.url)
    sweep.url = "(control)"
    sweep.page.set_content('<img src=x onerror="alert(1)"><iframe></iframe><a href="javascript:alert(2)">x</a>')
    sweep.page.wait_for_timeout(100)
    found = sweep.page.evaluate(SCAN) + sweep.page.evaluate("window.__xss || []")
    context.close()
    assert "IMG[onerror]" in found and "<iframe>" in found and "alert(1)" in found
    assert any(f.startswith("A[href=javascript:") for f in found)
    assert any("XSS-EXECUTED alert(1)" in p for p in sweep.problems)
