"""Working days by the official calendar (CLOCK1, CLOCK4, CLOCK6, CLOCK7).

A working day is Monday–Friday, minus public holidays, plus make-up working
days (调休上班). Years whose schedule is not confirmed are counted from whatever
days have been entered so far and, for every other day, the provisional schedule
of `holidays.py` — the statutory holidays of that year's rules (lunar dates
computed) with the 调休 the State Council has followed since the 2024 revision —
and everything computed from them is *provisional*.

The calendar is read once per process into arrays indexed by day, so a lookup
is O(1) and never a query. A version number in the shared cache tells every
process when the calendar has changed; each process looks at it at most every
`VERSION_CHECK_SECONDS`.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as dtime
from zoneinfo import ZoneInfo

from django.core.cache import cache

from .holidays import HOLIDAY, MAKEUP_WORKDAY, PROVISIONAL_SUFFIX

logger = logging.getLogger(__name__)

BEIJING = ZoneInfo("Asia/Shanghai")
END_OF_DAY = dtime(23, 59, 59)
VERSION_KEY = "clock:calendar-version"
VERSION_CHECK_SECONDS = 2.0
FIRST_YEAR = 2000
YEARS_AHEAD = 40

# How an unconfirmed year is filled in: the predicted schedule (statutory holidays and the usual
# 调休); for the back-test's baselines, the statutory holidays alone, or the fixed-date ones alone
# (元旦, 劳动节, 国庆节: how unconfirmed years were counted before the lunar dates were computed).
PREDICTED, STATUTORY_ONLY, FIXED_DATES = "predicted", "statutory", "fixed"
WEEKDAY_NAMES = "一二三四五六日"


@dataclass(frozen=True)
class SkippedDay:
    day: date
    reason: str


@dataclass
class DayCount:
    """How a day-counted period was computed (CLOCK6)."""

    start: date
    days: int
    due: date
    skipped: list[SkippedDay] = field(default_factory=list)
    makeup_days: list[date] = field(default_factory=list)
    provisional_years: list[int] = field(default_factory=list)

    @property
    def provisional(self) -> bool:
        return bool(self.provisional_years)


class _Calendar:
    """One immutable snapshot of the calendar, as arrays over day ordinals."""

    def __init__(self, holidays: dict[date, str], makeups: dict[date, str], confirmed_years: set[int],
                 *, provisional: str = PREDICTED, last_year: int | None = None):
        from . import holidays as rules

        self.holidays = holidays
        self.makeups = makeups
        self.confirmed_years = frozenset(confirmed_years)
        last_year = last_year or max([date.today().year, *confirmed_years, *(d.year for d in holidays)]) + YEARS_AHEAD
        self.pattern = rules.derive_pattern(self._entered_off, self.confirmed_years)
        # Every unconfirmed year's predicted days, except where a day has been entered (the admin's word wins).
        self.provisional: dict[date, tuple[str, str]] = {}
        for year in range(FIRST_YEAR, last_year + 1):
            if year in self.confirmed_years:
                continue
            days = {PREDICTED: lambda: rules.predicted_days(year, self.pattern),
                    STATUTORY_ONLY: lambda: rules.statutory_only_days(year),
                    FIXED_DATES: lambda: rules.fixed_date_days(year)}[provisional]()
            for day, value in days.items():
                if day not in holidays and day not in makeups:
                    self.provisional[day] = value
        self.base = date(FIRST_YEAR, 1, 1).toordinal()
        self.end = date(last_year, 12, 31).toordinal()
        working = bytearray(self.end - self.base + 1)
        cumulative = [0] * (self.end - self.base + 1)
        workday_ordinals: list[int] = []
        count = 0
        for i in range(len(working)):
            ordinal = self.base + i
            if self._compute_is_working(date.fromordinal(ordinal)):
                working[i] = 1
                count += 1
                workday_ordinals.append(ordinal)
            cumulative[i] = count
        self.working = working
        self.cumulative = cumulative  # working days with ordinal <= base + i
        self.workday_ordinals = workday_ordinals

    def _entered_off(self, d: date) -> bool:
        if d in self.makeups:
            return False
        return d in self.holidays or d.weekday() >= 5

    def _compute_is_working(self, d: date) -> bool:
        if d in self.makeups:
            return True
        if d in self.holidays:
            return False
        if d in self.provisional:
            return self.provisional[d][0] == MAKEUP_WORKDAY
        return d.weekday() < 5

    def is_makeup(self, d: date) -> bool:
        return d in self.makeups or self.provisional.get(d, ("", ""))[0] == MAKEUP_WORKDAY

    def holiday_name(self, d: date) -> str | None:
        if d in self.holidays:
            return self.holidays[d]
        kind, name = self.provisional.get(d, ("", ""))
        if kind == HOLIDAY:
            return f"{name}{PROVISIONAL_SUFFIX}"
        return None

    def index(self, d: date) -> int:
        i = d.toordinal() - self.base
        if i < 0 or i >= len(self.working):
            raise ValueError(f"{d} 超出工作日历范围({FIRST_YEAR}年至{date.fromordinal(self.end).year}年)")
        return i


_lock = threading.Lock()
_snapshot: _Calendar | None = None
_snapshot_version = None
_checked_at = 0.0


def _load() -> _Calendar:
    from .models import CalendarYear, OfficialDay

    holidays: dict[date, str] = {}
    makeups: dict[date, str] = {}
    for day, kind, name in OfficialDay.objects.values_list("date", "kind", "name"):
        (makeups if kind == OfficialDay.Kind.MAKEUP_WORKDAY else holidays)[day] = name
    confirmed = set(CalendarYear.objects.filter(confirmed=True).values_list("year", flat=True))
    return _Calendar(holidays, makeups, confirmed)


def _shared_version():
    try:
        return cache.get(VERSION_KEY)
    except Exception:  # a cache outage must not stop deadlines from being computed
        return _snapshot_version


def calendar() -> _Calendar:
    """The current snapshot, reloaded when another process has changed the calendar."""
    global _snapshot, _snapshot_version, _checked_at
    now = time.monotonic()
    snap = _snapshot
    if snap is not None and now - _checked_at < VERSION_CHECK_SECONDS:
        return snap
    with _lock:
        version = _shared_version()
        if _snapshot is None or version != _snapshot_version:
            _snapshot = _load()
            _snapshot_version = version
        _checked_at = now
        return _snapshot


def calendar_version():
    """The shared version of the snapshot in use: what a stored rendering of a count depends on."""
    calendar()
    return _snapshot_version


def invalidate() -> None:
    """Tell every process that the calendar changed (call after the change commits)."""
    global _snapshot
    try:
        cache.set(VERSION_KEY, time.time_ns(), None)
    except Exception:  # other processes then reload when they restart; say so loudly
        logger.exception("could not publish the new calendar version to the shared cache")
    with _lock:
        _snapshot = None


def reset_local_cache() -> None:
    """Forget this process's snapshot (tests, after a rolled-back transaction)."""
    global _snapshot, _snapshot_version
    with _lock:
        _snapshot = None
        _snapshot_version = None


