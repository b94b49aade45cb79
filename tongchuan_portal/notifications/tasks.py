from celery import shared_task

from tongchuan_portal.core.selectors import system_user

from .services import notifications_email_pending

MAX_BATCHES = 20


@shared_task(name="notifications.send_pending_emails")
def send_pending_emails():
    """Send queued e-mails, batch by batch; beat also runs this, so a lost task only delays them a minute."""
    by, sent = system_user(), 0
    for _ in range(MAX_BATCHES):
        count = notifications_email_pending(by=by)
        if not count:
            break
        sent += count
    return sent
