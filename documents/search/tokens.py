"""Filter tokens: facet values written as words, so the SQLite full-text index filters by them.

Each entry's `filters` field holds tokens like `zzdoc12 zzspk7 zzk1 zzy1962 zzm196206 zzd19620608
zzent31`. A filter becomes one more MATCH clause (`filters : ("zzspk7")`), which FTS5 answers by
intersecting posting lists instead of looking up every hit. Tokens end in digits so the porter
stemmer leaves them alone, and user queries are confined to the text and names columns.
A date range becomes the smallest set of year, month and day tokens covering it.
"""

from __future__ import annotations

import calendar
import datetime as dt

KINDS = {"passage": "zzk1", "note": "zzk2"}
MAX_DATE_TOKENS = 200


def document(pk) -> str:
    return f"zzdoc{pk}"


def speaker(pk) -> str:
    return f"zzspk{pk}"


def entity(pk) -> str:
    return f"zzent{pk}"


def kind(value: str) -> str:
    return KINDS[value]


def year(y: int) -> str:
    return f"zzy{y:04d}"


def month(y: int, m: int) -> str:
    return f"zzm{y:04d}{m:02d}"


def day(d: dt.date) -> str:
    return f"zzd{d:%Y%m%d}"


def for_entry(document_id, speaker_id, kind_value, date, entity_ids) -> str:
    tokens = [document(document_id), kind(kind_value)]
    if speaker_id:
        tokens.append(speaker(speaker_id))
    if date:
        tokens += [year(date.year), month(date.year, date.month), day(date)]
    tokens += [entity(e) for e in entity_ids]
    return " ".join(tokens)


def date_cover(start: dt.date, end: dt.date) -> list[str] | None:
    """Tokens whose union is exactly the days start..end; None if that would take too many."""
    tokens: list[str] = []
    current = start
    while current <= end:
        if len(tokens) > MAX_DATE_TOKENS:
            return None
        last_of_month = dt.date(current.year, current.month, calendar.monthrange(current.year, current.month)[1])
        if current.month == 1 and current.day == 1 and dt.date(current.year, 12, 31) <= end:
            tokens.append(year(current.year))
            if current.year == dt.MAXYEAR:
                break
            current = dt.date(current.year + 1, 1, 1)
        elif current.day == 1 and last_of_month <= end:
            tokens.append(month(current.year, current.month))
            if last_of_month == dt.date.max:
                break
            current = last_of_month + dt.timedelta(days=1)
        else:
            tokens.append(day(current))
            if current == dt.date.max:
                break
            current += dt.timedelta(days=1)
    return tokens
