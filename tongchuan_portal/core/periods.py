"""A year (or a month of it) as a half-open range of moments in Beijing time: [start, end).

Stopgap on feat13: main's commit 0b5b4ea imports this module but does not carry it; the lead's own version
replaces this one (same name and behaviour: ``year_span(2026)`` → 2026-01-01 00:00 to 2027-01-01 00:00,
``year_span(2026, 3)`` → 2026-03-01 00:00 to 2026-04-01 00:00, both Asia/Shanghai).
"""

from __future__ import annotations

from datetime import datetime

from tongchuan_portal.clock.workdays import BEIJING


def year_span(year: int, month: int | None = None) -> tuple[datetime, datetime]:
    if month is None:
        return datetime(year, 1, 1, tzinfo=BEIJING), datetime(year + 1, 1, 1, tzinfo=BEIJING)
    start = datetime(year, month, 1, tzinfo=BEIJING)
    end = datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=BEIJING)
    return start, end
