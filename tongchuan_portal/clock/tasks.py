import logging
from datetime import date

from celery import shared_task

from .services import deadlines_recompute, deadlines_sweep

logger = logging.getLogger(__name__)


@shared_task(name="clock.sweep")
def sweep():
    """Beat runs this every minute: reminders, misses, escalations and on-due actions (CLOCK3)."""
    result = deadlines_sweep()
    if result.deadlines:
        logger.info("deadline sweep: %s deadlines, %s missed, %s reminders, %s escalations",
                    result.deadlines, result.missed, result.reminders, result.escalations)
    return {"deadlines": result.deadlines, "missed": result.missed}


@shared_task(name="clock.recompute_deadlines", autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def recompute_deadlines(start: str, end: str, reason: str):
    """After a calendar change, move the open deadlines whose window it touches (CLOCK4)."""
    return deadlines_recompute(start=date.fromisoformat(start), end=date.fromisoformat(end), reason=reason)
