"""Auditors' view of reports, their published versions and the appeal records (A6): history and filters by
unit and year. Writes go through the report's pages (the services), so the admin is read-only here."""

from django.contrib import admin

from tongchuan_portal.core.admin import ReadOnlyAuditedAdmin

from .models import AppealRecord, Report, ReportSnapshot


class FiledYearFilter(admin.SimpleListFilter):
    title = "年度"
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = AppealRecord.objects.dates("filed_on", "year", order="DESC")
        return [(str(d.year), f"{d.year}年") for d in years]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(filed_on__year=int(self.value()))
        return queryset


class SnapshotYearFilter(admin.SimpleListFilter):
    title = "报告年度"
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = Report.objects.values_list("year", flat=True).distinct().order_by("-year")
        return [(str(y), f"{y}年") for y in years]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(report__year=int(self.value()))
        return queryset


@admin.register(Report)
class ReportAdmin(ReadOnlyAuditedAdmin):
    list_display = ["__str__", "unit", "year", "status", "published_version", "first_published_at"]
    list_filter = ["year", "status", "unit"]
    search_fields = ["unit__name"]
    list_select_related = ["unit"]


@admin.register(ReportSnapshot)
class ReportSnapshotAdmin(ReadOnlyAuditedAdmin):
    list_display = ["report", "version", "taken_at", "reason", "published_by"]
    list_filter = [SnapshotYearFilter, "report__unit"]
    list_select_related = ["report", "report__unit", "published_by"]


@admin.register(AppealRecord)
class AppealRecordAdmin(ReadOnlyAuditedAdmin):
    list_display = ["__str__", "unit", "kind", "filed_on", "result", "decided_on", "entered_by"]
    list_filter = [FiledYearFilter, "unit", "kind", "result"]
    search_fields = ["case_number", "unit__name"]
    list_select_related = ["unit", "entered_by"]
