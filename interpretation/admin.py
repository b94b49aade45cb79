"""Auditors read every plan, material, expert and reprint here with its full history. Changes go
through the portal's services (so I2–I10 hold on every path); these admins are read-only."""

from django.contrib import admin

from tongchuan_portal.core.admin import ReadOnlyAuditedAdmin

from .models import (
    Expert, Interpretation, InterpretationPlan, InterpretationPlanGroupObjectPermission,
    InterpretationPlanUserObjectPermission, QAPair, Reprint, ReprintNote,
)


class QAPairInline(admin.TabularInline):
    model = QAPair
    extra = 0
    fields = ["position", "question", "answer"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(InterpretationPlan)
class InterpretationPlanAdmin(ReadOnlyAuditedAdmin):
    list_display = ["document", "unit", "status", "approved_by", "approved_at", "updated_at"]
    list_filter = ["status", "unit"]
    search_fields = ["document__title", "outline", "background"]
    list_select_related = ["document", "unit", "approved_by"]
    history_list_display = ["status"]


@admin.register(Interpretation)
class InterpretationAdmin(ReadOnlyAuditedAdmin):
    list_display = ["title", "kind", "document", "unit", "contributor", "status", "round", "approved_at",
                    "published_at"]
    list_filter = ["status", "kind", "unit"]
    search_fields = ["title", "summary", "body", "document__title"]
    list_select_related = ["document", "unit", "contributor"]
    date_hierarchy = "created_at"
    inlines = [QAPairInline]
    history_list_display = ["status", "round"]


@admin.register(Expert)
class ExpertAdmin(ReadOnlyAuditedAdmin):
    list_display = ["name", "title", "affiliation", "sector", "unit", "is_active"]
    list_filter = ["sector", "is_active", "unit"]
    search_fields = ["name", "affiliation", "specialties"]
    list_select_related = ["unit"]


class ReprintNoteInline(admin.TabularInline):
    model = ReprintNote
    extra = 0
    fields = ["noted_on", "body", "created_by", "created_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Reprint)
class ReprintAdmin(ReadOnlyAuditedAdmin):
    list_display = ["title", "source", "source_level", "original_number", "original_date", "unit", "status",
                    "published_at"]
    list_filter = ["status", "source_level", "unit"]
    search_fields = ["title", "source", "original_number", "body"]
    list_select_related = ["unit"]
    inlines = [ReprintNoteInline]


@admin.register(InterpretationPlanUserObjectPermission)
class PlanUserPermissionAdmin(ReadOnlyAuditedAdmin):
    list_display = ["content_object", "user", "permission"]
    list_select_related = ["content_object", "content_object__document", "user", "permission"]
    search_fields = ["user__username", "content_object__document__title"]


@admin.register(InterpretationPlanGroupObjectPermission)
class PlanGroupPermissionAdmin(ReadOnlyAuditedAdmin):
    list_display = ["content_object", "group", "permission"]
    list_select_related = ["content_object", "content_object__document", "group", "permission"]
    list_filter = ["permission"]
    search_fields = ["group__name", "content_object__document__title"]


@admin.register(QAPair)
class QAPairAdmin(ReadOnlyAuditedAdmin):
    list_display = ["interpretation", "position", "question"]
    search_fields = ["question", "answer", "interpretation__title"]
    list_select_related = ["interpretation"]


@admin.register(ReprintNote)
class ReprintNoteAdmin(ReadOnlyAuditedAdmin):
    list_display = ["reprint", "noted_on", "created_by", "created_at"]
    search_fields = ["body", "reprint__title"]
    list_select_related = ["reprint", "created_by"]
    date_hierarchy = "noted_on"
