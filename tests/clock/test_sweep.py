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
from tests.participation.conftest import world  # noqa: F401 (fixture)
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
    assert "2026-06-10 23:59" in note.body and "测试工作日时限(7个工作日)" in note.body and "TEST3" not in note.body


# --- a failing on-due action (hardening, issue 11 item 1) ------------------------------------------


def _failing(unit, subject, at):
    deadline = start("test.failing", unit=unit, target=UnitFactory(), subject=subject, at=at)
    cache.delete(f"test:on-due:{deadline.pk}")
    return deadline


def test_CLOCK3_hardening_failing_on_due_action_is_recorded_and_does_not_stall_the_batch(people):
    due_first = bj(2026, 6, 1, 9)
    broken = _failing(people["unit"], "故障事项", due_first)
    healthy = _failing(people["unit"], "正常事项", due_first)
    day_clock = start(unit=people["unit"], target=UnitFactory(), subject="工作日事项")  # due 2026-06-10
    cache.set(f"test:fail-due:{broken.pk}", 1, 600)

    now = bj(2026, 6, 11, 1)
    result = deadlines_sweep(now=now)  # one batch: the failure used to roll all three back
    assert (result.deadlines, result.missed, result.action_failures) == (3, 3, 1)
    broken.refresh_from_db()
    assert broken.state == DeadlineState.MISSED and broken.action_attempts == 1
    assert broken.action_error == "RuntimeError:对接系统无响应(测试)"
    assert broken.action_retry_at == bj(2026, 6, 11, 1, 1) and broken.next_action_at == broken.action_retry_at
    # The failed action's own writes were rolled back to its savepoint; the healthy one's kept.
    assert not DeadlineSignal.objects.filter(deadline=broken, tier="test:failing-action-wrote").exists()
    assert DeadlineSignal.objects.filter(deadline=healthy, tier="test:failing-action-wrote").exists()
    assert cache.get(f"test:on-due:{healthy.pk}") == 1 and cache.get(f"test:on-due:{broken.pk}") is None
    assert Deadline.objects.get(pk=healthy.pk).action_retry_at is None
    assert Deadline.objects.get(pk=day_clock.pk).state == DeadlineState.MISSED
    assert "overdue" in inbox(people["clerk"])  # the miss was told, failure or not
    record = broken.history.first()
    assert record.history_change_reason.startswith("到期自动处理未完成(第1次):RuntimeError")

    # Before the retry moment nothing is tried again; at it, again and again, with backoff.
    assert deadlines_sweep(now=bj(2026, 6, 11, 1, 0, 59)).deadlines == 0
    result = deadlines_sweep(now=bj(2026, 6, 11, 1, 1))
    assert (result.deadlines, result.action_failures) == (1, 1)
    broken.refresh_from_db()
    assert broken.action_attempts == 2 and broken.action_retry_at == bj(2026, 6, 11, 1, 3)
    deadlines_sweep(now=bj(2026, 6, 11, 1, 3))
    broken.refresh_from_db()
    assert broken.action_attempts == 3 and broken.action_retry_at == bj(2026, 6, 11, 1, 7)

    # Mended: the next retry runs the action once, and the failure is cleared with history.
    cache.delete(f"test:fail-due:{broken.pk}")
    result = deadlines_sweep(now=bj(2026, 6, 11, 1, 7))
    assert (result.action_failures, result.action_retries) == (0, 1)
    broken.refresh_from_db()
    assert broken.action_retry_at is None and broken.action_error == "" and broken.next_action_at is None
    assert broken.action_attempts == 3  # the record of how often it failed stays
    assert cache.get(f"test:on-due:{broken.pk}") == 1
    assert broken.history.first().history_change_reason == "到期自动处理重试成功(此前未完成3次)"
    assert deadlines_sweep(now=bj(2026, 7, 1)).by_rule.get("test.failing") is None
    assert cache.get(f"test:on-due:{broken.pk}") == 1 and cache.get(f"test:on-due:{healthy.pk}") == 1


