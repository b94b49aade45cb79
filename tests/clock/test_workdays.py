"""The official calendar and working-day arithmetic (CLOCK1, CLOCK4, CLOCK6, CLOCK7)."""

import time
from datetime import date, datetime, timedelta

import pytest

from tongchuan_portal.clock import workdays
from tongchuan_portal.clock.workdays import (
    BEIJING, add_working_days, count_days, due_moment, is_working_day, working_days_between,
)

pytestmark = pytest.mark.usefixtures("calendar")

D = date.fromisoformat

# 国务院办公厅 holiday schedules: make-up working days (调休上班), all at weekends.
MAKEUP_DAYS = {
    2024: ["2024-02-04", "2024-02-18", "2024-04-07", "2024-04-28", "2024-05-11", "2024-09-14", "2024-09-29",
           "2024-10-12"],
    2025: ["2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"],
    2026: ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"],
}
HOLIDAYS = {  # (first, last) days off
    "2024 春节": ("2024-02-10", "2024-02-17"), "2024 国庆节": ("2024-10-01", "2024-10-07"),
    "2024 劳动节": ("2024-05-01", "2024-05-05"),
    "2025 春节": ("2025-01-28", "2025-02-04"), "2025 国庆节、中秋节": ("2025-10-01", "2025-10-08"),
    "2025 劳动节": ("2025-05-01", "2025-05-05"),
    "2026 元旦": ("2026-01-01", "2026-01-03"), "2026 春节": ("2026-02-15", "2026-02-23"),
    "2026 劳动节": ("2026-05-01", "2026-05-05"), "2026 端午节": ("2026-06-19", "2026-06-21"),
    "2026 国庆节": ("2026-10-01", "2026-10-07"),
}


@pytest.mark.parametrize("year", sorted(MAKEUP_DAYS))
def test_CLOCK1_makeup_weekend_days_are_working_days(year):
    for day in MAKEUP_DAYS[year]:
        assert D(day).weekday() >= 5
        assert is_working_day(D(day)), day
    # and every other weekend day of the year is not
    day = date(year, 1, 1)
    while day.year == year:
        if day.weekday() >= 5 and day.isoformat() not in MAKEUP_DAYS[year]:
            assert not is_working_day(day), day
        day += timedelta(days=1)


@pytest.mark.parametrize("name", sorted(HOLIDAYS))
def test_CLOCK1_public_holidays_are_days_off(name):
    first, last = map(D, HOLIDAYS[name])
    day = first
    while day <= last:
        assert not is_working_day(day), f"{name} {day}"
        day += timedelta(days=1)
    assert is_working_day(first - timedelta(days=1)) or (first - timedelta(days=1)).weekday() >= 5
    assert is_working_day(last + timedelta(days=1)) or (last + timedelta(days=1)).weekday() >= 5


def test_CLOCK1_working_days_in_2026_total():
    """2026 has 365 days, 104 weekend days, 6 make-up days and 19 holidays on weekdays: 248 working days."""
    assert working_days_between(date(2025, 12, 31), date(2026, 12, 31)) == sum(
        is_working_day(date(2026, 1, 1) + timedelta(days=i)) for i in range(365))
    assert working_days_between(date(2025, 12, 31), date(2026, 12, 31)) == 248


def test_CLOCK7_comment_window_example_from_the_rules():
    """Opened on Monday 2026-06-01 for 7 working days: closes at the end of Wednesday 2026-06-10."""
    assert add_working_days(date(2026, 6, 1), 7) == date(2026, 6, 10)
    moment = due_moment(started_at=datetime(2026, 6, 1, 9, 30, tzinfo=BEIJING), days=7)
    assert moment.due_at == datetime(2026, 6, 10, 23, 59, 59, tzinfo=BEIJING)
    assert moment.provisional is False


def test_CLOCK7_start_day_is_not_counted_whatever_the_hour():
    early = due_moment(started_at=datetime(2026, 6, 1, 0, 0, 1, tzinfo=BEIJING), days=1)
    late = due_moment(started_at=datetime(2026, 6, 1, 23, 59, 59, tzinfo=BEIJING), days=1)
    assert early.due_at == late.due_at == datetime(2026, 6, 2, 23, 59, 59, tzinfo=BEIJING)


def test_CLOCK7_start_is_taken_in_beijing_time_not_utc():
    """16:30 UTC on 2026-06-01 is already 00:30 on 2026-06-02 in Beijing."""
    from datetime import timezone as tz

    moment = due_moment(started_at=datetime(2026, 6, 1, 16, 30, tzinfo=tz.utc), days=1)
    assert moment.due_at == datetime(2026, 6, 3, 23, 59, 59, tzinfo=BEIJING)


def test_CLOCK7_starting_on_a_holiday_counts_from_the_next_working_day():
    # Started on 2026-10-03 (National Day): Oct 8 (Thu) is day 1, Oct 9 day 2, Oct 10 (make-up Sat) day 3.
    assert add_working_days(date(2026, 10, 3), 3) == date(2026, 10, 10)


def test_CLOCK1_window_across_spring_festival_2026_counts_makeup_saturday():
    count = count_days(date(2026, 2, 10), 7)
    assert count.due == date(2026, 2, 26)
    assert count.makeup_days == [date(2026, 2, 14)]
    assert [s.day for s in count.skipped] == [date(2026, 2, 15) + timedelta(days=i) for i in range(9)]
    assert {s.reason for s in count.skipped} == {"春节"}


