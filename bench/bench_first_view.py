#!/usr/bin/env python
"""First view in a real browser (issue 13.1): our reader page against CETEIcean and bare static HTML.

    python bench/bench_first_view.py [--rounds 20] [--port 8130] [--trace DIR] [--frus FILE]

Sets up its own SQLite database and static root in a temporary folder (never the dev database), imports
the edition and the FRUS volume sample (../shared/samples/), collects the static files and starts gunicorn
with production settings (gunicorn.conf.py, DJANGO_DEBUG=0: whitenoise serves the compressed, hashed static
files). A static server (port + 1) serves, for the minutes and for the longest FRUS document that fits on
one reader page:

- **CETEIcean** 1.9.5 (from the npm registry, into bench/.cache/, ignored by git) rendering the TEI in the
  browser: the minutes' own TEI file, the FRUS document's TEI as the edition exports it (tei.xml);
- **the limit**: the same paragraphs' text, taken from our page, as bare static HTML (no CSS, no JS).

Each load is a fresh browser context (headless Chromium, /usr/bin/chromium, cold cache); the time is from
navigation start (performance.now() in the page) until document.body.innerText holds the page's last words
(checked every animation frame by a script installed before the page's own). Rounds are interleaved, the
order of the three pages rotated each round. Medians (and quartiles), the ratios ours/limit and
ours/CETEIcean with the targets (<= 1.2, <= 0.8), and bytes, requests and render-blocking requests per page
are printed. --trace DIR also writes one Chromium performance trace per page and prints where the renderer's
main thread spent its time (parse, style, layout, script, paint). Nothing is asserted.
"""

from __future__ import annotations

import argparse
import functools
import html
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import defaultdict
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

TMP = Path(tempfile.mkdtemp(prefix="edition-first-view-"))
os.environ["DATABASE_URL"] = f"sqlite:///{TMP / 'db.sqlite3'}"
os.environ["DJANGO_STATIC_ROOT"] = str(TMP / "staticfiles")
sys.path.insert(0, str(Path(__file__).resolve().parent))
from _benchenv import configure  # noqa: E402

ROOT = configure("first-view")
CACHE = ROOT / "bench" / ".cache"
CETEI_VERSION = "1.9.5"
CETEI_JS = CACHE / "node_modules" / "CETEIcean" / "dist" / "CETEI.js"
FRUS = ROOT.parent / "shared" / "samples" / "frus1918Russiav03-not-yet-reviewed.xml"
MINUTES = "minutes-1962-06-08"
CHROMIUM = os.environ.get("BENCH_CHROMIUM", "/usr/bin/chromium")
VARIANTS = ("ours", "ceteicean", "limit")
TARGETS = {"limit": 1.2, "ceteicean": 0.8}  # ours / other at most
# Installed before any script of the page: every animation frame, does the text hold the last words yet?
WATCH = """(() => {
  const words = %s;
  function check() {
    const body = document.body;
    if (body && body.innerText.replace(/\\s+/g, " ").includes(words)) {
      window.__seen = performance.now();
      if (window.__firstView) window.__firstView(window.__seen);
      return;
    }
    requestAnimationFrame(check);
  }
  requestAnimationFrame(check);
})();"""
TRACE_CATEGORIES = ["devtools.timeline", "blink", "loading", "v8.execute", "disabled-by-default-devtools.timeline"]
#: Renderer main-thread events summed by --trace, as self time (an event's nested events of this table are
#: counted under their own kind): where the page's own thread spent its CPU.
TRACE_EVENTS = {"ParseHTML": "parse HTML", "ParseAuthorStyleSheet": "parse CSS", "UpdateLayoutTree": "style",
                "Layout": "layout", "PrePaint": "pre-paint", "Paint": "paint", "Layerize": "layerize",
                "EvaluateScript": "script", "FunctionCall": "script", "v8.compile": "script",
                "TimerFire": "script", "FireAnimationFrame": "script", "RunMicrotasks": "script"}  # fmt: skip


def ensure_ceteicean() -> None:
    if CETEI_JS.exists():
        return
    npm = shutil.which("npm")
    if not npm:
        sys.exit(f"CETEIcean is missing and npm is not installed: install it with\n"
                 f"  npm install --prefix {CACHE} CETEIcean@{CETEI_VERSION}")  # fmt: skip
    print(f"fetching CETEIcean {CETEI_VERSION} from the npm registry into {CACHE} ...", flush=True)
    done = subprocess.run([npm, "install", "--prefix", str(CACHE), f"CETEIcean@{CETEI_VERSION}", "--no-audit",
                           "--no-fund", "--silent"], check=False)  # fmt: skip
    if done.returncode or not CETEI_JS.exists():
        sys.exit(f"could not install CETEIcean: run  npm install --prefix {CACHE} CETEIcean@{CETEI_VERSION}")