def test_CLOCK3_hardening_retry_backoff_grows_to_an_hour_and_stays():
    from datetime import timedelta

    from tongchuan_portal.clock.services import action_retry_delay

    assert [action_retry_delay(n) for n in (1, 2, 3, 4)] == [timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert action_retry_delay(7) == timedelta(hours=1) and action_retry_delay(10_000) == timedelta(hours=1)


def test_CLOCK3_hardening_a_deadline_met_by_hand_stops_the_retries(people):
    broken = _failing(people["unit"], "故障事项", bj(2026, 6, 1, 9))
    cache.set(f"test:fail-due:{broken.pk}", 1, 600)
    deadlines_sweep(now=bj(2026, 6, 1, 10))
    broken = deadline_meet(deadline=Deadline.objects.get(pk=broken.pk), by=people["clerk"], at=bj(2026, 6, 1, 11))
    assert broken.action_retry_at is None and broken.next_action_at is None
    assert deadlines_sweep(now=bj(2026, 6, 2)).deadlines == 0


def test_CLOCK3_hardening_city_office_sees_the_failure_on_my_deadlines(people, client):
    broken = _failing(people["unit"], "故障事项", bj(2026, 6, 1, 9))
    cache.set(f"test:fail-due:{broken.pk}", 1, 600)
    deadlines_sweep(now=bj(2026, 6, 1, 10))
    client.force_login(people["reviewer"])
    html = client.get("/deadlines/").content.decode()
    assert "到期自动处理未完成" in html and "对接系统无响应(测试)" in html and "2026-06-01 10:01" in html
    detail = client.get(f"/deadlines/{broken.pk}/").content.decode()
    assert "将于 2026-06-01 10:01 自动重试" in detail
    client.force_login(people["clerk"])  # the unit sees its miss, the city office watches the failure
    html = client.get("/deadlines/").content.decode()
    assert "故障事项" in html and "到期自动处理未完成" not in html


def test_CLOCK3_hardening_comment_window_closing_refused_under_a_skewed_clock_is_retried(world):
    """comment_period_close refuses while the server's clock says the window is still open."""
    import time_machine
    from datetime import timedelta

    from participation.models import PeriodStatus
    from participation.deadlines import ADOPTION_REPORT
    from tests.participation import factories as f

    with time_machine.travel(bj(2026, 6, 1, 10), tick=False):
        _, period = f.published(world)
        other = start(unit=world.fgw, target=UnitFactory(), subject="同批次的其他时限", at=bj(2026, 5, 20, 9))
    sweep_at = period.closes_at + timedelta(minutes=5)
    with time_machine.travel(period.closes_at - timedelta(hours=1), tick=False):  # the machine runs behind
        result = deadlines_sweep(now=sweep_at)
    assert result.action_failures == 1
    window = Deadline.objects.get(rule="participation.comment_window")
    assert window.state == DeadlineState.MISSED and "不能提前关闭" in window.action_error
    period.refresh_from_db()
    assert period.status == PeriodStatus.OPEN
    assert Deadline.objects.get(pk=other.pk).state == DeadlineState.MISSED  # the rest went on

    retry_at = window.action_retry_at
    with time_machine.travel(retry_at, tick=False):
        result = deadlines_sweep(now=retry_at)
    assert result.action_retries == 1
    period.refresh_from_db()
    window.refresh_from_db()
    assert period.status == PeriodStatus.CLOSED
    assert window.state == DeadlineState.MET and window.action_retry_at is None
    assert Deadline.objects.filter(rule=ADOPTION_REPORT, object_id=period.pk).count() == 1


def test_CLOCK3_hardening_on_due_action_waits_for_the_second_after_the_due_moment(people):
    broken = _failing(people["unit"], "故障事项", bj(2026, 6, 1, 9))  # three seconds: due 09:00:03
    cache.set(f"test:fail-due:{broken.pk}", 1, 600)
    assert deadlines_sweep(now=bj(2026, 6, 1, 9, 0, 3)).action_failures == 0  # its own second is in time
    assert Deadline.objects.get(pk=broken.pk).state == DeadlineState.RUNNING
    assert deadlines_sweep(now=bj(2026, 6, 1, 9, 0, 4)).action_failures == 1
    assert Deadline.objects.get(pk=broken.pk).action_retry_at == bj(2026, 6, 1, 9, 1, 4)
