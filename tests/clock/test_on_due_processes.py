"""A failing on-due action with a real worker and beat: the sweep goes on, records it, retries it (CLOCK3)."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from tongchuan_portal.clock.models import Deadline, DeadlineState
from tongchuan_portal.clock.services import deadline_start
from tongchuan_portal.core.selectors import system_user
from tongchuan_portal.notifications.models import Notification
from tongchuan_portal.units.models import Role
from tests.processes import celery_beat_args, celery_worker_args, child_env, running, wait_for
from tests.units.factories import UnitFactory, UserFactory, member

pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("calendar")]


def test_CLOCK3_hardening_real_beat_keeps_sweeping_past_a_failing_on_due_action(transactional_db, calendar,
                                                                               tmp_path):
    from tongchuan_portal.celery import app

    unit = UnitFactory(code="proc-fail-unit")
    clerk = UserFactory(username="proc-fail-clerk")
    member(clerk, unit, Role.Code.CLERK)
    app.control.purge()
    env = child_env(CLOCK_SWEEP_INTERVAL_SECONDS="1", HEARTBEAT_INTERVAL_SECONDS="30")
    with running(celery_worker_args(), env, tmp_path / "worker.log"), \
            running(celery_beat_args(tmp_path / "beat-schedule"), env, tmp_path / "beat.log"):
        broken = deadline_start(rule="test.failing", target=UnitFactory(), unit=unit, subject="故障事项",
                                by=system_user())
        cache.set(f"test:fail-due:{broken.pk}", 1, 600)
        healthy = deadline_start(rule="test.short", target=UnitFactory(), unit=unit, subject="正常事项",
                                 by=system_user())
        for d in (broken, healthy):
            cache.delete(f"test:on-due:{d.pk}")

        wait_for(lambda: Deadline.objects.get(pk=broken.pk).action_attempts >= 1, timeout=60,
                 what="the failure to be recorded")
        wait_for(lambda: cache.get(f"test:on-due:{healthy.pk}") == 1, timeout=30,
                 what="the other deadline's on-due action")
        broken.refresh_from_db()
        assert broken.state == DeadlineState.MISSED and "对接系统无响应" in broken.action_error
        assert broken.action_retry_at >= broken.missed_at + timedelta(minutes=1)
        assert Deadline.objects.get(pk=healthy.pk).state == DeadlineState.MISSED

        # Mended; rather than wait a minute, bring the retry moment forward (as if it had passed).
        cache.delete(f"test:fail-due:{broken.pk}")
        Deadline.objects.filter(pk=broken.pk).update(action_retry_at=timezone.now(), next_action_at=timezone.now())
        wait_for(lambda: Deadline.objects.get(pk=broken.pk).action_retry_at is None, timeout=30,
                 what="the retry to succeed")
    assert cache.get(f"test:on-due:{broken.pk}") == 1 and cache.get(f"test:on-due:{healthy.pk}") == 1
    assert Deadline.objects.get(pk=broken.pk).action_error == ""
    assert Notification.objects.filter(recipient=clerk, level="overdue").exists()
