from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from tongchuan_portal.core.admin import LedgerAdmin, ReadOnlyAuditedAdmin, ServiceAdmin

from .models import (
    CalendarChange,
    CalendarYear,
    Deadline,
    DeadlineExtension,
    DeadlinePause,
    DeadlineSignal,
    OfficialDay,
)
from .formatting import fmt
from .registry import label_for, registered_codes
from .selectors import calendar_notice_preview
from .services import (
    calendar_notice_import,
    calendar_notice_read,
    calendar_year_check,
    calendar_year_set,
    official_day_check,
    official_day_delete,
    official_day_move,
    official_day_set,
)


def _check_in_form(form: forms.ModelForm, check, **values) -> None:
    try:
        check(**values)
    except ValidationError as error:
        form.add_error(None, error)


class OfficialDayForm(forms.ModelForm):
    class Meta:
        model = OfficialDay
        fields = ["date", "kind", "name", "source_notice"]

    def clean(self):
        data = super().clean()
        if data.get("date") and data.get("kind") and "name" in data:
            _check_in_form(self, official_day_check, day=data["date"], kind=data["kind"], name=data["name"])
        return data


@admin.register(OfficialDay)
class OfficialDayAdmin(ServiceAdmin):
    """Entering a day goes through the service, so open deadlines it touches are recomputed (CLOCK4).

    Changing a day's date is a correction: the old day is deleted and the new one entered.
    """

    form = OfficialDayForm
    list_display = ["date", "kind", "name", "source_notice"]
    list_filter = ["kind", "name"]
    search_fields = ["name", "source_notice", "date"]
    date_hierarchy = "date"

    def service_save(self, request, obj, form, change):
        values = {"day": obj.date, "kind": obj.kind, "name": obj.name, "source_notice": obj.source_notice,
                  "by": request.user}
        old_day = OfficialDay.objects.filter(pk=obj.pk).values_list("date", flat=True).first() if change else None
        if old_day is not None and old_day != obj.date:
            return official_day_move(old_day=old_day, **values)
        return official_day_set(**values)

    def service_delete(self, request, obj):
        official_day_delete(day=obj.date, by=request.user)


class CalendarYearForm(forms.ModelForm):
    class Meta:
        model = CalendarYear
        fields = ["year", "confirmed", "source_notice"]

    def clean(self):
        data = super().clean()
        year = data.get("year", self.instance.year if self.instance.pk else None)
        if year is not None:
            _check_in_form(self, calendar_year_check, year=year, confirmed=data.get("confirmed", False),
                           source_notice=data.get("source_notice", ""))
        return data


@admin.register(CalendarYear)
class CalendarYearAdmin(ServiceAdmin):
    form = CalendarYearForm
    list_display = ["year", "confirmed", "source_notice", "confirmed_at"]
    list_filter = ["confirmed"]
    search_fields = ["year", "source_notice"]

    def get_readonly_fields(self, request, obj=None):
        # A year row is that year's: to confirm another year, add it.
        return ["year", "confirmed_at"] if obj is not None else ["confirmed_at"]

    def service_save(self, request, obj, form, change):
        return calendar_year_set(year=obj.year, confirmed=obj.confirmed, source_notice=obj.source_notice,
                                 by=request.user)

    # --- 导入国务院通知 (CLOCK4) ---------------------------------------------------------------

    change_list_template = "admin/clock/calendaryear/change_list.html"
    IMPORT_PERMISSIONS = ("clock.add_officialday", "clock.change_officialday", "clock.delete_officialday",
                          "clock.change_calendaryear", "clock.add_calendaryear")

    def get_urls(self):
        view = self.admin_site.admin_view(self.import_notice_view)
        return [path("import-notice/", view, name="clock_calendaryear_import_notice"), *super().get_urls()]

    def may_import(self, request) -> bool:
        return request.user.has_perms(self.IMPORT_PERMISSIONS)

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {**(extra_context or {}), "may_import": self.may_import(request)})

    def import_notice_view(self, request):
        """Paste the notice, see every day it sets with its weekday, confirm: all or nothing.

        Preview and confirmation both read the pasted text afresh, so what is entered is exactly
        what was shown; a refusal keeps the text on the page for correcting.
        """
        if not self.may_import(request):
            raise PermissionDenied
        text = request.POST.get("text", "") if request.method == "POST" else ""
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "title": "导入国务院通知",
                   "text": text}
        if request.method == "POST":
            try:
                notice = calendar_notice_read(text)
                if request.POST.get("action") == "confirm":
                    done = calendar_notice_import(text=text, by=request.user)
                    self.message_user(request, (
                        f"已按{done.source}录入{done.year}年放假安排并确认:新增{len(done.created)}天、"
                        f"修改{len(done.changed)}天、删除{len(done.deleted)}天。"
                        + ("受影响的时限正在重新计算。" if done.change else "日历没有变化。")), messages.SUCCESS)
                    return HttpResponseRedirect(reverse("admin:clock_calendaryear_changelist"))
                rows = calendar_notice_preview(notice)
                context.update(notice=notice, rows=rows, changes=sum(r.status != "不变" for r in rows),
                               year_row=CalendarYear.objects.filter(year=notice.year).first())
            except ValidationError as error:
                context["error"] = ";".join(error.messages)
        return TemplateResponse(request, "admin/clock/calendaryear/import_notice.html", context)


