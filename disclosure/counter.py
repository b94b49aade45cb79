"""阅读数 without a database write per request: counted in Redis, flushed by a periodic task.

Without Redis (the embedded `make run` default, one machine, few readers) the
count is written straight to the row.
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from tongchuan_portal.core.models import AppliedBatch

from .models import Document

BATCH_FIELD = "batch"  # the claimed hash's id, next to the per-document counts (ids are digits)


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


def reading_of(pk: int) -> tuple[str, str] | None:
    """(the pending-readings hash, the document's field) for a lookup that counts a reading of a cached
    page in its own round trip; None without Redis."""
    return (_key("views"), str(pk)) if settings.REDIS_URL else None


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
    """Move pending counts into the rows exactly once, whenever the flush is killed.

    1. RENAME makes the pending hash a claimed batch private to the flush (new
       readings start a fresh hash); HSETNX gives the batch an id once.
    2. One transaction adds the counts and records the batch id in the
       AppliedBatch ledger (unique): a batch is applied at most once, even by two
       flushes at the same time.
    3. DEL the batch. A flush killed before the commit leaves the batch to be
       applied next time; one killed after it finds the id in the ledger and only
       deletes the batch (the reconcile step).
    """
    client = _redis()
    if client is None:
        return 0
    claimed = _key("flushing")
    try:
        if not client.exists(claimed):
            client.rename(_key("views"), claimed)
    except Exception:  # nothing pending (no such key) or Redis away: try next time
        if not client.exists(claimed):
            return 0
    client.hsetnx(claimed, BATCH_FIELD, uuid.uuid4().hex)
    raw = client.hgetall(claimed)
    batch = raw.pop(BATCH_FIELD.encode(), b"").decode()
    counts = {int(k): int(v) for k, v in raw.items()}
    applied = 0
    try:
        with transaction.atomic():
            AppliedBatch.objects.create(batch=f"views:{batch}", applied_at=timezone.now())
            for pk, n in counts.items():
                Document.objects.filter(pk=pk).update(view_count=F("view_count") + n)
        applied = sum(counts.values())
    except IntegrityError:  # applied already, by a flush killed before its DEL or by a concurrent one
        counts = {}
    client.delete(claimed)
    AppliedBatch.objects.filter(batch__startswith="views:", applied_at__lt=timezone.now() - timedelta(days=30)).delete()
    if counts:
        from .pagecache import bump_views_epoch

        bump_views_epoch()  # cached pages were rendered with the old base counts
    return applied
