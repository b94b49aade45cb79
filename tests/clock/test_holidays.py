"""Statutory holidays computed for any year, and the 调休 prediction (CLOCK4)."""

from datetime import date, timedelta

import chinese_calendar
import pytest
from lunar_python import Solar

from tongchuan_portal.clock import holidays
from tongchuan_portal.clock.holidays import (
    DRAGON_BOAT, LABOUR, MID_AUTUMN, NATIONAL, NEW_YEAR, QINGMING, SPRING, Pattern, derive_pattern, predicted_days,
    statutory_festivals,
)

KNOWN_SPRING_FESTIVALS = {2025: date(2025, 1, 29), 2026: date(2026, 2, 17), 2027: date(2027, 2, 6),
                          2028: date(2028, 1, 26), 2029: date(2029, 2, 13), 2030: date(2030, 2, 3)}


def _lunar(day: date):
    return Solar.fromYmd(day.year, day.month, day.day).getLunar()


@pytest.mark.parametrize("year", range(2025, 2031))
def test_CLOCK4_lunar_holidays_2025_to_2030_are_the_lunar_packages_dates(year):
    """Each date is checked back through lunar-python from the Gregorian side, not typed in by hand."""
    festivals = statutory_festivals(year)
    assert festivals[SPRING][1] == KNOWN_SPRING_FESTIVALS[year]
    eve, *new_year = festivals[SPRING]
    assert [(_lunar(d).getMonth(), _lunar(d).getDay()) for d in new_year] == [(1, 1), (1, 2), (1, 3)]
    assert _lunar(eve).getMonth() == 12 and _lunar(eve + timedelta(days=1)).getDay() == 1  # 除夕: last of 腊月
    for name, (month, day) in ((DRAGON_BOAT, (5, 5)), (MID_AUTUMN, (8, 15))):
        lunar = _lunar(festivals[name][0])
        assert (lunar.getMonth(), lunar.getDay()) == (month, day)  # a leap month would be negative
    assert _lunar(festivals[QINGMING][0]).getJieQi() == "清明"
    assert festivals[NEW_YEAR] == [date(year, 1, 1)]
    assert festivals[LABOUR] == [date(year, 5, 1), date(year, 5, 2)]
    assert festivals[NATIONAL] == [date(year, 10, 1), date(year, 10, 2), date(year, 10, 3)]


@pytest.mark.parametrize("year", [2025, 2026])
def test_CLOCK4_statutory_days_of_published_years_are_all_holidays_in_the_schedule(year):
    for days in statutory_festivals(year).values():
        assert all(day in chinese_calendar.holidays for day in days)


def test_CLOCK4_earlier_years_follow_the_rules_then_in_force():
    assert statutory_festivals(2024)[SPRING] == [date(2024, 2, 10), date(2024, 2, 11), date(2024, 2, 12)]
    assert statutory_festivals(2024)[LABOUR] == [date(2024, 5, 1)]
    assert statutory_festivals(2010)[SPRING][0] == date(2010, 2, 13)  # 2008–2013: 除夕 to 初二
    assert statutory_festivals(2005)[LABOUR] == [date(2005, 5, 1), date(2005, 5, 2), date(2005, 5, 3)]
    assert QINGMING not in statutory_festivals(2005)


def _real_off(day: date) -> bool:
    if day in chinese_calendar.workdays:
        return False
    return day in chinese_calendar.holidays or day.weekday() >= 5


@pytest.mark.parametrize("year, other", [(2025, 2026), (2026, 2025)])
def test_CLOCK4_prediction_derived_from_the_other_published_year_gives_the_real_schedule(year, other):
    pattern = derive_pattern(_real_off, [other])
    assert pattern.derived_from == (other,)
    predicted = predicted_days(year, pattern)
    day = date(year, 1, 1)
    while day.year == year:
        off = predicted[day][0] == holidays.HOLIDAY if day in predicted else day.weekday() >= 5
        assert off == _real_off(day), day
        day += timedelta(days=1)


def test_CLOCK4_run_lengths_are_measured_in_the_published_years():
    pattern = derive_pattern(_real_off, [2025, 2026])
    assert (pattern.spring, pattern.labour, pattern.national, pattern.national_with_mid_autumn) == (8, 5, 7, 8)

    def nine_day_spring(day):  # a later year that gives 春节 a day more moves the prediction with it
        return _real_off(day) or day == date(2026, 2, 24)

    assert derive_pattern(nine_day_spring, [2025, 2026]).spring == 9
    assert predicted_days(2027, Pattern(spring=9))[date(2027, 2, 13)][0] == holidays.HOLIDAY


def test_CLOCK4_prediction_for_2027_bridges_and_makes_up_as_the_notices_do():
    days = predicted_days(2027)
    off = {d for d, (kind, _) in days.items() if kind == holidays.HOLIDAY}
    work = {d for d, (kind, _) in days.items() if kind == holidays.MAKEUP_WORKDAY}
    assert {date(2027, 2, 5) + timedelta(days=i) for i in range(8)} <= off  # 除夕 (Friday) for 8 days
    assert date(2027, 1, 31) in work and date(2027, 2, 13) in work
    assert days[date(2027, 9, 15)] == (holidays.HOLIDAY, MID_AUTUMN)  # a Wednesday: the day alone
    assert date(2027, 9, 14) not in days and date(2027, 9, 16) not in days
    assert {date(2027, 10, 1) + timedelta(days=i) for i in range(7)} <= off
