from celery import shared_task

from tongchuan_portal.core.selectors import system_user

from .services import documents_publish_scheduled


@shared_task(name="disclosure.publish_scheduled")
def publish_scheduled():
    """Mark scheduled documents published once their moment has come (they are public from that moment)."""
    return documents_publish_scheduled(by=system_user())