def prepare(frus_file: Path) -> str:
    """Database, imports, static files; the slug of the longest FRUS document on one reader page."""
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db.models import Count, Sum
    from django.db.models.functions import Length

    from documents.models import Document

    call_command("migrate", verbosity=0, interactive=False)
    call_command("import_tei", verbosity=0)
    if not frus_file.exists():
        sys.exit(f"missing FRUS sample: {frus_file} (--frus FILE)")
    call_command("import_tei", str(frus_file), verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    longest = (
        Document.objects.filter(slug__regex=r"^frus.*-d[0-9]+$")  # a <div type="document">, not front matter
        .annotate(n=Count("passages"), chars=Sum(Length("passages__reading_text")))
        .filter(n__lte=settings.EDITION_READER_PAGE_PASSAGES)
        .order_by("-chars")
        .values_list("slug", "n", "chars")
        .first()
    )
    print(f"FRUS document: {longest[0]} ({longest[1]} passages, {longest[2]:,} characters of reading text)")
    return longest[0]


def start_gunicorn(port: int) -> subprocess.Popen:
    env = dict(os.environ)
    env.update(DJANGO_DEBUG="0", DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost", GUNICORN_BIND=f"127.0.0.1:{port}",
               GUNICORN_WORKERS=os.environ.get("GUNICORN_WORKERS", "2"), GUNICORN_ACCESS_LOG="/dev/null",
               GUNICORN_LOG_LEVEL="warning", PYTHONPATH=str(ROOT))  # fmt: skip
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"], cwd=ROOT, env=env,
                              start_new_session=True)  # fmt: skip
    for _ in range(200):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:  # noqa: S310  # nosec B310 - loopback
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.1)
    stop(server)
    sys.exit("gunicorn did not start")


def stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310  # nosec B310 - loopback
        return response.read()


def limit_page(page_html: bytes, title: str) -> str:
    """The passages of our page as bare HTML paragraphs: the text a reader reads, nothing else."""
    import lxml.html

    tree = lxml.html.fromstring(page_html)
    paragraphs = [" ".join(p.text_content().split()) for p in tree.cssselect("#text .passage")]
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return (f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f"</head><body>\n<h1>{html.escape(title)}</h1>\n{body}\n</body></html>\n")  # fmt: skip


def ceteicean_page(tei_name: str, title: str) -> str:
    return (f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f'<script src="CETEI.js"></script></head><body><div id="tei"></div>\n<script>\n'
            f'new CETEI().getHTML5("{tei_name}", function (data) {{\n'
            '  document.getElementById("tei").appendChild(data);\n});\n'
            "</script></body></html>\n")  # fmt: skip


def paragraph_words(page_html: bytes) -> list[list[str]]:
    import lxml.html

    tree = lxml.html.fromstring(page_html)
    return [p.text_content().split() for p in tree.cssselect("#text .passage")]


def build_site(site: Path, ours: str, slugs: dict[str, str]) -> dict[str, dict[str, str]]:
    """The static pages; returns {document: {variant: url}} (our page served by gunicorn)."""
    site.mkdir(parents=True, exist_ok=True)
    shutil.copy(CETEI_JS, site / "CETEI.js")
    pages = {}
    for name, slug in slugs.items():
        page_html = fetch(f"{ours}/documents/{slug}/")
        title = slug
        if slug == MINUTES:
            (site / f"{name}.xml").write_bytes((ROOT / "documents" / "tei" / f"{slug}.xml").read_bytes())
        else:
            (site / f"{name}.xml").write_bytes(fetch(f"{ours}/documents/{slug}/tei.xml"))
        (site / f"ceteicean-{name}.html").write_text(ceteicean_page(f"{name}.xml", title), encoding="utf-8")
        (site / f"limit-{name}.html").write_text(limit_page(page_html, title), encoding="utf-8")
        pages[name] = {"ours": f"{ours}/documents/{slug}/", "ceteicean": f"ceteicean-{name}.html",
                       "limit": f"limit-{name}.html", "words": paragraph_words(page_html)}  # fmt: skip
    return pages


