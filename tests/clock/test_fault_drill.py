"""Fault drill (hardening, CLOCK3, CLOCK4): with a worker and beat running on a Redis of the test's own,
kill the worker with SIGKILL in the middle of a sweep while it is e-mailing, flush that Redis, stop it,
change the calendar while it is down, start it again — then every deadline is where it should be, every
notice went out once (counted at a real SMTP server by Message-ID: only the one in flight at the kill may
be repeated, as an identical copy), and every recompute happened."""

import signal
from collections import Counter
from datetime import date, timedelta

import pytest
from django.utils import timezone

from tongchuan_portal.clock.models import CalendarChange, Deadline, DeadlineSignal, DeadlineState
from tongchuan_portal.clock.services import deadline_start, official_day_set
from tongchuan_portal.clock.workdays import BEIJING
from tongchuan_portal.core.selectors import system_user
from tongchuan_portal.notifications.models import EmailState, Notification
from tongchuan_portal.units.models import Role
from tests.clock.test_processes import _items
from tests.processes import (
    celery_beat_args,
    celery_worker_args,
    child_env,
    point_celery_at,
    redis_cli,
    redis_server,
    running,
    smtp_server,
    stop,
    wait_for,
)
from tests.units.factories import UnitFactory, UserFactory, member

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("calendar")]

CLERKS = 12


@pytest.fixture
def office(transactional_db, calendar):
    unit = UnitFactory(code="drill-unit")
    clerks = [UserFactory(username=f"drill-clerk-{i}", email=f"clerk{i}@example.gov.cn") for i in range(CLERKS)]
    head = UserFactory(username="drill-head", email="head@example.gov.cn")
    for clerk in clerks:
        member(clerk, unit, Role.Code.CLERK)
    member(head, unit, Role.Code.UNIT_HEAD)
    return unit, clerks, head


@pytest.fixture
def app_on():
    """Point this process's Celery app at another broker (the drill's), and back afterwards."""
    from tongchuan_portal.celery import app

    original = app.conf.broker_url
    yield point_celery_at
    point_celery_at(original)


def _start(rule, unit, subject, **kwargs):
    return deadline_start(rule=rule, target=UnitFactory(), unit=unit, subject=subject, by=system_user(), **kwargs)


