"""The comment window closes by itself: a real Celery worker and beat on Redis, no sweep called by the test (M2, CLOCK3)."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from participation.models import CommentPeriod, PeriodStatus
from participation.deadlines import ADOPTION_REPORT
from tests.processes import celery_beat_args, celery_worker_args, child_env, running, wait_for
from tongchuan_portal.clock.models import Deadline, DeadlineState

from . import factories as f

pytestmark = [pytest.mark.slow]


def test_M2_window_closes_by_itself_with_a_real_worker_and_beat(transactional_db, world, client, tmp_path):
    from tongchuan_portal.celery import app

    # Published seven working days ago (at least 9 calendar days), so its close has just passed.
    with time_machine.travel(timezone.now() - timedelta(days=16), tick=False):
        draft, period = f.published(world)
    assert period.closes_at < timezone.now()
    assert CommentPeriod.objects.get(pk=period.pk).status == PeriodStatus.OPEN

    # Before any sweep: the page already refuses, from the close on.
    response = client.post(f"/participation/drafts/{draft.pk}/comment/", {"body": "晚到的意见", "website": ""})
    assert response.status_code == 400 and "不再接收意见" in response.content.decode()

    app.control.purge()
    env = child_env(CLOCK_SWEEP_INTERVAL_SECONDS="1", HEARTBEAT_INTERVAL_SECONDS="30")
    with running(celery_worker_args(), env, tmp_path / "worker.log"), \
            running(celery_beat_args(tmp_path / "beat-schedule"), env, tmp_path / "beat.log"):
        wait_for(lambda: CommentPeriod.objects.get(pk=period.pk).status == PeriodStatus.CLOSED, timeout=60,
                 what="beat's sweep to close the comment window")
    period.refresh_from_db()
    assert period.closed_at is not None
    window = Deadline.objects.get(rule="participation.comment_window")
    assert window.state == DeadlineState.MET
    report = Deadline.objects.get(rule=ADOPTION_REPORT)
    assert report.state == DeadlineState.RUNNING and report.started_at == period.closes_at
    assert report.history.first().history_user.username == "system"
