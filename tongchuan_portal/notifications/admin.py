from django.contrib import admin

from tongchuan_portal.core.admin import ReadOnlyAuditedAdmin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAuditedAdmin):
    """Messages are written by the services that send them; auditors read them (and their e-mail state) here."""

    list_display = ["title", "recipient", "level", "created_at", "read_at", "email_state", "emailed_at",
                    "email_attempts"]
    list_filter = ["level", "email_state", ("read_at", admin.EmptyFieldListFilter)]
    search_fields = ["title", "body", "event_key", "recipient__username", "recipient__first_name", "email_last_error"]
    list_select_related = ["recipient"]
    raw_id_fields = ["recipient", "signal"]
    date_hierarchy = "created_at"
