"""Auditors read every document, review and return here. Workflow changes go through the
portal's services (so the rules hold on every path); these admins are read-only for them."""

from django.contrib import admin

from tongchuan_portal.core.admin import AuditedAdmin, LedgerAdmin, ReadOnlyAuditedAdmin

from .models import (
    Attachment, ConfidentialityReview, Document, DocumentGroupObjectPermission, DocumentUserObjectPermission,
    IndexSequence, ReturnNotice, ReturnReason, SealReview,
)


ReadOnly = ReadOnlyAuditedAdmin


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    fields = ["original_name", "file_type", "size", "sha256", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Document)
class DocumentAdmin(ReadOnly):
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
class SealReviewAdmin(ReadOnly):
    list_display = ["document", "unit", "attribute", "decision", "requested_at", "reviewer", "decided_at"]
    list_filter = ["decision", "attribute", "unit"]
    search_fields = ["document__title", "opinion", "attribute_reason"]
    list_select_related = ["document", "unit", "reviewer"]


@admin.register(ReturnNotice)
class ReturnNoticeAdmin(ReadOnly):
    list_display = ["document", "unit", "stage", "returned_by", "returned_at", "resubmitted_at"]
    list_filter = ["stage", "reasons", "unit"]
    search_fields = ["document__title", "note"]
    list_select_related = ["document", "unit", "returned_by"]
    date_hierarchy = "returned_at"


@admin.register(ConfidentialityReview)
class ConfidentialityReviewAdmin(ReadOnly):
    list_display = ["document", "cleared", "reviewer", "reviewed_at"]
    list_filter = ["cleared"]
    search_fields = ["document__title", "opinion"]
    list_select_related = ["document", "reviewer"]


@admin.register(Attachment)
class AttachmentAdmin(ReadOnly):
    list_display = ["original_name", "document", "file_type", "size", "uploaded_by", "uploaded_at"]
    list_filter = ["file_type"]
    search_fields = ["original_name", "sha256", "document__title"]
    list_select_related = ["document", "uploaded_by"]


@admin.register(ReturnReason)
class ReturnReasonAdmin(AuditedAdmin):
    """The list of return reasons is reference data the city office maintains."""

    list_display = ["label", "code", "rule_id", "sort_order", "is_active"]
    list_filter = ["is_active", "rule_id"]
    search_fields = ["label", "code"]


@admin.register(IndexSequence)
class IndexSequenceAdmin(ReadOnly):
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


@admin.register(Catalog)
class CatalogAdmin(AuditedAdmin):
    """主动公开目录 (D10): maintained by the units' transparency offices; auditors see every change."""

    list_display = ["unit", "published_at", "updated_at"]
    list_filter = [("published_at", admin.EmptyFieldListFilter), "unit__kind"]
    search_fields = ["unit__name"]
    list_select_related = ["unit"]
    inlines = [CatalogEntryInline]


@admin.register(CatalogEntry)
class CatalogEntryAdmin(AuditedAdmin):
    list_display = ["content", "catalog", "area", "subject", "time_limit", "channel"]
    list_filter = ["area", "topic"]
    search_fields = ["content", "subject", "catalog__unit__name"]
    list_select_related = ["catalog", "catalog__unit"]
    filter_horizontal = ["documents"]


class SelfCheckItemInline(admin.TabularInline):
    model = SelfCheckItem
    extra = 0
    fields = ["document", "source", "application_count", "decision", "reason", "decided_by", "decided_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(SelfCheck)
class SelfCheckAdmin(ReadOnly):
    """年度自查 (D12): decisions are made in the workspace; here auditors read them with their reasons."""

    list_display = ["unit", "year", "opened_at", "completed_at"]
    list_filter = ["year", ("completed_at", admin.EmptyFieldListFilter)]
    search_fields = ["unit__name", "summary"]
    list_select_related = ["unit"]
    inlines = [SelfCheckItemInline]


@admin.register(SelfCheckItem)
class SelfCheckItemAdmin(ReadOnly):
    list_display = ["document", "self_check", "source", "decision", "decided_by", "decided_at"]
    list_filter = ["decision", "source", "self_check__year"]
    search_fields = ["document__title", "reason"]
    list_select_related = ["document", "self_check", "self_check__unit", "decided_by"]


@admin.register(AnnualPriority)
class AnnualPriorityAdmin(AuditedAdmin):
    list_display = ["title", "unit", "year", "published_at"]
    list_filter = ["year", "unit__kind"]
    search_fields = ["title", "body", "unit__name"]
    list_select_related = ["unit"]


@admin.register(DisclosureGuide)
class DisclosureGuideAdmin(AuditedAdmin):
    list_display = ["unit", "office_name", "phone", "email", "updated_at"]
    search_fields = ["unit__name", "office_name"]
    list_select_related = ["unit"]


@admin.register(AnnualReport)
class AnnualReportAdmin(AuditedAdmin):
    list_display = ["title", "unit", "year", "published_at"]
    list_filter = ["year"]
    search_fields = ["title", "unit__name"]
    list_select_related = ["unit", "document"]
    raw_id_fields = ["document"]
