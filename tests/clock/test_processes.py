"""The deadline engine with real processes: two concurrent sweeps on PostgreSQL, a real worker
and beat on Redis, a worker killed halfway, a calendar change recomputed by the worker (CLOCK3, CLOCK4),
two beats by mistake (hardening)."""

import re
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
from tests.processes import (
    ROOT,
    celery_beat_args,
    celery_worker_args,
    child_env,
    log_count,
    redis_server,
    running,
    smtp_server,
    stop,
    wait_for,
)
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


# --- two beats by mistake (hardening) ---------------------------------------------------------

SENDING = rb"Scheduler: Sending due task"


def _items(title: str) -> int:
    """How many deadlines a digest names: "【逾期】12项时限需要办理" is 12, a single-item notice is 1."""
    found = re.search(r"】(\d+)项时限需要办理", title)
    return int(found.group(1)) if found else 1


def _sweeps_done(*logs) -> int:
    return sum(len(re.findall(rb"clock\.sweep\[[^\]]+\] succeeded", log.read_bytes())) for log in logs if log.exists())


def test_hardening_a_second_beat_is_refused_reported_and_takes_over_when_the_first_dies(transactional_db, tmp_path):
    from tongchuan_portal.celery import app
    from tongchuan_portal.core.health import BEAT_LOCK_KEY, BEAT_STANDBY_KEY, health_report

    app.control.purge()
    cache.delete_many([BEAT_LOCK_KEY, BEAT_STANDBY_KEY])
    env = child_env(CLOCK_SWEEP_INTERVAL_SECONDS="1", HEARTBEAT_INTERVAL_SECONDS="1", BEAT_LOCK_TTL_SECONDS="4")
    first_log, second_log = tmp_path / "beat1.log", tmp_path / "beat2.log"
    try:
        with running(celery_beat_args(tmp_path / "schedule1"), env, first_log) as first:
            wait_for(lambda: b"holds the beat lock" in first_log.read_bytes(), timeout=120, what="the first beat")
            with running(celery_beat_args(tmp_path / "schedule2"), env, second_log):
                wait_for(lambda: b"finds another beat sending" in second_log.read_bytes(), timeout=120,
                         what="the second beat to be refused")
                sent_before = log_count(first_log, SENDING)
                wait_for(lambda: log_count(first_log, SENDING) >= sent_before + 4, timeout=30, what="a few ticks")
                assert log_count(second_log, SENDING) == 0  # refused: it sends nothing
                report = health_report()
                assert report["checks"]["beat"]["ok"] is True and report["warnings"] == ["second_beat"]
                assert report["checks"]["beat"]["second_beat"]["waiting"] is True

                stop(first, sig=signal.SIGKILL)  # dies holding the lock: it must lapse, not linger
                wait_for(lambda: log_count(second_log, SENDING) > 0, timeout=30,
                         what="the second beat to take over once the lock lapsed")
                assert b"holds the beat lock" in second_log.read_bytes()
    finally:
        app.control.purge()
        cache.delete_many([BEAT_LOCK_KEY, BEAT_STANDBY_KEY])


def test_hardening_two_beats_and_two_workers_change_nothing_but_the_load(unit_with_people, tmp_path):
    """The lock switched off, two beats send every task twice to two workers: the ledger keeps every
    signal, notice, e-mail, on-due action and state change single."""
    unit, clerk, head = unit_with_people
    from tongchuan_portal.notifications.models import EmailState

    clerk.email, head.email = "clerk@example.gov.cn", "head@example.gov.cn"
    clerk.save(update_fields=["email"])
    head.save(update_fields=["email"])
    overdue = _many_due(unit, 30)
    # A broker of its own, so that no other worker of the test session takes these tasks.
    with smtp_server() as sink, redis_server() as broker:
        env = child_env(CLOCK_SWEEP_INTERVAL_SECONDS="1", HEARTBEAT_INTERVAL_SECONDS="1", BEAT_SINGLE_LOCK="false",
                        NOTIFICATION_EMAIL_INTERVAL_SECONDS="1", TEST_SMTP_PORT=str(sink.port),
                        DJANGO_SETTINGS_MODULE="tests.notifications.smtp_settings",
                        CELERY_BROKER_URL=f"redis://127.0.0.1:{broker}/0")
        logs = [tmp_path / name for name in ("worker1.log", "worker2.log", "beat1.log", "beat2.log")]
        with running(celery_worker_args(name="a"), env, logs[0]), running(celery_worker_args(name="b"), env, logs[1]), \
                running(celery_beat_args(tmp_path / "schedule1"), env, logs[2]), \
                running(celery_beat_args(tmp_path / "schedule2"), env, logs[3]):
            wait_for(lambda: log_count(logs[2], SENDING) and log_count(logs[3], SENDING), timeout=60,
                     what="both beats sending")
            short = [deadline_start(rule="test.short", target=UnitFactory(), unit=unit, subject=f"短事项{i}",
                                    by=system_user()) for i in range(3)]
            for d in short:
                cache.delete(f"test:on-due:{d.pk}")
            every = overdue + short
            wait_for(lambda: DeadlineSignal.objects.filter(tier__startswith="escalate").count() == 2 * len(every),
                     timeout=60, what="every miss and escalation")
            done = _sweeps_done(logs[0], logs[1])
            wait_for(lambda: _sweeps_done(logs[0], logs[1]) >= done + 6, timeout=60, what="a few more sweeps")
            wait_for(lambda: not Notification.objects.filter(email_state=EmailState.PENDING).exists(), timeout=30,
                     what="every e-mail")
            assert _sweeps_done(logs[0]) and _sweeps_done(logs[1])  # both workers swept
        received = sink.message_ids()

    assert Deadline.objects.filter(pk__in=[d.pk for d in every], state=DeadlineState.MISSED).count() == len(every)
    for d in every:
        misses = {h.missed_at for h in Deadline.objects.get(pk=d.pk).history.filter(state=DeadlineState.MISSED)}
        assert len(misses) == 1, d  # missed once, never re-marked
    assert DeadlineSignal.objects.filter(deadline__in=overdue).count() == 2 * len(overdue)
    assert DeadlineSignal.objects.filter(deadline__in=short, tier__startswith="remind").count() <= len(short)
    assert all(cache.get(f"test:on-due:{d.pk}") == 1 for d in short)
    for person in (clerk, head):
        titles = Notification.objects.filter(recipient=person, level="overdue").values_list("title", flat=True)
        assert sum(_items(t) for t in titles) == len(every)
    expected = [n.email_message_id for n in Notification.objects.all()]
    assert Notification.objects.filter(email_state=EmailState.SENT).count() == len(expected)
    assert sorted(received) == sorted(expected)  # one e-mail per notice, none twice
