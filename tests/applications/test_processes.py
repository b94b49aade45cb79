"""The fee abandonment by the real sweep: a Celery worker and beat, as in production (A5, CLOCK3)."""

import pytest
import time_machine

from disclosure.applications import deadlines, services
from disclosure.applications.models import FeeMethod, Status
from disclosure.applications.outcomes import Outcome
from tongchuan_portal.clock.models import DeadlineState
from tongchuan_portal.clock.selectors import deadline_of
from tests.processes import celery_beat_args, celery_worker_args, child_env, running, wait_for

from .conftest import bj
from .helpers import received

pytestmark = [pytest.mark.slow]


def test_A5_unpaid_fee_is_abandoned_by_a_real_worker_and_beat(transactional_db, world, tmp_path):
    from tongchuan_portal.celery import app

    # The fee notice was sent long ago (2025-03-03): its 20 working days have passed whatever today is.
    with time_machine.travel(bj(2025, 3, 3, 10, 0), tick=False):
        application, _ = received(world)
        services.fee_notify(application=application, method=FeeMethod.PER_VOLUME, pages=60, by=world.clerk)
    reply = deadline_of(application, deadlines.REPLY)
    assert reply.state == DeadlineState.PAUSED
    app.control.purge()
    env = child_env(CLOCK_SWEEP_INTERVAL_SECONDS="1", HEARTBEAT_INTERVAL_SECONDS="30")
    with running(celery_worker_args(), env, tmp_path / "worker.log"), \
            running(celery_beat_args(tmp_path / "beat-schedule"), env, tmp_path / "beat.log"):
        wait_for(lambda: type(application).objects.get(pk=application.pk).status == Status.REPLIED, timeout=90,
                 what="the sweep to close the unpaid application")
    application.refresh_from_db()
    assert application.outcome == Outcome.UNPAID and application.replied_on is not None
    assert application.steps.filter(kind="closed").count() == 1
    reply.refresh_from_db()
    assert reply.state == DeadlineState.CANCELLED
