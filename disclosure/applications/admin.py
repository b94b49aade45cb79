"""Admin for auditors: every application record and its full history, read-only (every write is a service).

Lists mask personal data (张*, 6102**********1234); searching by number, and by name for those who may.
"""

from django.contrib import admin

from tongchuan_portal.core.admin import LedgerAdmin, ReadOnlyAuditedAdmin

from . import identity
from .models import Application, ApplicationStep, Consultation, Fee, PersonalDataView, ReplyAttachment


class ReceivedYearFilter(admin.SimpleListFilter):
    title = "收到年份"
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = Application.objects.exclude(received_on=None).dates("received_on", "year", order="DESC")
        return [(str(d.year), f"{d.year}年") for d in years]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(received_on__year=int(self.value()))
        return queryset


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAuditedAdmin):
    list_display = ("number", "unit", "masked_name", "masked_id", "channel", "status", "outcome", "received_on",
                    "replied_on")
    list_filter = ("unit", "status", "outcome", "channel", "applicant_column", ReceivedYearFilter)
    search_fields = ("number", "description")
    list_select_related = ("unit",)
    date_hierarchy = "submitted_at"
    exclude = ("query_code_hash",)

    @admin.display(description="申请人")
    def masked_name(self, obj):
        return identity.mask_name(obj.name)

    @admin.display(description="证件号码")
    def masked_id(self, obj):
        return identity.mask_number(obj.identifier)


@admin.register(ApplicationStep)
class ApplicationStepAdmin(ReadOnlyAuditedAdmin):
    list_display = ("application", "kind", "notice", "at", "public", "by")
    list_filter = ("kind", "notice", "public", "application__unit")
    search_fields = ("application__number",)
    list_select_related = ("application", "by")


@admin.register(Fee)
class FeeAdmin(ReadOnlyAuditedAdmin):
    list_display = ("application", "method", "count", "amount", "notified_at", "paid_on")
    list_filter = ("method", "application__unit")
    search_fields = ("application__number",)
    list_select_related = ("application",)


@admin.register(Consultation)
class ConsultationAdmin(ReadOnlyAuditedAdmin):
    list_display = ("application", "third_party", "sent_at", "answered_at", "closed_at")
    list_filter = ("application__unit",)
    search_fields = ("application__number", "third_party")
    list_select_related = ("application",)


@admin.register(ReplyAttachment)
class ReplyAttachmentAdmin(ReadOnlyAuditedAdmin):
    list_display = ("original_name", "application", "content_type")
    search_fields = ("application__number", "original_name")
    list_select_related = ("application",)


@admin.register(PersonalDataView)
class PersonalDataViewAdmin(LedgerAdmin):
    """The audit of who opened an applicant's full data (append-only)."""

    list_display = ("application", "viewer", "at")
    list_filter = ("application__unit",)
    search_fields = ("application__number", "viewer__username")
    list_select_related = ("application", "viewer")
