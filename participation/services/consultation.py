"""The comment window and what follows (M2, M3, P3): comments and moderation, opinion groups, adoption, the adoption report, closing the window."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from tongchuan_portal.clock.formatting import fmt
from tongchuan_portal.clock.models import DeadlineState
from tongchuan_portal.clock.selectors import deadline_of
from tongchuan_portal.clock.services import deadline_meet, deadline_start
from tongchuan_portal.core import confidentiality
from tongchuan_portal.core.models import Clearance
from tongchuan_portal.core.workflow import check_transition, save_with_history

from .. import conf, notices, permissions
from ..deadlines import ADOPTION_REPORT, COMMENT_WINDOW
from ..models import (
    COMMENT_TRANSITIONS,
    PERIOD_TRANSITIONS,
    Adoption,
    Comment,
    CommentPeriod,
    CommentStatus,
    DraftStatus,
    MeetingTopic,
    OpinionGroup,
    PeriodStatus,
)
from ._common import _deny, _system_user, clean_text


def comment_submit(*, period: CommentPeriod, body: str, section: str = "", display_name: str = "",
                   contact: str = "", user=None) -> Comment:
    """提交意见 — refused from the second after the close, whether or not the sweep has run (M2).

    Comments wait for moderation before the public sees them.
    """
    body = clean_text(body, field="body", label="意见内容", max_chars=conf.COMMENT_MAX_CHARS)
    section = clean_text(section, field="section", label="针对条款", max_chars=100, required=False)
    display_name = clean_text(display_name, field="display_name", label="署名", max_chars=40, required=False)
    contact = clean_text(contact, field="contact", label="联系方式", max_chars=100, required=False)
    with transaction.atomic():
        period = CommentPeriod.objects.select_related("draft").get(pk=period.pk)
        now = timezone.now()
        if period.draft.status != DraftStatus.CONSULTING:
            raise ValidationError("该草案未在征求意见。")
        if now < period.opens_at:
            raise ValidationError(f"征求意见将于{fmt(period.opens_at)}开始。")
        if not period.accepts_comments_at(now):
            raise ValidationError(f"征求意见已于{fmt(period.closes_at)}截止,不再接收意见。")
        comment = Comment(period=period, body=body, section=section, display_name=display_name, contact=contact,
                          user=user if getattr(user, "is_authenticated", False) else None, submitted_at=now)
        save_with_history(comment, by=comment.user, reason="提交意见")
    return comment


@transaction.atomic
def comments_moderate(*, period: CommentPeriod, comment_ids: Iterable[int], show: bool, reason: str = "",
                      by: User) -> int:
    """审核意见 — make visible, or hide with a reason; one or many at once. Hidden text never goes public."""
    if not permissions.can_manage_draft(by, period.draft):
        _deny()
    new = CommentStatus.VISIBLE if show else CommentStatus.HIDDEN
    if not show:
        reason = clean_text(reason, field="reason", label="屏蔽原因", max_chars=200)
    rows = list(Comment.objects.select_for_update().filter(period=period, pk__in=list(comment_ids)))
    if not rows:
        raise ValidationError("请至少选择一条意见。")
    now = timezone.now()
    changed = 0
    for row in rows:
        if row.status == new:
            continue
        check_transition(COMMENT_TRANSITIONS, row.status, new, what="意见")
        row.status, row.moderated_by, row.moderated_at = new, by, now
        row.hidden_reason = reason if not show else ""
        save_with_history(row, by=by, reason=f"屏蔽:{reason}" if not show else "审核通过,公开显示",
                          fields=["status", "moderated_by", "moderated_at", "hidden_reason"])
        changed += 1
    return changed


# --- opinion groups and the adoption report (M3, P3) -----------------------------------------------


def _report_open(period: CommentPeriod, by: User) -> None:
    if not permissions.can_manage_draft(by, period.draft):
        _deny()
    if period.report_published_at:
        raise ValidationError("采纳情况已公布,不能再修改意见归类。")
    if period.report_clearance == Clearance.PENDING:  # D7: the reviewer clears exactly what was sent
        raise ValidationError("采纳情况正在保密审查,审查结束前不能修改。")


@transaction.atomic
def opinion_group_create(*, period: CommentPeriod, title: str, by: User) -> OpinionGroup:
    """意见归类 — name one opinion that several comments share."""
    period = CommentPeriod.objects.select_for_update().select_related("draft").get(pk=period.pk)
    _report_open(period, by)
    group = OpinionGroup(period=period, created_by=by,
                         title=clean_text(title, field="title", label="意见概述", max_chars=300))
    save_with_history(group, by=by, reason="新建意见归类")
    return group


@transaction.atomic
def comments_assign_group(*, period: CommentPeriod, comment_ids: Iterable[int], group: OpinionGroup | None,
                          by: User) -> int:
    """Put visible comments into a group (or take them out); only what the public can see is grouped."""
    period = CommentPeriod.objects.select_for_update().select_related("draft").get(pk=period.pk)
    _report_open(period, by)
    if group is not None and group.period_id != period.pk:
        raise ValidationError("意见归类不属于该征求意见期。")
    rows = list(Comment.objects.select_for_update().filter(period=period, pk__in=list(comment_ids)))
    if not rows:
        raise ValidationError("请至少选择一条意见。")
    if any(row.status != CommentStatus.VISIBLE for row in rows):
        raise ValidationError("只能归类已审核公开的意见。")
    for row in rows:
        row.group = group
        save_with_history(row, by=by, reason=f"归入“{group.title}”" if group else "移出意见归类", fields=["group"])
    return len(rows)


@transaction.atomic
def opinion_group_decide(*, group: OpinionGroup, decision: str, reason: str, by: User) -> OpinionGroup:
    """采纳情况 — not adopted needs a reason, and so does every concentrated opinion (M3, P3)."""
    group = OpinionGroup.objects.select_for_update().select_related("period__draft").get(pk=group.pk)
    _report_open(group.period, by)
    if decision not in Adoption.values:
        raise ValidationError({"decision": "请选择采纳、部分采纳或未采纳。"})
    reason = clean_text(reason, field="reason", label="理由说明", max_chars=2000, required=False)
    if decision == Adoption.NOT_ADOPTED and not reason:
        raise ValidationError({"reason": "未采纳的意见必须说明理由。"})
    count = group.comments.count()
    if count >= conf.concentrated_threshold() and not reason:
        raise ValidationError({"reason": f"该意见有{count}条,属于集中意见,须说明采纳或不采纳的理由。"})
    group.decision, group.reason = decision, reason
    save_with_history(group, by=by, reason=f"{Adoption(decision).label}" + (f":{reason}" if reason else ""),
                      fields=["decision", "reason"])
    return group


def adoption_summary(period: CommentPeriod) -> str:
    """征求意见及采纳情况 in one paragraph, as attached to meeting topics (M5)."""
    groups = list(period.groups.annotate(n=Count("comments")))
    received = period.comments.exclude(status=CommentStatus.HIDDEN).count()
    tally = {choice: sum(1 for g in groups if g.decision == choice) for choice in Adoption.values}
    text = (f"{fmt(period.opens_at)}至{fmt(period.closes_at)}公开征求意见,共收到有效意见{received}条,"
            f"归纳为{len(groups)}类:采纳{tally[Adoption.ADOPTED]}类、部分采纳{tally[Adoption.PARTLY]}类、"
            f"未采纳{tally[Adoption.NOT_ADOPTED]}类。")
    return text + (period.report_summary or "")


@transaction.atomic
def adoption_report_publish(*, period: CommentPeriod, summary: str, by: User) -> CommentPeriod:
    """公布采纳情况 — asked by the unit, published by 保密审查 (M3, D7).

    Every check of a complete report runs now; the report then waits for the
    unit's confidentiality reviewers and is frozen while it waits. Clearance
    (`adoption_report_clearance_decide`) publishes it on the draft's page, meets
    the adoption-report clock and attaches it to the meeting topics (M5).
    """
    period = CommentPeriod.objects.select_for_update().select_related("draft", "draft__unit").get(pk=period.pk)
    _report_open(period, by)
    if timezone.now() <= period.closes_at:
        raise ValidationError(f"征求意见期至{fmt(period.closes_at)}才截止,截止后才能公布采纳情况。")
    summary = clean_text(summary, field="summary", label="采纳情况说明", max_chars=5000)
    if period.comments.filter(status=CommentStatus.PENDING).exists():
        raise ValidationError("还有待审核的意见,请先审核。")
    if period.comments.filter(status=CommentStatus.VISIBLE, group__isnull=True).exists():
        raise ValidationError("还有未归类的意见,请先将每条公开的意见归入一类。")
    threshold = conf.concentrated_threshold()
    for group in period.groups.annotate(n=Count("comments")):
        if not group.decision:
            raise ValidationError(f"意见“{group.title}”尚未填写采纳情况。")
        if group.n == 0:
            raise ValidationError(f"意见归类“{group.title}”没有意见,请删除或归入意见。")
        if group.n >= threshold and not group.reason:
            raise ValidationError(f"意见“{group.title}”有{group.n}条,属于集中意见,须说明理由。")
    if period.status == PeriodStatus.OPEN:
        _close_period(period, by=by)
    period.report_summary, period.report_published_by = summary, by
    period.report_clearance, period.report_submitted_at = Clearance.PENDING, timezone.now()
    save_with_history(period, by=by, reason="意见采纳情况送保密审查",
                      fields=["report_summary", "report_published_by", "report_clearance", "report_submitted_at"])
    draft = period.draft
    confidentiality.notify_unit(
        confidentiality.reviewer_ids(draft.unit_id), by=by,
        url=reverse("participation:clear_report", args=[period.pk]),
        event_key=confidentiality.waiting_key("report", period, period.report_submitted_at),
        title=f"【待保密审查】《{draft.title}》意见采纳情况",
        body=f"{draft.unit.name}报送征求意见采纳情况,请进行保密审查。")
    return period


def adoption_report_shown_text(period: CommentPeriod) -> str:
    """The adoption report as the public page will show it: the summary and every opinion's outcome (D7)."""
    lines = [adoption_summary(period), "", "意见采纳情况:"]
    for group in period.groups.annotate(n=Count("comments")).order_by("pk"):
        decision = Adoption(group.decision).label if group.decision else "未填写"
        lines.append(f"· {group.title}({group.n}条):{decision}" + (f"。理由:{group.reason}" if group.reason else ""))
    return "\n".join(lines)


