"""Thin periodic tasks of 网站监测 (W2), registered in settings.CELERY_BEAT_SCHEDULE."""

from celery import shared_task


@shared_task(name="monitoring.daily_run")
def daily_run() -> int:
    from tongchuan_portal.core.services import system_user

    from .services import monitoring_run

    return monitoring_run(by=system_user()).opened


@shared_task(name="monitoring.check_external_links")
def check_external_links() -> int:
    from tongchuan_portal.core.services import system_user

    from .services import link_checks_run

    return link_checks_run(by=system_user())
