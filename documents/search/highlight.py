"""Linear highlighting of search hits (issue 19.8), shared by both backends.

FTS5's snippet()/highlight() and PostgreSQL's ts_headline grow quadratically with the number of
hits in one passage (50,000 matches of one word: 35 s on SQLite, a killed worker on PostgreSQL).
Here the database only says which of a passage's *distinct* words match the query (stemming is
the database's own), and Python marks them in one pass:

- `words(text)`: the distinct lower-cased tokens (runs of letters and digits, as unicode61 and
  PostgreSQL's parser split them);
- `snippet(text, hits)`: a window of SNIPPET_WORDS tokens with the most hits (a sliding window),
  gaps between tokens shortened, "…" where text was cut: bounded in size whatever the passage;
- `mark_all(text, hits)`: every hit marked (the names line, which is short).

Marks are MARK_START/MARK_END; the caller escapes the text and turns them into <mark>.
"""

from __future__ import annotations

import re

from .query import MARK_END, MARK_START, ParsedQuery

SNIPPET_WORDS = 32
CONTEXT_WORDS = 4  # tokens kept before the first hit of the window
MAX_GAP = 12  # characters kept of what separates two tokens (punctuation, spaces)
MAX_TOKEN = 60  # characters kept of one token
_TOKEN = re.compile(r"[^\W_]+")


def words(text: str) -> set[str]:
    return {m.group(0).lower() for m in _TOKEN.finditer(text)}


def query_words(parsed: ParsedQuery) -> list[str]:
    """The words of the query's positive terms (phrases word by word, as ts_headline marks them)."""
    out = []
    for clause in parsed.positive:
        for term in clause.terms:
            out.extend(m.group(0) for m in _TOKEN.finditer(term.text))
    return list(dict.fromkeys(out))


def _gap(text: str) -> str:
    return text if len(text) <= MAX_GAP else text[: MAX_GAP // 2] + "…" + text[-(MAX_GAP // 2) :]


def _token(text: str, hit: bool) -> str:
    text = text if len(text) <= MAX_TOKEN else text[:MAX_TOKEN] + "…"
    return f"{MARK_START}{text}{MARK_END}" if hit else text


def _join(text: str, tokens: list[re.Match], hits: set[str], first: int, last: int) -> str:
    parts = []
    for i in range(first, last):
        token = tokens[i]
        if i > first:
            parts.append(_gap(text[tokens[i - 1].end() : token.start()]))
        parts.append(_token(token.group(0), token.group(0).lower() in hits))
    return "".join(parts)


def snippet(text: str, hits: set[str], size: int = SNIPPET_WORDS) -> str:
    """The window of `size` tokens holding the most hits, with marks; linear in the length of the text."""
    tokens = list(_TOKEN.finditer(text))
    if not tokens:
        return text[: size * 8]
    flags = [t.group(0).lower() in hits for t in tokens]
    best, best_start, count = -1, 0, 0
    for i, flag in enumerate(flags):  # sliding window of `size` tokens ending at i
        count += flag
        if i >= size:
            count -= flags[i - size]
        if count > best:
            best, best_start = count, max(0, i - size + 1)
    first_hit = next((i for i in range(best_start, min(len(flags), best_start + size)) if flags[i]), best_start)
    start = max(0, min(first_hit - CONTEXT_WORDS, len(tokens) - size))
    start = min(start, first_hit)
    end = min(len(tokens), start + size)
    body = _join(text, tokens, hits, start, end)
    head = "…" if start > 0 else _gap(text[: tokens[0].start()])
    tail = "…" if end < len(tokens) else _gap(text[tokens[-1].end() :])
    return head + body + tail


def mark_all(text: str, hits: set[str]) -> str:
    """The whole text with every hit marked (one pass)."""
    if not hits:
        return text
    return _TOKEN.sub(lambda m: f"{MARK_START}{m.group(0)}{MARK_END}" if m.group(0).lower() in hits else m.group(0),
                      text)  # fmt: skip


def snippets_for(rows, matching) -> dict[int, tuple[str, str]]:
    """{id: (text snippet, names marked)} for rows of (id, text, names); `matching(words)` is the backend's
    answer to which of these distinct words match the query (one database round trip for the page)."""
    rows = list(rows)
    candidates: set[str] = set()
    for _pk, text, names in rows:
        candidates |= words(text or "") | words(names or "")
    hits = matching(candidates) if candidates else set()
    return {pk: (snippet(text or "", hits), mark_all(names or "", hits)) for pk, text, names in rows}
