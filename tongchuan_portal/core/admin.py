import dataclasses
import datetime
from zoneinfo import ZoneInfo

from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected as django_delete_selected
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import models, transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from .models import AppliedBatch, ConfidentialityClearance, LoginAttempt, LoginFailureLog, LoginLog, RateCounter
from tongchuan_portal.core.forms import apply_service_error


BEIJING = ZoneInfo("Asia/Shanghai")
EMPTY = "—"


def admin_value(model, name: str, value) -> str:
    """One stored value as an auditor reads it: choice labels, 是/否, Beijing time to the second, — for nothing."""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        field = None
    if value is None or value == "":
        return EMPTY
    if field is not None and field.choices:
        labels = dict(field.flatchoices)
        if isinstance(value, (list, tuple)):
            return "、".join(str(labels.get(v, v)) for v in value) or EMPTY
        return str(labels.get(value, value))
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime.datetime):
        moment = value.astimezone(BEIJING) if value.tzinfo else value
        return moment.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, datetime.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, (list, tuple)):
        return "、".join(str(v) for v in value) or EMPTY
    return str(value)


def field_label(model, name: str) -> str:
    try:
        return str(capfirst(model._meta.get_field(name).verbose_name))
    except FieldDoesNotExist:
        return name


class ChineseHistoryHelper(HistoricalRecordContextHelper):
    """The history view's "变更内容" column: field names and values in Chinese, times in Beijing time."""

    def format_delta_change(self, change):
        formatted = super().format_delta_change(change)
        field = self.model._meta.get_field(change.field)
        if isinstance(field, models.ManyToManyField):
            return formatted
        old = conditional_escape(admin_value(self.model, change.field, change.old))
        new = conditional_escape(admin_value(self.model, change.field, change.new))
        return dataclasses.replace(formatted, old=mark_safe(old), new=mark_safe(new))


class AuditedAdmin(SimpleHistoryAdmin):
    """Admin base for every model: history visible, never reverted.

    SIMPLE_HISTORY_REVERT_DISABLED only hides the button; the history form view
    still saves a POST. The history is the record, so we refuse the POST itself.

    The history view speaks Chinese (templates/simple_history/object_history_list.html): column
    headings are the fields' verbose names, values their choice labels, times Beijing time.
    """

    def get_historical_record_context_helper(self, request, historical_record):
        return ChineseHistoryHelper(self.model, historical_record)

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        super().set_history_delta_changes(request, historical_records, foreign_keys_are_objs)
        columns = self.get_history_list_display(request)
        for record in historical_records:
            record.history_cells = [self._history_cell(record, column) for column in columns]
            record.history_date_text = admin_value(self.model, "", record.history_date)

    def _history_cell(self, record, column: str) -> str:
        if callable(getattr(self, column, None)):
            return getattr(record, column)
        try:
            field = self.model._meta.get_field(column)
        except FieldDoesNotExist:
            return admin_value(self.model, column, getattr(record, column, None))
        if field.is_relation:
            try:
                return admin_value(self.model, column, getattr(record, column, None))
            except ObjectDoesNotExist:
                return f"已删除(编号{getattr(record, field.attname, '')})"
        return admin_value(self.model, column, getattr(record, field.attname, None))

    def history_view(self, request, object_id, extra_context=None):
        columns = [(c, str(getattr(getattr(self, c, None), "short_description", "")) or field_label(self.model, c))
                   for c in self.get_history_list_display(request)]
        return super().history_view(request, object_id, {**(extra_context or {}), "history_columns": columns})

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET":
            raise PermissionDenied("历史记录不可回滚。")
        return super().history_form_view(request, object_id, version_id, extra_context)


class ReadOnlyMixin:
    """Nothing is added, changed or deleted from the admin: the page shows, the services write."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAuditedAdmin(ReadOnlyMixin, AuditedAdmin):
    """The one base for rows that change only through services (workflows, clocks): auditors read them
    and their history. Every app subclasses it by this name."""


class LedgerAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Append-only rows (ledgers, permission grants): read here, never changed here."""


class ServiceRefused(Exception):
    """A service said no (ValidationError or PermissionDenied) while the admin was saving or deleting."""

    def __init__(self, error: Exception):
        super().__init__(error)
        self.error = error


def refusal_messages(error: Exception) -> list[str]:
    if isinstance(error, ValidationError):
        return list(error.messages)
    return [str(error) or "您没有权限进行此操作。"]


def call_service(function, *args, **kwargs):
    """Run a service for the admin; a refusal becomes `ServiceRefused`, which the views below turn into
    form errors or an error message — never a 500, and never a half-done write (the request's atomic
    block is left by the exception, so everything it wrote is rolled back)."""
    try:
        return function(*args, **kwargs)
    except (ValidationError, PermissionDenied) as error:
        raise ServiceRefused(error) from error


def _add_refusal_to_form(form, error: Exception) -> None:
    if isinstance(error, ValidationError):
        apply_service_error(form, error)
        return
    form.add_error(None, refusal_messages(error))


