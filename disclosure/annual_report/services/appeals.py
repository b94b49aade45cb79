"""Appeal records (行政复议、行政诉讼) against the unit's replies, counted in table 四 (A6)."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tongchuan_portal.core.validation import bounded_date
from tongchuan_portal.core.workflow import save_with_history
from tongchuan_portal.units.models import Unit

from .. import permissions, selectors
from ..models import AppealKind, AppealRecord, AppealResult
from .reports import _deny

APPEAL_FIELDS = ("kind", "filed_on", "result", "decided_on", "case_number", "note")


def _appeal_values(data: dict) -> dict:
    errors = {}
    kind, result = data.get("kind") or "", data.get("result") or AppealResult.PENDING
    if kind not in AppealKind.values:
        errors["kind"] = "请选择类型:行政复议、直接起诉或复议后起诉。"
    if result not in AppealResult.values:
        errors["result"] = "请选择结果:维持、纠正、其他或尚未审结。"
    filed_on, decided_on = data.get("filed_on"), data.get("decided_on")
    if not isinstance(filed_on, date):
        errors["filed_on"] = "请填写申请(起诉)日期。"
    if result != AppealResult.PENDING and not isinstance(decided_on, date):
        errors["decided_on"] = "已审结的,请填写审结日期。"
    if result == AppealResult.PENDING:
        decided_on = None
    if isinstance(filed_on, date) and isinstance(decided_on, date) and decided_on < filed_on:
        errors["decided_on"] = "审结日期不能早于申请(起诉)日期。"
    if errors:
        raise ValidationError(errors)
    bounded_date(filed_on, field="filed_on", label="申请(起诉)日期")
    bounded_date(decided_on, field="decided_on", label="审结日期")
    return {"kind": kind, "filed_on": filed_on, "result": result, "decided_on": decided_on,
            "case_number": (data.get("case_number") or "").strip()[:80], "note": (data.get("note") or "").strip()}


@transaction.atomic
def appeal_record_create(*, unit: Unit, data: dict, by: User) -> AppealRecord:
    """Record a 行政复议 or 行政诉讼 against one of the unit's replies (table 四)."""
    if not permissions.can_record_appeal(by, unit):
        _deny("只有本单位经办人或政务公开工作机构可以录入行政复议、行政诉讼情况。")
    record = AppealRecord(unit=unit, entered_by=by, entered_at=timezone.now(), **_appeal_values(data))
    extra = _application_link(record, data, unit)
    save_with_history(record, by=by, reason=f"录入{record.get_kind_display()}{extra}")
    return record


@transaction.atomic
def appeal_record_update(*, record: AppealRecord, data: dict, by: User) -> AppealRecord:
    record = AppealRecord.objects.select_for_update().get(pk=record.pk)
    if not permissions.can_record_appeal(by, record.unit):
        _deny("只有本单位经办人或政务公开工作机构可以修改行政复议、行政诉讼情况。")
    for field, value in _appeal_values(data).items():
        setattr(record, field, value)
    _application_link(record, data, record.unit)
    save_with_history(record, by=by, reason=f"更新{record.get_kind_display()}:{record.get_result_display()}")
    return record


def _application_link(record: AppealRecord, data: dict, unit: Unit) -> str:
    """Link the case to the application it is about, where there is one: an `application` or its number."""
    from disclosure.applications.models import Application

    number = (data.get("application_number") or "").strip()
    if "application" not in data and "application_number" not in data:
        return ""
    application = data.get("application")
    if number:
        application = Application.objects.filter(number=number).first()
        if application is None:
            raise ValidationError({"application_number": f"未找到编号为{number}的政府信息公开申请。"})
    if application is not None and application.unit_id not in selectors.covered_unit_ids(unit):
        raise ValidationError({"application_number": "只能关联本单位办理的政府信息公开申请。"})
    record.application = application
    return f"(申请{application.number})" if application is not None else ""
