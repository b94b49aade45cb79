"""The sweep: reminders before the due moment, the miss after it, escalations, each exactly once (CLOCK3)."""

from datetime import datetime

import pytest
from django.core.cache import cache

from tongchuan_portal.clock.models import Deadline, DeadlineSignal, DeadlineState
from tongchuan_portal.clock.services import deadline_meet, deadlines_sweep
from tongchuan_portal.clock.workdays import BEIJING
from tongchuan_portal.notifications.models import Notification
from tongchuan_portal.units.models import Role
from tests.clock.factories import start
from tests.units.factories import UnitFactory, UserFactory, member

pytestmark = pytest.mark.usefixtures("calendar")


def bj(*args):
    return datetime(*args, tzinfo=BEIJING)


@pytest.fixture
def people(tongchuan_units):
    unit = tongchuan_units["fgw"]
    clerk, head, reviewer = UserFactory(username="clerk"), UserFactory(username="head"), UserFactory(username="rev")
    outsider = UserFactory(username="outsider")
    member(clerk, unit, Role.Code.CLERK)
    member(head, unit, Role.Code.UNIT_HEAD)
    member(reviewer, tongchuan_units["szfb"], Role.Code.CITY_OFFICE_REVIEWER)
    member(outsider, tongchuan_units["jyj"], Role.Code.CLERK, Role.Code.UNIT_HEAD)
    return {"unit": unit, "clerk": clerk, "head": head, "reviewer": reviewer, "outsider": outsider}


def inbox(user):
    return list(Notification.objects.filter(recipient=user).order_by("id").values_list("level", flat=True))


def test_CLOCK3_reminder_then_miss_then_escalation_each_once(people):
    deadline = start(unit=people["unit"])  # due 2026-06-10 23:59:59, reminder 1 day before
    assert deadline.next_action_at == bj(2026, 6, 9, 23, 59, 59)

    assert deadlines_sweep(now=bj(2026, 6, 9, 23, 59, 58)).deadlines == 0
    result = deadlines_sweep(now=bj(2026, 6, 9, 23, 59, 59))
    assert (result.reminders, result.missed, result.escalations) == (1, 0, 0)
    assert inbox(people["clerk"]) == ["reminder"] and inbox(people["head"]) == []

    # The moment of the deadline itself is still in time.
    assert deadlines_sweep(now=bj(2026, 6, 10, 23, 59, 59)).deadlines == 0
    assert Deadline.objects.get(pk=deadline.pk).state == DeadlineState.RUNNING

    result = deadlines_sweep(now=bj(2026, 6, 11, 0, 0, 0))
    assert (result.missed, result.escalations) == (1, 1)
    deadline.refresh_from_db()
    assert deadline.state == DeadlineState.MISSED and deadline.missed_at == bj(2026, 6, 11)
    assert inbox(people["clerk"]) == ["reminder", "overdue"] and inbox(people["head"]) == ["overdue"]
    assert inbox(people["reviewer"]) == []

    result = deadlines_sweep(now=bj(2026, 6, 12, 0, 0, 0))  # one day later: to the city office
    assert result.escalations == 1
    assert inbox(people["reviewer"]) == ["escalation"]
    assert inbox(people["outsider"]) == []
    assert Deadline.objects.get(pk=deadline.pk).next_action_at is None

    counts = (DeadlineSignal.objects.count(), Notification.objects.count())
    for _ in range(2):
        assert deadlines_sweep(now=bj(2026, 7, 1)).deadlines == 0
    assert (DeadlineSignal.objects.count(), Notification.objects.count()) == counts


def test_CLOCK3_after_an_outage_one_sweep_catches_up_without_stale_reminders(people):
    deadline = start(unit=people["unit"])
    result = deadlines_sweep(now=bj(2026, 6, 20, 8))  # the machine was down for ten days
    assert (result.reminders, result.missed, result.escalations) == (0, 1, 2)
    deadline.refresh_from_db()
    assert deadline.state == DeadlineState.MISSED
    assert inbox(people["clerk"]) == ["overdue"]
    assert inbox(people["reviewer"]) == ["escalation"]
    assert deadlines_sweep(now=bj(2026, 6, 21)).deadlines == 0


def test_CLOCK3_met_deadline_is_left_alone(people):
    deadline = start(unit=people["unit"])
    deadline_meet(deadline=deadline, by=people["clerk"], at=bj(2026, 6, 5))
    assert deadlines_sweep(now=bj(2026, 7, 1)).deadlines == 0
    assert Notification.objects.count() == 0


def test_CLOCK3_on_due_action_runs_once_per_deadline(people):
    deadline = start("test.short", unit=people["unit"], at=bj(2026, 6, 1, 9))
    cache.delete(f"test:on-due:{deadline.pk}")
    deadlines_sweep(now=bj(2026, 6, 1, 9, 0, 10))
    deadlines_sweep(now=bj(2026, 6, 1, 9, 0, 20))
    assert cache.get(f"test:on-due:{deadline.pk}") == 1


def test_CLOCK3_missed_deadline_can_still_be_met_late(people):
    deadline = start(unit=people["unit"])
    deadlines_sweep(now=bj(2026, 6, 11, 1))
    deadline = deadline_meet(deadline=Deadline.objects.get(pk=deadline.pk), by=people["clerk"], at=bj(2026, 6, 11, 9))
    assert deadline.state == DeadlineState.MET and deadline.was_late
    assert deadline.history.first().history_change_reason == "逾期办结"
    deadlines_sweep(now=bj(2026, 6, 13))
    assert inbox(people["reviewer"]) == []  # met before the second escalation


def test_CLOCK3_sweep_queries_are_bounded_per_batch_not_per_row(people, django_assert_num_queries):
    def fill(n):
        for i in range(n):
            start(unit=people["unit"], target=UnitFactory(), subject=f"事项{i}")

    fill(3)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        deadlines_sweep(now=bj(2026, 6, 11, 1))
    Deadline.objects.all().delete()
    fill(40)
    with CaptureQueriesContext(connection) as large:
        deadlines_sweep(now=bj(2026, 6, 11, 1))
    assert len(large.captured_queries) == len(small.captured_queries)
    assert len(small.captured_queries) < 30


def test_CLOCK3_large_backlog_is_handled_in_several_batches(people):
    for i in range(7):
        start(unit=people["unit"], target=UnitFactory(), subject=f"事项{i}")
    result = deadlines_sweep(now=bj(2026, 6, 11, 1), batch_size=3)
    assert result.batches == 3 and result.missed == 7
    assert Deadline.objects.filter(state=DeadlineState.MISSED).count() == 7


def test_notifications_link_to_the_deadline_and_say_when(people):
    deadline = start(unit=people["unit"])
    deadlines_sweep(now=bj(2026, 6, 9, 23, 59, 59))
    note = Notification.objects.get(recipient=people["clerk"])
    assert note.url == f"/deadlines/{deadline.pk}/"
    assert "2026-06-10 23:59" in note.body and "TEST3" in note.body
