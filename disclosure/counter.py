"""阅读数 without a database write per request: counted in Redis, flushed by a periodic task.

Without Redis (the embedded `make run` default, one machine, few readers) the
count is written straight to the row.
"""

from django.conf import settings
from django.db import transaction
from django.db.models import F

from .models import Document



def _key(name: str) -> str:
    prefix = settings.CACHES["default"].get("KEY_PREFIX", "")
    return f"{prefix}:disclosure:{name}"


_clients: dict[str, object] = {}


def _redis():
    if not settings.REDIS_URL:
        return None
    if settings.REDIS_URL not in _clients:
        import redis

        _clients[settings.REDIS_URL] = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=0.5,
                                                            socket_connect_timeout=0.5)
    return _clients[settings.REDIS_URL]


def record_view(document: Document) -> int:
    """Count one reading and return the number to show."""
    client = _redis()
    if client is None:
        Document.objects.filter(pk=document.pk).update(view_count=F("view_count") + 1)
        return document.view_count + 1
    try:
        pending = client.hincrby(_key("views"), document.pk, 1)
    except Exception:  # a Redis hiccup must not break reading
        return document.view_count
    return document.view_count + pending


def record_view_of(pk: int, base_count: int) -> int:
    """record_view for a cached page: only the id and the count it was rendered with are known."""
    client = _redis()
    if client is None:
        Document.objects.filter(pk=pk).update(view_count=F("view_count") + 1)
        return base_count + 1
    try:
        return base_count + client.hincrby(_key("views"), pk, 1)
    except Exception:
        return base_count


def flush_views() -> int:
    """Move pending counts into the rows, once: RENAME makes the batch private to this flush."""
    client = _redis()
    if client is None:
        return 0
    try:
        if not client.exists(_key("flushing")):
            client.rename(_key("views"), _key("flushing"))
    except Exception:  # nothing pending (no such key) or Redis away: try next time
        if not client.exists(_key("flushing")):
            return 0
    counts = {int(k): int(v) for k, v in client.hgetall(_key("flushing")).items()}
    with transaction.atomic():
        for pk, n in counts.items():
            Document.objects.filter(pk=pk).update(view_count=F("view_count") + n)
    client.delete(_key("flushing"))
    if counts:
        from .pagecache import bump_views_epoch

        bump_views_epoch()  # cached pages were rendered with the old base counts
    return sum(counts.values())