@transaction.atomic
def adoption_report_clearance_decide(*, period: CommentPeriod, cleared: bool, opinion: str, by: User) -> CommentPeriod:
    """保密审查 of an adoption report (D7): cleared, it is published (M3, M5); refused, it goes back."""
    period = CommentPeriod.objects.select_for_update().select_related("draft", "draft__unit").get(pk=period.pk)
    draft = period.draft
    if not permissions.can_clear_report(by, period):
        _deny("您无权对该意见采纳情况进行保密审查。")
    now = timezone.now()
    decision = confidentiality.clearance_decide(item=period, unit_id=draft.unit_id, cleared=cleared, opinion=opinion,
                                     shown_title=f"《{draft.title}》意见采纳情况",
                                     shown_text=adoption_report_shown_text(period), by=by, at=now)
    staff = confidentiality.unit_member_ids(draft.unit_id, *permissions.STAFF_ROLES)
    url = reverse("participation:staff_draft", args=[draft.pk])
    if not cleared:
        period.report_clearance = Clearance.REFUSED
        save_with_history(period, by=by, reason=f"意见采纳情况保密审查未通过,退回修改:{decision.opinion}",
                          fields=["report_clearance"])
        confidentiality.notify_unit(staff, by=by, url=url, event_key=confidentiality.decided_key(decision),
                                    title=f"【保密审查未通过】《{draft.title}》意见采纳情况",
                                    body=f"审查意见:{decision.opinion}。请修改后重新报送。")
        return period
    period.report_clearance, period.report_cleared_at, period.report_published_at = Clearance.CLEARED, now, now
    save_with_history(period, by=by, reason="保密审查通过,公布意见采纳情况",
                      fields=["report_clearance", "report_cleared_at", "report_published_at"])
    deadline = deadline_of(period, ADOPTION_REPORT)
    if deadline is not None:
        deadline_meet(deadline=deadline, by=by, at=now, note="已公布意见采纳情况")
    text = adoption_summary(period)
    for topic in MeetingTopic.objects.select_for_update().filter(draft=draft):
        topic.adoption_summary = text
        save_with_history(topic, by=by, reason="附上征求意见及采纳情况", fields=["adoption_summary"])
    confidentiality.notify_unit(staff, by=by, url=url, event_key=confidentiality.decided_key(decision),
                                title=f"【保密审查通过】《{draft.title}》意见采纳情况",
                                body="意见采纳情况已在草案页面公布。")
    return period


