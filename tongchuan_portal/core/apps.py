from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Site chrome and plumbing: home page, workspace, health, the system user."""

    name = "tongchuan_portal.core"
    label = "core"
    verbose_name = "平台基础"

    def ready(self):
        from celery.signals import task_postrun, task_prerun
        from django.core.signals import request_finished, request_started

        from . import checks, versions  # noqa: F401  (checks registers the system checks)

        # Version numbers read once per request (core/versions.py), and never beyond it.
        request_started.connect(versions.request_started, weak=False, dispatch_uid="core.versions.started")
        request_finished.connect(versions.request_finished, weak=False, dispatch_uid="core.versions.finished")

        # Celery workers, like requests, drop a connection the database closed or that outlived
        # CONN_MAX_AGE before and after each task (Celery's Django fixup closes them too; this holds
        # even where the fixup is not installed, e.g. a worker started without DJANGO_SETTINGS_MODULE).
        task_prerun.connect(_close_stale_connections, weak=False, dispatch_uid="core.close_stale.prerun")
        task_postrun.connect(_close_stale_connections, weak=False, dispatch_uid="core.close_stale.postrun")


def _close_stale_connections(sender=None, task=None, **kwargs):
    """Not for eager tasks: they run inside the caller's transaction (a test's, a request's)."""
    if getattr(getattr(task or sender, "request", None), "is_eager", False):
        return
    from django.db import close_old_connections

    close_old_connections()
