"""保密审查 (D7) of decision drafts and adoption reports: the reviewer's reads, queue section and pages.

Kept together, apart from the rest of participation's views, because it is one
concern that plugs into disclosure's queue (`register_confidentiality_section`)
and the shared step in `tongchuan_portal.core.confidentiality`. The writes are
`services.draft_clearance_decide` and `services.adoption_report_clearance_decide`.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404
from django.views.decorators.http import require_http_methods

from tongchuan_portal.clock.formatting import fmt
from tongchuan_portal.core.confidentiality import QueueRow, clearance_page, refusal_counts
from tongchuan_portal.core.models import Clearance
from tongchuan_portal.units.models import Role
from tongchuan_portal.units.permissions import holds_role, unit_ids_with_role

from . import services
from .models import CommentPeriod, DecisionDraft, DraftStatus
from tongchuan_portal.core.cached_urls import id_url

QUEUE_LIMIT = 200


def drafts_awaiting_clearance(user) -> QuerySet[DecisionDraft]:
    """Drafts sent to 保密审查 by the units the user reviews for, oldest first."""
    return (
        DecisionDraft.objects.filter(status=DraftStatus.CLEARANCE,
                                     unit_id__in=unit_ids_with_role(user, Role.Code.CONFIDENTIALITY_REVIEWER))
        .select_related("unit").order_by("clearance_requested_at", "pk")
    )


def reports_awaiting_clearance(user) -> QuerySet[CommentPeriod]:
    return (
        CommentPeriod.objects.filter(report_clearance=Clearance.PENDING,
                                     draft__unit_id__in=unit_ids_with_role(user, Role.Code.CONFIDENTIALITY_REVIEWER))
        .select_related("draft", "draft__unit").order_by("report_submitted_at", "pk")
    )


def queue_section(user) -> dict | None:
    """The 决策草案 and 意见采纳情况 rows of the 保密审查 queue — four queries whatever their number."""
    if not holds_role(user, Role.Code.CONFIDENTIALITY_REVIEWER):
        return None
    drafts = list(drafts_awaiting_clearance(user)[:QUEUE_LIMIT])
    reports = list(reports_awaiting_clearance(user)[:QUEUE_LIMIT])
    draft_refusals = refusal_counts(DecisionDraft, [d.pk for d in drafts])
    report_refusals = refusal_counts(CommentPeriod, [p.pk for p in reports])
    rows = [QueueRow(title=d.title, kind="决策草案(公开征求意见)", unit=d.unit.short_name,
                     since=d.clearance_requested_at, url=id_url("participation:clear_draft", d.pk),
                     refusals=draft_refusals.get(d.pk, 0)) for d in drafts]
    rows += [QueueRow(title=f"《{p.draft.title}》意见采纳情况", kind="意见采纳情况", unit=p.draft.unit.short_name,
                      since=p.report_submitted_at, url=id_url("participation:clear_report", p.pk),
                      refusals=report_refusals.get(p.pk, 0)) for p in reports]
    rows.sort(key=lambda row: row.since)
    return {"key": "participation", "title": "决策草案与意见采纳情况", "rows": rows,
            "empty": "目前没有待保密审查的决策草案或意见采纳情况。"}


def _find(queryset, pk):
    try:
        return queryset.get(pk=pk)
    except queryset.model.DoesNotExist:
        raise Http404("没有找到待您保密审查的该事项。") from None


@login_required
@require_http_methods(["GET", "POST"])
def clear_draft(request, pk):
    """保密审查 of a decision draft: the full text the public page will show, then the decision."""
    draft = _find(drafts_awaiting_clearance(request.user), pk)
    start = f"拟于{fmt(draft.requested_opens_at)}开始" if draft.requested_opens_at else "审查通过后即开始"
    facts = [("起草单位", draft.unit.name), ("领域", draft.get_area_display()),
             ("征求意见", f"{draft.requested_working_days}个工作日,{start}"),
             ("送审时间", fmt(draft.clearance_requested_at))]
    return clearance_page(
        request, title=draft.title, kind="决策草案", facts=facts, shown_text=services.draft_shown_text(draft),
        decide=lambda **decision: services.draft_clearance_decide(draft=draft, by=request.user, **decision),
        done="保密审查已通过,草案已公布并开始征求意见。")


@login_required
@require_http_methods(["GET", "POST"])
def clear_report(request, pk):
    """保密审查 of an adoption report: the summary and every opinion's outcome, then the decision."""
    period = _find(reports_awaiting_clearance(request.user), pk)
    facts = [("起草单位", period.draft.unit.name),
             ("征求意见期", f"{fmt(period.opens_at)}至{fmt(period.closes_at)}"),
             ("送审时间", fmt(period.report_submitted_at))]
    return clearance_page(
        request, title=f"《{period.draft.title}》意见采纳情况", kind="意见采纳情况", facts=facts,
        shown_text=services.adoption_report_shown_text(period),
        decide=lambda **decision: services.adoption_report_clearance_decide(period=period, by=request.user,
                                                                            **decision),
        done="保密审查已通过,意见采纳情况已公布。")
