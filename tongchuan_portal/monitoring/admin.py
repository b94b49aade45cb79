from django.contrib import admin

from tongchuan_portal.core.admin import ReadOnlyAuditedAdmin

from .models import Finding, LinkCheck, MonitoringRun


@admin.register(Finding)
class FindingAdmin(ReadOnlyAuditedAdmin):
    list_display = ("unit", "kind", "item_label", "since", "found_at", "state", "resolved_at")
    list_filter = ("state", "kind")
    list_select_related = ("unit",)
    search_fields = ("item_label", "unit__name")


@admin.register(LinkCheck)
class LinkCheckAdmin(ReadOnlyAuditedAdmin):
    list_display = ("url", "checked_at", "status_code", "ok", "error")
    list_filter = ("ok",)
    search_fields = ("url",)


@admin.register(MonitoringRun)
class MonitoringRunAdmin(ReadOnlyAuditedAdmin):
    list_display = ("ran_at", "opened", "resolved")