def _close_period(period: CommentPeriod, *, by: User) -> None:
    """Close the window (its clock is met at its own due moment) and start the adoption-report clock."""
    check_transition(PERIOD_TRANSITIONS, period.status, PeriodStatus.CLOSED, what="征求意见期")
    period.status, period.closed_at = PeriodStatus.CLOSED, timezone.now()
    save_with_history(period, by=by, reason=f"征求意见期届满,于{fmt(period.closes_at)}截止", fields=["status", "closed_at"])
    window = deadline_of(period, COMMENT_WINDOW, states=(DeadlineState.RUNNING, DeadlineState.MISSED))
    if window is not None:
        deadline_meet(deadline=window, by=by, at=window.due_at, note="征求意见期届满,自动截止")
    report = deadline_start(rule=ADOPTION_REPORT, target=period, unit=period.draft.unit,
                            subject=f"《{period.draft.title}》公布意见采纳情况", started_at=period.closes_at, by=by)
    notices.period_closed(period, report, by=by)


@transaction.atomic
def comment_period_close(*, period: CommentPeriod, by: User) -> CommentPeriod:
    """Close a window whose time has run out; doing it twice changes nothing (CLOCK3)."""
    period = CommentPeriod.objects.select_for_update().select_related("draft").get(pk=period.pk)
    if period.status == PeriodStatus.CLOSED:
        return period
    if timezone.now() <= period.closes_at:
        raise ValidationError(f"征求意见期至{fmt(period.closes_at)}截止,不能提前关闭。")
    _close_period(period, by=by)
    return period


def comment_windows_close_due(deadlines: list) -> None:
    """The comment window's on-due action: the sweep calls it inside its batch transaction (M2, CLOCK3)."""
    by = _system_user()
    for period in CommentPeriod.objects.filter(pk__in=[d.object_id for d in deadlines]).order_by("pk"):
        comment_period_close(period=period, by=by)
