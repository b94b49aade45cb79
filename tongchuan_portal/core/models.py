"""Audit history for Django's own user and group models (django-simple-history)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import models
from simple_history import register

register(get_user_model(), app="tongchuan_portal.core", table_name="core_historicaluser")
register(Group, app="tongchuan_portal.core", table_name="core_historicalgroup")


class RateCounter(models.Model):
    """A fixed-window hit count, used only while the shared cache (Redis) is unreachable.

    Plumbing, not a domain record: no history. Rows are keyed by group, client
    and window and deleted once their window has passed.
    """

    key = models.CharField(max_length=64, unique=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "限流计数(缓存不可用时)"
        verbose_name_plural = verbose_name


class AppliedBatch(models.Model):
    """Ledger of batches moved from Redis into the database, so that each is applied once.

    The batch id is written in the same transaction as the batch's effect; a
    flush that is killed after the commit and before it deletes the batch in
    Redis finds the id here next time and only deletes it. Plumbing: no history.
    """

    batch = models.CharField(max_length=64, unique=True)
    applied_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "已入库批次"
        verbose_name_plural = verbose_name
