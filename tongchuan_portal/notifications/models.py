from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords


class Notification(models.Model):
    """A message to one staff member: reminders, misses, escalations, recomputed deadlines."""

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
    created_at = models.DateTimeField("发送时间", auto_now_add=True)
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)
    emailed_at = models.DateTimeField("邮件发送时间", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "站内消息"
        verbose_name_plural = "站内消息"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox_idx"),
            models.Index(fields=["recipient"], name="notification_unread_idx", condition=Q(read_at__isnull=True)),
            models.Index(fields=["created_at"], name="notification_unsent_idx", condition=Q(emailed_at__isnull=True)),
        ]
        constraints = [
            models.UniqueConstraint(fields=["signal", "recipient"], name="notification_once_per_signal_recipient"),
        ]

    def __str__(self):
        return self.title
