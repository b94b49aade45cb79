"""The Celery app. Periodic tasks are listed once, in settings.CELERY_BEAT_SCHEDULE."""

import logging
import os
import socket
import time

from celery import Celery
from celery.beat import PersistentScheduler

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongchuan_portal.settings.production")

app = Celery("tongchuan_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
logger = logging.getLogger(__name__)


class RecordingScheduler(PersistentScheduler):
    """Beat's scheduler: only one beat sends, and it records that it is alive (for /healthz).

    The worker heartbeat proves a worker runs tasks; the tick record proves beat
    ticks, even while no task is due. Each beat claims one lock in the shared cache
    and renews it every few seconds; a second beat started by mistake finds it held,
    sends nothing, and shows on /healthz until the first dies and its lock lapses
    (BEAT_LOCK_TTL_SECONDS), when it takes over.
    """

    _last_recorded = 0.0
    _sending = None  # unknown until the first check; meanwhile send: a cache outage must not stop beat

    def __init__(self, *args, **kwargs):
        self.beat_id = f"{socket.gethostname()}:{os.getpid()}"
        super().__init__(*args, **kwargs)

    @property
    def record_every(self) -> float:
        from tongchuan_portal.core.health import beat_renew_every

        return beat_renew_every()

    def tick(self, *args, **kwargs):
        now = time.monotonic()
        if now - self._last_recorded >= self.record_every:
            from tongchuan_portal.core.health import beat_claim, record_beat_tick, record_beat_standby

            try:
                sending = beat_claim(self.beat_id)
                if sending != self._sending:
                    logger.warning("beat %s %s", self.beat_id,
                                   "holds the beat lock: sending" if sending else "finds another beat sending: waiting")
                self._sending = sending
                (record_beat_tick if sending else record_beat_standby)(self.beat_id)
                self._last_recorded = now
            except Exception:  # keep the last known role while the cache is away
                logger.warning("beat %s could not reach the shared cache", self.beat_id, exc_info=True)
        if self._sending is False:
            return self.record_every
        return min(super().tick(*args, **kwargs), self.record_every)

    def close(self):
        if self._sending is not False:
            from tongchuan_portal.core.health import beat_release

            try:
                beat_release(self.beat_id)
            except Exception:  # it lapses by itself
                pass
        super().close()
