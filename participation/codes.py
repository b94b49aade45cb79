"""Values shared by participation's services and selectors, with no writes: query codes and month arithmetic.

Selectors read through these rather than importing the services (STYLE.md: a selector never imports a writer).
"""

from __future__ import annotations

from calendar import monthrange
from datetime import datetime

from tongchuan_portal.clock import workdays

# Query codes are the platform's one scheme (core.querycodes); re-exported for participation's callers.
from tongchuan_portal.core.querycodes import CODE_ALPHABET, new_query_code, query_code_digest  # noqa: F401


def months_before(moment: datetime, months: int) -> datetime:
    """The same Beijing wall-clock moment `months` calendar months earlier (day clipped to the month's end)."""
    local = moment.astimezone(workdays.BEIJING)
    year, month = divmod(local.year * 12 + local.month - 1 - months, 12)
    month += 1
    day = min(local.day, monthrange(year, month)[1])
    return local.replace(year=year, month=month, day=day)