def is_working_day(d: date) -> bool:
    cal = calendar()
    return bool(cal.working[cal.index(d)])


def add_working_days(start: date, n: int) -> date:
    """The n-th working day after `start`; `start` itself is never counted (CLOCK7)."""
    if n < 0:
        raise ValueError("工作日数不能为负数")
    cal = calendar()
    i = start.toordinal() - cal.base
    if n == 0:
        return start
    if i < 0 or i >= len(cal.cumulative):
        cal.index(start)  # raises the clear error
    k = cal.cumulative[i] + n - 1
    if k >= len(cal.workday_ordinals):
        raise ValueError("期限超出工作日历范围")
    return date.fromordinal(cal.workday_ordinals[k])


def working_days_between(a: date, b: date) -> int:
    """Working days d with a < d ≤ b (negative when b is before a)."""
    cal = calendar()
    return cal.cumulative[cal.index(b)] - cal.cumulative[cal.index(a)]


def is_provisional(a: date, b: date) -> bool:
    """True when any day from a to b falls in a year whose schedule is not confirmed (CLOCK4)."""
    cal = calendar()
    return any(year not in cal.confirmed_years for year in range(min(a, b).year, max(a, b).year + 1))


def end_of_day(d: date) -> datetime:
    """The close of a day in Beijing time: a day-counted period ends at 23:59:59 (CLOCK7)."""
    return datetime.combine(d, END_OF_DAY, tzinfo=BEIJING)


def beijing_date(moment: datetime) -> date:
    return moment.astimezone(BEIJING).date()


def count_days(start: date, n: int) -> DayCount:
    """add_working_days with its explanation: every day skipped and why (CLOCK6)."""
    cal = calendar()
    due = add_working_days(start, n)
    result = DayCount(start=start, days=n, due=due)
    years = set()
    day = start + timedelta(days=1)
    while day <= due:
        years.add(day.year)
        if not cal.working[cal.index(day)]:
            name = cal.holiday_name(day)
            result.skipped.append(SkippedDay(day, name or f"周{WEEKDAY_NAMES[day.weekday()]}"))
        elif cal.is_makeup(day):
            result.makeup_days.append(day)
        day += timedelta(days=1)
    years.add(start.year)
    result.provisional_years = sorted(y for y in years if y not in cal.confirmed_years)
    return result


@dataclass
class DueMoment:
    """A rule's due moment and how it was reached (CLOCK6, CLOCK7)."""

    due_at: datetime
    provisional: bool
    count: DayCount | None = None
    duration: timedelta | None = None


def due_moment(*, started_at: datetime, days: int | None = None, duration: timedelta | None = None) -> DueMoment:
    """When a clock started at `started_at` runs out.

    Day rules end at 23:59:59 Beijing time of the n-th working day after the
    start day; hour rules end at the exact moment, holidays or not.
    """
    if (days is None) == (duration is None):
        raise ValueError("give either days or duration")
    if duration is not None:
        return DueMoment(due_at=started_at + duration, provisional=False, duration=duration)
    count = count_days(beijing_date(started_at), days)
    return DueMoment(due_at=end_of_day(count.due), provisional=count.provisional, count=count)


__all__ = [
    "BEIJING", "DayCount", "DueMoment", "due_moment", "SkippedDay", "add_working_days", "beijing_date", "calendar", "count_days",
    "calendar_version", "end_of_day", "invalidate", "is_provisional", "is_working_day", "reset_local_cache", "working_days_between",
]
