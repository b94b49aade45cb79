"""Writes to the reference data the admin keeps: return reasons (退文理由), annual priorities (D14),
disclosure guides (W4) and annual reports (A6). The admin calls these, so the checks hold on every path
and each save records who acted and why."""

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from tongchuan_portal.core.workflow import delete_with_history, save_with_history
from tongchuan_portal.units.permissions import can_administer

from .. import pagecache
from ..models import AnnualPriority, AnnualReport, DisclosureGuide, ReturnReason
from ..selectors import public_documents

RETURN_REASON_FIELDS = ("label", "rule_id", "sort_order", "is_active")
PRIORITY_FIELDS = ("unit", "year", "title", "body", "published_at")
GUIDE_FIELDS = ("unit", "categories", "how_to_obtain", "office_name", "address", "hours", "phone", "email",
                "postcode")
REPORT_FIELDS = ("unit", "year", "title", "document", "published_at")


def _require(by: User, perm: str, action: str) -> None:
    if not can_administer(by, perm):
        raise PermissionDenied(f"您没有{action}的权限。")


def _changed(obj, data: dict, fields) -> list[str]:
    return [f for f in fields if f in data and getattr(obj, f) != data[f]]


def _labels(model, fields) -> str:
    return "、".join(str(model._meta.get_field(f).verbose_name) for f in fields)


def _apply(obj, data: dict, fields, *, by: User, created: bool, what: str) -> None:
    changed = [f for f in fields if f in data] if created else _changed(obj, data, fields)
    for field in changed:
        setattr(obj, field, data[field])
    obj.full_clean()
    if created:
        save_with_history(obj, by=by, reason=f"管理后台新增{what}")
    elif changed:
        save_with_history(obj, by=by, reason=f"管理后台修改{what}:{_labels(type(obj), changed)}",
                          fields=changed + [f.name for f in obj._meta.fields if getattr(f, "auto_now", False)])


def _not_in_future(moment, field: str) -> None:
    if moment is not None and moment > timezone.now():
        raise ValidationError({field: "发布时间不能晚于现在:保存即公开,请到发布时再填写。"})


def _lock(model, obj):
    return model.objects.select_for_update().get(pk=obj.pk)


@transaction.atomic
def return_reason_save(*, data: dict, by: User, reason: ReturnReason | None = None) -> ReturnReason:
    """退文理由: the code is fixed once created (services and other apps pick reasons by code)."""
    created = reason is None
    _require(by, "disclosure.add_returnreason" if created else "disclosure.change_returnreason",
             "维护退文理由")
    if created:
        reason = ReturnReason(code=(data.get("code") or "").strip())
    else:
        reason = _lock(ReturnReason, reason)
        if "code" in data and data["code"] != reason.code:
            raise ValidationError({"code": "退文理由代码创建后不能修改;不再使用的理由请取消“启用”。"})
    _apply(reason, data, RETURN_REASON_FIELDS, by=by, created=created, what="退文理由")
    return reason


@transaction.atomic
def annual_priority_save(*, data: dict, by: User, priority: AnnualPriority | None = None) -> AnnualPriority:
    """年度工作要点 (D14): shown publicly once it has a publication time, which cannot lie ahead."""
    created = priority is None
    _require(by, "disclosure.add_annualpriority" if created else "disclosure.change_annualpriority",
             "维护年度工作要点")
    _not_in_future(data.get("published_at"), "published_at")
    priority = AnnualPriority() if created else _lock(AnnualPriority, priority)
    _apply(priority, data, PRIORITY_FIELDS, by=by, created=created, what="年度政务公开工作要点")
    pagecache.bump_public_version()
    return priority


@transaction.atomic
def annual_priority_delete(*, priority: AnnualPriority, by: User) -> None:
    """Only a priority not yet published may be deleted; a published one stays on the public record."""
    _require(by, "disclosure.delete_annualpriority", "删除年度工作要点")
    priority = _lock(AnnualPriority, priority)
    if priority.published_at is not None:
        raise ValidationError("已发布的年度工作要点是公开记录,不能删除;如有错误请修改内容。")
    delete_with_history(priority, by=by, reason="管理后台删除未发布的年度工作要点")


@transaction.atomic
def disclosure_guide_save(*, data: dict, by: User, guide: DisclosureGuide | None = None) -> DisclosureGuide:
    """政府信息公开指南 (W4): one per unit; never deleted — the column must always hold a guide."""
    created = guide is None
    _require(by, "disclosure.add_disclosureguide" if created else "disclosure.change_disclosureguide",
             "维护政府信息公开指南")
    guide = DisclosureGuide() if created else _lock(DisclosureGuide, guide)
    _apply(guide, data, GUIDE_FIELDS, by=by, created=created, what="政府信息公开指南")
    pagecache.bump_public_version()
    return guide


@transaction.atomic
def annual_report_save(*, data: dict, by: User, report: AnnualReport | None = None) -> AnnualReport:
    """政府信息公开年度报告 (A6): its 原文 must be one of the unit's own published documents, since the
    public list links to it; a draft or a withheld document must never be reachable from there."""
    created = report is None
    _require(by, "disclosure.add_annualreport" if created else "disclosure.change_annualreport",
             "维护政府信息公开年度报告")
    _not_in_future(data.get("published_at"), "published_at")
    report = AnnualReport() if created else _lock(AnnualReport, report)
    document = data["document"] if "document" in data else report.document
    unit = data["unit"] if "unit" in data else (report.unit if report.unit_id else None)
    if document is not None and not public_documents().filter(pk=document.pk, issuer=unit).exists():
        raise ValidationError({"document": "报告原文只能是本单位已公开的信息。"})
    _apply(report, data, REPORT_FIELDS, by=by, created=created, what="政府信息公开年度报告")
    pagecache.bump_public_version()
    return report
