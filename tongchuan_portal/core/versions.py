"""Version numbers in the shared cache — the public content's, the unit directory's — read at most once
per request.

Per-process copies (the unit rows, the lists every page of a unit shares) are kept under the version
that was current when they were built; a page asks whether they are still current. A cold public page
used to ask Redis once per copy; now its first read (the page-cache key's, which fetches every version
in one round trip) answers the rest of the request, and a bump made during the request updates what it
remembers, so a request never reads a copy older than its own change.

Only within a request (between Django's request_started and request_finished): a Celery task or a
shell reads the cache every time, so nothing long-lived ever holds a stale version.
"""

from __future__ import annotations

import logging
from contextvars import ContextVar

from django.core.cache import cache

logger = logging.getLogger(__name__)

_seen: ContextVar[dict | None] = ContextVar("portal_versions_seen", default=None)


def request_started(**kwargs) -> None:
    _seen.set({})


def request_finished(**kwargs) -> None:
    _seen.set(None)


def read(keys: list[str]) -> dict:
    """The values of these keys (absent: missing) in one round trip, remembered for the request.
    Raises when the cache is unreachable: each caller decides what an outage means for it."""
    values = cache.get_many(keys)
    seen = _seen.get()
    if seen is not None:
        seen.update({key: values.get(key, 0) for key in keys})
    return values


def get(key: str) -> int:
    """One version: from this request's earlier read, else from the cache (0 when never bumped)."""
    seen = _seen.get()
    if seen is not None and key in seen:
        return seen[key]
    return read([key]).get(key, 0)


def bump(key: str) -> None:
    """Move a version on (from 1 when it was never set); logged, never raised, on a cache outage —
    copies kept under the old version expire or are rebuilt once the cache is back."""
    try:
        try:
            value = cache.incr(key)
        except ValueError:
            cache.set(key, 1, None)
            value = 1
    except Exception:
        logger.exception("could not bump %s", key)
        seen = _seen.get()
        if seen is not None:
            seen.pop(key, None)  # read it afresh next time in this request
        return
    seen = _seen.get()
    if seen is not None:
        seen[key] = value
