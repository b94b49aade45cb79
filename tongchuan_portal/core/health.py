"""Liveness of the pieces the deadlines depend on: database, broker, worker, beat.

Heartbeats live in the shared cache (Redis in production, a file cache on the
embedded defaults) so that web, worker and beat processes all see them.
"""

from datetime import datetime, timezone

from django.conf import settings
from django.core.cache import cache
from django.db import connection

WORKER_KEY = "health:worker-heartbeat"
BEAT_KEY = "health:beat-tick"
_KEEP = 24 * 3600


def _now():
    return datetime.now(timezone.utc)


def record_worker_heartbeat(hostname: str = "") -> None:
    cache.set(WORKER_KEY, {"at": _now().isoformat(), "hostname": hostname}, _KEEP)


def record_beat_tick() -> None:
    cache.set(BEAT_KEY, {"at": _now().isoformat()}, _KEEP)


def _check_database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return {"ok": True, "vendor": connection.vendor}
    except Exception as exc:  # any failure means "not healthy", reported, never raised
        return {"ok": False, "error": exc.__class__.__name__}


def _check_broker() -> dict:
    from tongchuan_portal.celery import app

    transport = settings.CELERY_BROKER_URL.split(":", 1)[0]
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0.2, timeout=2)
        return {"ok": True, "transport": transport}
    except Exception as exc:
        return {"ok": False, "transport": transport, "error": exc.__class__.__name__}


def _check_heartbeat(key: str) -> dict:
    try:
        beat = cache.get(key)
    except Exception as exc:
        return {"ok": False, "error": exc.__class__.__name__}
    if not beat:
        return {"ok": False, "last": None, "age_seconds": None}
    at = datetime.fromisoformat(beat["at"])
    age = (_now() - at).total_seconds()
    result = {"ok": age <= settings.HEALTH_MAX_HEARTBEAT_AGE, "last": beat["at"], "age_seconds": round(age, 1)}
    if beat.get("hostname"):
        result["hostname"] = beat["hostname"]
    return result


def _check_calendar() -> dict:
    """Today's year must have a confirmed holiday schedule, or no working-day deadline can start (CLOCK1)."""
    from tongchuan_portal.clock.selectors import calendar_unconfirmed_today

    try:
        missing = calendar_unconfirmed_today()
    except Exception as exc:
        return {"ok": False, "error": exc.__class__.__name__}
    if missing is not None:
        return {"ok": False, "unconfirmed_year": missing}
    return {"ok": True}


def health_report() -> dict:
    checks = {
        "database": _check_database(),
        "broker": _check_broker(),
        "worker": _check_heartbeat(WORKER_KEY),
        "beat": _check_heartbeat(BEAT_KEY),
        "calendar": _check_calendar(),
    }
    return {"ok": all(c["ok"] for c in checks.values()), "checks": checks}
