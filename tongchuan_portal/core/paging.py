"""Keyset pages for every list that can grow without limit: no COUNT(*), no OFFSET.

A list is ordered by one non-null moment and the primary key, ascending or descending; a page is
`size` rows after (or before) a cursor "<microseconds>-<pk>". One query per page whatever the list
holds (plus the query's prefetches, which cover only the page's rows). Rendered with the one pager,
`{% pager page query %}` (templates/includes/pager.html).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone as dt_timezone

from django.db.models import Q, QuerySet

CURSOR = re.compile(r"(-?(0|[1-9][0-9]{0,17}))-([1-9][0-9]{0,18})")
STAFF_PAGE_SIZE = 25


@dataclass
class KeysetPage:
    items: list
    next_cursor: str | None
    prev_cursor: str | None

    def __iter__(self):
        return iter(self.items)

    def __len__(self):
        return len(self.items)

    def __bool__(self):
        return bool(self.items)


def encode(moment: datetime, pk: int) -> str:
    return f"{int(moment.timestamp() * 1_000_000)}-{pk}"


def decode(value: str) -> tuple[datetime, int] | None:
    """The (moment, pk) of a cursor; None for anything that is not one (the list starts over)."""
    match = CURSOR.fullmatch(value or "")
    if not match:
        return None
    try:
        return datetime.fromtimestamp(int(match[1]) / 1_000_000, tz=dt_timezone.utc), int(match[3])
    except (ValueError, OverflowError, OSError):
        return None


def keyset(qs: QuerySet, *, moment: str, descending: bool = False, after: str = "", before: str = "",
           size: int = STAFF_PAGE_SIZE) -> KeysetPage:
    """One page of `qs` ordered by (`moment`, pk), `descending` or not, after/before a cursor."""
    forward, backward = ("-", "") if descending else ("", "-")
    later, earlier = ("lt", "gt") if descending else ("gt", "lt")
    after_key, before_key = decode(after) if after else None, decode(before) if before else None

    def key_of(item):
        return encode(getattr(item, moment), item.pk)

    if before_key:
        value, pk = before_key
        rows = list(qs.filter(Q(**{f"{moment}__{earlier}": value}) | Q(**{moment: value, f"pk__{earlier}": pk}))
                    .order_by(f"{backward}{moment}", f"{backward}pk")[:size + 1])
        more = len(rows) > size
        rows = list(reversed(rows[:size]))
        return KeysetPage(rows, key_of(rows[-1]) if rows else None, key_of(rows[0]) if rows and more else None)
    if after_key:
        value, pk = after_key
        qs = qs.filter(Q(**{f"{moment}__{later}": value}) | Q(**{moment: value, f"pk__{later}": pk}))
    rows = list(qs.order_by(f"{forward}{moment}", f"{forward}pk")[:size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return KeysetPage(rows, key_of(rows[-1]) if rows and more else None,
                      key_of(rows[0]) if rows and after_key else None)


def from_request(qs: QuerySet, request, **options) -> KeysetPage:
    return keyset(qs, after=request.GET.get("after", "")[:40], before=request.GET.get("before", "")[:40], **options)


COUNT_BOUND = 1000


@dataclass
class BoundedCount:
    """How many rows a list holds, counted up to COUNT_BOUND ("1,000+" beyond): one bounded query."""

    value: int

    @property
    def more(self) -> bool:
        return self.value > COUNT_BOUND

    def __str__(self):
        return f"{COUNT_BOUND:,}+" if self.more else f"{self.value:,}"


def bounded_count(qs: QuerySet) -> BoundedCount:
    return BoundedCount(qs.order_by().values("pk")[:COUNT_BOUND + 1].count())
