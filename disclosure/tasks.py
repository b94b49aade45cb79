from celery import shared_task

from tongchuan_portal.core.selectors import system_user

from .services import documents_publish_scheduled


@shared_task(name="disclosure.publish_scheduled")
def publish_scheduled():
    """Mark scheduled documents published once their moment has come (they are public from that moment)."""
    return documents_publish_scheduled(by=system_user())


@shared_task(name="disclosure.flush_view_counts")
def flush_view_counts():
    """Write the reading counts gathered in Redis to the documents (one UPDATE per document read)."""
    from .counter import flush_views

    return flush_views()


@shared_task(name="disclosure.open_self_checks")
def open_self_checks():
    """D12: every January a self-check opens for each unit with non-public or much-requested items."""
    from .services import self_checks_open_year

    return self_checks_open_year(by=system_user())
