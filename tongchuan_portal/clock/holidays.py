"""The statutory holidays of any year and the usual 调休 around them, as a prediction (CLOCK4).

`statutory_holidays(year)` is the law: 全国年节及纪念日放假办法 in the version in force that year,
with the lunar festivals and the 清明 solar term from `lunar-python` (pure Python, the 6tail
calendar library also published for Java, JavaScript and Go; it carries both the lunar calendar
and the 24 solar terms, so one package answers every date we need).

`predicted_days(year, pattern)` is the arrangement the State Council has followed since the 2024
revision, in the words of its notice for 2025: 春节 from 除夕 for 8 days, 国庆节 from 1 October for
7 days (8 when 中秋节 falls in it), 劳动节 for 5 days, 元旦/清明/端午/中秋 3 days with the weekend
(only the day itself when it is a Wednesday); the working days the runs take are made up on the
nearest weekend days outside them. The run lengths are not hard-coded: `derive_pattern` measures
them in the published years (2025 on), so a year entered later that departs from them moves the
prediction with it. Nothing here reads the database: `workdays` hands in what is entered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

HOLIDAY = "holiday"  # OfficialDay.Kind.HOLIDAY
MAKEUP_WORKDAY = "makeup_workday"  # OfficialDay.Kind.MAKEUP_WORKDAY
REVISION_2024 = 2025  # the first year of the 2024 revision
PROVISIONAL_SUFFIX = "(暂定)"

NEW_YEAR, SPRING, QINGMING, LABOUR, DRAGON_BOAT, MID_AUTUMN, NATIONAL = (
    "元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节")
FESTIVALS = (NEW_YEAR, SPRING, QINGMING, LABOUR, DRAGON_BOAT, MID_AUTUMN, NATIONAL)
DAY = timedelta(days=1)


# --- the law: statutory holidays -----------------------------------------------------------


@lru_cache(maxsize=512)
def lunar_dates(year: int) -> dict[str, date]:
    """正月初一, 端午 (五月初五), 中秋 (八月十五) and the 清明 solar term of `year`, from lunar-python."""
    from lunar_python import Lunar, Solar

    def solar(lunar_month: int, lunar_day: int) -> date:
        s = Lunar.fromYmd(year, lunar_month, lunar_day).getSolar()
        return date(s.getYear(), s.getMonth(), s.getDay())

    qingming = Solar.fromYmd(year, 4, 20).getLunar().getJieQiTable()["清明"]
    return {
        "正月初一": solar(1, 1),
        DRAGON_BOAT: solar(5, 5),
        MID_AUTUMN: solar(8, 15),
        QINGMING: date(qingming.getYear(), qingming.getMonth(), qingming.getDay()),
    }


def statutory_festivals(year: int) -> dict[str, list[date]]:
    """Each festival's statutory days in `year` under the rules in force that year.

    2025 on (2024 revision): 元旦 1, 春节 4 (除夕 to 初三), 清明 1, 劳动节 2, 端午 1, 中秋 1, 国庆 3.
    2014–2024 (2013 revision): 春节 初一 to 初三, 劳动节 1. 2008–2013 (2007 revision): 春节 除夕 to
    初二, 劳动节 1. Before 2008 (1999 version): 春节 初一 to 初三, 劳动节 3, no 清明/端午/中秋.
    """
    lunar = lunar_dates(year)
    new_year = lunar["正月初一"]
    eve = new_year - DAY
    if year >= REVISION_2024:
        spring, labour = [eve + i * DAY for i in range(4)], [date(year, 5, 1), date(year, 5, 2)]
    elif year >= 2014:
        spring, labour = [new_year + i * DAY for i in range(3)], [date(year, 5, 1)]
    elif year >= 2008:
        spring, labour = [eve + i * DAY for i in range(3)], [date(year, 5, 1)]
    else:
        spring, labour = [new_year + i * DAY for i in range(3)], [date(year, 5, d) for d in (1, 2, 3)]
    festivals = {NEW_YEAR: [date(year, 1, 1)], SPRING: spring, LABOUR: labour,
                 NATIONAL: [date(year, 10, d) for d in (1, 2, 3)]}
    if year >= 2008:
        festivals.update({QINGMING: [lunar[QINGMING]], DRAGON_BOAT: [lunar[DRAGON_BOAT]],
                          MID_AUTUMN: [lunar[MID_AUTUMN]]})
    return {name: festivals[name] for name in FESTIVALS if name in festivals}


def statutory_holidays(year: int) -> dict[date, str]:
    """The statutory holidays of `year`, by date (item 1 of CLOCK4: no 调休 at all)."""
    return {day: name for name, days in statutory_festivals(year).items() for day in days}


# --- the practice: run lengths measured in published years --------------------------------


@dataclass(frozen=True)
class Pattern:
    """How long the State Council makes each long run, measured from its first statutory day."""

    spring: int = 8  # 春节: from 除夕
    labour: int = 5  # 劳动节: from 1 May
    national: int = 7  # 国庆节: from 1 October
    national_with_mid_autumn: int = 8  # 国庆节 and 中秋节 together
    derived_from: tuple[int, ...] = ()


def mid_autumn_joins_national_day(year: int, pattern: Pattern = Pattern()) -> bool:
    """“国庆节放假如逢中秋节则合并放假”: 中秋 falls in the National Day run or just before it."""
    mid_autumn = lunar_dates(year)[MID_AUTUMN]
    return date(year, 9, 29) <= mid_autumn <= date(year, 10, 1) + (pattern.national - 1) * DAY


def derive_pattern(is_off, published_years) -> Pattern:
    """The run lengths of the published years since the 2024 revision, the latest year winning.

    `is_off(day)` says whether a day of a published year is a rest day (holiday, or a weekend day
    that is not a make-up working day). A year whose run cannot be measured leaves the default.
    """
    values = {}
    used = []
    for year in sorted(y for y in published_years if y >= REVISION_2024):
        festivals = statutory_festivals(year)

        def run_from(start: date) -> int:
            if not is_off(start):
                return 0
            end = start
            while is_off(end + DAY) and (end - start).days < 20:
                end += DAY
            return (end - start).days + 1

        measured = {"spring": run_from(festivals[SPRING][0]), "labour": run_from(date(year, 5, 1))}
        if mid_autumn_joins_national_day(year):
            start = min(date(year, 10, 1), festivals[MID_AUTUMN][0])
            measured["national_with_mid_autumn"] = run_from(start)
        else:
            measured["national"] = run_from(date(year, 10, 1))
        measured = {k: v for k, v in measured.items() if v}
        if measured:
            values.update(measured)
            used.append(year)
    return Pattern(**values, derived_from=tuple(used))


# --- the prediction -------------------------------------------------------------------------


def _is_weekend(d: date) -> bool:
    return d.weekday() >= 5


class _Plan:
    """Rest days and make-up days of one year being laid out, festival by festival."""

    def __init__(self):
        self.off: dict[date, str] = {}
        self.work: dict[date, str] = {}

    def is_working(self, d: date) -> bool:
        if d in self.work:
            return True
        return d not in self.off and not _is_weekend(d)

    def unevenness(self, around: date) -> int:
        """Sum of squared lengths of working stretches within five weeks of `around`: lower is more even."""
        total = run = 0
        day = around - 35 * DAY
        while day <= around + 35 * DAY:
            if self.is_working(day):
                run += 1
            else:
                total, run = total + run * run, 0
            day += DAY
        return total + run * run

    def free_weekend_days(self, start: date, step: timedelta, skip_adjacent: bool):
        """Weekend days outward from `start` (exclusive), not in any run nor already worked."""
        day = start + step
        if skip_adjacent and _is_weekend(day):
            day += step  # the weekend day right next to a run stays a rest day (春节 2026: 2月15日)
        for _ in range(40):
            if _is_weekend(day) and day not in self.off and day not in self.work:
                yield day
            day += step


def _single_day(plan: _Plan, name: str, day: date) -> None:
    """元旦/清明/端午/中秋: 3 days with the weekend, bridging a Tuesday or Thursday; a Wednesday alone."""
    weekday = day.weekday()
    run = {0: (-2, 0), 1: (-2, 0), 2: (0, 0), 3: (0, 2), 4: (0, 2), 5: (0, 2), 6: (-1, 1)}[weekday]
    for offset in range(run[0], run[1] + 1):
        plan.off.setdefault(day + offset * DAY, name)
    if weekday == 1:
        plan.work[day - 3 * DAY] = name  # the Saturday before a Sunday–Tuesday run
    elif weekday == 3:
        plan.work[day + 3 * DAY] = name  # the Sunday after a Thursday–Saturday run


def _long_run(plan: _Plan, name: str, statutory: list[date], start: date, length: int,
              names: dict[date, str] | None = None) -> None:
    """A run of `length` days from `start`; the weekdays it takes beyond the statutory days are made up."""
    end = max(start + (length - 1) * DAY, max(statutory))
    day = start
    weekdays = 0
    while day <= end:
        plan.off[day] = (names or {}).get(day, name)
        weekdays += not _is_weekend(day)
        day += DAY
    owed = weekdays - len(statutory)
    if owed <= 0:
        return
    after = plan.free_weekend_days(end, DAY, skip_adjacent=False)
    before = plan.free_weekend_days(start, -DAY, skip_adjacent=True)
    if _is_weekend(end + DAY) and end + DAY not in plan.off:
        plan.work[next(after)] = name  # the run ends where it is said to: the next weekend day is worked
        owed -= 1
    side = "before"
    while owed > 0:
        if owed == 1 and side == "before":
            first, second = next(before), next(after)
            scores = []
            for candidate in (first, second):
                plan.work[candidate] = name
                scores.append(plan.unevenness(start))
                del plan.work[candidate]
            plan.work[first if scores[0] <= scores[1] else second] = name
            break
        plan.work[next(before) if side == "before" else next(after)] = name
        side = "after" if side == "before" else "before"
        owed -= 1


def _labour_day_start(year: int, length: int) -> date:
    """“劳动节放假调休5天” says how long, not from when: the run holding 1–2 May that takes the fewest
    working days, starting as close to 1 May as it can (2025: 5月1日至5日; a Monday 1 May: from the Saturday)."""
    first = date(year, 5, 1)

    def taken(start: date) -> int:
        return sum(not _is_weekend(start + i * DAY) for i in range(length))

    starts = [first - i * DAY for i in range(max(length - 1, 1))]
    return min(starts, key=lambda start: (taken(start), (first - start).days))


@lru_cache(maxsize=1024)
def predicted_days(year: int, pattern: Pattern = Pattern()) -> dict[date, tuple[str, str]]:
    """The provisional schedule of `year`: {day: (kind, festival name)} for rest days and make-up days.

    Before the 2024 revision only the statutory days are predicted. Days outside `year` (a
    make-up day the rules would put in the December before) are left out: that year has its own
    schedule. The result is cached and shared: copy it before changing it.
    """
    festivals = statutory_festivals(year)
    if year < REVISION_2024:
        return {day: (HOLIDAY, name) for name, days in festivals.items() for day in days}
    plan = _Plan()
    merged = mid_autumn_joins_national_day(year, pattern)
    for name in (NEW_YEAR, QINGMING, DRAGON_BOAT, MID_AUTUMN):
        if name == MID_AUTUMN and merged:
            continue
        _single_day(plan, name, festivals[name][0])
    _long_run(plan, SPRING, festivals[SPRING], festivals[SPRING][0], pattern.spring)
    _long_run(plan, LABOUR, festivals[LABOUR], _labour_day_start(year, pattern.labour), pattern.labour)
    if merged:
        mid_autumn = festivals[MID_AUTUMN][0]
        _long_run(plan, NATIONAL, [*festivals[NATIONAL], mid_autumn], min(date(year, 10, 1), mid_autumn),
                  pattern.national_with_mid_autumn, names={mid_autumn: MID_AUTUMN})
    else:
        _long_run(plan, NATIONAL, festivals[NATIONAL], date(year, 10, 1), pattern.national)
    days = {day: (HOLIDAY, name) for day, name in plan.off.items()}
    days.update({day: (MAKEUP_WORKDAY, name) for day, name in plan.work.items()})
    return {day: value for day, value in sorted(days.items()) if day.year == year}


@lru_cache(maxsize=1024)
def statutory_only_days(year: int) -> dict[date, tuple[str, str]]:
    """Item 1 alone, for the back-test: the statutory days, no 调休."""
    return {day: (HOLIDAY, name) for day, name in statutory_holidays(year).items()}


def fixed_date_days(year: int) -> dict[date, tuple[str, str]]:
    """The back-test's old baseline: only the holidays on fixed Gregorian dates (元旦, 劳动节, 国庆节)."""
    return {day: (HOLIDAY, name) for day, name in statutory_holidays(year).items()
            if name in (NEW_YEAR, LABOUR, NATIONAL)}
