"""Deadline lifecycle: stored due moments, pause/resume/extend arithmetic, meet, cancel (CLOCK2, CLOCK5)."""

from datetime import datetime, timedelta

import pytest
from django.core.exceptions import ValidationError

from tongchuan_portal.clock.models import Deadline, DeadlineState
from tongchuan_portal.clock.services import (
    deadline_cancel, deadline_extend, deadline_meet, deadline_pause, deadline_resume, deadline_start,
)
from tongchuan_portal.clock.workdays import BEIJING
from tests.clock.factories import start
from tests.units.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.usefixtures("calendar")


def bj(*args):
    return datetime(*args, tzinfo=BEIJING)


@pytest.fixture
def unit(db):
    return UnitFactory(code="fgw-test")


@pytest.fixture
def officer(db):
    return UserFactory(username="officer")


def test_CLOCK2_due_moment_is_stored_when_the_clock_starts(unit):
    deadline = start(unit=unit)
    stored = Deadline.objects.get(pk=deadline.pk)
    assert stored.due_at == bj(2026, 6, 10, 23, 59, 59)
    assert (stored.rule_id, stored.kind, stored.state) == ("TEST3", "working_days", DeadlineState.RUNNING)
    assert stored.target == unit and stored.unit == unit
    assert stored.provisional is False
    first = stored.history.last()
    assert first.history_user.username == "system"
    assert "截止2026-06-10 23:59" in first.history_change_reason


def test_CLOCK4_deadline_into_2027_is_marked_provisional(unit):
    deadline = start(unit=unit, at=bj(2026, 12, 24, 10))
    assert deadline.provisional is True


def test_only_one_open_clock_per_target_and_rule(unit):
    from django.db import IntegrityError, transaction

    start(unit=unit)
    with pytest.raises(IntegrityError), transaction.atomic():
        start(unit=unit)


def test_CLOCK5_pause_and_resume_move_the_due_moment(unit, officer):
    deadline = start(unit=unit)  # Mon 06-01 + 7 → Wed 06-10
    deadline = deadline_pause(deadline=deadline, reason="补正申请", by=officer, at=bj(2026, 6, 3, 15))
    assert deadline.state == DeadlineState.PAUSED and deadline.remaining_days == 5  # Jun 2, Jun 3 used
    deadline = deadline_resume(deadline=deadline, reason="已补正", by=officer, at=bj(2026, 6, 8, 9))
    # 5 working days after Mon 06-08: 9, 10, 11, 12, 15.
    assert deadline.due_at == bj(2026, 6, 15, 23, 59, 59)
    pause = deadline.pauses.get()
    assert (pause.reason, pause.paused_by, pause.resumed_by, pause.resume_reason) == ("补正申请", officer, officer, "已补正")
    reasons = [h.history_change_reason for h in deadline.history.all()]
    assert any("暂停计时:补正申请" in r for r in reasons)
    assert any("截止时间由2026-06-10 23:59调整为2026-06-15 23:59" in r for r in reasons)


def test_CLOCK5_a_pause_and_resume_on_the_same_day_changes_nothing(unit, officer):
    deadline = start(unit=unit)
    deadline = deadline_pause(deadline=deadline, reason="核实", by=officer, at=bj(2026, 6, 4, 9))
    deadline = deadline_resume(deadline=deadline, by=officer, at=bj(2026, 6, 4, 17))
    assert deadline.due_at == bj(2026, 6, 10, 23, 59, 59)


def test_CLOCK5_pause_across_dragon_boat_festival(unit, officer):
    deadline = start(unit=unit, at=bj(2026, 6, 15, 9))  # 16,17,18,22,23,24,25 → 06-25
    assert deadline.due_at == bj(2026, 6, 25, 23, 59, 59)
    deadline = deadline_pause(deadline=deadline, reason="征求第三方意见", by=officer, at=bj(2026, 6, 17, 9))
    deadline = deadline_resume(deadline=deadline, by=officer, at=bj(2026, 6, 22, 9))
    # 2 used; 5 remain after Mon 06-22: 23, 24, 25, 26, 29.
    assert deadline.due_at == bj(2026, 6, 29, 23, 59, 59)


