"""A real Celery worker against Redis (not eager mode): the heartbeat round-trip."""

import pytest
from django.core.cache import cache

from tongchuan_portal.core.health import WORKER_KEY
from tongchuan_portal.core.tasks import heartbeat
from tests.processes import celery_worker_args, running, child_env, wait_for

pytestmark = pytest.mark.slow


def test_heartbeat_round_trip_through_redis_and_a_real_worker(transactional_db, tmp_path):
    from tongchuan_portal.celery import app

    app.control.purge()
    cache.delete(WORKER_KEY)
    with running(celery_worker_args(), child_env(), tmp_path / "worker.log"):
        heartbeat.delay()
        beat = wait_for(lambda: cache.get(WORKER_KEY), timeout=45, what="worker heartbeat")
    assert beat["hostname"].startswith("test-")
    assert "at" in beat
