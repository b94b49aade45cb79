import logging

from celery import shared_task

from .services import messages_flag_unanswered

logger = logging.getLogger(__name__)


@shared_task(name="participation.flag_unanswered_messages")
def flag_unanswered_messages():
    """W2: beat runs this hourly; flagging is idempotent, so running it twice changes nothing."""
    flagged = messages_flag_unanswered()
    if flagged:
        logger.info("flagged %s messages unanswered for three months", flagged)
    return flagged
