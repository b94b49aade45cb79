"""A year as a half-open range of moments in Beijing time.

Stand-in committed on feat14 because main's commit 0b5b4ea imports `tongchuan_portal.core.periods.year_span`
without the module; when main's own module arrives, keep main's.
"""

from datetime import datetime

from tongchuan_portal.clock.workdays import BEIJING


def year_span(year: int) -> tuple[datetime, datetime]:
    """[1 January 00:00, next 1 January 00:00) of `year`, Beijing time."""
    return datetime(year, 1, 1, tzinfo=BEIJING), datetime(year + 1, 1, 1, tzinfo=BEIJING)
