"""Whole-page cache for the busiest public pages (the 五公开 list and document pages).

Rendering, not SQL, is what these pages cost. Anonymous GETs are cached in the
shared cache under a *public content version*; every service that changes what
the public may see bumps the version after commit, so nothing withdrawn is ever
served from the cache. The reading count stays live: the cached document page
holds a marker that is replaced on every request.

The cache cannot be filled by anyone: a page is keyed on the normalised values
of the parameters it knows, and a request carrying any other parameter, a
repeated one or a value that is not already in normal form is rendered afresh
and never stored. A page is stored only when it is asked for a second time within TTL
(the first request leaves a small mark): a crawl that reads each of 100,000 documents once
fills nothing, and the pages people actually come back to keep their room. Entries expire
after TTL, and at most MAX_ENTRIES are stored per content version and TTL window.
"""

import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from tongchuan_portal.core import versions
from tongchuan_portal.units.selectors import DIRECTORY_VERSION_KEY

logger = logging.getLogger(__name__)
VERSION_KEY = "disclosure:public-version"
VERSION_AT_KEY = "disclosure:public-version-at"  # when the version last moved (Last-Modified)
VIEWS_EPOCH_KEY = "disclosure:views-epoch"
TTL = 300
VIEWS_MARK = "\u2063VIEWS\u2063"
MAX_ENTRIES = getattr(settings, "PAGECACHE_MAX_ENTRIES", 5000)
# How long a browser, reverse proxy or CDN may reuse an anonymous public page without asking again:
# the longest a withdrawn item can still be shown by a cache outside the portal.
PUBLIC_MAX_AGE = getattr(settings, "PUBLIC_PAGE_MAX_AGE", 60)
FONT_SIZES = ("small", "medium", "large")


def _bump(key: str) -> None:
    versions.bump(key)  # on an outage, pages cached under the old version expire within TTL
    if key == VERSION_KEY:
        try:
            cache.set(VERSION_AT_KEY, int(time.time()), None)
        except Exception:
            logger.exception("could not record when public content changed")


def bump_public_version() -> None:
    """Call inside the transaction that changes public content.

    Bumped now (so nothing rendered before the change is served again) and once more at commit
    (so nothing rendered from the old rows while the transaction was open survives it).
    """
    _bump(VERSION_KEY)
    transaction.on_commit(lambda: _bump(VERSION_KEY))


def bump_views_epoch() -> None:
    _bump(VIEWS_EPOCH_KEY)


def page_key(request, params: dict | None = None, *, with_views: bool = False) -> str | None:
    """The cache key for this request, or None when it must not come from (or go to) the cache.

    `params` maps each query parameter the page understands to the normalised
    value the view will use ("" or absent: not given). The key is built from
    those alone; the raw query string must equal them exactly, or there is no key.
    """
    if request.method not in ("GET", "HEAD") or "sessionid" in request.COOKIES or "messages" in request.COOKIES:
        return None
    known = {name: str(value) for name, value in (params or {}).items() if value not in ("", None)}
    query = request.GET
    if len(query) != len(known) or any(query.getlist(name) != [value] for name, value in known.items()):
        return None
    try:  # one round trip for the numbers the key, the page's headers and its shared parts need
        values = versions.read([VERSION_KEY, VIEWS_EPOCH_KEY, VERSION_AT_KEY, DIRECTORY_VERSION_KEY])
    except Exception:  # a cache outage means "render afresh", never an error page
        return None
    version = values.get(VERSION_KEY) or 0
    epoch = (values.get(VIEWS_EPOCH_KEY) or 0) if with_views else 0
    font = request.COOKIES.get("font_size", "medium")
    font = font if font in FONT_SIZES else "medium"
    normal = "&".join(f"{name}={value}" for name, value in sorted(known.items()))
    digest = hashlib.sha1(f"{request.path}?{normal}".encode()).hexdigest()
    return PageKey(f"disclosure:page:{version}:{epoch}:{font}:{digest}", values.get(VERSION_AT_KEY, 0))


class PageKey(str):
    """A page's cache key, carrying when the public content last changed (Last-Modified), read in the
    same round trip as the version the key names, and whether `get` found the page asked for before."""

    modified_at: int  # 0: not recorded (no Last-Modified)
    admitted: bool = False  # set by `get` on a miss: asked for before within TTL, so `put` stores it
    pending: int | None = None  # set by `get` when it counted a reading: the document's pending readings

    def __new__(cls, value: str, modified_at: int = 0):
        key = super().__new__(cls, value)
        key.modified_at = modified_at
        return key


def _seen_key(key: str) -> str:
    return "disclosure:page-seen:" + key.removeprefix("disclosure:page:")


