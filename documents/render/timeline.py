"""The home page's timeline: every dated event the texts mention, drawn as SVG on the server.

Dates sit on a vertical axis, spaced in proportion to the days between them (but never
closer than their labels need); each date lists the passages that mention it as links.
Built with lxml; colours come from CSS (currentColor), so dark mode and print just work.
"""

from __future__ import annotations

from itertools import groupby

from django.utils.formats import date_format
from lxml import etree

WIDTH = 300
AXIS_X = 10
TEXT_X = 24
LINE = 18  # height of one text line
TOP = 18
SPAN = 220  # vertical space for the whole date range, before labels push rows apart
SNIPPET = 24


def context_parts(text: str, start: int, end: int, width: int = SNIPPET) -> tuple[str, str, str]:
    """(before, words, after): about `width` characters around text[start:end], cut at word boundaries."""
    room = max(0, width - (end - start)) // 2
    a = max(0, start - room)
    b = min(len(text), end + room)
    if a > 0 and " " in text[a:start]:
        a = text.index(" ", a) + 1
    if b < len(text) and " " in text[end:b]:
        b = text.rindex(" ", end, b)
    before = ("…" if a > 0 else "") + text[a:start]
    after = text[end:b] + ("…" if b < len(text) else "")
    return before, text[start:end], after


def snippet(text: str, start: int, end: int, width: int = SNIPPET) -> str:
    """About `width` characters of text around text[start:end], cut at word boundaries."""
    return "".join(context_parts(text, start, end, width))


def _sub(parent, tag, text=None, **attrs):
    el = etree.SubElement(parent, tag, {k.rstrip("_").replace("_", "-"): str(v) for k, v in attrs.items()})
    if text is not None:
        el.text = text
    return el


def timeline_svg(date_mentions, numbers: dict[int, int]) -> str:
    """SVG markup for DateMentions (with passage__document selected), ordered by date.

    numbers: passage id -> paragraph number in its document (for the link labels).
    """
    mentions = sorted(date_mentions, key=lambda m: (m.when, m.passage.document.sort_key, m.passage.order))
    if not mentions:
        return ""
    groups = [(when, list(items)) for when, items in groupby(mentions, key=lambda m: m.when)]
    first, last = groups[0][0], groups[-1][0]
    days = max(1, (last - first).days)
    rows = []
    y_next = TOP
    for when, items in groups:
        natural = TOP + SPAN * (when - first).days / days
        y = max(natural, y_next)
        rows.append((when, items, y))
        y_next = y + LINE * (len(items) + 1) + 10
    height = int(y_next + 8)
    svg = etree.Element(
        "svg",
        {
            "xmlns": "http://www.w3.org/2000/svg",
            "viewBox": f"0 0 {WIDTH} {height}",
            "class": "timeline",
            "role": "group",
            "aria-labelledby": "timeline-title",
        },
    )
    _sub(svg, "line", x1=AXIS_X, y1=TOP - 14, x2=AXIS_X, y2=height - 8, class_="axis")
    for when, items, y in rows:
        group = _sub(svg, "g", class_="event")
        _sub(group, "circle", cx=AXIS_X, cy=f"{y:.0f}", r=5, class_="dot")
        _sub(group, "text", date_format(when, "DATE_FORMAT"), x=TEXT_X, y=f"{y + 4:.0f}", class_="when")
        for k, m in enumerate(items, 1):
            doc = m.passage.document
            number = numbers.get(m.passage_id)
            where = f"{doc.get_kind_display()} ¶{number}" if number else doc.get_kind_display()
            link = _sub(group, "a", href=m.passage.get_absolute_url(), class_="event-link")
            before, words, after = context_parts(m.passage.reading_text, m.start, m.end)
            context = before + words + after
            _sub(link, "title", f"{doc.title}, ¶{number}: {context}" if number else context)
            text = _sub(link, "text", f"{where}: {before}", x=TEXT_X, y=f"{y + 4 + LINE * k:.0f}")
            _sub(text, "tspan", words, class_="words").tail = after
    return etree.tostring(svg, encoding="unicode", method="xml")
