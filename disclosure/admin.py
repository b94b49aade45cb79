"""Auditors read every document, review and return here. Workflow changes go through the
portal's services (so the rules hold on every path); these admins are read-only for them. The reference
data kept here (return reasons, catalogs, priorities, guides, annual reports) is saved through
`services.py` and `services/catalog.py`, never as raw rows."""

from django.contrib import admin

from tongchuan_portal.core.admin import LedgerAdmin, ReadOnlyAuditedAdmin, ServiceAdmin

from . import services
from .services import ENTRY_FIELDS
from .models import (
    Attachment, ConfidentialityReview, Document, DocumentGroupObjectPermission, DocumentUserObjectPermission,
    IndexSequence, ReturnNotice, ReturnReason, SealReview,
)
from .selectors import public_documents


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    fields = ["original_name", "file_type", "size", "sha256", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Document)
class DocumentAdmin(ReadOnlyAuditedAdmin):
    list_display = ["title", "document_number", "issuer", "kind", "attribute", "area", "status", "validity",
                    "published_at", "updated_at"]
    list_filter = ["status", "attribute", "area", "kind", "validity", "topic", "issued_in_name_of", "issuer"]
    search_fields = ["title", "index_number", "number_prefix", "attribute_reason", "issuer__name"]
    list_select_related = ["issuer"]
    date_hierarchy = "created_at"
    inlines = [AttachmentInline]
    history_list_display = ["status", "attribute"]

    @admin.display(description="发文字号")
    def document_number(self, obj):
        return obj.document_number


@admin.register(SealReview)
class SealReviewAdmin(ReadOnlyAuditedAdmin):
    list_display = ["document", "unit", "attribute", "decision", "requested_at", "reviewer", "decided_at"]
    list_filter = ["decision", "attribute", "unit"]
    search_fields = ["document__title", "opinion", "attribute_reason"]
    list_select_related = ["document", "unit", "reviewer"]


@admin.register(ReturnNotice)
class ReturnNoticeAdmin(ReadOnlyAuditedAdmin):
    list_display = ["document", "unit", "stage", "returned_by", "returned_at", "resubmitted_at"]
    list_filter = ["stage", "reasons", "unit"]
    search_fields = ["document__title", "note"]
    list_select_related = ["document", "unit", "returned_by"]
    date_hierarchy = "returned_at"


@admin.register(ConfidentialityReview)
class ConfidentialityReviewAdmin(ReadOnlyAuditedAdmin):
    list_display = ["document", "cleared", "reviewer", "reviewed_at"]
    list_filter = ["cleared"]
    search_fields = ["document__title", "opinion"]
    list_select_related = ["document", "reviewer"]


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAuditedAdmin):
    list_display = ["original_name", "document", "file_type", "size", "uploaded_by", "uploaded_at"]
    list_filter = ["file_type"]
    search_fields = ["original_name", "sha256", "document__title"]
    list_select_related = ["document", "uploaded_by"]


@admin.register(ReturnReason)
class ReturnReasonAdmin(ServiceAdmin):
    """The list of return reasons is reference data the city office maintains; a reason used by past
    return notices is never deleted here — untick 启用 instead."""

    list_display = ["label", "code", "rule_id", "sort_order", "is_active"]
    list_filter = ["is_active", "rule_id"]
    search_fields = ["label", "code"]

    def get_readonly_fields(self, request, obj=None):
        return ["code"] if obj is not None else []

    def service_save(self, request, obj, form, change):
        data = {f: getattr(obj, f) for f in ("code", *services.RETURN_REASON_FIELDS)}
        if change:
            data.pop("code")
        return services.return_reason_save(data=data, by=request.user, reason=obj if change else None)


@admin.register(IndexSequence)
class IndexSequenceAdmin(ReadOnlyAuditedAdmin):
    list_display = ["year", "last"]


@admin.register(DocumentUserObjectPermission)
class DocumentUserPermissionAdmin(LedgerAdmin):
    list_display = ["content_object", "user", "permission"]
    list_select_related = ["content_object", "user", "permission"]
    search_fields = ["content_object__title", "user__username"]


@admin.register(DocumentGroupObjectPermission)
class DocumentGroupPermissionAdmin(LedgerAdmin):
    list_display = ["content_object", "group", "permission"]
    list_select_related = ["content_object", "group", "permission"]
    search_fields = ["content_object__title", "group__name"]


from .models import (  # noqa: E402
    AnnualPriority, AnnualReport, Catalog, CatalogEntry, DisclosureGuide, SelfCheck, SelfCheckItem,
)


class CatalogEntryInline(admin.TabularInline):
    model = CatalogEntry
    extra = 0
    fields = ["area", "subject", "content", "time_limit", "channel", "topic", "sort_order"]


def _entry_data(form) -> dict:
    return {f: form.cleaned_data.get(f) for f in (*ENTRY_FIELDS, "sort_order")}