# Deadlines change only through the engine's services; auditors read them here.


class PauseInline(admin.TabularInline):
    model = DeadlinePause
    extra = 0
    can_delete = False
    fields = ["paused_at", "resumed_at", "reason", "paused_by", "resumed_by"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.display(description="新截止时间")
def new_due_text(extension: DeadlineExtension) -> str:
    return fmt(extension.new_due_at) if extension.new_due_at else "暂停中,恢复计时后计算"


class ExtensionInline(admin.TabularInline):
    model = DeadlineExtension
    extra = 0
    can_delete = False
    fields = ["extended_at", "days", "duration", "reason", "previous_due_at", new_due_text, "extended_by"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class ActionFailedFilter(admin.SimpleListFilter):
    title = "到期自动处理"
    parameter_name = "action"

    def lookups(self, request, model_admin):
        return [("pending", "未完成,待重试"), ("failed_before", "曾失败")]

    def queryset(self, request, queryset):
        if self.value() == "pending":
            return queryset.filter(action_retry_at__isnull=False)
        if self.value() == "failed_before":
            return queryset.filter(action_attempts__gt=0)
        return queryset


class RuleFilter(admin.SimpleListFilter):
    """规则 by its Chinese name and source; the code stays in the URL."""

    title = "规则"
    parameter_name = "rule"

    def lookups(self, request, model_admin):
        codes = model_admin.get_queryset(request).order_by().values_list("rule", flat=True).distinct()
        return sorted(((code, label_for(code) if code in registered_codes() else code) for code in codes),
                      key=lambda pair: pair[1])

    def queryset(self, request, queryset):
        return queryset.filter(rule=self.value()) if self.value() else queryset


@admin.register(Deadline)
class DeadlineAdmin(ReadOnlyAuditedAdmin):
    list_display = ["subject", "rule_id", "rule_name", "unit", "started_at", "due_at", "state", "provisional",
                    "met_at", "action_status"]
    list_filter = ["state", ActionFailedFilter, "rule_id", RuleFilter, "provisional", "kind", "unit"]
    search_fields = ["subject", "rule", "rule_id", "unit__name"]
    list_select_related = ["unit"]
    date_hierarchy = "due_at"
    inlines = [PauseInline, ExtensionInline]

    @admin.display(description="规则", ordering="rule")
    def rule_name(self, obj):
        return label_for(obj.rule)

    @admin.display(description="到期自动处理")
    def action_status(self, deadline: Deadline) -> str:
        if deadline.action_retry_at is not None:
            return (f"未完成(已失败{deadline.action_attempts}次,{fmt(deadline.action_retry_at)}重试):"
                    f"{deadline.action_error}")
        return f"曾失败{deadline.action_attempts}次,已完成" if deadline.action_attempts else "—"


@admin.register(DeadlinePause)
class DeadlinePauseAdmin(ReadOnlyAuditedAdmin):
    list_display = ["deadline", "paused_at", "resumed_at", "reason", "paused_by"]
    search_fields = ["reason", "deadline__subject"]
    list_select_related = ["deadline", "paused_by"]


@admin.register(DeadlineExtension)
class DeadlineExtensionAdmin(ReadOnlyAuditedAdmin):
    list_display = ["deadline", "extended_at", "days", "duration", "previous_due_at", new_due_text, "extended_by"]
    search_fields = ["reason", "deadline__subject"]
    list_select_related = ["deadline", "extended_by"]


@admin.register(DeadlineSignal)
class DeadlineSignalAdmin(LedgerAdmin):
    list_display = ["deadline", "tier", "sent_at"]
    search_fields = ["tier", "deadline__subject"]
    list_select_related = ["deadline"]
    date_hierarchy = "sent_at"


@admin.register(CalendarChange)
class CalendarChangeAdmin(ReadOnlyAuditedAdmin):
    """Calendar changes and whether their recompute is done; a failing one shows its last error (CLOCK4)."""

    list_display = ["reason", "start", "end", "changed_by", "created_at", "processed_at", "attempts", "next_attempt_at"]
    list_filter = [("processed_at", admin.EmptyFieldListFilter)]
    search_fields = ["reason", "last_error"]
    list_select_related = ["changed_by"]
    date_hierarchy = "created_at"
