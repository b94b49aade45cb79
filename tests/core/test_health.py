"""/healthz: database, broker, last worker heartbeat and last beat tick; 503 when one fails."""

import subprocess
from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.utils import timezone

from tongchuan_portal.core.health import BEAT_KEY, WORKER_KEY, record_beat_tick, record_worker_heartbeat
from tests.processes import free_port, stop, wait_for


@pytest.fixture
def fresh_heartbeats(db):
    record_worker_heartbeat("celery@test")
    record_beat_tick()
    yield
    cache.delete_many([WORKER_KEY, BEAT_KEY])


def test_healthy_when_all_fine(client, fresh_heartbeats):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is True
    assert body["checks"]["database"] == {"ok": True, "vendor": "postgresql"}
    assert body["checks"]["broker"]["transport"] == "redis"
    assert body["checks"]["worker"]["hostname"] == "celery@test"
    assert response["Cache-Control"].startswith("max-age=0")


def test_503_when_worker_never_beat(client, db):
    cache.delete(WORKER_KEY)
    record_beat_tick()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["worker"] == {"ok": False, "last": None, "age_seconds": None}


def test_503_when_heartbeat_is_stale(client, fresh_heartbeats, settings):
    with time_machine.travel(timezone.now() + timedelta(seconds=settings.HEALTH_MAX_HEARTBEAT_AGE + 5)):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["worker"]["ok"] is False
    assert response.json()["checks"]["beat"]["ok"] is False


@pytest.mark.slow
def test_503_when_redis_is_stopped(client, db, settings):
    """Run a Redis of our own as broker, stop it, and /healthz must say 503."""
    from tongchuan_portal.celery import app

    original_broker = app.conf.broker_url
    port = free_port()
    redis = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL, start_new_session=True,
    )
    try:
        wait_for(lambda: subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True).stdout
                 == b"PONG\n", timeout=10, what="redis")
        settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{port}/0"
        app.conf.broker_url = settings.CELERY_BROKER_URL
        record_worker_heartbeat("celery@test")
        record_beat_tick()
        assert client.get("/healthz").status_code == 200

        stop(redis)
        response = client.get("/healthz")
        assert response.status_code == 503
        assert response.json()["checks"]["broker"]["ok"] is False
        assert response.json()["checks"]["broker"]["error"]
    finally:
        stop(redis)
        app.conf.broker_url = original_broker
