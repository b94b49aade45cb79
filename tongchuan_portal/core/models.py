"""Audit history for Django's own user and group models (django-simple-history); the shared 保密审查 record."""

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from simple_history import register
from simple_history.models import HistoricalRecords

register(get_user_model(), app="tongchuan_portal.core", table_name="core_historicaluser")
register(Group, app="tongchuan_portal.core", table_name="core_historicalgroup")


# --- 保密审查 of what is not a Document (D7) -------------------------------------------------------
# Documents keep their own ConfidentialityReview in disclosure; participation and opinion share this one
# record through `tongchuan_portal.core.confidentiality`.


class Clearance(models.TextChoices):
    """Where an item stands in 保密审查 (D7); kept on the item itself, next to the moment it was cleared."""

    NOT_ASKED = "", "无需保密审查"
    PENDING = "pending", "待保密审查"
    CLEARED = "cleared", "保密审查通过"
    REFUSED = "refused", "保密审查未通过"


class ConfidentialityClearance(models.Model):
    """保密审查记录 — one confidentiality reviewer's decision on one item before it goes public (D7).

    `shown_title` and `shown_text` are exactly what the reviewer read when deciding, so the record
    proves what was cleared even if the item changes later.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+",
                                     verbose_name="审查对象类型")
    object_id = models.PositiveBigIntegerField("审查对象编号")
    item = GenericForeignKey("content_type", "object_id")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="送审单位")
    cleared = models.BooleanField("审查通过")
    opinion = models.TextField("审查意见", blank=True)
    shown_title = models.CharField("送审标题", max_length=300)
    shown_text = models.TextField("送审内容")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                 verbose_name="审查人")
    reviewed_at = models.DateTimeField("审查时间")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "保密审查记录"
        verbose_name_plural = "保密审查记录"
        ordering = ["-reviewed_at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "-reviewed_at"], name="clearance_item_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(cleared=True) | ~Q(opinion=""), name="clearance_refusal_has_opinion"),
        ]

    def __str__(self):
        return f"{self.shown_title} 保密审查{'通过' if self.cleared else '未通过'}"


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


# django-axes' login records under Chinese names in the admin (axes ships no Chinese translation). Proxies:
# the rows stay axes' own; deleting a 登录失败计数 is how an administrator lifts a lockout.
class LoginAttempt(AccessAttempt):
    class Meta:
        proxy = True
        verbose_name = "登录失败计数"
        verbose_name_plural = "登录失败计数(删除即解除锁定)"


class LoginLog(AccessLog):
    class Meta:
        proxy = True
        verbose_name = "登录日志"
        verbose_name_plural = verbose_name


class LoginFailureLog(AccessFailureLog):
    class Meta:
        proxy = True
        verbose_name = "登录失败明细"
        verbose_name_plural = verbose_name
