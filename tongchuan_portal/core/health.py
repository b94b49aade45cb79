"""Liveness of the pieces the deadlines depend on: database, broker, worker, beat.

Heartbeats live in the shared cache (Redis in production, a file cache on the
embedded defaults) so that web, worker and beat processes all see them; so does
the lock that lets only one beat send.

Anonymous callers get a summary (which checks failed, nothing else); the details
— error classes, host names, ages — go to staff and to callers with HEALTHZ_TOKEN.
"""

from datetime import datetime, timezone

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils.crypto import constant_time_compare

WORKER_KEY = "health:worker-heartbeat"
BEAT_KEY = "health:beat-tick"
BEAT_LOCK_KEY = "health:beat-lock"
BEAT_STANDBY_KEY = "health:beat-standby"
_KEEP = 24 * 3600


def _now():
    return datetime.now(timezone.utc)


def record_worker_heartbeat(hostname: str = "") -> None:
    cache.set(WORKER_KEY, {"at": _now().isoformat(), "hostname": hostname}, _KEEP)


def record_beat_tick(beat_id: str = "") -> None:
    cache.set(BEAT_KEY, {"at": _now().isoformat(), "beat": beat_id}, _KEEP)


def record_beat_standby(beat_id: str) -> None:
    """A second beat, refused the lock, says it is there (until it stops saying so)."""
    cache.set(BEAT_STANDBY_KEY, {"at": _now().isoformat(), "beat": beat_id}, _beat_lock_ttl() + 5)


def _beat_lock_ttl() -> int:
    """The one-beat lock's lifetime in whole seconds, as the cache stores it."""
    return int(settings.BEAT_LOCK_TTL_SECONDS)


def beat_claim(beat_id: str) -> bool:
    """Take or renew the one-beat lock; False while another beat holds it (it lapses unless renewed).

    Add is atomic everywhere; the renewal is get-then-touch, so a holder that
    stalled past the lock's lifetime may send one more tick alongside its
    successor — harmless, since every effect is keyed in a ledger.
    """
    if not settings.BEAT_SINGLE_LOCK:
        return True
    ttl = _beat_lock_ttl()
    if cache.add(BEAT_LOCK_KEY, beat_id, ttl):
        return True
    if cache.get(BEAT_LOCK_KEY) == beat_id:
        cache.touch(BEAT_LOCK_KEY, ttl)
        return True
    return False


def beat_renew_every() -> float:
    """Seconds between a beat's claims: a third of the lock's lifetime (at most 5 s), so that two renewals
    can be late before the lock lapses under its living holder and a waiting beat takes it."""
    return min(5.0, _beat_lock_ttl() / 3)


def beat_release(beat_id: str) -> None:
    if cache.get(BEAT_LOCK_KEY) == beat_id:
        cache.delete(BEAT_LOCK_KEY)


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
    if beat.get("beat"):
        result["beat"] = beat["beat"]  # which beat holds the lock and sends
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


def _check_second_beat() -> dict | None:
    try:
        standby = cache.get(BEAT_STANDBY_KEY)
    except Exception:
        return None
    if not standby:
        return None
    return {"waiting": True, "last": standby["at"], "beat": standby["beat"]}


def health_report() -> dict:
    checks = {
        "database": _check_database(),
        "broker": _check_broker(),
        "worker": _check_heartbeat(WORKER_KEY),
        "beat": _check_heartbeat(BEAT_KEY),
        "calendar": _check_calendar(),
    }
    report = {"ok": all(c["ok"] for c in checks.values()), "checks": checks}
    second = _check_second_beat()
    if second:  # refused, so nothing is sent twice: a warning, not a failure
        checks["beat"]["second_beat"] = second
        report["warnings"] = ["second_beat"]
    return report


def health_summary(report: dict) -> dict:
    """What anyone may read: whether each check passed and any warning, no details."""
    summary = {"ok": report["ok"], "checks": {name: check["ok"] for name, check in report["checks"].items()}}
    if report.get("warnings"):
        summary["warnings"] = report["warnings"]
    return summary


def may_see_details(request) -> bool:
    """Logged-in staff, or a caller presenting HEALTHZ_TOKEN as a bearer token (compared in constant time)."""
    if request.user.is_authenticated and request.user.is_staff:
        return True
    token = settings.HEALTHZ_TOKEN
    header = request.headers.get("Authorization", "")
    return bool(token) and header.startswith("Bearer ") and constant_time_compare(header[len("Bearer "):], token)
