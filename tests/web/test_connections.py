"""Dead database connections are replaced, not served as 500 (hardening, item 24), and the real
web stack refuses an over-long body before reading it (item 27)."""

import secrets
import socket
import urllib.error
import urllib.request
import uuid

import pytest
from django.core.cache import cache
from django.db import connection

from tests.processes import BIN, celery_worker_args, child_env, free_port, running, wait_for

pytestmark = pytest.mark.slow


def _get(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


def _terminate_other_backends() -> int:
    """pg_terminate_backend every connection to the test database but this test's own."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                       "WHERE datname = current_database() AND pid <> pg_backend_pid()")
        return cursor.fetchone()[0]


@pytest.fixture
def web(transactional_db, tongchuan_units, tmp_path):
    """gunicorn with one worker on the production settings (persistent connections) and the test database."""
    port = free_port()
    args = [str(BIN / "gunicorn"), "tongchuan_portal.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"]
    env = child_env(DJANGO_SETTINGS_MODULE="tongchuan_portal.settings.production", SECRET_KEY=secrets.token_urlsafe(64),
                    ALLOWED_HOSTS="127.0.0.1", SECURE_SSL_REDIRECT="false", TRUSTED_PROXY_COUNT="0",
                    REDIS_URL="redis://127.0.0.1:6379/14", PORTAL_VAR_DIR=str(tmp_path / "var"),
                    REQUEST_MAX_BODY_MB="1")
    env.pop("CELERY_BROKER_URL", None)
    with running(args, env, tmp_path / "gunicorn.log"):
        base = f"http://127.0.0.1:{port}"
        wait_for(lambda: _get(base + "/") == 200, timeout=60, what="gunicorn")
        yield base, port


def test_hardening_gunicorn_warns_at_start_up_while_trusted_proxy_count_is_unset(transactional_db, tmp_path):
    port = free_port()
    env = child_env(DJANGO_SETTINGS_MODULE="tongchuan_portal.settings.production", SECRET_KEY=secrets.token_urlsafe(64),
                    ALLOWED_HOSTS="127.0.0.1", SECURE_SSL_REDIRECT="false", PORTAL_VAR_DIR=str(tmp_path / "var"))
    env.pop("TRUSTED_PROXY_COUNT", None)
    log = tmp_path / "gunicorn.log"
    args = [str(BIN / "gunicorn"), "tongchuan_portal.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"]
    with running(args, env, log):
        wait_for(lambda: b"tongchuan.W001" in log.read_bytes(), timeout=60, what="the start-up warning")


def test_hardening_web_request_after_pg_terminate_backend_succeeds(web):
    base, _ = web
    assert _get(base + "/") == 200  # the worker holds a persistent connection now
    assert _terminate_other_backends() >= 1
    assert [_get(base + "/") for _ in range(3)] == [200, 200, 200]  # health check replaces it: no 500


def test_hardening_gunicorn_answers_413_before_the_body_arrives(web):
    _, port = web
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(b"POST /participation/registrations/query/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 62914560\r\n\r\ncode=x")
        reply = b""
        while chunk := conn.recv(65536):  # answered, and closed, with 6 bytes of 60 MB sent
            reply += chunk
    reply = reply.decode(errors="replace")
    assert reply.startswith("HTTP/1.1 413") and "提交内容过大" in reply


def test_hardening_worker_task_after_pg_terminate_backend_succeeds(transactional_db, tmp_path):
    """Celery workers drop a connection the database closed before the next task uses it."""
    from tests.support.tasks import backend_pid

    log = tmp_path / "worker.log"
    with running(celery_worker_args(concurrency=1), child_env(DB_CONN_MAX_AGE="600"), log):
        wait_for(lambda: b"ready" in log.read_bytes(), timeout=60, what="celery worker ready")
        first, second = uuid.uuid4().hex, uuid.uuid4().hex
        backend_pid.delay(first)
        old_pid = wait_for(lambda: cache.get(f"test:backend-pid:{first}"), timeout=30, what="first task")
        _terminate_other_backends()  # whatever the worker kept (Celery's Django fixup closes it after a task)
        backend_pid.delay(second)
        new_pid = wait_for(lambda: cache.get(f"test:backend-pid:{second}"), timeout=30, what="task after terminate")
        assert new_pid != old_pid
    assert "OperationalError" not in log.read_text()