def test_hardening_fault_drill(office, tmp_path, app_on):
    unit, clerks, head = office
    owners = [*clerks, head]
    with smtp_server() as sink, redis_server() as port:
        sink.delay = 0.5  # a slow mail server: the worker is still e-mailing when it is killed
        broker = f"redis://127.0.0.1:{port}"
        app_on(f"{broker}/0")
        env = dict(CLOCK_SWEEP_INTERVAL_SECONDS="1", HEARTBEAT_INTERVAL_SECONDS="2",
                   NOTIFICATION_EMAIL_INTERVAL_SECONDS="2", NOTIFICATION_EMAIL_LEASE_SECONDS="10",
                   DJANGO_SETTINGS_MODULE="tests.notifications.smtp_settings", TEST_SMTP_PORT=str(sink.port),
                   CELERY_BROKER_URL=f"{broker}/0", REDIS_URL=f"{broker}/1")
        marker = tmp_path / "in-sweep"
        first_env = child_env(**env, TEST_SWEEP_MARKER=str(marker), TEST_SWEEP_SLEEP="60")
        crossing = _start("test.days", unit, "跨年事项", started_at=timezone.datetime(2026, 12, 28, 10, tzinfo=BEIJING))
        assert crossing.due_at.astimezone(BEIJING).date() == date(2027, 1, 7)

        with running(celery_beat_args(tmp_path / "beat-schedule"), child_env(**env), tmp_path / "beat.log"):
            with running(celery_worker_args(concurrency=2, name="drill1"), first_env, tmp_path / "worker1.log") as w:
                # A first sweep misses ten long-overdue deadlines and e-mails thirteen people, slowly.
                overdue = [_start("test.days", unit, f"逾期事项{i}", started_at=timezone.now() - timedelta(days=60))
                           for i in range(10)]
                wait_for(lambda: Deadline.objects.filter(pk__in=[d.pk for d in overdue],
                                                         state=DeadlineState.MISSED).count() == 10,
                         timeout=60, what="the first sweep")
                wait_for(lambda: sink.messages, timeout=20, what="the first e-mail")
                # A second sweep stalls in an on-due action: kill the worker there, e-mails half sent.
                slow = [_start("test.slow", unit, f"慢事项{i}", started_at=timezone.now() - timedelta(minutes=5))
                        for i in range(5)]
                wait_for(marker.exists, timeout=30, what="the sweep to reach the on-due action")
                stop(w, sig=signal.SIGKILL)
            half_sent = len(sink.messages)
            assert 0 < half_sent < len(owners)
            assert not Deadline.objects.filter(pk__in=[d.pk for d in slow], state=DeadlineState.MISSED).exists()

            # Flush that Redis (queued and unacknowledged tasks, heartbeats, the beat lock), then stop it.
            assert redis_cli(port, "flushall") == "OK"
            redis_cli(port, "shutdown", "nosave")
            wait_for(lambda: redis_cli(port, "ping") != "PONG", timeout=10, what="the broker to stop")

            # The calendar changes while the broker is down: no error, and the change is remembered.
            official_day_set(day=date(2027, 1, 4), kind="holiday", name="元旦", source_notice="测试通知",
                             by=UserFactory(username="drill-admin"))
            assert CalendarChange.objects.filter(processed_at__isnull=True).count() == 1

            with redis_server(port), running(celery_worker_args(concurrency=2, name="drill2"), child_env(**env),
                                             tmp_path / "worker2.log"):
                wait_for(lambda: Deadline.objects.filter(pk__in=[d.pk for d in slow],
                                                         state=DeadlineState.MISSED).count() == 5,
                         timeout=60, what="the next sweep to finish the killed one's work")
                wait_for(lambda: not CalendarChange.objects.filter(processed_at__isnull=True).exists(), timeout=30,
                         what="the recompute")
                wait_for(lambda: Notification.objects.exists() and not Notification.objects.filter(
                    email_state=EmailState.PENDING).exists(), timeout=60, what="every e-mail")
        received = Counter(sink.message_ids())

    # Every deadline in the state it should be, each moved once.
    for d in overdue + slow:
        row = Deadline.objects.get(pk=d.pk)
        assert row.state == DeadlineState.MISSED
        assert len({h.missed_at for h in row.history.filter(state=DeadlineState.MISSED)}) == 1
    assert DeadlineSignal.objects.filter(deadline__in=overdue).count() == 2 * len(overdue)
    assert DeadlineSignal.objects.filter(deadline__in=slow).count() == len(slow)
    # Every recompute happened, once.
    crossing.refresh_from_db()
    assert crossing.due_at.astimezone(BEIJING).date() == date(2027, 1, 8) and crossing.state == DeadlineState.RUNNING
    assert crossing.history.filter(history_change_reason__startswith="录入2027-01-04").count() == 1
    assert CalendarChange.objects.get().attempts == 1
    # Every notice once: each person was told of every miss that concerns them, and of the moved deadline.
    for person in owners:
        titles = Notification.objects.filter(recipient=person, level="overdue").values_list("title", flat=True)
        # test.days tells clerks and the head; test.slow tells the clerks only.
        assert sum(_items(t) for t in titles) == len(overdue) + (0 if person == head else len(slow)), person
        assert Notification.objects.filter(recipient=person, title="【时限调整】跨年事项").count() == 1
    # Every e-mail delivered, counted at the SMTP server by its Message-ID. SMTP cannot make a send and its
    # record one act: the message in flight when the worker was killed (accepted by the server, not yet
    # marked sent) may go again — as an identical copy with the same Message-ID, which the receiving side
    # drops. Nothing else may arrive twice.
    expected = Counter(n.email_message_id for n in Notification.objects.all())
    assert Notification.objects.filter(email_state=EmailState.SENT).count() == sum(expected.values())
    assert set(received) == set(expected)
    repeated = {message_id: count for message_id, count in received.items() if count > 1}
    assert len(repeated) <= 1 and all(count == 2 for count in repeated.values()), repeated
