"""Every write to annual reports (A6, D7, CLOCK2–CLOCK3).

Draft (numbers recomputed on every view) → 单位负责人审定 → 保密审查 → published with a frozen snapshot. A
correction after publication goes back to the draft with a reason and, once approved and cleared again, is
published as the next version; every version stays visible.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from tongchuan_portal.clock.calendar_dates import deadline_start_for_period, due_moment_for_period
from tongchuan_portal.clock.registry import get_rule
from tongchuan_portal.clock.selectors import deadline_of
from tongchuan_portal.clock.services import deadline_meet, fmt
from tongchuan_portal.core import confidentiality
from tongchuan_portal.core.workflow import move, save_with_history
from tongchuan_portal.units.models import Role, Unit

from .. import deadlines as rules, permissions, selectors, tables
from ..models import (
    ENTERED_FIELDS, SECTION_FIELDS, TRANSITIONS, Report, ReportSnapshot, ReportStatus,
)

WHAT = "年度报告"
SECTION_MAX_CHARS = 20000


def _deny(message: str = "您无权办理该年度报告。"):
    raise PermissionDenied(message)


def _lock(report: Report) -> Report:
    return Report.objects.select_for_update().select_related("unit").get(pk=report.pk)


def rule_for(unit: Unit) -> str:
    return rules.GOVERNMENT if selectors.is_government(unit) else rules.DEPARTMENT


def due_moment(report: Report) -> datetime:
    return due_moment_for_period(get_rule(rule_for(report.unit)), report.year)


# --- opening ---------------------------------------------------------------------------------------


@transaction.atomic
def report_open(*, unit: Unit, year: int, by: User, at: datetime | None = None) -> Report:
    """The unit's draft report for `year`, created once, with its due date on the engine (CLOCK2)."""
    if unit.special == "city_office":
        raise ValidationError("市政府办公室的数据并入市人民政府年度报告,不单独编制。")
    report = Report.objects.select_for_update().filter(unit=unit, year=year).first()
    if report is None:
        report = Report(unit=unit, year=year)
        save_with_history(report, by=by, reason=f"开始编制{year}年度报告")
    at = at or timezone.now()
    if report.published_version == 0 and deadline_of(report, rule_for(unit)) is None and due_moment(report) > at:
        deadline_start_for_period(rule=rule_for(unit), target=report, period_year=year, unit=unit,
                                  subject=report.title, started_at=at, by=by)
    return report


def reports_open_year(*, year: int, by: User, at: datetime | None = None) -> int:
    """On 1 January every reporting unit gets its draft for the year just ended and its deadline (idempotent)."""
    opened = 0
    for unit in selectors.reporting_units():
        existed = Report.objects.filter(unit=unit, year=year).exists()
        report_open(unit=unit, year=year, by=by, at=at)
        opened += not existed
    return opened


# --- the unit's entries ------------------------------------------------------------------------------


def _count(value, label: str, field: str):
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationError({field: f"{label}请填写整数。"}) from None
    if number < 0 or number > 10_000_000:
        raise ValidationError({field: f"{label}须在0到10000000之间。"})
    return number


def _amount(value, field: str):
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise ValidationError({field: "收费金额请填写数字(单位:万元),如 12.5。"}) from None
    if not amount.is_finite() or amount < 0 or amount >= Decimal("100000000"):
        raise ValidationError({field: "收费金额须为不小于0的数字(单位:万元)。"})
    if amount.as_tuple().exponent < -4:
        raise ValidationError({field: "收费金额最多保留四位小数(单位:万元)。"})
    return amount


def _editable(report: Report, by: User) -> Report:
    report = _lock(report)
    if not permissions.can_edit(by, report):
        _deny("只有本单位经办人或政务公开工作机构可以填写年度报告。")
    if not report.is_editable:
        raise ValidationError(f"年度报告当前为“{report.get_status_display()}”,不能修改;需要修改的,请审定人退回或发布后更正。")
    return report


@transaction.atomic
def report_enter_rows(*, report: Report, data: dict, by: User) -> Report:
    """Table 二's rows the portal does not hold (行政许可、处罚、强制 decisions; 收费 in 万元), with who and when."""
    report = _editable(report, by)
    labels = {f: Report._meta.get_field(f).verbose_name for f in ENTERED_FIELDS}
    values = {f: _count(data.get(f), labels[f], f) for f in ENTERED_FIELDS if f != "fees_amount_wan"}
    values["fees_amount_wan"] = _amount(data.get("fees_amount_wan"), "fees_amount_wan")
    for field, value in values.items():
        setattr(report, field, value)
    report.entered_by, report.entered_at = by, timezone.now()
    save_with_history(report, by=by, reason="填报年度报告表二数据",
                      fields=[*ENTERED_FIELDS, "entered_by", "entered_at"])
    return report


