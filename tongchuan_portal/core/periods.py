"""Calendar periods as half-open ranges of moments in Beijing time, so a filter on a moment uses its index."""

from __future__ import annotations

from datetime import datetime

from tongchuan_portal.clock.workdays import BEIJING


def year_span(year: int, month: int | None = None) -> tuple[datetime, datetime]:
    """[start, end) of a year — or of one month of it — in Beijing time."""
    if month:
        start = datetime(year, month, 1, tzinfo=BEIJING)
        return start, datetime(year + month // 12, month % 12 + 1, 1, tzinfo=BEIJING)
    return datetime(year, 1, 1, tzinfo=BEIJING), datetime(year + 1, 1, 1, tzinfo=BEIJING)
