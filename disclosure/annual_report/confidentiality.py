"""保密审查 (D7) of annual reports: the queue section in disclosure's one queue, and the review page.

The write is `services.report_clearance_decide`; the shared step is `tongchuan_portal.core.confidentiality`.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from tongchuan_portal.clock.services import fmt
from tongchuan_portal.core.confidentiality import QueueRow, clearance_page, refusal_counts
from tongchuan_portal.units.models import Role
from tongchuan_portal.units.permissions import holds_role, unit_ids_with_role

from . import selectors, services
from .models import Report, ReportStatus
from tongchuan_portal.core.cached_urls import id_url

QUEUE_LIMIT = 200


def reports_awaiting_clearance(user) -> QuerySet[Report]:
    unit_ids = selectors.reporting_unit_ids(unit_ids_with_role(user, Role.Code.CONFIDENTIALITY_REVIEWER))
    return (Report.objects.filter(status=ReportStatus.CONFIDENTIALITY, unit_id__in=unit_ids)
            .select_related("unit").order_by("approved_at", "pk"))


def queue_section(user) -> dict | None:
    """The 年度报告 rows of the 保密审查 queue — three queries whatever their number."""
    if not holds_role(user, Role.Code.CONFIDENTIALITY_REVIEWER):
        return None
    reports = list(reports_awaiting_clearance(user)[:QUEUE_LIMIT])
    refusals = refusal_counts(Report, [r.pk for r in reports])
    rows = [QueueRow(title=r.title, kind="政府信息公开工作年度报告", unit=r.unit.short_name, since=r.approved_at,
                     url=id_url("annual_report:clear", r.pk), refusals=refusals.get(r.pk, 0))
            for r in reports]
    return {"key": "annual_report", "title": "政府信息公开工作年度报告", "rows": rows,
            "empty": "目前没有待保密审查的年度报告。"}


@login_required
@require_http_methods(["GET", "POST"])
def clear(request, pk):
    """保密审查 of a report: every section and number the public page will show, then the decision."""
    try:
        report = reports_awaiting_clearance(request.user).get(pk=pk)
    except Report.DoesNotExist:
        raise Http404("没有找到待您保密审查的该年度报告。") from None
    data = selectors.compute(report)
    facts = [("报告单位", report.unit.name), ("报告年度", f"{report.year}年"),
             ("审定", f"{report.approved_by.get_full_name() or report.approved_by.username} {fmt(report.approved_at)}"
              if report.approved_at else "—")]
    if report.correction_reason:
        facts.append(("更正理由", report.correction_reason))
    return clearance_page(
        request, title=report.title, kind="政府信息公开工作年度报告", facts=facts,
        shown_text=services.shown_text(report, data),
        decide=lambda **decision: services.report_clearance_decide(report=report, by=request.user, **decision),
        done="保密审查已通过,年度报告已发布。", back_url=reverse("annual_report:staff_detail", args=[report.pk]))
