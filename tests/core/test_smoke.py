"""The portal starts on its embedded defaults (SQLite, filesystem broker) the way
`make run` starts it — settings.local, web, worker and one beat under honcho — and
serves / and a healthy /healthz, with DEBUG off: the designed 404, static files and
the favicon served by WhiteNoise, and no kombu control folder in the working tree."""

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
        DJANGO_SETTINGS_MODULE="tongchuan_portal.settings.local",  # what the Makefile asks for
        PORTAL_VAR_DIR=str(tmp_path / "var"),
        PATH=f"{BIN}:{env['PATH']}",
        HEARTBEAT_INTERVAL_SECONDS="3",
        HEALTHZ_TOKEN="smoke-token",
        PYTHONUNBUFFERED="1",
    )
    manage = [sys.executable, str(ROOT / "manage.py")]
    env.pop("SECRET_KEY", None)
    for command in (["migrate", "--noinput", "-v0"], ["seed_demo"], ["collectstatic", "--noinput", "-v0"]):
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
        # DEBUG off: the designed Chinese 404, not Django's page listing the URL patterns.
        status, html = _get(base + "/no-such-page/")
        assert status == 404 and "页面不存在" in html and 'class="site-header"' in html
        assert "URLconf" not in html and "Page not found" not in html
        status, css = _get(base + "/static/css/portal.css")
        assert status == 200 and ".error-page" in css
        with urllib.request.urlopen(base + "/favicon.ico", timeout=5) as icon:
            assert icon.status == 200 and icon.read(4) == b"\x00\x00\x01\x00"
    assert not (ROOT / "control").exists()  # kombu's control folder is under var/broker/
    assert (tmp_path / "var" / "broker" / "control").is_dir()
    log = Path(tmp_path / "honcho.log").read_text()
    assert log.count("beat: Starting") <= 1