def test_CLOCK5_hour_clock_pause_keeps_the_exact_remaining_time(unit, officer):
    deadline = deadline_start(rule="test.hours", target=unit, unit=unit, started_at=bj(2026, 10, 1, 22), by=officer)
    assert deadline.due_at == bj(2026, 10, 2, 3)
    deadline = deadline_pause(deadline=deadline, reason="核实", by=officer, at=bj(2026, 10, 2, 0))
    assert deadline.remaining_time == timedelta(hours=3)
    deadline = deadline_resume(deadline=deadline, by=officer, at=bj(2026, 10, 2, 8))
    assert deadline.due_at == bj(2026, 10, 2, 11)


def test_CLOCK5_pause_needs_a_reason_and_a_pausable_rule(unit, officer):
    deadline = start(unit=unit)
    with pytest.raises(ValidationError, match="原因"):
        deadline_pause(deadline=deadline, reason=" ", by=officer)
    short = deadline_start(rule="test.short", target=officer, unit=unit, by=officer)
    with pytest.raises(ValidationError, match="不允许暂停"):
        deadline_pause(deadline=short, reason="x", by=officer)
    assert Deadline.objects.get(pk=short.pk).state == DeadlineState.RUNNING


def test_CLOCK5_extension_once_up_to_twenty_working_days_A3(unit, officer):
    deadline = start(unit=unit)
    with pytest.raises(ValidationError, match="最多延长20个工作日"):
        deadline_extend(deadline=deadline, days=21, reason="情况复杂", by=officer)
    deadline = Deadline.objects.get(pk=deadline.pk)
    assert deadline.due_at == bj(2026, 6, 10, 23, 59, 59) and deadline.extensions_used == 0

    deadline = deadline_extend(deadline=deadline, days=20, reason="经机关负责人同意", by=officer)
    # 7 + 20 working days from 06-01, skipping the Dragon Boat Festival (06-19).
    assert deadline.due_at == bj(2026, 7, 9, 23, 59, 59)
    extension = deadline.extensions.get()
    assert (extension.previous_due_at, extension.new_due_at, extension.extended_by) == (
        bj(2026, 6, 10, 23, 59, 59), bj(2026, 7, 9, 23, 59, 59), officer)

    with pytest.raises(ValidationError, match="最多延长1次"):
        deadline_extend(deadline=deadline, days=1, reason="再延", by=officer)
    assert Deadline.objects.get(pk=deadline.pk).due_at == bj(2026, 7, 9, 23, 59, 59)


def test_CLOCK5_extension_refused_where_the_rule_does_not_allow_it(unit, officer):
    deadline = deadline_start(rule="test.hours", target=unit, unit=unit, started_at=bj(2026, 6, 1, 9), by=officer)
    with pytest.raises(ValidationError, match="不允许延长"):
        deadline_extend(deadline=deadline, duration=timedelta(hours=1), reason="x", by=officer)
    with pytest.raises(ValidationError, match="理由"):
        deadline_extend(deadline=start(unit=unit), days=3, reason="", by=officer)
    assert Deadline.objects.get(pk=deadline.pk).due_at == bj(2026, 6, 1, 14)


def test_meet_in_time_and_late(unit, officer):
    on_time = start(unit=unit)
    on_time = deadline_meet(deadline=on_time, by=officer, at=bj(2026, 6, 10, 23, 59, 59))
    assert on_time.state == DeadlineState.MET and not on_time.was_late
    assert on_time.history.first().history_change_reason == "按时办结"
    with pytest.raises(ValidationError, match="已办结"):
        deadline_meet(deadline=on_time, by=officer)


