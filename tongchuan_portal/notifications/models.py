from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords


class EmailState(models.TextChoices):
    PENDING = "pending", "待发送"
    SENT = "sent", "已发送"
    NO_ADDRESS = "no_address", "无邮箱,不发送"
    FAILED = "failed", "发送失败"


class Notification(models.Model):
    """A message to one staff member: hand-offs in the workflows, reminders, misses, escalations."""

    class Level(models.TextChoices):
        INFO = "info", "通知"
        REMINDER = "reminder", "提醒"
        OVERDUE = "overdue", "逾期"
        ESCALATION = "escalation", "督办"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name="接收人"
    )
    level = models.CharField("类别", max_length=12, choices=Level.choices, default=Level.INFO)
    title = models.CharField("标题", max_length=300)
    body = models.TextField("内容", blank=True)
    url = models.CharField("链接", max_length=300, blank=True)
    signal = models.ForeignKey(
        "clock.DeadlineSignal", null=True, blank=True, on_delete=models.CASCADE, related_name="notifications",
        verbose_name="时限提醒记录",
    )
    event_key = models.CharField("事件标识", max_length=200, blank=True, default="")
    created_at = models.DateTimeField("发送时间", auto_now_add=True)
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)

    # The e-mail copy: claimed by one sender for a while, sent outside any transaction,
    # retried with backoff and given up after a bounded number of attempts.
    email_state = models.CharField("邮件状态", max_length=12, choices=EmailState.choices, default=EmailState.PENDING)
    emailed_at = models.DateTimeField("邮件发送时间", null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField("邮件尝试次数", default=0)
    email_last_error = models.TextField("邮件最近一次错误", blank=True)
    email_next_attempt_at = models.DateTimeField("邮件下次尝试时间", null=True, blank=True)
    email_claim = models.CharField("邮件发送批次", max_length=32, blank=True)
    email_claimed_until = models.DateTimeField("邮件发送批次有效至", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "站内消息"
        verbose_name_plural = "站内消息"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox_idx"),
            models.Index(fields=["recipient"], name="notification_unread_idx", condition=Q(read_at__isnull=True)),
            models.Index(fields=["created_at"], name="notification_email_pending_idx",
                         condition=Q(email_state="pending")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["signal", "recipient"], name="notification_once_per_signal_recipient"),
            # One hand-off tells each person once, however often the service runs for it.
            models.UniqueConstraint(fields=["event_key", "recipient"], condition=~Q(event_key=""),
                                    name="notification_once_per_event_recipient"),
        ]

    def __str__(self):
        return self.title

    @property
    def email_message_id(self) -> str:
        """The e-mail's Message-ID, the same on every attempt: the idempotency key a receiving
        system can drop a resent copy by, if a sender died between sending and recording it."""
        return f"<notification.{self.pk}.{int(self.created_at.timestamp())}@{settings.SITE_DOMAIN}>"
