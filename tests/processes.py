"""Real processes for tests whose behaviour depends on them: Celery worker and beat,
a web server, a throwaway Redis. Each is started in its own process group and
killed with it, so nothing outlives the test."""

import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, timeout: float, interval: float = 0.2, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def child_env(**extra) -> dict:
    """Environment for a child that must see the test database, broker and cache."""
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="tongchuan_portal.settings.test",
        DATABASE_URL=f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        TEST_DATABASE_NAME=db["NAME"],
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


@contextmanager
def running(args: list[str], env: dict, log_path: Path | None = None, cwd: Path = ROOT):
    log = open(log_path, "wb") if log_path else subprocess.DEVNULL
    proc = subprocess.Popen(args, env=env, cwd=cwd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        yield proc
    finally:
        stop(proc)
        if log_path:
            log.close()


def stop(proc: subprocess.Popen, sig=signal.SIGTERM, timeout: float = 15):
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, sig)
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=5)
    except ProcessLookupError:
        pass


def celery_worker_args(concurrency: int = 1) -> list[str]:
    return [
        str(BIN / "celery"), "-A", "tongchuan_portal", "worker", "--loglevel", "INFO",
        "--concurrency", str(concurrency), "--without-gossip", "--without-mingle", "-n", f"test-{os.getpid()}@%h",
    ]


def celery_beat_args(schedule_file: Path) -> list[str]:
    return [
        str(BIN / "celery"), "-A", "tongchuan_portal", "beat", "--loglevel", "INFO",
        "--scheduler", "tongchuan_portal.celery:RecordingScheduler", "-s", str(schedule_file),
    ]
