from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from tongchuan_portal.core.admin import AuditedAdmin, LedgerAdmin, ReadOnlyAuditedAdmin

from .models import (
    CalendarChange,
    CalendarYear,
    Deadline,
    DeadlineExtension,
    DeadlinePause,
    DeadlineSignal,
    OfficialDay,
)
from .services import calendar_year_set, official_day_delete, official_day_set


@admin.register(OfficialDay)
class OfficialDayAdmin(AuditedAdmin):
    """Entering a day goes through the service, so open deadlines it touches are recomputed (CLOCK4)."""

    list_display = ["date", "kind", "name", "source_notice"]
    list_filter = ["kind", "name"]
    search_fields = ["name", "source_notice", "date"]
    date_hierarchy = "date"

    def save_model(self, request, obj, form, change):
        saved = official_day_set(day=obj.date, kind=obj.kind, name=obj.name, source_notice=obj.source_notice,
                                 by=request.user)
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        official_day_delete(day=obj.date, by=request.user)

    def delete_queryset(self, request, queryset):
        for day in queryset.values_list("date", flat=True):
            official_day_delete(day=day, by=request.user)


@admin.register(CalendarYear)
class CalendarYearAdmin(AuditedAdmin):
    list_display = ["year", "confirmed", "source_notice", "confirmed_at"]
    list_filter = ["confirmed"]
    search_fields = ["year", "source_notice"]
    readonly_fields = ["confirmed_at"]

    def save_model(self, request, obj, form, change):
        try:
            saved = calendar_year_set(year=obj.year, confirmed=obj.confirmed, source_notice=obj.source_notice,
                                      by=request.user)
        except ValidationError as error:
            self.message_user(request, "; ".join(error.messages), messages.ERROR)
            return
        obj.pk = saved.pk


# Deadlines change only through the engine's services; auditors read them here.
ReadOnlyAudit = ReadOnlyAuditedAdmin


class PauseInline(admin.TabularInline):
    model = DeadlinePause
    extra = 0
    can_delete = False
    fields = ["paused_at", "resumed_at", "reason", "paused_by", "resumed_by"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class ExtensionInline(admin.TabularInline):
    model = DeadlineExtension
    extra = 0
    can_delete = False
    fields = ["extended_at", "days", "duration", "reason", "previous_due_at", "new_due_at", "extended_by"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Deadline)
class DeadlineAdmin(ReadOnlyAudit):
    list_display = ["subject", "rule_id", "rule", "unit", "started_at", "due_at", "state", "provisional", "met_at"]
    list_filter = ["state", "rule_id", "rule", "provisional", "kind", "unit"]
    search_fields = ["subject", "rule", "rule_id", "unit__name"]
    list_select_related = ["unit"]
    date_hierarchy = "due_at"
    inlines = [PauseInline, ExtensionInline]


@admin.register(DeadlinePause)
class DeadlinePauseAdmin(ReadOnlyAudit):
    list_display = ["deadline", "paused_at", "resumed_at", "reason", "paused_by"]
    search_fields = ["reason", "deadline__subject"]
    list_select_related = ["deadline", "paused_by"]


@admin.register(DeadlineExtension)
class DeadlineExtensionAdmin(ReadOnlyAudit):
    list_display = ["deadline", "extended_at", "days", "duration", "previous_due_at", "new_due_at", "extended_by"]
    search_fields = ["reason", "deadline__subject"]
    list_select_related = ["deadline", "extended_by"]


@admin.register(DeadlineSignal)
class DeadlineSignalAdmin(LedgerAdmin):
    list_display = ["deadline", "tier", "sent_at"]
    search_fields = ["tier", "deadline__subject"]
    list_select_related = ["deadline"]
    date_hierarchy = "sent_at"


@admin.register(CalendarChange)
class CalendarChangeAdmin(ReadOnlyAudit):
    """Calendar changes and whether their recompute is done; a failing one shows its last error (CLOCK4)."""

    list_display = ["reason", "start", "end", "changed_by", "created_at", "processed_at", "attempts", "next_attempt_at"]
    list_filter = [("processed_at", admin.EmptyFieldListFilter)]
    search_fields = ["reason", "last_error"]
    list_select_related = ["changed_by"]
    date_hierarchy = "created_at"
