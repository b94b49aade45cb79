"""Admin for auditors: every participation record and its full history, read-only.

Every change goes through `services.py` (pages, tasks, shell), so no admin form
can add a comment after a window closed, publish without consent, or skip a
reason. The admin shows; it does not write.
"""

from django.contrib import admin

from tongchuan_portal.core.admin import ReadOnlyAuditedAdmin

from .models import (
    Comment,
    CommentPeriod,
    DecisionDraft,
    Evaluation,
    Meeting,
    MeetingTopic,
    Message,
    OpinionGroup,
    Registration,
)


@admin.register(DecisionDraft)
class DecisionDraftAdmin(ReadOnlyAuditedAdmin):
    list_display = ("title", "unit", "area", "status", "published_at", "decided_at")
    list_filter = ("status", "area", "deciding_meeting_kind")
    search_fields = ("title", "text", "basis")
    list_select_related = ("unit",)
    date_hierarchy = "published_at"


@admin.register(CommentPeriod)
class CommentPeriodAdmin(ReadOnlyAuditedAdmin):
    list_display = ("draft", "working_days", "opens_at", "closes_at", "status", "report_published_at")
    list_filter = ("status",)
    search_fields = ("draft__title",)
    list_select_related = ("draft",)


@admin.register(Comment)
class CommentAdmin(ReadOnlyAuditedAdmin):
    list_display = ("__str__", "period", "status", "submitted_at", "group")
    list_filter = ("status",)
    search_fields = ("body", "display_name", "contact", "period__draft__title")
    list_select_related = ("period__draft", "group")


@admin.register(OpinionGroup)
class OpinionGroupAdmin(ReadOnlyAuditedAdmin):
    list_display = ("title", "period", "decision")
    list_filter = ("decision",)
    search_fields = ("title", "reason")
    list_select_related = ("period__draft",)


class TopicInline(admin.TabularInline):
    model = MeetingTopic
    extra = 0
    can_delete = False
    fields = ("title", "draft", "major_public_interest", "adopted", "outcome_note")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAuditedAdmin):
    list_display = ("title", "kind", "unit", "starts_at", "status", "is_public", "attendance_quota")
    list_filter = ("kind", "status", "is_public")
    search_fields = ("title", "place")
    list_select_related = ("unit",)
    inlines = [TopicInline]


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyAuditedAdmin):
    list_display = ("name", "meeting", "category", "status", "submitted_at")
    list_filter = ("status", "category")
    search_fields = ("name", "organization", "meeting__title")
    list_select_related = ("meeting",)
    exclude = ("query_code_hash",)


@admin.register(Evaluation)
class EvaluationAdmin(ReadOnlyAuditedAdmin):
    list_display = ("title", "unit", "evaluator", "area", "published_at")
    list_filter = ("area",)
    search_fields = ("title", "policy_title", "evaluator")
    list_select_related = ("unit",)


@admin.register(Message)
class MessageAdmin(ReadOnlyAuditedAdmin):
    list_display = ("title", "channel", "unit", "status", "received_at", "replied_at", "published_at",
                    "unanswered_flagged_at")
    list_filter = ("channel", "status", "category")
    search_fields = ("title", "body", "reply")
    list_select_related = ("unit",)
    exclude = ("query_code_hash",)


@admin.register(MeetingTopic)
class MeetingTopicAdmin(ReadOnlyAuditedAdmin):
    list_display = ("title", "meeting", "draft", "major_public_interest", "adopted")
    list_filter = ("major_public_interest", "adopted")
    search_fields = ("title", "meeting__title")
    list_select_related = ("meeting", "draft")
