from django.contrib import admin
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin

from .models import AppliedBatch, RateCounter


class AuditedAdmin(SimpleHistoryAdmin):
    """Admin base for every model: history visible, never reverted.

    SIMPLE_HISTORY_REVERT_DISABLED only hides the button; the history form view
    still saves a POST. The history is the record, so we refuse the POST itself.
    """

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET":
            raise PermissionDenied("历史记录不可回滚。")
        return super().history_form_view(request, object_id, version_id, extra_context)


class ReadOnlyAuditedAdmin(AuditedAdmin):
    """Rows that change only through services (workflows, clocks): auditors read them and their history."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class LedgerAdmin(admin.ModelAdmin):
    """Append-only rows (ledgers, permission grants): read here, never changed here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False



@admin.register(RateCounter)
class RateCounterAdmin(LedgerAdmin):
    list_display = ("key", "count", "expires_at")


@admin.register(AppliedBatch)
class AppliedBatchAdmin(LedgerAdmin):
    list_display = ("batch", "applied_at")
