"""A calendar change is a row the sweep processes until done (CLOCK4, hardening): the broker being down
or flushed neither fails the request that changed the calendar nor loses the recompute."""

from datetime import date, timedelta

import psycopg2
import pytest
import time_machine
from django.conf import settings as django_settings
from django.utils import timezone

from tongchuan_portal.clock.services import recompute
from tongchuan_portal.clock.models import CalendarChange, Deadline
from tongchuan_portal.clock.services import calendar_changes_process, deadline_start, official_day_set
from tongchuan_portal.clock.tasks import sweep
from tongchuan_portal.clock.workdays import BEIJING
from tongchuan_portal.core.selectors import system_user
from tests.processes import free_port, point_celery_at
from tests.units.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.usefixtures("calendar")


def _crossing_deadline():
    """test.days from 2026-12-28: 29, 30, 31, [1 Jan], 4, 5, 6, 7 → 2027-01-07 (provisional)."""
    unit = UnitFactory()
    deadline = deadline_start(rule="test.days", target=unit, unit=unit, subject="跨年事项",
                              started_at=timezone.datetime(2026, 12, 28, 10, tzinfo=BEIJING), by=system_user())
    assert deadline.due_at.astimezone(BEIJING).date() == date(2027, 1, 7)
    return deadline


def _due_date(deadline):
    return Deadline.objects.get(pk=deadline.pk).due_at.astimezone(BEIJING).date()


@pytest.fixture
def broker_down():
    """The Celery app publishes to a port where nothing listens."""
    from tongchuan_portal.celery import app

    original = app.conf.broker_url
    point_celery_at(f"redis://127.0.0.1:{free_port()}/0")
    yield
    point_celery_at(original)


def test_CLOCK4_calendar_change_with_the_broker_down_neither_fails_nor_loses_the_recompute(transactional_db,
                                                                                          broker_down):
    deadline = _crossing_deadline()
    admin = UserFactory(username="calendar-admin")
    official_day_set(day=date(2027, 1, 4), kind="holiday", name="元旦", source_notice="测试通知", by=admin)

    change = CalendarChange.objects.get()
    assert (change.start, change.end, change.changed_by, change.processed_at) == (date(2027, 1, 4),
                                                                                 date(2027, 1, 4), admin, None)
    assert change.reason == "录入2027-01-04为法定节假日(休息)"
    assert _due_date(deadline) == date(2027, 1, 7)  # nothing ran yet

    sweep()  # the next periodic sweep, whatever the broker lost
    change.refresh_from_db()
    assert change.processed_at and change.attempts == 1 and change.last_error == ""
    assert _due_date(deadline) == date(2027, 1, 8)
    assert "录入2027-01-04为法定节假日(休息)" in Deadline.objects.get(pk=deadline.pk).history.first().history_change_reason


def test_CLOCK4_admin_calendar_change_with_the_broker_down_answers_no_500(transactional_db, broker_down, client):
    admin = UserFactory(username="calendar-superuser", is_staff=True, is_superuser=True)
    client.force_login(admin)
    response = client.post("/admin/clock/officialday/add/", {"date": "2027-01-05", "kind": "holiday", "name": "元旦",
                                                            "source_notice": "测试通知"})
    assert response.status_code == 302
    assert CalendarChange.objects.filter(start=date(2027, 1, 5), processed_at__isnull=True).exists()


def test_CLOCK4_a_recompute_the_broker_dropped_is_done_by_the_sweep(db):
    """In a `db` test on-commit callbacks never run: exactly a task lost with a flushed Redis."""
    deadline = _crossing_deadline()
    official_day_set(day=date(2027, 1, 4), kind="holiday", name="元旦", by=system_user())
    assert _due_date(deadline) == date(2027, 1, 7)
    sweep()
    assert _due_date(deadline) == date(2027, 1, 8)
    assert not CalendarChange.objects.filter(processed_at__isnull=True).exists()
    sweep()  # processed once: the history has one recompute
    assert Deadline.objects.get(pk=deadline.pk).history.filter(history_change_reason__contains="录入").count() == 1


def test_CLOCK4_a_failing_recompute_is_recorded_retried_with_backoff_and_holds_back_no_other(db, monkeypatch):
    deadline = _crossing_deadline()
    official_day_set(day=date(2026, 3, 3), kind="holiday", name="测试假日", by=system_user())
    official_day_set(day=date(2027, 1, 4), kind="holiday", name="元旦", by=system_user())
    real = recompute.deadlines_recompute

    def fails_for_march(*, start, **kwargs):
        if start == date(2026, 3, 3):
            raise RuntimeError("数据库繁忙")
        return real(start=start, **kwargs)

    monkeypatch.setattr(recompute, "deadlines_recompute", fails_for_march)
    assert calendar_changes_process() == 1
    failed, done = CalendarChange.objects.order_by("created_at", "id")
    assert failed.processed_at is None and failed.attempts == 1 and failed.last_error == "RuntimeError: 数据库繁忙"
    assert failed.next_attempt_at > timezone.now()
    assert failed.history.first().history_change_reason == "重新计算时限失败(第1次),稍后重试"
    assert done.processed_at and _due_date(deadline) == date(2027, 1, 8)

    assert calendar_changes_process() == 0  # backing off
    with time_machine.travel(failed.next_attempt_at + timedelta(seconds=1)):
        assert calendar_changes_process() == 0
    failed.refresh_from_db()
    assert failed.attempts == 2 and failed.next_attempt_at - timezone.now() > timedelta(minutes=1)

    monkeypatch.setattr(recompute, "deadlines_recompute", real)
    with time_machine.travel(failed.next_attempt_at + timedelta(seconds=1)):
        assert calendar_changes_process() == 1
    failed.refresh_from_db()
    assert failed.processed_at and failed.attempts == 3 and failed.last_error == "" and failed.next_attempt_at is None


def test_CLOCK4_a_change_another_worker_holds_is_skipped_not_done_twice(transactional_db):
    deadline = _crossing_deadline()
    official_day_set(day=date(2027, 1, 4), kind="holiday", name="元旦", by=system_user())
    change = CalendarChange.objects.get()
    db = django_settings.DATABASES["default"]
    other = psycopg2.connect(dbname=db["NAME"], user=db["USER"] or "postgres", host=db["HOST"] or "127.0.0.1",
                             port=db["PORT"] or 5432)
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT id FROM clock_calendarchange WHERE id = %s FOR UPDATE", [change.pk])
            assert calendar_changes_process() == 0  # skipped, not waited for
        other.rollback()
    finally:
        other.close()
    assert _due_date(deadline) == date(2027, 1, 7)
    assert calendar_changes_process() == 1 and _due_date(deadline) == date(2027, 1, 8)
