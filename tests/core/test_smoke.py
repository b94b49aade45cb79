"""The portal starts on its embedded defaults (SQLite, filesystem broker) the way
`make run` starts it — web, worker and one beat under honcho — and serves / and a
healthy /healthz."""

import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from tests.processes import BIN, ROOT, free_port, running, wait_for

pytestmark = pytest.mark.slow


def _get(url, headers=None):
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()
    except OSError:
        return None, ""


def test_make_run_stack_on_embedded_defaults(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CELERY_BROKER_URL", "REDIS_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="tongchuan_portal.settings.dev",
        PORTAL_VAR_DIR=str(tmp_path / "var"),
        PATH=f"{BIN}:{env['PATH']}",
        HEARTBEAT_INTERVAL_SECONDS="3",
        HEALTHZ_TOKEN="smoke-token",
        PYTHONUNBUFFERED="1",
    )
    manage = [sys.executable, str(ROOT / "manage.py")]
    for command in (["migrate", "--noinput", "-v0"], ["seed_demo"]):
        subprocess.run(manage + command, env=env, cwd=ROOT, check=True, capture_output=True)
    assert (tmp_path / "var" / "portal.sqlite3").exists()

    port = free_port()
    with running([str(BIN / "honcho"), "start", "-p", str(port)], env, tmp_path / "honcho.log"):
        base = f"http://127.0.0.1:{port}"
        status, html = wait_for(lambda: (r := _get(base + "/"))[0] == 200 and r, timeout=60, what="home page")
        assert "单位名录" in html and "铜川市发展和改革委员会" in html
        details = {"Authorization": "Bearer smoke-token"}
        status, body = wait_for(lambda: (r := _get(base + "/healthz", details))[0] == 200 and r, timeout=90,
                                what="healthy /healthz (worker heartbeat and beat tick)")
        assert '"vendor": "sqlite"' in body and '"transport": "filesystem"' in body
    log = Path(tmp_path / "honcho.log").read_text()
    assert log.count("beat: Starting") <= 1
