"""/healthz: database, broker, last worker heartbeat and last beat tick; 503 when one fails. Anonymous
callers get which checks failed; staff and token holders get the details (hardening)."""

import subprocess
from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.utils import timezone

from tongchuan_portal.core.health import (
    BEAT_KEY,
    BEAT_LOCK_KEY,
    BEAT_STANDBY_KEY,
    WORKER_KEY,
    beat_claim,
    beat_release,
    record_beat_standby,
    record_beat_tick,
    record_worker_heartbeat,
)
from tests.processes import free_port, stop, wait_for
from tests.units.factories import UserFactory

TOKEN = "s3cret-healthz-token"


@pytest.fixture
def fresh_heartbeats(db):
    record_worker_heartbeat("celery@test")
    record_beat_tick()
    yield
    cache.delete_many([WORKER_KEY, BEAT_KEY, BEAT_STANDBY_KEY, BEAT_LOCK_KEY])


@pytest.fixture
def client(client, db, settings):
    """The tests below read the details, as the operators' monitor does, with the token."""
    settings.HEALTHZ_TOKEN = TOKEN
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {TOKEN}"
    return client


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
        anonymous = client.get("/healthz", HTTP_AUTHORIZATION="")
        assert anonymous.status_code == 503
        assert anonymous.json() == {"ok": False, "checks": {"database": True, "broker": False, "worker": True,
                                                             "beat": True, "calendar": True}}
    finally:
        stop(redis)
        app.conf.broker_url = original_broker


# --- who sees what (hardening) -------------------------------------------------------------


def _anonymous_body(client, **headers):
    return client.get("/healthz", HTTP_AUTHORIZATION="", **headers)


def test_hardening_anonymous_callers_get_a_summary_without_names_of_hosts_or_errors(client, db, settings):
    record_worker_heartbeat("celery@secret-worker-host")
    record_beat_tick("secret-beat-host:4242")
    from tongchuan_portal.celery import app

    original = app.conf.broker_url
    app.conf.broker_url = settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{free_port()}/0"
    try:
        response = client.get("/healthz", HTTP_AUTHORIZATION="")
        detailed = client.get("/healthz")
    finally:
        app.conf.broker_url = original
        cache.delete_many([WORKER_KEY, BEAT_KEY])
    assert response.status_code == detailed.status_code == 503
    assert response.json() == {"ok": False, "checks": {"database": True, "broker": False, "worker": True,
                                                         "beat": True, "calendar": True}}
    text = response.content.decode()
    for secret in ("secret-worker-host", "secret-beat-host", "Error", "postgresql", "redis", "age_seconds"):
        assert secret not in text
    assert detailed.json()["checks"]["worker"]["hostname"] == "celery@secret-worker-host"
    assert detailed.json()["checks"]["beat"]["beat"] == "secret-beat-host:4242"
    assert detailed.json()["checks"]["broker"]["error"]


@pytest.mark.parametrize("who, detailed", [
    ("anonymous", False), ("logged-in, not staff", False), ("staff", True), ("wrong token", False),
    ("right token", True), ("token without Bearer", False),
])
def test_hardening_details_only_to_staff_or_the_token(client, fresh_heartbeats, who, detailed):
    headers = {"HTTP_AUTHORIZATION": {"wrong token": "Bearer nope", "right token": f"Bearer {TOKEN}",
                                      "token without Bearer": TOKEN}.get(who, "")}
    if who == "logged-in, not staff":
        client.force_login(UserFactory(username="healthz-clerk"))
    if who == "staff":
        client.force_login(UserFactory(username="healthz-staff", is_staff=True))
    body = client.get("/healthz", **headers).json()
    assert body["ok"] is True, body
    worker = body["checks"]["worker"]
    assert (worker is True) is not detailed
    assert detailed is False or worker["hostname"] == "celery@test"


def test_hardening_an_empty_token_setting_lets_no_token_in(client, fresh_heartbeats, settings):
    settings.HEALTHZ_TOKEN = ""
    assert client.get("/healthz", HTTP_AUTHORIZATION="Bearer ").json()["checks"]["database"] is True


# --- one beat sends; a second is refused and reported (hardening) ---------------------------


def test_hardening_only_one_beat_holds_the_lock(db):
    cache.delete(BEAT_LOCK_KEY)
    try:
        assert beat_claim("host-a:1") is True
        assert beat_claim("host-b:2") is False
        assert beat_claim("host-a:1") is True  # renewed by its holder
        beat_release("host-b:2")  # not the holder: no effect
        assert beat_claim("host-b:2") is False
        beat_release("host-a:1")
        assert beat_claim("host-b:2") is True
    finally:
        cache.delete(BEAT_LOCK_KEY)


def test_hardening_a_second_beat_is_reported_as_a_warning(client, fresh_heartbeats):
    record_beat_standby("host-b:2")
    detailed = client.get("/healthz")
    anonymous = _anonymous_body(client)
    assert detailed.status_code == anonymous.status_code == 200
    assert detailed.json()["warnings"] == anonymous.json()["warnings"] == ["second_beat"]
    assert detailed.json()["checks"]["beat"]["second_beat"]["beat"] == "host-b:2"
    assert "host-b" not in anonymous.content.decode()


def test_hardening_a_living_beat_renews_its_lock_before_a_waiting_beat_can_take_it(db, settings):
    """The holder claims every beat_renew_every() seconds; a second beat polling all the while never
    finds the lock free (a renewal interval longer than the lock's life let the second beat take it in
    the gap and the two swap roles)."""
    import time

    from tongchuan_portal.celery import RecordingScheduler
    from tongchuan_portal.core.health import beat_renew_every

    settings.BEAT_LOCK_TTL_SECONDS = 1
    assert RecordingScheduler.record_every.fget(None) == beat_renew_every() <= 1 / 3
    settings.BEAT_LOCK_TTL_SECONDS = 30
    assert beat_renew_every() == 5.0
    settings.BEAT_LOCK_TTL_SECONDS = 1
    cache.delete(BEAT_LOCK_KEY)
    try:
        assert beat_claim("holder:1") is True
        started = next_renewal = time.monotonic()
        while time.monotonic() - started < 3:  # three lifetimes of the lock
            if time.monotonic() >= next_renewal:
                assert beat_claim("holder:1") is True
                next_renewal += beat_renew_every()
            assert beat_claim("waiting:2") is False
            time.sleep(0.02)
    finally:
        cache.delete(BEAT_LOCK_KEY)