@admin.action(permissions=["delete"], description="删除所选的%(verbose_name_plural)s")
def delete_selected(modeladmin, request, queryset):
    """Django's bulk delete, but through the admin's `delete_queryset` (the service) and all or nothing."""
    try:
        with transaction.atomic():
            return django_delete_selected(modeladmin, request, queryset)
    except ServiceRefused as refused:
        modeladmin.message_user(request, ";".join(refusal_messages(refused.error)) + " 未删除任何记录。",
                                messages.ERROR)
        return None


class ServiceAdmin(AuditedAdmin):
    """An editable admin whose every write goes through a service (STYLE.md: the admin calls the service).

    Subclasses implement `service_save(request, obj, form, change) -> saved object` and, where deleting is
    allowed, `service_delete(request, obj)`; without `service_delete` nothing can be deleted here. Inline
    rows go through `service_save_inline` / `service_delete_inline`. A refusal from a service shows as a
    Chinese form error on the re-rendered form (or as an error message on delete), and nothing is saved.
    """

    actions = [delete_selected]

    def service_save(self, request, obj, form, change):
        raise NotImplementedError

    service_delete = None

    def service_save_inline(self, request, form, inline_form, stored):
        """Save one changed inline row (`stored` is None for a new one) through a service; return it."""
        raise NotImplementedError(f"{inline_form._meta.model.__name__} inline has no service")

    def service_delete_inline(self, request, form, inline_form, stored):
        raise NotImplementedError(f"{inline_form._meta.model.__name__} inline has no service")

    def service_save_formset(self, request, form, formset, change):
        # The admin's change message reads these three lists, as after `formset.save()`.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for inline_form in formset.forms:
            if not hasattr(inline_form, "cleaned_data"):
                continue
            stored = inline_form.instance if inline_form.instance.pk else None
            if formset.can_delete and formset._should_delete_form(inline_form):
                if stored is not None:
                    self.service_delete_inline(request, form, inline_form, stored)
                    formset.deleted_objects.append(stored)
                continue
            if not inline_form.has_changed():
                continue
            saved = self.service_save_inline(request, form, inline_form, stored)
            if stored is None:
                formset.new_objects.append(saved)
            else:
                formset.changed_objects.append((saved, inline_form.changed_data))

    # --- saving --------------------------------------------------------------------------------

    def save_model(self, request, obj, form, change):
        saved = call_service(self.service_save, request, obj, form, change)
        if saved is not None and saved is not obj:
            obj.pk = saved.pk
            obj.__dict__.update({k: v for k, v in saved.__dict__.items() if not k.startswith("_")})

    def save_related(self, request, form, formsets, change):
        """Many-to-many fields are the service's business; inlines go through `service_save_formset`."""
        for formset in formsets:
            call_service(self.service_save_formset, request, form, formset, change)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        refusal = getattr(request, "_service_refusal", None)
        if refusal is None:
            return form_class

        class RefusedForm(form_class):
            def clean(self):
                cleaned = super().clean()
                _add_refusal_to_form(self, refusal)
                return cleaned

        RefusedForm.__name__ = form_class.__name__
        return RefusedForm

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ServiceRefused as refused:
            # The first pass rolled back; render the same POST again with the service's reasons on the form.
            request._service_refusal = refused.error
            return super().changeform_view(request, object_id, form_url, extra_context)

    # --- deleting ------------------------------------------------------------------------------

    def has_delete_permission(self, request, obj=None):
        return self.service_delete is not None and super().has_delete_permission(request, obj)

    def delete_model(self, request, obj):
        call_service(self.service_delete, request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            call_service(self.service_delete, request, obj)

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except ServiceRefused as refused:
            self.message_user(request, ";".join(refusal_messages(refused.error)) + " 未删除。", messages.ERROR)
            opts = self.model._meta
            return redirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[object_id],
                                    current_app=self.admin_site.name))


@admin.register(ConfidentialityClearance)
class ConfidentialityClearanceAdmin(ReadOnlyAuditedAdmin):
    """保密审查记录 (D7): written only by the apps' clearance services; auditors read them here."""

    list_display = ("shown_title", "content_type", "unit", "cleared", "reviewer", "reviewed_at")
    list_filter = ("cleared", "content_type", "unit")
    list_select_related = ("content_type", "unit", "reviewer")
    search_fields = ("shown_title", "opinion")
    date_hierarchy = "reviewed_at"


@admin.register(RateCounter)
class RateCounterAdmin(LedgerAdmin):
    list_display = ("key", "count", "expires_at")


@admin.register(AppliedBatch)
class AppliedBatchAdmin(LedgerAdmin):
    list_display = ("batch", "applied_at")


# django-axes' records, shown under their Chinese proxies (core.models) instead of "Access attempts".
from axes import admin as axes_admin  # noqa: E402  (registers axes' admins, which are replaced here)
from axes.models import AccessAttempt, AccessFailureLog, AccessLog  # noqa: E402

for _model, _proxy, _admin in ((AccessAttempt, LoginAttempt, axes_admin.AccessAttemptAdmin),
                               (AccessLog, LoginLog, axes_admin.AccessLogAdmin),
                               (AccessFailureLog, LoginFailureLog, axes_admin.AccessFailureLogAdmin)):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
        admin.site.register(_proxy, _admin)
