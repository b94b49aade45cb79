"""Settings: production passes the deploy checks and is the default everywhere; migrations match the models."""

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
        SECRET_KEY=secrets.token_urlsafe(64), ALLOWED_HOSTS="www.tongchuan.gov.cn", TRUSTED_PROXY_COUNT="1",
        PORTAL_VAR_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def _unset_env(tmp_path, **extra) -> dict:
    """The environment of a deployment that forgot DJANGO_SETTINGS_MODULE (and whatever else is left out)."""
    env = {k: v for k, v in os.environ.items()
           if k not in {"DJANGO_SETTINGS_MODULE", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE",
                        "TRUSTED_PROXY_COUNT", "DEBUG"}}
    return {**env, "PORTAL_VAR_DIR": str(tmp_path), **extra}


def _run(args, env):
    return subprocess.run([sys.executable, *args], env=env, cwd=ROOT, capture_output=True, text=True)


def test_hardening_check_deploy_with_settings_unset_refuses_without_real_secret_key(tmp_path):
    """Fail closed: with DJANGO_SETTINGS_MODULE unset manage.py means production, which needs a real key."""
    missing = _run([str(ROOT / "manage.py"), "check", "--deploy"], _unset_env(tmp_path, ALLOWED_HOSTS="x.example"))
    assert missing.returncode != 0 and "SECRET_KEY" in missing.stderr
    assert "DJANGO_SETTINGS_MODULE=tongchuan_portal.settings.dev" in missing.stderr  # says how to develop
    weak = _run([str(ROOT / "manage.py"), "check", "--deploy"],
                _unset_env(tmp_path, ALLOWED_HOSTS="x.example", SECRET_KEY="dev-only-insecure-key-change-me"))
    assert weak.returncode != 0 and "SECRET_KEY is not a real secret" in weak.stderr
    short = _run([str(ROOT / "manage.py"), "check", "--deploy"],
                 _unset_env(tmp_path, ALLOWED_HOSTS="x.example", SECRET_KEY="abcdef0123456789"))
    assert short.returncode != 0 and "SECRET_KEY" in short.stderr
    key = secrets.token_urlsafe(64)
    wildcard = _run([str(ROOT / "manage.py"), "check"], _unset_env(tmp_path, ALLOWED_HOSTS="*", SECRET_KEY=key))
    assert wildcard.returncode != 0 and "ALLOWED_HOSTS" in wildcard.stderr
    no_hosts = _run([str(ROOT / "manage.py"), "check"], _unset_env(tmp_path, SECRET_KEY=key))
    assert no_hosts.returncode != 0 and "ALLOWED_HOSTS" in no_hosts.stderr
    good = _run([str(ROOT / "manage.py"), "check", "--deploy", "--fail-level", "WARNING"],
                _unset_env(tmp_path, ALLOWED_HOSTS="x.example", SECRET_KEY=key, TRUSTED_PROXY_COUNT="1"))
    assert good.returncode == 0, good.stdout + good.stderr


def test_hardening_every_entry_point_defaults_to_production(tmp_path):
    """wsgi.py (gunicorn), celery.py (worker, beat) and manage.py: production unless a settings module is named."""
    env = _unset_env(tmp_path, ALLOWED_HOSTS="x.example", SECRET_KEY=secrets.token_urlsafe(64),
                     TRUSTED_PROXY_COUNT="1")
    probe = ("import os, sys; sys.path.insert(0, %r); import {module}; from django.conf import settings; "
             "print(os.environ['DJANGO_SETTINGS_MODULE'], settings.DEBUG, settings.ALLOWED_HOSTS)") % str(ROOT)
    for module in ("tongchuan_portal.wsgi", "tongchuan_portal.celery"):
        result = _run(["-c", probe.format(module=module)], env)
        assert result.returncode == 0, result.stderr
        assert result.stdout.split()[:2] == ["tongchuan_portal.settings.production", "False"], module
    shell = _run([str(ROOT / "manage.py"), "shell", "--no-imports", "-c",
                  "from django.conf import settings; print(settings.SETTINGS_MODULE, settings.DEBUG)"], env)
    assert shell.stdout.split() == ["tongchuan_portal.settings.production", "False"], shell.stderr
    unset = _run(["-c", probe.format(module="tongchuan_portal.wsgi")], _unset_env(tmp_path))
    assert unset.returncode != 0 and "SECRET_KEY" in unset.stderr


def test_hardening_W001_warns_in_production_while_trusted_proxy_count_is_unset(tmp_path):
    result = _manage("check", "--deploy", DJANGO_SETTINGS_MODULE="tongchuan_portal.settings.production",
                     SECRET_KEY=secrets.token_urlsafe(64), ALLOWED_HOSTS="www.tongchuan.gov.cn",
                     PORTAL_VAR_DIR=str(tmp_path), TRUSTED_PROXY_COUNT="")
    assert "tongchuan.W001" in result.stdout + result.stderr
    with_count = _manage("check", "--deploy", DJANGO_SETTINGS_MODULE="tongchuan_portal.settings.production",
                         SECRET_KEY=secrets.token_urlsafe(64), ALLOWED_HOSTS="www.tongchuan.gov.cn",
                         PORTAL_VAR_DIR=str(tmp_path), TRUSTED_PROXY_COUNT="0")
    assert "tongchuan.W001" not in with_count.stdout + with_count.stderr


def test_hardening_limits_are_set_from_the_environment(tmp_path):
    """Abuse limits, lockout and upload bounds are environment settings like everything else."""
    result = _manage(
        "shell", "--no-imports", "-c", "from django.conf import settings as s; print(s.PARTICIPATION_MESSAGE_RATE_IP, "
        "s.PARTICIPATION_QUERY_RATE_IP, s.PARTICIPATION_COMMENT_RATE_IP, s.AXES_FAILURE_LIMIT, "
        "s.TRUSTED_PROXY_COUNT, s.REQUEST_MAX_BODY_MB, s.DATABASES['default']['CONN_HEALTH_CHECKS'])",
        DJANGO_SETTINGS_MODULE="tongchuan_portal.settings.local", PORTAL_VAR_DIR=str(tmp_path),
        PARTICIPATION_MESSAGE_RATE_IP="2/m", PARTICIPATION_QUERY_RATE_IP="7/h", PARTICIPATION_COMMENT_RATE_IP="3/d",
        AXES_FAILURE_LIMIT="9", TRUSTED_PROXY_COUNT="2", REQUEST_MAX_BODY_MB="11",
    )
    assert result.stdout.split() == ["2/m", "7/h", "3/d", "9", "2", "11", "True"], result.stderr


def test_hardening_local_settings_run_with_debug_off_and_a_generated_key(tmp_path):
    """`make run`'s settings: explicit, DEBUG off, no shared default secret."""
    env = {"DJANGO_SETTINGS_MODULE": "tongchuan_portal.settings.local", "PORTAL_VAR_DIR": str(tmp_path), "SECRET_KEY": ""}
    result = _manage("shell", "--no-imports", "-c", "from django.conf import settings as s; print(s.DEBUG, len(s.SECRET_KEY), "
                     "'*' in s.ALLOWED_HOSTS)", **env)
    assert result.stdout.split() == ["False", str(len((tmp_path / "secret_key").read_text())), "False"], result.stderr
    assert len((tmp_path / "secret_key").read_text()) >= 50


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
