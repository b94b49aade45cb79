"""The calendar at install (CLOCK1): seeded by the migration, and no working-day clock without it."""

import importlib
from datetime import date, datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from tongchuan_portal.clock.models import CalendarYear, Deadline, OfficialDay
from tongchuan_portal.clock.selectors import calendar_unconfirmed_today
from tongchuan_portal.clock.services import calendar_load_from_package, deadline_start
from tongchuan_portal.clock.workdays import BEIJING, is_working_day, reset_local_cache
from tongchuan_portal.core.health import health_report
from tongchuan_portal.core.selectors import system_user
from tests.clock.factories import start
from tests.units.factories import UnitFactory

pytestmark = pytest.mark.usefixtures("calendar")

seed_migration = importlib.import_module("tongchuan_portal.clock.migrations.0003_seed_calendar")


def bj(*args):
    return datetime(*args, tzinfo=BEIJING)


@pytest.fixture(scope="module")
def migration_apps():
    """The models as the migration sees them (historical models, no history signals)."""
    from django.db.migrations.loader import MigrationLoader

    return MigrationLoader(None, ignore_no_migrations=True).project_state(("clock", "0003_seed_calendar")).apps


def _empty_calendar():
    OfficialDay.objects.all().delete()
    CalendarYear.objects.all().delete()
    OfficialDay.history.all().delete()
    CalendarYear.history.all().delete()
    reset_local_cache()


def test_CLOCK1_hardening_the_migration_seeds_every_published_year_with_history(migration_apps):
    expected = sorted(OfficialDay.objects.values_list("date", "kind", "name", "source_notice"))
    _empty_calendar()
    created, years = seed_migration.seed_calendar(migration_apps)
    assert created == len(expected) and years == list(range(2004, 2027))
    assert sorted(OfficialDay.objects.values_list("date", "kind", "name", "source_notice")) == expected
    assert set(CalendarYear.objects.filter(confirmed=True).values_list("year", flat=True)) == set(range(2004, 2027))
    # The edges the portal must get right: Spring Festival 2026 and its make-up Saturdays, National Day.
    reset_local_cache()
    assert not is_working_day(date(2026, 2, 16)) and not is_working_day(date(2026, 2, 23))
    assert is_working_day(date(2026, 2, 14)) and is_working_day(date(2026, 2, 28))  # Saturdays, 调休上班
    assert not is_working_day(date(2026, 10, 7)) and is_working_day(date(2026, 10, 10))
    # Every row has its history record, as the system user.
    record = OfficialDay.history.get(date=date(2026, 2, 14))
    assert record.history_type == "+" and record.history_user == system_user()
    assert record.history_change_reason == "从 chinesecalendar 载入放假安排(数据迁移)"
    assert OfficialDay.history.count() == created
    assert CalendarYear.history.filter(year=2026).get().history_change_reason == "从 chinesecalendar 载入并确认(数据迁移)"
    # Idempotent, and the command has nothing left to add.
    assert seed_migration.seed_calendar(migration_apps) == (0, [])
    assert calendar_load_from_package(by=system_user()) == (0, [])


def test_CLOCK1_hardening_the_admins_word_wins_over_the_package(migration_apps):
    _empty_calendar()
    OfficialDay.objects.create(date=date(2026, 2, 14), kind="holiday", name="本地调整")
    seed_migration.seed_calendar(migration_apps)
    assert OfficialDay.objects.get(date=date(2026, 2, 14)).name == "本地调整"


def test_CLOCK1_hardening_no_working_day_clock_while_todays_year_is_unconfirmed(confirm_year):
    unit = UnitFactory()
    with time_machine.travel(bj(2027, 1, 4, 9), tick=False):  # 2027: not in the pinned package
        assert calendar_unconfirmed_today() == 2027
        with pytest.raises(ValidationError) as refused:
            deadline_start(rule="test.days", target=unit, unit=unit, by=system_user())
        assert "工作日历尚未确认2027年的放假安排" in refused.value.messages[0]
        assert not Deadline.objects.exists()
        # Wall-clock rules never read the calendar: an emergency-response clock still starts.
        hours = deadline_start(rule="test.hours", target=unit, unit=unit, by=system_user())
        assert hours.due_at == bj(2027, 1, 4, 14)

        confirm_year(2027)  # the office enters and confirms the year: clocks start again
        assert calendar_unconfirmed_today() is None
        deadline = deadline_start(rule="test.days", target=unit, unit=unit, by=system_user())
        assert not deadline.provisional


def test_CLOCK4_hardening_a_window_running_into_an_unconfirmed_year_still_starts():
    with time_machine.travel(bj(2026, 12, 24, 9), tick=False):
        deadline = start(unit=UnitFactory(), at=bj(2026, 12, 24, 10))
    assert deadline.provisional and deadline.due_at.year == 2027


def test_CLOCK1_hardening_an_unseeded_database_refuses_and_healthz_says_why(client):
    unit = UnitFactory()
    _empty_calendar()
    with pytest.raises(ValidationError, match="工作日历尚未确认"):
        deadline_start(rule="test.days", target=unit, unit=unit, by=system_user())
    check = health_report()["checks"]["calendar"]
    assert check == {"ok": False, "unconfirmed_year": datetime.now(BEIJING).year}
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["checks"]["calendar"] is False


def test_CLOCK1_hardening_healthz_calendar_check_passes_when_confirmed():
    assert health_report()["checks"]["calendar"] == {"ok": True}
