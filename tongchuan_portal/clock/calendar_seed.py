"""The published years of the official calendar, as the pinned `chinesecalendar` package carries them (CLOCK1).

One plan, two writers: `services.calendar_load_from_package` (``manage.py load_calendar``, for the
years a later package adds) and the data migration ``0003_seed_calendar`` (so a database migrated
per the release notes is never left computing deadlines from weekends alone). This module imports no
models: the migration must run against its own historical models.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

HOLIDAY = "holiday"  # OfficialDay.Kind.HOLIDAY
MAKEUP_WORKDAY = "makeup_workday"  # OfficialDay.Kind.MAKEUP_WORKDAY

# chinesecalendar names its holidays in English.
HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}
DAYS_REASON = "从 chinesecalendar 载入放假安排"
YEAR_REASON = "从 chinesecalendar 载入并确认"


def source_notice(year: int) -> str:
    return f"国务院办公厅关于{year}年部分节假日安排的通知"


@dataclass(frozen=True)
class PackageDay:
    date: date
    kind: str
    name: str
    source_notice: str


def package_plan(*, existing_days: set[date], confirmed_years: set[int]) -> tuple[list[PackageDay], list[int]]:
    """What the package adds to a calendar: the days not entered yet, the years not confirmed yet.

    Days already entered are left alone: the admin's word wins over the package's.
    """
    import chinese_calendar

    days = []
    for source, kind in ((chinese_calendar.holidays, HOLIDAY), (chinese_calendar.workdays, MAKEUP_WORKDAY)):
        for day, english in sorted(source.items()):
            if day not in existing_days:
                days.append(PackageDay(day, kind, HOLIDAY_NAMES.get(english, english), source_notice(day.year)))
    years = sorted({d.year for d in chinese_calendar.holidays} - set(confirmed_years))
    return days, years
