"""Whole-page cache for the busiest public pages (the 五公开 list and document pages).

Rendering, not SQL, is what these pages cost. Anonymous GETs are cached in the
shared cache under a *public content version*; every service that changes what
the public may see bumps the version after commit, so nothing withdrawn is ever
served from the cache. The reading count stays live: the cached document page
holds a marker that is replaced on every request.
"""

import hashlib
import logging

from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)
VERSION_KEY = "disclosure:public-version"
VIEWS_EPOCH_KEY = "disclosure:views-epoch"
TTL = 300
VIEWS_MARK = "\u2063VIEWS\u2063"


def _read(key: str) -> int:
    try:
        return cache.get(key) or 0
    except Exception:  # a cache outage means "render afresh", never an error page
        return -1


def _bump(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 1, None)
    except Exception:  # pages cached under the old version expire within TTL
        logger.exception("could not bump %s", key)


def bump_public_version() -> None:
    """Call inside the transaction that changes public content.

    Bumped now (so nothing rendered before the change is served again) and once more at commit
    (so nothing rendered from the old rows while the transaction was open survives it).
    """
    _bump(VERSION_KEY)
    transaction.on_commit(lambda: _bump(VERSION_KEY))


def bump_views_epoch() -> None:
    _bump(VIEWS_EPOCH_KEY)


def page_key(request, *, with_views: bool = False) -> str | None:
    """The cache key for this request, or None when it must not come from the cache."""
    if request.method != "GET" or "sessionid" in request.COOKIES or "messages" in request.COOKIES:
        return None
    version = _read(VERSION_KEY)
    if version < 0:
        return None
    epoch = _read(VIEWS_EPOCH_KEY) if with_views else 0
    if epoch < 0:
        return None
    font = request.COOKIES.get("font_size", "medium")
    digest = hashlib.sha1(request.get_full_path().encode()).hexdigest()
    return f"disclosure:page:{version}:{epoch}:{font[:8]}:{digest}"


def get(key):
    try:
        return cache.get(key) if key else None
    except Exception:
        return None


def put(key, value) -> None:
    if key:
        try:
            cache.set(key, value, TTL)
        except Exception:
            pass
