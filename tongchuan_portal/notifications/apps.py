from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """站内消息 — the staff inbox and the e-mails behind it."""

    name = "tongchuan_portal.notifications"
    label = "notifications"
    verbose_name = "站内消息"
