"""Values shared by participation's services and selectors, with no writes: query codes and month arithmetic.

Selectors read through these rather than importing the services (STYLE.md: a selector never imports a writer).
"""

from __future__ import annotations

import hashlib
import secrets
from calendar import monthrange
from datetime import datetime

from tongchuan_portal.clock import workdays

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed from paper


def new_query_code() -> str:
    """16 random characters (80 bits), shown once as XXXX-XXXX-XXXX-XXXX."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(16))
    return "-".join(raw[i:i + 4] for i in range(0, 16, 4))


def query_code_digest(code: str) -> str:
    normalized = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    return hashlib.sha256(normalized.encode()).hexdigest()


def months_before(moment: datetime, months: int) -> datetime:
    """The same Beijing wall-clock moment `months` calendar months earlier (day clipped to the month's end)."""
    local = moment.astimezone(workdays.BEIJING)
    year, month = divmod(local.year * 12 + local.month - 1 - months, 12)
    month += 1
    day = min(local.day, monthrange(year, month)[1])
    return local.replace(year=year, month=month, day=day)
