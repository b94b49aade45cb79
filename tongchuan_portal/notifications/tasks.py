from celery import shared_task

from tongchuan_portal.core.selectors import system_user

from .services import notifications_email_pending


@shared_task(name="notifications.send_pending_emails")
def send_pending_emails():
    """Send queued e-mails; beat also runs this, so a lost message only waits a minute."""
    return notifications_email_pending(by=system_user())
