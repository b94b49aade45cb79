"""Entering a year by pasting the State Council's notice (CLOCK4): all or nothing, through the service,
with history naming the notice, and the open deadlines of the year moved by the recompute."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tongchuan_portal.clock.models import CalendarChange, CalendarYear, Deadline, OfficialDay
from tongchuan_portal.clock.services import calendar_changes_process, calendar_notice_import, deadline_start
from tongchuan_portal.clock.workdays import BEIJING
from tongchuan_portal.core.selectors import system_user
from tests.clock.notices import NOTICE_2026, NOTICE_2027_FOR_TESTS
from tests.processes import wait_for
from tests.units.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.usefixtures("calendar")
TITLE_2027 = "国务院办公厅关于2027年部分节假日安排的通知"


def _crossing_deadline(unit=None):
    """7 working days from Friday 2027-01-22: 25–29, then the prediction's 春节 make-up Sunday 1月31日 and
    Monday → 2027-02-01. The notice has no make-up on 1月31日: 2027-02-02."""
    unit = unit or UnitFactory()
    deadline = deadline_start(rule="test.days", target=unit, unit=unit, subject="春节前事项",
                              started_at=timezone.datetime(2027, 1, 22, 10, tzinfo=BEIJING), by=system_user())
    assert deadline.provisional and _due(deadline) == date(2027, 2, 1)
    return deadline


def _due(deadline):
    return Deadline.objects.get(pk=deadline.pk).due_at.astimezone(BEIJING).date()


def _calendar_state():
    return (list(OfficialDay.objects.filter(date__year=2027).values_list("date", "kind")),
            list(CalendarYear.objects.filter(year=2027).values_list("confirmed", flat=True)),
            CalendarChange.objects.count(), OfficialDay.history.count())


def test_CLOCK4_pasting_a_notice_enters_the_year_confirms_it_and_moves_open_deadlines(db):
    deadline = _crossing_deadline()
    admin = UserFactory(username="notice-admin")
    done = calendar_notice_import(text=NOTICE_2027_FOR_TESTS, by=admin)

    assert done.year == 2027 and len(done.created) == 35 and not done.changed and not done.deleted
    year = CalendarYear.objects.get(year=2027)
    assert year.confirmed and year.source_notice == f"{TITLE_2027}(国办发明电〔2026〕99号)"
    assert year.history.first().history_change_reason == f"导入{TITLE_2027}并确认2027年放假安排"
    day = OfficialDay.objects.get(date=date(2027, 2, 28))
    assert (day.kind, day.name, day.history.first().history_user) == ("makeup_workday", "春节", admin)
    assert day.history.first().history_change_reason == f"按{TITLE_2027}录入2027-02-28为调休上班"
    change = CalendarChange.objects.get()  # one change for the whole year, not thirty-five
    assert (change.start, change.reason) == (date(2027, 1, 1), f"导入{TITLE_2027}")
    assert change.end.year > 2028  # the pattern later years are predicted from may change with it

    assert calendar_changes_process() == 1
    moved = Deadline.objects.get(pk=deadline.pk)
    assert _due(moved) == date(2027, 2, 2) and not moved.provisional
    reason = moved.history.first().history_change_reason
    assert reason.startswith(f"导入{TITLE_2027}:截止时间由2027-02-01 23:59调整为2027-02-02 23:59")


def test_CLOCK4_a_notice_that_departs_from_the_pattern_moves_deadlines_in_later_provisional_years(db):
    """The 2027 notice gives 春节 9 days from 除夕: the prediction for 2028 follows, and so do its deadlines."""
    unit = UnitFactory()
    later = deadline_start(rule="test.days", target=unit, unit=unit, subject="2028年春节前事项",
                           started_at=timezone.datetime(2028, 1, 20, 10, tzinfo=BEIJING), by=system_user())
    before = _due(later)
    calendar_notice_import(text=NOTICE_2027_FOR_TESTS, by=system_user())
    calendar_changes_process()
    moved = Deadline.objects.get(pk=later.pk)
    assert _due(moved) != before and moved.provisional  # 2028 itself is still unpublished
    assert moved.history.first().history_change_reason.startswith(f"导入{TITLE_2027}:截止时间由")


def test_CLOCK4_pasting_the_same_notice_again_changes_nothing(db):
    calendar_notice_import(text=NOTICE_2027_FOR_TESTS, by=system_user())
    before = _calendar_state()
    again = calendar_notice_import(text=NOTICE_2027_FOR_TESTS, by=system_user())
    assert again.change is None and _calendar_state() == before


def test_CLOCK4_the_real_2026_notice_over_the_seeded_calendar_changes_nothing(db):
    changes = CalendarChange.objects.count()
    done = calendar_notice_import(text=NOTICE_2026, by=system_user())
    assert (done.created, done.changed, done.deleted, done.change) == ([], [], [], None)
    assert CalendarChange.objects.count() == changes


def test_CLOCK4_a_notice_replaces_days_entered_by_hand_that_it_does_not_list(db):
    from tongchuan_portal.clock.services import official_day_set

    official_day_set(day=date(2027, 3, 8), kind="holiday", name="手工录入", by=system_user())
    done = calendar_notice_import(text=NOTICE_2027_FOR_TESTS, by=system_user())
    assert done.deleted == [date(2027, 3, 8)] and not OfficialDay.objects.filter(date=date(2027, 3, 8)).exists()
    record = OfficialDay.history.filter(date=date(2027, 3, 8)).first()
    assert record.history_type == "-" and TITLE_2027 in record.history_change_reason


def test_CLOCK4_a_malformed_notice_is_refused_whole_and_enters_nothing(db):
    deadline = _crossing_deadline()
    before = _calendar_state()
    broken = NOTICE_2027_FOR_TESTS.replace("9月26日(周日)", "9月26日(周六)")
    with pytest.raises(ValidationError) as refused:
        calendar_notice_import(text=broken, by=system_user())
    assert "9月26日(周六)、10月9日(周六)上班。" in refused.value.messages[0]
    assert _calendar_state() == before and _due(deadline) == date(2027, 2, 1)


def test_CLOCK4_pasting_a_notice_for_an_open_year_moves_deadlines_through_the_real_worker(transactional_db,
                                                                                        live_worker):
    deadline = _crossing_deadline()
    calendar_notice_import(text=NOTICE_2027_FOR_TESTS, by=UserFactory(username="notice-worker-admin"))
    wait_for(lambda: _due(deadline) == date(2027, 2, 2), timeout=30, what="the worker to recompute the deadline")
    moved = Deadline.objects.get(pk=deadline.pk)
    assert not moved.provisional
    assert moved.history.first().history_change_reason.startswith(f"导入{TITLE_2027}:截止时间由")
    assert CalendarChange.objects.get().processed_at is not None
