from celery import shared_task
from django.utils import timezone

from tongchuan_portal.clock.workdays import BEIJING
from tongchuan_portal.core.selectors import system_user


@shared_task(name="annual_report.open_year")
def open_year():
    """A6: in January each reporting unit's draft for the year just ended opens, with its due date."""
    from .services import reports_open_year

    return reports_open_year(year=timezone.now().astimezone(BEIJING).year - 1, by=system_user())
