"""Abuse limits that hold when Redis does not.

django-ratelimit counts in the shared cache; when the cache is unreachable it
raises, and a limit that then lets everything through is no limit during an
outage (every comment and every query-code guess accepted). Here the count
moves to the database for as long as the cache is away: a fixed window per
group and client, incremented atomically (INSERT … ON CONFLICT), so every
process on every machine shares it. Slower than Redis, but only used while
Redis is down, and only on public writes.
"""

import hashlib
import logging
import time
from datetime import datetime, timedelta, timezone

from django.db import connection, transaction
from django_ratelimit.core import is_ratelimited

from .clientip import client_ip
from .models import RateCounter

logger = logging.getLogger(__name__)
UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """'10/10m' → (10, 600): count per period, in django-ratelimit's syntax."""
    count, _, period = rate.partition("/")
    multiplier = int(period[:-1] or 1) if period[-1:] in UNITS else int(period or 1)
    return int(count), multiplier * UNITS.get(period[-1:], 1)


def is_limited(request, *, group: str, key, rate: str, method: str = "POST") -> bool:
    """Count this request; True when it is over `rate` for its `key` ("ip" or a callable(group, request))."""
    try:
        return is_ratelimited(request, group=group, key=key, rate=rate, method=method, increment=True)
    except Exception:
        logger.warning("rate limit cache unavailable; counting %s in the database", group, exc_info=True)
    if request.method != method:
        return False
    value = client_ip(request) if key == "ip" else str(key(group, request))
    limit, period = parse_rate(rate)
    return database_hit(f"{group}:{rate}:{value}", period) > limit


def database_hit(name: str, period: int) -> int:
    """One more hit in the current window of `name`; returns the window's count so far."""
    window = int(time.time() // period)
    key = hashlib.sha256(f"{name}:{window}".encode()).hexdigest()
    expires = datetime.fromtimestamp((window + 1) * period, tz=timezone.utc)
    table = connection.ops.quote_name(RateCounter._meta.db_table)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (key, count, expires_at) VALUES (%s, 1, %s) "
                f"ON CONFLICT (key) DO UPDATE SET count = {table}.count + 1 RETURNING count",
                [key, expires],
            )
            count = cursor.fetchone()[0]
        RateCounter.objects.filter(expires_at__lt=datetime.now(timezone.utc) - timedelta(minutes=1)).delete()
    return count