@transaction.atomic
def report_write_sections(*, report: Report, data: dict, by: User) -> Report:
    """Sections 一 (总体情况 and its five paragraphs), 五 and 六, written by the unit."""
    report = _editable(report, by)
    for field in SECTION_FIELDS:
        text = (data.get(field) or "").replace("\x00", "").replace("\r\n", "\n").strip()
        if len(text) > SECTION_MAX_CHARS:
            label = Report._meta.get_field(field).verbose_name
            raise ValidationError({field: f"“{label}”不能超过{SECTION_MAX_CHARS}字。"})
        setattr(report, field, text)
    report.sections_by, report.sections_at = by, timezone.now()
    save_with_history(report, by=by, reason="撰写年度报告正文", fields=[*SECTION_FIELDS, "sections_by", "sections_at"])
    return report


# --- the workflow --------------------------------------------------------------------------------------


def _refuse_failed_checks(data: dict) -> None:
    """A report whose table 三 does not add up cannot go on; the message names each wrong cell (A6)."""
    failures = selectors.checks(data)
    if failures:
        raise ValidationError([f"申请情况表校验未通过:{f.message}" for f in failures], code="check_failed")


def _people(report: Report, *roles: str) -> list[int]:
    """The report's people in `roles`, across the units it covers."""
    return sorted({uid for unit_id in selectors.covered_unit_ids(report.unit)
                   for uid in confidentiality.unit_member_ids(unit_id, *roles)})


def _notify(user_ids, *, report: Report, key: str, title: str, body: str, by: User) -> None:
    confidentiality.notify_unit(user_ids, event_key=f"annual_report.{key}:{report.pk}:{report.history.count()}",
                                title=title, body=body, url=reverse("annual_report:staff_detail", args=[report.pk]),
                                by=by)


@transaction.atomic
def report_submit(*, report: Report, by: User) -> Report:
    """报送审定: the unit sends the draft to its head once everything is filled in and the checks hold."""
    report = _editable(report, by)
    missing = selectors.missing_entries(report)
    if missing:
        raise ValidationError(f"请先填写:{'、'.join(missing)}。")
    _refuse_failed_checks(selectors.compute(report))
    move(report, ReportStatus.HEAD_REVIEW, TRANSITIONS, what=WHAT)
    report.submitted_at = timezone.now()
    save_with_history(report, by=by, reason="报送单位负责人审定", fields=["status", "submitted_at"])
    _notify(_people(report, Role.Code.UNIT_HEAD), report=report, key="submitted",
            title=f"【待审定】{report.title}", body="年度报告已报送,请审定。", by=by)
    return report


@transaction.atomic
def report_approve(*, report: Report, by: User) -> Report:
    """单位负责人审定 → 保密审查 (D7)."""
    report = _lock(report)
    if not permissions.can_approve(by, report):
        _deny("只有本单位主要负责人可以审定年度报告。")
    _refuse_failed_checks(selectors.compute(report))
    move(report, ReportStatus.CONFIDENTIALITY, TRANSITIONS, what=WHAT)
    report.approved_by, report.approved_at = by, timezone.now()
    save_with_history(report, by=by, reason="单位负责人审定同意,送保密审查",
                      fields=["status", "approved_by", "approved_at"])
    confidentiality.notify_unit(
        confidentiality.reviewer_ids(*selectors.covered_unit_ids(report.unit)), by=by,
        url=reverse("annual_report:clear", args=[report.pk]),
        event_key=confidentiality.waiting_key("annual_report", report, report.approved_at),
        title=f"【待保密审查】{report.title}", body="年度报告已经单位负责人审定,请进行保密审查。")
    return report


@transaction.atomic
def report_return(*, report: Report, reason: str, by: User) -> Report:
    """The head sends the draft back with a reason."""
    if not reason or not reason.strip():
        raise ValidationError({"reason": "退回修改必须说明理由。"})
    report = _lock(report)
    if not permissions.can_approve(by, report):
        _deny("只有本单位主要负责人可以退回年度报告。")
    move(report, ReportStatus.DRAFT, TRANSITIONS, what=WHAT)
    save_with_history(report, by=by, reason=f"单位负责人退回修改:{reason.strip()[:200]}", fields=["status"])
    _notify(_people(report, *permissions.STAFF_ROLES), report=report, key="returned",
            title=f"【退回修改】{report.title}", body=f"退回理由:{reason.strip()}", by=by)
    return report