class QuietHandler(SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # noqa: D102 - silence
        pass


def start_static(site: Path, port: int) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer(("127.0.0.1", port), functools.partial(QuietHandler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def text_of(browser, url: str) -> str:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(url, wait_until="load")
    page.wait_for_timeout(500)  # CETEIcean: the TEI is fetched and rendered after load
    text = " ".join(page.evaluate("document.body.innerText").split())
    context.close()
    return text


def choose_words(browser, urls: dict[str, str], paragraphs: list[list[str]]) -> str:
    """The page's last words: the shortest run (at least 4 words) of the last paragraph that has one which each
    page holds exactly once (a dateline of two words is skipped; a note marker inside the words moves it back)."""
    texts = [text_of(browser, urls[v]) for v in VARIANTS]
    for words in reversed(paragraphs):
        for n in range(4, len(words) + 1):
            for end in range(len(words), n - 1, -1):
                phrase = " ".join(words[end - n : end])
                if all(t.count(phrase) == 1 for t in texts):
                    return phrase
    sys.exit("no run of words of any paragraph is on every page once")


def watched_context(browser, phrase: str, seen: list):
    """A fresh context whose pages report when their text holds `phrase` (a binding: no eval, which the CSP
    refuses, so no page.wait_for_function)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.expose_function("__firstView", lambda when: seen.append(when))
    context.add_init_script(WATCH % json.dumps(phrase))
    return context


def wait_seen(page, seen: list, timeout: float = 60) -> float:
    deadline = time.monotonic() + timeout
    while not seen:
        if time.monotonic() > deadline:
            raise TimeoutError(f"the last words never appeared on {page.url}")
        page.wait_for_timeout(5)
    return seen[0]


def timed_load(browser, url: str, phrase: str, trace: Path | None = None) -> float:
    seen: list[float] = []
    context = watched_context(browser, phrase, seen)
    page = context.new_page()
    if trace:
        browser.start_tracing(page=page, path=str(trace), categories=TRACE_CATEGORIES)
    page.goto(url, wait_until="commit")
    when = wait_seen(page, seen)
    if trace:
        page.wait_for_load_state("load")
        browser.stop_tracing()
    context.close()
    return when


PAGE_STATS = """() => {
  const nav = performance.getEntriesByType("navigation")[0];
  const all = [nav, ...performance.getEntriesByType("resource")];
  const sum = (key) => all.reduce((s, e) => s + (e[key] || 0), 0);
  const fcp = performance.getEntriesByName("first-contentful-paint")[0];
  return {requests: all.length, transfer: sum("transferSize"), decoded: sum("decodedBodySize"),
          blocking: all.filter((e) => e.renderBlockingStatus === "blocking").map((e) => e.name.split("/").pop()),
          fcp: fcp ? fcp.startTime : null};
}"""


def page_stats(browser, url: str, phrase: str) -> dict:
    seen: list[float] = []
    context = watched_context(browser, phrase, seen)
    page = context.new_page()
    page.goto(url, wait_until="load")
    wait_seen(page, seen)
    page.wait_for_timeout(200)
    stats = page.evaluate(PAGE_STATS)
    context.close()
    return stats


def summarise_trace(path: Path) -> dict[str, float]:
    """Thread CPU time (tdur: less sensitive to a loaded machine than wall time) of TRACE_EVENTS on the page's
    renderer main thread (CrRendererMain of the process that parsed a 127.0.0.1 page), self time, ms. The
    watcher's own checks (the function `check`, innerText every frame) are "watcher"."""
    events = json.loads(path.read_text())
    events = events["traceEvents"] if isinstance(events, dict) else events
    pids = {e["pid"] for e in events if e.get("name") == "ParseHTML"
            and "127.0.0.1" in str(e.get("args", {}).get("beginData", {}).get("url", ""))}  # fmt: skip
    main = {(e["pid"], e["tid"]) for e in events if e.get("name") == "thread_name" and e["pid"] in pids
            and e.get("args", {}).get("name") == "CrRendererMain"}  # fmt: skip
    timed = sorted((e for e in events if (e.get("pid"), e.get("tid")) in main and e.get("ph") == "X"
                    and e.get("name") in TRACE_EVENTS), key=lambda e: (e["ts"], -e.get("dur", 0)))  # fmt: skip
    totals: dict[str, float] = defaultdict(float)
    stack: list[tuple[float, str]] = []  # (end, kind) of the enclosing events
    for e in timed:
        while stack and stack[-1][0] <= e["ts"]:
            stack.pop()
        kind = TRACE_EVENTS[e["name"]]
        if e.get("args", {}).get("data", {}).get("functionName") == "check" or (stack and stack[-1][1] == "watcher"
                                                                                 and kind == "script"):  # fmt: skip
            kind = "watcher"
        cpu = e.get("tdur", e.get("dur", 0)) / 1000
        totals[kind] += cpu
        if stack:
            totals[stack[-1][1]] -= cpu  # not the parent's own time
        stack.append((e["ts"] + e.get("dur", 0), kind))
    return dict(totals)


def quartiles(values: list[float]) -> tuple[float, float, float]:
    q = statistics.quantiles(values, n=4)
    return q[0], statistics.median(values), q[2]


def report(pages: dict, times: dict, stats: dict) -> None:
    for name in pages:
        print(f"\n== {name}: last words {pages[name]['phrase']!r}")
        print(f"{'page':<10} {'median ms':>9} {'p25':>7} {'p75':>7} {'FCP ms':>7} {'requests':>8} {'bytes':>9} "
              f"{'decoded':>9}  render-blocking")  # fmt: skip
        for v in VARIANTS:
            p25, med, p75 = quartiles(times[name][v])
            s = stats[name][v]
            fcp = f"{s['fcp']:.0f}" if s["fcp"] is not None else "-"
            print(f"{v:<10} {med:>9.1f} {p25:>7.1f} {p75:>7.1f} {fcp:>7} {s['requests']:>8} {s['transfer']:>9,} "
                  f"{s['decoded']:>9,}  {', '.join(s['blocking']) or 'none'}")  # fmt: skip
        ours = statistics.median(times[name]["ours"])
        for other, target in TARGETS.items():
            ratio = ours / statistics.median(times[name][other])
            print(f"ours/{other}: {ratio:.2f}  (target <= {target}: {'PASS' if ratio <= target else 'FAIL'})")


def traces(args, browser, pages) -> None:
    """--trace: --trace-runs traced loads of each page; median CPU ms per kind of work."""
    args.trace.mkdir(parents=True, exist_ok=True)
    for name, page in pages.items():
        for v in VARIANTS:
            runs = []
            for i in range(args.trace_runs):
                path = args.trace / f"{name}-{v}-{i}.json"
                timed_load(browser, page[v], page["phrase"], trace=path)
                runs.append(summarise_trace(path))
            kinds = sorted({k for spent in runs for k in spent})
            medians = {k: statistics.median(spent.get(k, 0.0) for spent in runs) for k in kinds}
            total = sum(medians.values())
            parts = ", ".join(f"{k} {ms:.1f}" for k, ms in medians.items() if ms >= 0.5)
            print(f"trace {name}/{v}, CPU ms (median of {args.trace_runs}): {parts}; sum {total:.1f}", flush=True)


def run(args, browser, pages) -> tuple[dict, dict]:
    for page in pages.values():
        page["phrase"] = choose_words(browser, page, page["words"])
    for _ in range(3):  # warm-up: the page cache of every gunicorn worker, the static server, Chromium
        for page in pages.values():
            for v in VARIANTS:
                timed_load(browser, page[v], page["phrase"])
    if args.trace:
        traces(args, browser, pages)
    times = {name: {v: [] for v in VARIANTS} for name in pages}
    for r in range(args.rounds):
        order = VARIANTS[r % 3 :] + VARIANTS[: r % 3]
        for name, page in pages.items():
            for v in order:
                times[name][v].append(timed_load(browser, page[v], page["phrase"]))
        print(f"round {r + 1}/{args.rounds}", end="\r", flush=True)
    stats = {name: {v: page_stats(browser, page[v], page["phrase"]) for v in VARIANTS} for name, page in pages.items()}
    return times, stats


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--port", type=int, default=8130, help="gunicorn; the static server uses port + 1")
    parser.add_argument("--trace", type=Path, default=None, help="write one Chromium trace per page here")
    parser.add_argument("--trace-runs", type=int, default=5, help="traced loads per page (default 5)")
    parser.add_argument("--frus", type=Path, default=FRUS, help=f"the FRUS volume to import (default {FRUS})")
    args = parser.parse_args()
    ensure_ceteicean()
    from playwright.sync_api import sync_playwright

    frus = prepare(args.frus)
    ours = f"http://127.0.0.1:{args.port}"
    server = start_gunicorn(args.port)
    static = None
    try:
        pages = build_site(TMP / "site", ours, {"minutes": MINUTES, "frus": frus})
        static = start_static(TMP / "site", args.port + 1)
        base = f"http://127.0.0.1:{args.port + 1}/"
        for page in pages.values():
            page["ceteicean"], page["limit"] = base + page["ceteicean"], base + page["limit"]
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True)
            times, stats = run(args, browser, pages)
            browser.close()
        print(f"\nChromium {CHROMIUM}, {args.rounds} rounds, fresh context per load, viewport 1280x900")
        report(pages, times, stats)
    finally:
        if static:
            static.shutdown()
        stop(server)
        shutil.rmtree(TMP, ignore_errors=True)


if __name__ == "__main__":
    main()
