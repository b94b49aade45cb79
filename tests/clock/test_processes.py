"""The deadline engine with real processes: two concurrent sweeps on PostgreSQL, a real worker
and beat on Redis, a worker killed halfway, a calendar change recomputed by the worker (CLOCK3, CLOCK4)."""

import signal
import subprocess
import sys
from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from tongchuan_portal.clock.models import Deadline, DeadlineSignal, DeadlineState
from tongchuan_portal.clock.services import calendar_year_set, deadline_start, official_day_set
from tongchuan_portal.clock.workdays import BEIJING
from tongchuan_portal.core.selectors import system_user
from tongchuan_portal.notifications.models import Notification
from tongchuan_portal.units.models import Role
from tests.processes import ROOT, celery_beat_args, celery_worker_args, child_env, running, stop, wait_for
from tests.units.factories import UnitFactory, UserFactory, member

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("calendar")]


@pytest.fixture
def unit_with_people(transactional_db, calendar):
    unit = UnitFactory(code="proc-unit")
    clerk, head = UserFactory(username="proc-clerk"), UserFactory(username="proc-head")
    member(clerk, unit, Role.Code.CLERK)
    member(head, unit, Role.Code.UNIT_HEAD)
    return unit, clerk, head


def _many_due(unit, n, rule="test.days"):
    start = timezone.now() - timedelta(days=60)
    return [deadline_start(rule=rule, target=UnitFactory(), unit=unit, subject=f"并发事项{i}", started_at=start,
                           by=system_user()) for i in range(n)]


def test_CLOCK3_two_concurrent_sweeps_do_every_effect_exactly_once(unit_with_people):
    unit, clerk, head = unit_with_people
    deadlines = _many_due(unit, 240)
    command = [sys.executable, str(ROOT / "manage.py"), "sweep_deadlines", "--batch-size", "20"]
    procs = [subprocess.Popen(command, env=child_env(), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
             for _ in range(2)]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), outputs
    assert Deadline.objects.filter(state=DeadlineState.MISSED).count() == 240
    # test.days, sixty days late: the miss and both escalations (owners and head; then the city office).
    assert DeadlineSignal.objects.count() == 480
    # People get one digest per sweep batch, naming how many deadlines it covers.
    for person in (clerk, head):
        titles = Notification.objects.filter(recipient=person, level="overdue").values_list("title", flat=True)
        assert sum(int(t.split("】")[1].split("项")[0]) for t in titles) == 240
        assert len(titles) == 12  # 240 rows in batches of 20
    for deadline in deadlines[:5]:
        assert DeadlineSignal.objects.filter(deadline=deadline).count() == 2
    # Both processes did part of the work (SKIP LOCKED split it), or one did all: either way once.
    handled = [int(out.decode().split("处理 ")[1].split(" 项")[0]) for out, _ in outputs]
    assert sum(handled) == 240


def test_CLOCK3_real_worker_and_beat_fire_a_deadline_due_in_seconds(unit_with_people, tmp_path):
    unit, clerk, head = unit_with_people
    from tongchuan_portal.celery import app

    app.control.purge()
    env = child_env(CLOCK_SWEEP_INTERVAL_SECONDS="1", HEARTBEAT_INTERVAL_SECONDS="30")
    with running(celery_worker_args(), env, tmp_path / "worker.log"), \
            running(celery_beat_args(tmp_path / "beat-schedule"), env, tmp_path / "beat.log"):
        deadline = deadline_start(rule="test.short", target=unit, unit=unit, subject="三秒后到期", by=system_user())
        assert deadline.due_at - deadline.started_at == timedelta(seconds=3)
        cache.delete(f"test:on-due:{deadline.pk}")
        wait_for(lambda: Deadline.objects.get(pk=deadline.pk).state == DeadlineState.MISSED, timeout=45,
                 what="the sweep to mark the deadline missed")
        wait_for(lambda: Notification.objects.filter(recipient=head, level="overdue").exists(), timeout=15,
                 what="overdue notice")
    deadline.refresh_from_db()
    assert deadline.missed_at > deadline.due_at
    assert cache.get(f"test:on-due:{deadline.pk}") == 1
    assert Notification.objects.filter(recipient=head, level="overdue").count() == 1