def test_CLOCK1_window_across_spring_festival_2025():
    # Thu 2025-01-23: Jan 24, 26 (make-up Sun), 27, then holiday to Feb 4, Feb 5, 6, 7, 8 (make-up Sat).
    assert add_working_days(date(2025, 1, 23), 6) == date(2025, 2, 7)
    assert add_working_days(date(2025, 1, 23), 7) == date(2025, 2, 8)
    assert add_working_days(date(2025, 1, 23), 8) == date(2025, 2, 10)


def test_CLOCK1_window_across_labour_day_2026():
    assert add_working_days(date(2026, 4, 28), 5) == date(2026, 5, 8)
    assert add_working_days(date(2026, 4, 28), 6) == date(2026, 5, 9)  # make-up Saturday


def test_CLOCK1_window_across_national_day_2025():
    assert add_working_days(date(2025, 9, 26), 1) == date(2025, 9, 28)  # make-up Sunday
    assert add_working_days(date(2025, 9, 26), 3) == date(2025, 9, 30)
    assert add_working_days(date(2025, 9, 26), 4) == date(2025, 10, 9)
    assert add_working_days(date(2025, 9, 26), 6) == date(2025, 10, 11)  # make-up Saturday


def test_D13_twenty_working_days_across_national_day_2026():
    count = count_days(date(2026, 9, 18), 20)
    assert count.due == date(2026, 10, 22)
    assert date(2026, 9, 20) in count.makeup_days and date(2026, 10, 10) in count.makeup_days


def test_working_days_between_is_the_inverse_of_add():
    for start in (date(2024, 2, 1), date(2025, 9, 20), date(2026, 12, 1)):
        for n in (1, 7, 10, 20, 60):
            assert working_days_between(start, add_working_days(start, n)) == n
    assert working_days_between(date(2026, 6, 10), date(2026, 6, 1)) == -7


def test_zero_and_negative_lengths():
    assert add_working_days(date(2026, 6, 6), 0) == date(2026, 6, 6)
    with pytest.raises(ValueError):
        add_working_days(date(2026, 6, 1), -1)


def test_CLOCK4_unconfirmed_year_is_provisional_with_the_predicted_schedule():
    count = count_days(date(2026, 12, 20), 20)
    assert count.provisional_years == [2027]
    assert count.provisional
    assert not is_working_day(date(2027, 1, 1))  # 元旦
    assert "元旦(暂定)" in [s.reason for s in count.skipped]
    assert not is_working_day(date(2027, 10, 1)) and not is_working_day(date(2027, 5, 2))
    # 春节 2027 (正月初一 2月6日) is computed now, no longer a plain week: 除夕 2月5日 for 8 days.
    assert not is_working_day(date(2027, 2, 5)) and not is_working_day(date(2027, 2, 8))
    assert is_working_day(date(2027, 2, 13))  # the Saturday after the run, predicted 调休上班
    assert "春节(暂定)" in [s.reason for s in count_days(date(2027, 2, 1), 10).skipped]
    assert date(2027, 2, 13) in count_days(date(2027, 2, 1), 10).makeup_days
    assert due_moment(started_at=datetime(2026, 12, 20, 10, tzinfo=BEIJING), days=20).provisional


def test_CLOCK4_confirmed_window_is_not_provisional():
    assert not count_days(date(2026, 11, 2), 20).provisional


def test_hour_clock_across_midnight_and_a_holiday_ignores_the_calendar():
    """O4: wall-clock hours — 22:00 on the eve of National Day + 5 h is 03:00 on the holiday."""
    start = datetime(2026, 9, 30, 22, 0, tzinfo=BEIJING)
    assert due_moment(started_at=start, duration=timedelta(hours=5)).due_at == datetime(2026, 10, 1, 3, 0, tzinfo=BEIJING)
    assert due_moment(started_at=start, duration=timedelta(hours=24)).due_at == datetime(2026, 10, 1, 22, 0, tzinfo=BEIJING)
    assert due_moment(started_at=start, duration=timedelta(hours=48)).provisional is False


def test_CLOCK6_explanation_names_weekends_and_holidays():
    count = count_days(date(2026, 9, 30), 3)
    assert count.due == date(2026, 10, 10)  # Oct 8, Oct 9, and the make-up Saturday
    reasons = {s.day: s.reason for s in count.skipped}
    assert reasons[date(2026, 10, 1)] == "国庆节"
    assert date(2026, 10, 8) not in reasons  # Thursday after the holiday is a working day


def test_no_query_once_warm(django_assert_num_queries):
    add_working_days(date(2026, 3, 1), 20)
    with django_assert_num_queries(0):
        for i in range(1000):
            add_working_days(date(2026, 3, 1) + timedelta(days=i % 300), 20)
            is_working_day(date(2026, 1, 1) + timedelta(days=i % 365))


def test_calendar_change_reaches_other_processes_through_the_shared_version(monkeypatch):
    """Another process bumps the version; this one reloads within VERSION_CHECK_SECONDS."""
    from django.core.cache import cache

    from tongchuan_portal.clock.models import OfficialDay

    assert is_working_day(date(2026, 6, 3))
    OfficialDay.objects.create(date=date(2026, 6, 3), kind=OfficialDay.Kind.HOLIDAY, name="测试假日")
    assert is_working_day(date(2026, 6, 3))  # this process's snapshot is still fresh
    cache.set(workdays.VERSION_KEY, time.time_ns(), None)  # what invalidate() does in the other process
    now = time.monotonic()
    monkeypatch.setattr(workdays.time, "monotonic", lambda: now + workdays.VERSION_CHECK_SECONDS + 1)
    assert not is_working_day(date(2026, 6, 3))
