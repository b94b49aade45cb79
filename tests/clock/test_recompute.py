"""Recomputing open deadlines after a calendar change (CLOCK4): back and forth, and missed ones too.

The calendar services queue the recompute after commit; these tests call it directly, inside
the test's transaction, as the worker would after the change committed.
"""

from datetime import date, datetime

import pytest

from tongchuan_portal.clock.models import Deadline, DeadlineSignal, DeadlineState
from tongchuan_portal.clock.services import (
    deadlines_recompute,
    deadlines_sweep,
    official_day_delete,
    official_day_set,
)
from tongchuan_portal.clock.workdays import BEIJING
from tongchuan_portal.notifications.models import Notification
from tongchuan_portal.units.models import Role
from tests.clock.factories import start
from tests.units.factories import UserFactory, member

pytestmark = pytest.mark.usefixtures("calendar")


def bj(*args):
    return datetime(*args, tzinfo=BEIJING)


@pytest.fixture
def people(tongchuan_units):
    unit = tongchuan_units["fgw"]
    clerk, head, reviewer = UserFactory(username="clerk"), UserFactory(username="head"), UserFactory(username="rev")
    member(clerk, unit, Role.Code.CLERK)
    member(head, unit, Role.Code.UNIT_HEAD)
    member(reviewer, tongchuan_units["szfb"], Role.Code.CITY_OFFICE_REVIEWER)
    return {"unit": unit, "clerk": clerk, "head": head, "reviewer": reviewer, "admin": UserFactory(username="cal")}


def moved_notices(user):
    return list(Notification.objects.filter(recipient=user, title__startswith="【时限调整】")
                .order_by("pk").values_list("body", flat=True))


def recompute(day, reason, **kwargs):
    return deadlines_recompute(start=day, end=day, reason=reason, **kwargs)


def test_CLOCK4_hardening_a_day_entered_deleted_and_entered_again_moves_the_deadline_each_time(people):
    """The ledger tier was keyed on the due moment alone: the third move collided (IntegrityError)."""
    # Opened Tue 2026-02-10; the Spring Festival (02-15…02-23) is skipped and the make-up
    # Saturday 02-14 counts: 11, 12, 13, 14(Sat), 24, 25, 26 → Thu 02-26.
    deadline = start(unit=people["unit"], at=bj(2026, 2, 10, 9))
    assert deadline.due_at == bj(2026, 2, 26, 23, 59, 59)
    saturday, admin = date(2026, 2, 14), people["admin"]

    official_day_delete(day=saturday, by=admin)  # entered by mistake as a rest day…
    assert recompute(saturday, "删除2026-02-14(春节)") == 1
    assert Deadline.objects.get(pk=deadline.pk).due_at == bj(2026, 2, 27, 23, 59, 59)
    official_day_set(day=saturday, kind="makeup_workday", name="春节", by=admin)  # …put back
    assert recompute(saturday, "录入2026-02-14为调休上班") == 1
    assert Deadline.objects.get(pk=deadline.pk).due_at == bj(2026, 2, 26, 23, 59, 59)
    official_day_delete(day=saturday, by=admin)  # and again: the due moment of the first move
    assert recompute(saturday, "再次删除2026-02-14(春节)") == 1
    assert Deadline.objects.get(pk=deadline.pk).due_at == bj(2026, 2, 27, 23, 59, 59)

    # The same recompute once more (a task delivered twice) moves and tells nothing.
    assert recompute(saturday, "再次删除2026-02-14(春节)") == 0
    notices = moved_notices(people["clerk"])
    assert len(notices) == 3 and moved_notices(people["head"]) == notices
    assert [n.split("截止时间调整为")[1][:16] for n in notices] == [
        "2026-02-27 23:59", "2026-02-26 23:59", "2026-02-27 23:59"]
    assert DeadlineSignal.objects.filter(deadline=deadline, tier__startswith="recomputed").count() == 3
    reasons = [h.history_change_reason for h in Deadline.objects.get(pk=deadline.pk).history.all()[:3]]
    assert reasons[0] == "再次删除2026-02-14(春节):截止时间由2026-02-26 23:59调整为2026-02-27 23:59"


