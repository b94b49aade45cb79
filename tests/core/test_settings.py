"""Settings: production passes the deploy checks; migrations match the models."""

import os
import secrets
import subprocess
import sys

from tests.processes import ROOT


def _manage(*args, **env):
    full_env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}  # set for Playwright only
    full_env.update(env)
    return subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=full_env, cwd=ROOT,
                          capture_output=True, text=True)


def test_production_settings_pass_check_deploy(tmp_path):
    result = _manage(
        "check", "--deploy", "--fail-level", "WARNING",
        DJANGO_SETTINGS_MODULE="tongchuan_portal.settings.production",
        SECRET_KEY=secrets.token_urlsafe(64), ALLOWED_HOSTS="www.tongchuan.gov.cn",
        PORTAL_VAR_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_secret_key(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "check"], cwd=ROOT, capture_output=True, text=True,
        env={**env, "DJANGO_SETTINGS_MODULE": "tongchuan_portal.settings.production",
             "ALLOWED_HOSTS": "x", "PORTAL_VAR_DIR": str(tmp_path)},
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_migrations_match_models():
    result = _manage("makemigrations", "--check", "--dry-run", DJANGO_SETTINGS_MODULE="tongchuan_portal.settings.test")
    assert result.returncode == 0, result.stdout + result.stderr
