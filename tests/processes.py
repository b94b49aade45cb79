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


def celery_worker_args(concurrency: int = 1, name: str = "") -> list[str]:
    return [
        str(BIN / "celery"), "-A", "tongchuan_portal", "worker", "--loglevel", "INFO",
        "--concurrency", str(concurrency), "--without-gossip", "--without-mingle", "-n",
        f"test-{os.getpid()}{'-' + name if name else ''}@%h",
    ]


def celery_beat_args(schedule_file: Path) -> list[str]:
    return [
        str(BIN / "celery"), "-A", "tongchuan_portal", "beat", "--loglevel", "INFO",
        "--scheduler", "tongchuan_portal.celery:RecordingScheduler", "-s", str(schedule_file),
    ]


class MailSink:
    """What a local SMTP server received: one parsed message per accepted DATA.

    Addresses in `refuse` are answered 550 at RCPT, as a real server refuses an
    unknown mailbox."""

    def __init__(self):
        import threading

        self.messages = []
        self.refuse: set[str] = set()
        self.delay = 0.0  # seconds before answering RCPT: a slow server, so a sender can die mid-batch
        self.port = 0
        self._lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        import asyncio

        if self.delay:
            await asyncio.sleep(self.delay)
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        from email import message_from_bytes, policy

        message = message_from_bytes(envelope.content, policy=policy.default)
        with self._lock:
            self.messages.append(message)
        return "250 Message accepted for delivery"

    def message_ids(self) -> list[str]:
        with self._lock:
            return [m["Message-ID"] for m in self.messages]


@contextmanager
def smtp_server(sink: MailSink | None = None, port: int | None = None):
    """A real SMTP server (aiosmtpd) on 127.0.0.1, in a thread of the test process."""
    from aiosmtpd.controller import Controller

    sink = sink or MailSink()
    sink.port = port or sink.port or free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=sink.port)
    controller.start()
    try:
        yield sink
    finally:
        controller.stop()


@contextmanager
def redis_server(port: int | None = None):
    """A throwaway redis-server of our own (never flush the shared one); yields its port."""
    port = port or free_port()
    proc = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL, start_new_session=True,
    )
    try:
        wait_for(lambda: redis_cli(port, "ping") == "PONG", timeout=10, what="redis-server")
        yield port
    finally:
        stop(proc)


def redis_cli(port: int, *args: str) -> str:
    result = subprocess.run(["redis-cli", "-p", str(port), *args], capture_output=True, text=True)
    return result.stdout.strip()


def log_count(path: Path, needle: bytes) -> int:
    return path.read_bytes().count(needle) if path.exists() else 0


def point_celery_at(url: str) -> None:
    """Make this process's Celery app publish to another broker, with fresh connection pools for it
    (closing the old pool would break every later test that publishes)."""
    from tongchuan_portal.celery import app

    app.conf.broker_url = url
    app._pool = None
    try:
        app.__dict__["amqp"]._producer_pool = None
    except KeyError:
        pass