def test_CLOCK4_hardening_missed_deadline_whose_new_due_moment_is_ahead_runs_again(people):
    deadline = start(unit=people["unit"])  # Mon 06-01 → Wed 06-10 23:59:59
    deadlines_sweep(now=bj(2026, 6, 11, 1))
    deadline.refresh_from_db()
    assert deadline.state == DeadlineState.MISSED
    overdue_before = Notification.objects.filter(recipient=people["head"], level="overdue").count()

    # Monday 06-08 entered late as a rest day: the period now ends on Thursday 06-11.
    official_day_set(day=date(2026, 6, 8), kind="holiday", name="临时调整(测试)", by=people["admin"])
    assert recompute(date(2026, 6, 8), "录入2026-06-08为法定节假日(休息)", now=bj(2026, 6, 11, 9)) == 1
    deadline.refresh_from_db()
    assert deadline.state == DeadlineState.RUNNING and deadline.missed_at is None
    assert deadline.due_at == bj(2026, 6, 11, 23, 59, 59)
    assert deadline.history.first().history_change_reason == (
        "录入2026-06-08为法定节假日(休息):截止时间由2026-06-10 23:59调整为2026-06-11 23:59;新的截止时间未到,恢复计时")
    assert "不再按逾期处理,恢复计时" in moved_notices(people["clerk"])[0]
    # 我的时限 no longer lists it as overdue.
    from tongchuan_portal.clock.selectors import urgency

    assert urgency(deadline, now=bj(2026, 6, 11, 9)) == "soon"

    # Reminder, miss and escalations again, keyed to the new due moment; its own second is in time.
    result = deadlines_sweep(now=bj(2026, 6, 11, 9))
    assert (result.reminders, result.missed) == (1, 0)
    assert deadlines_sweep(now=bj(2026, 6, 11, 23, 59, 59)).deadlines == 0
    assert Deadline.objects.get(pk=deadline.pk).state == DeadlineState.RUNNING
    result = deadlines_sweep(now=bj(2026, 6, 12, 0, 0, 0))
    assert (result.missed, result.escalations) == (1, 1)
    deadline.refresh_from_db()
    assert deadline.state == DeadlineState.MISSED and deadline.missed_at == bj(2026, 6, 12)
    assert Notification.objects.filter(recipient=people["head"], level="overdue").count() == overdue_before + 1


def test_CLOCK4_hardening_missed_deadline_still_past_due_keeps_its_miss_and_escalations(people):
    deadline = start(unit=people["unit"])
    deadlines_sweep(now=bj(2026, 6, 11, 1))  # missed; owners and head told; the city office on 06-12
    official_day_set(day=date(2026, 6, 8), kind="holiday", name="临时调整(测试)", by=people["admin"])
    assert recompute(date(2026, 6, 8), "录入2026-06-08为法定节假日(休息)", now=bj(2026, 6, 12, 10)) == 1
    deadline.refresh_from_db()
    assert deadline.state == DeadlineState.MISSED and deadline.missed_at == bj(2026, 6, 11, 1)
    assert deadline.due_at == bj(2026, 6, 11, 23, 59, 59)
    # The first escalation is not sent again; the city office's is now due a day after the new moment.
    assert deadline.next_action_at == bj(2026, 6, 12, 23, 59, 59)
    assert deadlines_sweep(now=bj(2026, 6, 12, 10)).deadlines == 0
    result = deadlines_sweep(now=bj(2026, 6, 13))
    assert (result.missed, result.escalations) == (0, 1)
    assert list(Notification.objects.filter(recipient=people["reviewer"]).values_list("level", flat=True)) == [
        "escalation"]
    assert Notification.objects.filter(recipient=people["head"], level="overdue").count() == 1


def test_CLOCK4_hardening_a_met_deadline_is_not_recomputed(people):
    from tongchuan_portal.clock.services import deadline_meet

    deadline = start(unit=people["unit"])
    deadlines_sweep(now=bj(2026, 6, 11, 1))
    deadline_meet(deadline=Deadline.objects.get(pk=deadline.pk), by=people["clerk"], at=bj(2026, 6, 11, 9))
    official_day_set(day=date(2026, 6, 8), kind="holiday", name="临时调整(测试)", by=people["admin"])
    assert recompute(date(2026, 6, 8), "录入", now=bj(2026, 6, 11, 10)) == 0
    assert Deadline.objects.get(pk=deadline.pk).due_at == bj(2026, 6, 10, 23, 59, 59)


@pytest.mark.parametrize(("now", "state"), [
    (bj(2026, 6, 11, 23, 59, 59), DeadlineState.RUNNING),  # the new due moment's own second is still in time
    (bj(2026, 6, 12, 0, 0, 0), DeadlineState.MISSED),
])
def test_CLOCK4_hardening_reopening_a_missed_deadline_at_the_edge_of_its_new_due_moment(people, now, state):
    deadline = start(unit=people["unit"])
    deadlines_sweep(now=bj(2026, 6, 11, 1))
    official_day_set(day=date(2026, 6, 8), kind="holiday", name="临时调整(测试)", by=people["admin"])
    recompute(date(2026, 6, 8), "录入2026-06-08为法定节假日(休息)", now=now)
    deadline.refresh_from_db()
    assert deadline.due_at == bj(2026, 6, 11, 23, 59, 59) and deadline.state == state
