"""The site's stylesheets inlined in <head>, allowed by the Content-Security-Policy by hash (issue 13.1).

A first view used to wait for two to four render-blocking stylesheet requests (edition.css, rows.css,
cite.css, map.css). Their text is now put in `<style>` elements by `{% inline_css %}` and
`{% inline_rows_css %}` (documents/templatetags/edition_css.py), so the first screen needs the HTML only.
The rules themselves are unchanged: each block is a static file's text exactly as it is in static/ (the
grid rows' short form is the first lines of static/css/rows.css), read once per process.

The CSP stays without 'unsafe-inline': settings.py puts the SHA-256 hash of every block this module can
produce into `style-src` (CSP Level 2 hash sources, computed when the settings are loaded). A hash, unlike a
nonce, is the same on every response, so pages in the anonymous page cache (documents/cache.py) stay valid;
an injected <style> has another hash and is refused. print.css stays a `<link media="print">`: browsers do
not let it block rendering.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import re
from pathlib import Path

STATIC = Path(__file__).resolve().parent.parent / "static"
#: Stylesheets that may be inlined (the pages' own, all small). Any other name is refused.
INLINED = ("css/edition.css", "css/cite.css", "css/map.css", "css/collections.css", "css/versions.css")
ROWS = "css/rows.css"
#: The short form of the grid rows covers blocks (turns, sections) of at most this many passages; a page with
#: a longer block gets the whole of rows.css (also inlined: about 4 KB compressed).
SHORT_ROWS = 50
_RULE = re.compile(r'^\.rows>\[data-(?:r|span)="(\d+)"\]')


@functools.cache
def css_text(name: str) -> str:
    """The text of an inlinable stylesheet, or of the grid rows: `css/rows.css` (all) or `css/rows.css#short`."""
    if name == ROWS + "#short":
        return _short_rows(css_text(ROWS))
    if name not in INLINED + (ROWS,):
        raise ValueError(f"not an inlined stylesheet: {name}")
    return (STATIC / name).read_text(encoding="utf-8")


def _short_rows(full: str) -> str:
    """rows.css without the rules for rows (and spans) beyond SHORT_ROWS: the same rules, fewer of them."""
    kept = []
    for line in full.splitlines(keepends=True):
        rule = _RULE.match(line)
        if rule is None or int(rule.group(1)) <= SHORT_ROWS:
            kept.append(line)
    return "".join(kept)


def rows_name(longest_block: int) -> str:
    return ROWS + "#short" if longest_block <= SHORT_ROWS else ROWS


def style_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def inline_style_hashes() -> list[str]:
    """CSP hash sources for every <style> block the templates can produce (for `style-src` in settings.py)."""
    return [style_hash(css_text(name)) for name in INLINED + (ROWS, ROWS + "#short")]
