"""Opinion records for auditors: read-only, with full history; changes go through the staff pages' services."""

from django.contrib import admin
from django.db import models

from tongchuan_portal.core.admin import ReadOnlyAuditedAdmin

from .models import CaseEvent, ClueTransfer, Feedback, OpinionCase, PressConference, Release


class EventInline(admin.TabularInline):
    model = CaseEvent
    extra = 0
    can_delete = False
    fields = ["at", "kind", "actor", "text"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(OpinionCase)
class OpinionCaseAdmin(ReadOnlyAuditedAdmin):
    list_display = ["title", "level", "category", "scope", "responsible_unit", "status", "disposition", "recorded_at"]
    list_filter = ["status", "level", "category", "special_topic", "scope", "subject_area", "disposition", "source"]
    search_fields = ["title", "summary", "responsible_unit__name"]
    list_select_related = ["responsible_unit"]
    date_hierarchy = "recorded_at"
    inlines = [EventInline]


@admin.register(Release)
class ReleaseAdmin(ReadOnlyAuditedAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["title", "case", "kind", "outcome_for", "channel", "released_at", "unit", "public"]
    list_filter = ["kind", "channel", "public", "subject_area", "special_topic", "outcome_for"]
    search_fields = ["title", "text", "case__title"]
    list_select_related = ["case", "unit"]
    date_hierarchy = "released_at"


@admin.register(PressConference)
class PressConferenceAdmin(ReadOnlyAuditedAdmin):
    list_display = ["case", "held_at", "place", "speakers"]
    search_fields = ["case__title", "place", "speakers"]
    list_select_related = ["case"]
    date_hierarchy = "held_at"


@admin.register(ClueTransfer)
class ClueTransferAdmin(ReadOnlyAuditedAdmin):
    list_display = ["case", "transferred_on", "receiving_body", "reference"]
    list_filter = ["receiving_body"]
    search_fields = ["case__title", "reference"]
    list_select_related = ["case"]


@admin.register(Feedback)
class FeedbackAdmin(ReadOnlyAuditedAdmin):
    list_display = ["case", "channel", "recipient", "sent_at"]
    list_filter = ["channel"]
    search_fields = ["case__title", "recipient", "content"]
    list_select_related = ["case"]


@admin.register(CaseEvent)
class CaseEventAdmin(ReadOnlyAuditedAdmin):
    list_display = ["case", "kind", "at", "actor"]
    list_filter = ["kind"]
    search_fields = ["case__title", "text"]
    list_select_related = ["case", "actor"]
    date_hierarchy = "at"