def test_CLOCK3_worker_killed_in_the_middle_of_a_sweep_loses_and_doubles_nothing(unit_with_people, tmp_path):
    unit, clerk, head = unit_with_people
    from tongchuan_portal.celery import app
    from tongchuan_portal.clock.tasks import sweep

    app.control.purge()
    deadlines = [deadline_start(rule="test.slow", target=UnitFactory(), unit=unit, subject=f"慢事项{i}",
                                started_at=timezone.now() - timedelta(minutes=5), by=system_user())
                 for i in range(5)]
    for d in deadlines:
        cache.delete(f"test:on-due:{d.pk}")
    marker = tmp_path / "in-sweep"
    slow_env = child_env(TEST_SWEEP_MARKER=str(marker), TEST_SWEEP_SLEEP="60")
    with running(celery_worker_args(), slow_env, tmp_path / "worker1.log") as worker:
        sweep.delay()
        wait_for(marker.exists, timeout=45, what="the sweep to reach the on-due action")
        stop(worker, sig=signal.SIGKILL)
    # Killed mid-transaction: nothing of that sweep was committed.
    assert Deadline.objects.filter(state=DeadlineState.MISSED).count() == 0
    assert DeadlineSignal.objects.count() == 0 and Notification.objects.count() == 0

    with running(celery_worker_args(), child_env(), tmp_path / "worker2.log"):
        sweep.delay()
        wait_for(lambda: Deadline.objects.filter(state=DeadlineState.MISSED).count() == 5, timeout=45,
                 what="the next sweep to finish the work")
        sweep.delay()  # and once more for good measure
        wait_for(lambda: b"clock.sweep" in (tmp_path / "worker2.log").read_bytes() and
                 (tmp_path / "worker2.log").read_bytes().count(b"succeeded") >= 2, timeout=30, what="second sweep")
    assert DeadlineSignal.objects.count() == 5
    assert Notification.objects.filter(recipient=clerk).count() == 1  # one digest naming all five
    assert "5项时限" in Notification.objects.get(recipient=clerk).title
    assert all(cache.get(f"test:on-due:{d.pk}") == 1 for d in deadlines)


def test_CLOCK4_entering_next_years_days_moves_open_deadlines_via_the_worker(unit_with_people, live_worker):
    unit, clerk, head = unit_with_people
    started = timezone.datetime(2026, 12, 21, 10, tzinfo=BEIJING)
    deadline = deadline_start(rule="test.days", target=unit, unit=unit, subject="跨年事项", started_at=started,
                              by=system_user())
    # 22, 23, 24, 25, 28, 29, 30 → 2026-12-30: inside 2026, but a 20-day one would reach 2027.
    long = deadline_start(rule="test.days", target=clerk, unit=unit, subject="跨年长事项",
                          started_at=timezone.datetime(2026, 12, 28, 10, tzinfo=BEIJING), by=system_user())
    # 29, 30, 31, [Jan 1 fixed-date holiday], Jan 4, 5, 6, 7 → 2027-01-07, provisional.
    assert long.provisional and long.due_at.astimezone(BEIJING).date() == date(2027, 1, 7)
    assert not deadline.provisional

    admin = UserFactory(username="calendar-admin")
    official_day_set(day=date(2027, 1, 4), kind="holiday", name="元旦", source_notice="测试通知", by=admin)
    wait_for(lambda: Deadline.objects.get(pk=long.pk).due_at.astimezone(BEIJING).date() == date(2027, 1, 8),
             timeout=30, what="the worker to recompute the deadline")
    long.refresh_from_db()
    assert long.provisional  # 2027 is still not confirmed
    record = long.history.first()
    assert "截止时间由2027-01-07 23:59调整为2027-01-08 23:59" in record.history_change_reason
    assert "录入2027-01-04为法定节假日(休息)" in record.history_change_reason
    wait_for(lambda: Notification.objects.filter(recipient=clerk, title__startswith="【时限调整】").exists(), timeout=15,
             what="the owner to be told")
    assert Deadline.objects.get(pk=deadline.pk).history.count() == 1  # untouched window, untouched row

    calendar_year_set(year=2027, confirmed=True, source_notice="国办发明电〔2026〕号(测试)", by=admin)
    wait_for(lambda: not Deadline.objects.get(pk=long.pk).provisional, timeout=30, what="provisional cleared")
    assert Notification.objects.filter(recipient=clerk, title__startswith="【时限调整】").count() == 2
