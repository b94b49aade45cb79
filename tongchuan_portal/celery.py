"""The Celery app. Periodic tasks are listed once, in settings.CELERY_BEAT_SCHEDULE."""

import os
import time

from celery import Celery
from celery.beat import PersistentScheduler

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongchuan_portal.settings.production")

app = Celery("tongchuan_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


class RecordingScheduler(PersistentScheduler):
    """Beat's scheduler, which also records that beat is alive (for /healthz).

    The worker heartbeat proves a worker runs tasks; this proves beat ticks,
    even while no task is due.
    """

    record_every = 5.0
    _last_recorded = 0.0

    def tick(self, *args, **kwargs):
        now = time.monotonic()
        if now - self._last_recorded >= self.record_every:
            from tongchuan_portal.core.health import record_beat_tick

            try:
                record_beat_tick()
                self._last_recorded = now
            except Exception:  # a cache outage must not stop beat from scheduling
                pass
        return min(super().tick(*args, **kwargs), self.record_every)
