import logging

from celery import shared_task

from .services import calendar_changes_process, deadlines_sweep

logger = logging.getLogger(__name__)


@shared_task(name="clock.sweep")
def sweep():
    """Beat runs this every minute: pending recomputes first, then reminders, misses, escalations
    and on-due actions (CLOCK3, CLOCK4), so a due moment a calendar change moved is not swept stale."""
    try:
        calendar_changes_process()
    except Exception:  # the sweep must run even when the recompute cannot
        logger.exception("processing pending calendar changes failed; sweeping anyway")
    result = deadlines_sweep()
    if result.deadlines:
        logger.info("deadline sweep: %s deadlines, %s missed, %s reminders, %s escalations",
                    result.deadlines, result.missed, result.reminders, result.escalations)
    return {"deadlines": result.deadlines, "missed": result.missed}


@shared_task(name="clock.process_calendar_changes")
def process_calendar_changes():
    """The fast path after a calendar change (CLOCK4); the sweep processes whatever this misses."""
    return calendar_changes_process()