@admin.register(Catalog)
class CatalogAdmin(ServiceAdmin):
    """主动公开目录 (D10): maintained by the units' transparency offices; auditors see every change.

    The catalog is created by its first entry and published by the office (the publication time is what
    D10's timeliness is judged on, so it is read-only here); entries are edited through `services/catalog.py`.
    """

    list_display = ["unit", "published_at", "updated_at"]
    list_filter = [("published_at", admin.EmptyFieldListFilter), "unit__kind"]
    search_fields = ["unit__name"]
    list_select_related = ["unit"]
    readonly_fields = ["unit", "published_at"]
    inlines = [CatalogEntryInline]

    def has_add_permission(self, request):
        return False

    def service_save(self, request, obj, form, change):
        return obj  # nothing on the catalog row itself is edited here

    def service_save_inline(self, request, form, inline_form, stored):
        return services.catalog_entry_save(unit=form.instance.unit, data=_entry_data(inline_form), by=request.user,
                                          entry=stored, document_ids=None)

    def service_delete_inline(self, request, form, inline_form, stored):
        services.catalog_entry_delete(entry=stored, by=request.user)


@admin.register(CatalogEntry)
class CatalogEntryAdmin(ServiceAdmin):
    list_display = ["content", "catalog", "area", "subject", "time_limit", "channel"]
    list_filter = ["area", "topic"]
    search_fields = ["content", "subject", "catalog__unit__name"]
    list_select_related = ["catalog", "catalog__unit"]
    filter_horizontal = ["documents"]

    def get_readonly_fields(self, request, obj=None):
        return ["catalog"] if obj is not None else []

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "documents":
            kwargs["queryset"] = public_documents().select_related("issuer")
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def service_save(self, request, obj, form, change):
        return services.catalog_entry_save(
            unit=obj.catalog.unit, data=_entry_data(form), by=request.user, entry=obj if change else None,
            document_ids=[d.pk for d in form.cleaned_data.get("documents") or []])

    def service_delete(self, request, obj):
        services.catalog_entry_delete(entry=obj, by=request.user)


class SelfCheckItemInline(admin.TabularInline):
    model = SelfCheckItem
    extra = 0
    fields = ["document", "source", "application_count", "decision", "reason", "decided_by", "decided_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(SelfCheck)
class SelfCheckAdmin(ReadOnlyAuditedAdmin):
    """年度自查 (D12): decisions are made in the workspace; here auditors read them with their reasons."""

    list_display = ["unit", "year", "opened_at", "completed_at"]
    list_filter = ["year", ("completed_at", admin.EmptyFieldListFilter)]
    search_fields = ["unit__name", "summary"]
    list_select_related = ["unit"]
    inlines = [SelfCheckItemInline]


@admin.register(SelfCheckItem)
class SelfCheckItemAdmin(ReadOnlyAuditedAdmin):
    list_display = ["document", "self_check", "source", "decision", "decided_by", "decided_at"]
    list_filter = ["decision", "source", "self_check__year"]
    search_fields = ["document__title", "reason"]
    list_select_related = ["document", "self_check", "self_check__unit", "decided_by"]


def _fields_of(obj, fields) -> dict:
    return {f: getattr(obj, f) for f in fields}


@admin.register(AnnualPriority)
class AnnualPriorityAdmin(ServiceAdmin):
    list_display = ["title", "unit", "year", "published_at"]
    list_filter = ["year", "unit__kind"]
    search_fields = ["title", "body", "unit__name"]
    list_select_related = ["unit"]

    def service_save(self, request, obj, form, change):
        return services.annual_priority_save(data=_fields_of(obj, services.PRIORITY_FIELDS),
                                                   by=request.user, priority=obj if change else None)

    def service_delete(self, request, obj):
        services.annual_priority_delete(priority=obj, by=request.user)


@admin.register(DisclosureGuide)
class DisclosureGuideAdmin(ServiceAdmin):
    """Never deleted here: the 政府信息公开 column must always hold each unit's guide (W4)."""

    list_display = ["unit", "office_name", "phone", "email", "updated_at"]
    search_fields = ["unit__name", "office_name"]
    list_select_related = ["unit"]

    def service_save(self, request, obj, form, change):
        return services.disclosure_guide_save(data=_fields_of(obj, services.GUIDE_FIELDS),
                                                    by=request.user, guide=obj if change else None)


@admin.register(AnnualReport)
class AnnualReportAdmin(ServiceAdmin):
    """Never deleted here: a published annual report stays on the public record (A6)."""

    list_display = ["title", "unit", "year", "published_at"]
    list_filter = ["year"]
    search_fields = ["title", "unit__name"]
    list_select_related = ["unit", "document"]
    raw_id_fields = ["document"]

    def service_save(self, request, obj, form, change):
        return services.annual_report_save(data=_fields_of(obj, services.REPORT_FIELDS),
                                                 by=request.user, report=obj if change else None)
