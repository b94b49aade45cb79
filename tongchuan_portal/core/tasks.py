from celery import shared_task

from .health import record_worker_heartbeat


@shared_task(name="core.heartbeat", bind=True, ignore_result=False)
def heartbeat(self):
    """Prove that a worker takes tasks from the broker (beat sends this every few seconds)."""
    record_worker_heartbeat(hostname=self.request.hostname or "")
    return "ok"
