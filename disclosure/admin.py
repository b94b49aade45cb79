"""Auditors read every document, review and return here. Workflow changes go through the
portal's services (so the rules hold on every path); these admins are read-only for them."""

from django.contrib import admin

from tongchuan_portal.core.admin import AuditedAdmin, LedgerAdmin

from .models import (
    Attachment, ConfidentialityReview, Document, DocumentGroupObjectPermission, DocumentUserObjectPermission,
    IndexSequence, ReturnNotice, ReturnReason, SealReview,
)


class ReadOnly(AuditedAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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