def test_cancel_needs_a_reason_and_closes_an_open_pause(unit, officer):
    deadline = start(unit=unit)
    with pytest.raises(ValidationError):
        deadline_cancel(deadline=deadline, reason="", by=officer)
    deadline_pause(deadline=deadline, reason="暂停", by=officer, at=bj(2026, 6, 2, 9))
    deadline = deadline_cancel(deadline=deadline, reason="申请人撤回申请", by=officer)
    assert deadline.state == DeadlineState.CANCELLED and deadline.next_action_at is None
    assert deadline.pauses.get().resumed_at is not None


def test_CLOCK5_hardening_extending_a_paused_deadline_does_not_claim_the_old_due_moment(unit, officer):
    deadline = start(unit=unit)  # Mon 06-01 → Wed 06-10
    deadline = deadline_pause(deadline=deadline, reason="补正申请", by=officer, at=bj(2026, 6, 3, 15))
    deadline = deadline_extend(deadline=deadline, days=20, reason="经机关负责人同意", by=officer)
    extension = deadline.extensions.get()
    assert extension.previous_due_at == bj(2026, 6, 10, 23, 59, 59)
    assert extension.new_due_at is None  # unknown until the clock resumes; never the old moment
    assert deadline.remaining_days == 25 and deadline.state == DeadlineState.PAUSED
    reason = deadline.history.first().history_change_reason
    assert reason == "延长期限:经机关负责人同意;计时暂停中,尚余25个工作日,恢复计时后重新计算截止时间"
    assert "调整为2026-06-10" not in reason

    # On resume the extension learns its due moment: 25 working days after Mon 06-08,
    # skipping the Dragon Boat Festival (06-19) → 07-14.
    deadline = deadline_resume(deadline=deadline, by=officer, at=bj(2026, 6, 8, 9))
    assert deadline.due_at == bj(2026, 7, 14, 23, 59, 59)
    extension.refresh_from_db()
    assert extension.new_due_at == deadline.due_at
    assert extension.history.first().history_change_reason == (
        "暂停期间批准的延期:恢复计时后算得新截止时间2026-07-14 23:59")


def test_CLOCK5_hardening_paused_extension_is_explained_on_the_deadline_page(unit, officer, client):
    from tests.units.factories import member
    from tongchuan_portal.units.models import Role

    member(officer, unit, Role.Code.CLERK)
    deadline = deadline_pause(deadline=start(unit=unit), reason="补正申请", by=officer, at=bj(2026, 6, 3, 15))
    deadline_extend(deadline=deadline, days=5, reason="情况复杂", by=officer)
    client.force_login(officer)
    html = client.get(f"/deadlines/{deadline.pk}/").content.decode()
    assert "计时暂停中批准,恢复计时后重新计算截止时间" in html


def test_hardening_cancelling_a_paused_deadline_closes_the_pause_with_history(unit, officer):
    deadline = start(unit=unit)
    deadline_pause(deadline=deadline, reason="暂停", by=officer, at=bj(2026, 6, 2, 9))
    deadline_cancel(deadline=deadline, reason="申请人撤回申请", by=officer)
    pause = Deadline.objects.get(pk=deadline.pk).pauses.get()
    assert pause.resumed_by == officer and pause.resume_reason == "时限撤销:申请人撤回申请"
    record = pause.history.first()  # the old .update() wrote no history at all
    assert record.history_change_reason == "时限撤销,暂停随之结束" and record.history_user == officer
    assert record.resumed_at == pause.resumed_at


def test_hardening_resume_refuses_a_deadline_that_is_not_paused(unit, officer):
    from tongchuan_portal.clock.services import deadlines_sweep

    deadline = start(unit=unit)
    deadlines_sweep(now=bj(2026, 6, 11, 1))
    with pytest.raises(ValidationError, match="没有暂停"):
        deadline_resume(deadline=deadline, by=officer)
    assert Deadline.objects.get(pk=deadline.pk).state == DeadlineState.MISSED