def get(key, *, reading: tuple[str, int] | None = None):
    """The stored page, or None; on a miss, marks the key seen and records on it whether it had been
    (admission on the second request). `reading`: (the pending-readings hash, a document id) to count
    one reading of a page found, in the same round trip (Redis only); the new pending count is left on
    the key as `key.pending` (None when nothing was counted here: the caller counts it itself)."""
    if not key:
        return None
    pending = None
    try:
        get_or_mark = getattr(cache, "get_or_mark", None)  # Redis: the lookup and the mark in one trip
        if get_or_mark is not None:
            value, seen, pending = get_or_mark(key, seen_key=_seen_key(key), seen_timeout=TTL, count=reading)
        else:
            value = cache.get(key)
            seen = None if value is not None else not cache.add(_seen_key(key), 1, TTL)
    except Exception as exc:  # a cache outage means "render afresh", never an error page
        logger.warning("page cache unavailable, rendering afresh: %s", exc)
        return None
    if isinstance(key, PageKey):
        key.pending = pending
        if seen is not None:
            key.admitted = seen
    return value


def put(key, value) -> None:
    """Store a page for TTL seconds if it was asked for before (see `get`), unless this window already
    holds MAX_ENTRIES pages."""
    if not key or not getattr(key, "admitted", False):
        return
    try:
        counter = f"disclosure:page-count:{key.split(':')[2]}:{int(time.time() // TTL)}"
        within_quota = getattr(cache, "set_within_quota", None)  # Redis: the count and the write in one trip
        if within_quota is not None:
            within_quota(key, value, TTL, quota_key=counter, quota=MAX_ENTRIES, quota_timeout=TTL * 2)
            return
        if cache.add(counter, 1, TTL * 2):
            stored = 1
        else:
            stored = cache.incr(counter)
        if stored > MAX_ENTRIES:
            return
        cache.set(key, value, TTL)
    except Exception as exc:  # the page was rendered and served; only its reuse is lost
        logger.warning("page cache unavailable, page not stored: %s", exc)


def remember(name: str, build):
    """A value many pages share (a unit's newest items in an area, which documents have interpretations),
    kept under the public content version for TTL: built once per version and shared through the cache,
    and kept in this process too, so that a page whose request already read the version (its cache key
    did) asks nothing more. Like a cached page it never outlives a change to public content, nor TTL
    (a scheduled document goes public by the clock, with no change to bump the version)."""
    key = f"disclosure:shared:{name}"
    try:
        version = versions.get(VERSION_KEY)
    except Exception:  # a cache outage means "read afresh"
        return build()
    kept = _shared.get(name)
    if kept is not None and kept[0] == version and kept[1] > time.monotonic():
        return kept[2]
    try:
        stored = cache.get(key)
    except Exception:
        return build()
    if stored is not None and stored[0] == version:
        value = stored[1]
    else:
        value = build()
        try:
            cache.set(key, (version, value), TTL)
        except Exception as exc:
            logger.warning("page cache unavailable, shared value not stored: %s", exc)
    if len(_shared) >= SHARED_IN_PROCESS:
        _shared.clear()
    _shared[name] = (version, time.monotonic() + TTL, value)
    return value


SHARED_IN_PROCESS = 2_000  # values kept per process (a unit and area each): bounded, cleared when full
_shared: dict[str, tuple[int, float, object]] = {}


# --- HTTP caching by browsers, reverse proxies and CDNs ---------------------------------------------


def etag(key: str) -> str:
    """The page's validator: its cache key without the reading-count epoch (one per content version,
    path, parameters and font size), so it changes the moment any public content changes."""
    parts = key.split(":")
    stable = ":".join(parts[:3] + parts[4:])  # disclosure:page:<version>:<epoch>:<font>:<digest>
    return '"' + hashlib.sha1(stable.encode()).hexdigest()[:24] + '"'


def not_modified(request, key):
    """A 304 when the client (or a proxy revalidating) holds this version of the page, else None."""
    if not key:
        return None
    tags = [t.strip() for t in request.headers.get("If-None-Match", "").split(",") if t.strip()]
    if etag(key) not in tags and "*" not in tags:
        return None
    from django.http import HttpResponseNotModified

    return with_public_headers(HttpResponseNotModified(), key)


def with_public_headers(response, key):
    """ETag, Last-Modified and a short public Cache-Control on an anonymous public page (only when it
    has a page-cache key: anonymous, known parameters in normal form). Vary: Cookie, since the font
    size and a sign-in change the page."""
    if not key:
        return response
    from django.utils.cache import patch_cache_control, patch_vary_headers
    from django.utils.http import http_date

    response["ETag"] = etag(key)
    moment = getattr(key, "modified_at", 0)  # read with the key's versions
    if moment:
        response["Last-Modified"] = http_date(moment)
    patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    patch_vary_headers(response, ("Cookie",))
    return response
