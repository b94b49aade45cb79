"""铜川市政务公开平台 — the Tongchuan open-government portal."""

from .celery import app as celery_app

__all__ = ("celery_app",)