def shown_text(report: Report, data: dict) -> str:
    """Everything the public page will show, as the confidentiality reviewer reads it (D7)."""
    lines = [report.title, ""]
    for field in SECTION_FIELDS:
        if data["sections"].get(field):
            lines += [f"【{Report._meta.get_field(field).verbose_name}】", data["sections"][field], ""]
    for table, row, column, value in tables.flat_cells(data):
        lines.append(f"{table} | {row} | {column}:{value}")
    return "\n".join(lines)


@transaction.atomic
def report_clearance_decide(*, report: Report, cleared: bool, opinion: str, by: User) -> Report:
    """保密审查 (D7): cleared, the report is published — its numbers frozen in a new snapshot; refused, it
    goes back to the draft with the reviewer's opinion."""
    report = _lock(report)
    if not permissions.can_clear(by, report):
        _deny("您无权对该年度报告进行保密审查。")
    if report.status != ReportStatus.CONFIDENTIALITY:
        raise ValidationError(f"年度报告当前为“{report.get_status_display()}”,不在保密审查环节。")
    data = selectors.compute(report)
    if cleared:
        _refuse_failed_checks(data)
    now = timezone.now()
    decision = confidentiality.clearance_decide(item=report, unit_id=report.unit_id, cleared=cleared, opinion=opinion,
                                                shown_title=report.title, shown_text=shown_text(report, data),
                                                by=by, at=now)
    staff = _people(report, *permissions.STAFF_ROLES, Role.Code.UNIT_HEAD)
    if not cleared:
        move(report, ReportStatus.DRAFT, TRANSITIONS, what=WHAT)
        save_with_history(report, by=by, reason=f"保密审查未通过,退回修改:{decision.opinion}", fields=["status"])
        _notify(staff, report=report, key="refused", title=f"【保密审查未通过】{report.title}",
                body=f"审查意见:{decision.opinion}。请修改后重新报送。", by=by)
        return report
    return _publish(report, data=data, by=by, at=now, staff=staff)


def _publish(report: Report, *, data: dict, by: User, at: datetime, staff) -> Report:
    move(report, ReportStatus.PUBLISHED, TRANSITIONS, what=WHAT)
    version = report.published_version + 1
    reason = "首次发布" if version == 1 else f"更正:{report.correction_reason}"
    data = {**data, "taken_at": at.isoformat(), "version": version}
    snapshot = ReportSnapshot(report=report, version=version, taken_at=at, data=data, reason=reason, published_by=by)
    save_with_history(snapshot, by=by, reason=f"发布第{version}版({reason})")
    report.published_version, report.confidentiality_cleared_at = version, at
    report.first_published_at = report.first_published_at or at
    report.correction_reason = ""
    save_with_history(report, by=by, reason=f"保密审查通过,发布第{version}版({reason})",
                      fields=["status", "published_version", "confidentiality_cleared_at", "first_published_at",
                              "correction_reason"])
    deadline = deadline_of(report, rule_for(report.unit))
    if deadline is not None and deadline.state != "met":
        deadline_meet(deadline=deadline, by=by, at=at, note=f"已于{fmt(at)}发布")
    _notify(staff, report=report, key="published", title=f"【已发布】{report.title}",
            body=f"保密审查通过,年度报告第{version}版已公布。", by=by)
    return report


@transaction.atomic
def report_correct(*, report: Report, reason: str, by: User) -> Report:
    """更正: a published report goes back to the draft; the published version stays public until the
    corrected one is approved, cleared and published as the next version with this reason."""
    if not reason or not reason.strip():
        raise ValidationError({"reason": "更正已发布的年度报告必须说明理由。"})
    report = _lock(report)
    if not permissions.can_edit(by, report):
        _deny("只有本单位经办人或政务公开工作机构可以更正年度报告。")
    move(report, ReportStatus.DRAFT, TRANSITIONS, what=WHAT)
    report.correction_reason = reason.strip()[:300]
    save_with_history(report, by=by, reason=f"发起更正:{report.correction_reason}",
                      fields=["status", "correction_reason"])
    return report
