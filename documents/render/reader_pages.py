"""Long documents on several reader pages, without losing a permalink.

A document of more than settings.EDITION_READER_PAGE_PASSAGES passages (a play of 600 speeches, a long FRUS
document) is read a page at a time, `/documents/<slug>/?page=N`, page N holding the passages whose order
falls in its range (`documents.models.documents.reader_page_of`). Permalinks keep their form:

- `/documents/<slug>/#anchor` (the citable contract) lands on page 1, which lists every anchor of the
  other pages as a link to its page (`off_page_targets`, no script needed: the fragment scrolls to it);
- `/documents/<slug>/at/<anchor>/` redirects to the page that holds the passage, turn or division;
- the site's own links (search hits, indexes, note permalinks) already carry ?page=N
  (`Passage.get_absolute_url`, `exports.links.note_target_path`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Max, Min

from documents.models import Passage, Section, Turn
from documents.models.documents import reader_page_of, reader_page_size


@dataclass
class ReaderPage:
    number: int
    count: int
    start: int  # passages with start <= order < end are on this page
    end: int
    first_number: int = 1  # the paragraph number of the page's first passage

    @property
    def paged(self) -> bool:
        return self.count > 1

    @property
    def numbers(self) -> list[int]:
        return list(range(1, self.count + 1))


def reader_page(document, number: int) -> ReaderPage | None:
    """Page `number` of the document (1 for a short one); None when there is no such page."""
    size = reader_page_size()
    last = document.passages.aggregate(last=Max("order"))["last"]
    count = reader_page_of(last) if last is not None else 1
    if not 1 <= number <= count:
        return None
    start, end = (number - 1) * size, number * size
    first = document.passages.filter(order__lt=start).count() + 1 if number > 1 else 1
    return ReaderPage(number=number, count=count, start=start, end=end, first_number=first)


def off_page_targets(document, page: ReaderPage) -> list[dict]:
    """Page 1 of a paged document: each passage and turn of the other pages, as {'id', 'url', 'label'}."""
    if not page.paged or page.number != 1:
        return []
    targets = []
    rows = document.passages.filter(order__gte=page.end).order_by("order").values_list("anchor", "order", "turn_id")
    turn_ids = dict(Turn.objects.filter(document=document).values_list("pk", "xml_id"))
    earlier = document.passages.filter(order__lt=page.end)
    # A turn that starts on page 1 has its id there already; the others are listed at their first passage.
    seen_turns = set(earlier.exclude(turn=None).values_list("turn_id", flat=True).distinct())
    number = earlier.count()
    for anchor, order, turn in rows:
        number += 1
        on = reader_page_of(order)
        if turn is not None and turn not in seen_turns and turn_ids.get(turn):
            seen_turns.add(turn)
            ident = turn_ids[turn]
            targets.append({"id": ident, "url": f"?page={on}#{ident}", "label": f"turn at ¶{number}", "page": on})
        targets.append({"id": anchor, "url": f"?page={on}#{anchor}", "label": f"¶{number}", "page": on})
    return targets


def anchor_page(document, anchor: str) -> int | None:
    """The reader page holding a passage anchor, a turn's or a division's id; None if the document has none."""
    order = document.passages.filter(anchor=anchor).values_list("order", flat=True).first()
    if order is None:
        turn = Turn.objects.filter(document=document, xml_id=anchor).values("pk")
        order = Passage.objects.filter(turn__in=turn).aggregate(first=Min("order"))["first"]
    if order is None:
        section = Section.objects.filter(document=document, xml_id=anchor).values("pk")
        order = Passage.objects.filter(section__in=section).aggregate(first=Min("order"))["first"]
    return reader_page_of(order) if order is not None else None
