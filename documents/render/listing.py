"""The home page's document list: filters and sort read from GET parameters, and a histogram of the dates
of ALL the documents the filters select (one grouped query, never the documents themselves).

Parameters (all optional, all declared to the page cache in documents/views/reader.py):
`kind` (a Document.Kind value), `from` / `to` (YYYY, YYYY-MM or YYYY-MM-DD: the first / last day of that
period), `speaker` (an entity key: documents in which that entity speaks a turn), `sort` (`date`,
`-date`, `title`; default: the edition's order).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from django.db.models import Count, Max, Min
from django.db.models.functions import TruncMonth, TruncYear
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from lxml import etree

from documents.models import Document, Entity

SORTS = {"date": "Date (oldest first)", "-date": "Date (newest first)", "title": "Title"}
FILTER_PARAMS = ("kind", "from", "to", "speaker", "sort")
_PERIOD = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
MONTHS_UP_TO = 48  # a range of at most this many months is drawn by month, a longer one by year
BAR_W, GAP, HEIGHT, LABEL = 14, 4, 90, 28


def parse_period(value: str | None, end: bool = False) -> date | None:
    """The first (or, end=True, the last) day of 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD'; None if it is not one."""
    match = _PERIOD.fullmatch((value or "").strip())
    if match is None:
        return None
    year, month, day = int(match[1]), match[2], match[3]
    try:
        if day is not None:
            return date(year, int(month), int(day))
        if month is not None:
            m = int(month)
            return date(year, m, calendar.monthrange(year, m)[1] if end else 1)
        return date(year, 12, 31) if end else date(year, 1, 1)
    except ValueError:
        return None


def period_param(value: str) -> str | None:
    """Page-cache normaliser of ?from= / ?to=: the value when it is a period, else dropped."""
    return value.strip() if parse_period(value) is not None else None


@dataclass
class ListFilters:
    kind: str = ""
    date_from: date | None = None
    date_to: date | None = None
    speaker: Entity | None = None
    sort: str = ""
    raw: dict | None = None

    @classmethod
    def from_get(cls, get) -> ListFilters:
        """The filters of a request's GET (values already narrowed by the page cache's normalisers).
        An unknown speaker key raises Entity.DoesNotExist (the view answers 404)."""
        kind = get.get("kind", "")
        speaker_key = get.get("speaker", "").strip()
        speaker = Entity.objects.get(key=speaker_key) if speaker_key else None
        raw = {k: get.get(k) for k in FILTER_PARAMS if get.get(k)}
        return cls(
            kind=kind if kind in Document.Kind.values else "",
            date_from=parse_period(get.get("from")),
            date_to=parse_period(get.get("to"), end=True),
            speaker=speaker,
            sort=get.get("sort", "") if get.get("sort", "") in SORTS else "",
            raw=raw,
        )

    @property
    def sort_label(self) -> str:
        return SORTS.get(self.sort, "")

    @property
    def active(self) -> bool:
        return bool(self.kind or self.date_from or self.date_to or self.speaker)

    def apply(self, queryset, keep_order: bool = False):
        """The queryset's documents that pass the filters, in the chosen sort; with no sort, the edition's
        order, or (keep_order=True) the queryset's own order (a collection's)."""
        qs = queryset.filtered(kind=self.kind, date_from=self.date_from, date_to=self.date_to, speaker=self.speaker)
        return qs if keep_order and not self.sort else qs.sorted_by(self.sort)

    def query(self, **changes) -> str:
        """The filters as a query string (with `changes`; a None value drops the parameter), ending in '&'."""
        params = {**(self.raw or {}), **changes}
        params = {k: v for k, v in params.items() if v}
        return urlencode(params) + "&" if params else ""


def form_choices(documents=None) -> dict:
    """The choices of the filter form: kinds present, speakers who speak any turn (at most 300, by name);
    with `documents` (a queryset: a collection's), only the kinds and speakers of those documents."""
    scope = Document.objects.without_matter() if documents is None else documents
    kinds = set(scope.order_by().values_list("kind", flat=True).distinct())
    speakers = Entity.objects.speaking() if documents is None else Entity.objects.speaking_in(documents)
    return {
        "kinds": [(value, label) for value, label in Document.Kind.choices if value in kinds],
        "speakers": list(speakers.order_by("sort_name", "name")[:300]),
        "sorts": list(SORTS.items()),
    }


def date_histogram(queryset, filters: ListFilters) -> dict:
    """Bars of the selection's documents by month (or by year for a long range), each linking to that period."""
    dated = queryset.exclude(date=None).order_by()
    bounds = dated.aggregate(first=Min("date"), last=Max("date"))
    if bounds["first"] is None:
        return {"svg": "", "dated": 0, "by": ""}
    first, last = bounds["first"], bounds["last"]
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    by_month = months <= MONTHS_UP_TO
    trunc = TruncMonth("date") if by_month else TruncYear("date")
    rows = list(dated.annotate(period=trunc).values("period").annotate(n=Count("pk")).order_by("period"))
    bars = [(_as_date(r["period"]), r["n"]) for r in rows]
    svg = mark_safe(_svg(bars, by_month, filters))  # noqa: S308 -- built with lxml
    return {"svg": svg, "dated": sum(n for _, n in bars), "by": "month" if by_month else "year"}


def _as_date(value) -> date:
    return value.date() if hasattr(value, "date") and callable(value.date) else value


def _svg(bars, by_month: bool, filters: ListFilters) -> str:
    peak = max(n for _, n in bars)
    width = max(1, len(bars)) * (BAR_W + GAP)
    svg = etree.Element(
        "svg",
        {"xmlns": "http://www.w3.org/2000/svg", "viewBox": f"0 0 {width} {HEIGHT + LABEL}", "class": "histogram",
         "role": "group", "aria-labelledby": "histogram-title"},
    )  # fmt: skip
    for i, (period, n) in enumerate(bars):
        h = max(2, round(HEIGHT * n / peak))
        label = date_format(period, "YEAR_MONTH_FORMAT") if by_month else str(period.year)
        value = period.strftime("%Y-%m") if by_month else str(period.year)
        href = "?" + filters.query(**{"from": value, "to": value, "page": None})
        link = etree.SubElement(svg, "a", {"href": href.rstrip("&"), "class": "bar-link"})
        etree.SubElement(link, "title").text = f"{label}: {n} document{'s' if n != 1 else ''}"
        x = i * (BAR_W + GAP)
        etree.SubElement(link, "rect", {"x": str(x), "y": str(HEIGHT - h), "width": str(BAR_W), "height": str(h),
                                        "class": "bar"})  # fmt: skip
        if not by_month or period.month == 1 or i == 0:
            text = etree.SubElement(svg, "text", {"x": str(x), "y": str(HEIGHT + 14), "class": "bar-label"})
            text.text = str(period.year)
    return etree.tostring(svg, encoding="unicode", method="xml")
