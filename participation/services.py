"""Every write in public participation (M1–M5, P1–P5).

Views, the admin, Celery tasks and the shell all come through here, so a rule
holds on every path: a comment one second after the window's close is refused
whether it arrives by the page, the shell or any future API.
"""

from __future__ import annotations

import hashlib
import secrets
from calendar import monthrange
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from tongchuan_portal.clock import workdays
from tongchuan_portal.clock.models import Deadline, DeadlineState
from tongchuan_portal.clock.services import deadline_cancel, deadline_meet, deadline_start, fmt, open_deadline_for
from tongchuan_portal.core import confidentiality
from tongchuan_portal.core.models import Clearance
from tongchuan_portal.core.validation import bounded_moment
from tongchuan_portal.notifications.services import Message as InboxMessage
from tongchuan_portal.notifications.services import notifications_send
from tongchuan_portal.units.models import Membership, Unit
from tongchuan_portal.units.permissions import CITY_OFFICE_CODE

from disclosure.services import document_record_meeting_adoption

from . import conf, notices, permissions
from .models import (
    COMMENT_TRANSITIONS,
    DECIDING_KINDS,
    DRAFT_TRANSITIONS,
    EVENT_KINDS,
    MEETING_TRANSITIONS,
    MESSAGE_TRANSITIONS,
    PERIOD_TRANSITIONS,
    REGISTRATION_TRANSITIONS,
    Adoption,
    Area,
    Channel,
    Comment,
    CommentPeriod,
    CommentStatus,
    DecisionDraft,
    DraftStatus,
    Evaluation,
    Meeting,
    MeetingKind,
    MeetingStatus,
    MeetingTopic,
    Message,
    MessageCategory,
    MessageStatus,
    OpinionGroup,
    PeriodStatus,
    Registration,
    RegistrationCategory,
    RegistrationStatus,
)
from .rules import ADOPTION_REPORT, REPLY, window_rule

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed from paper


# --- helpers ----------------------------------------------------------------------------------


def clean_text(value: str | None, *, field: str, label: str, max_chars: int, required: bool = True) -> str:
    """Plain text, kept as typed ("PM2.5 <b and a> 50" stays whole): trimmed, the length limit enforced.

    Nothing is stripped: every template that shows it escapes it (autoescape, never `|safe`).
    """
    text = (value or "").replace("\r\n", "\n").strip()
    if required and not text:
        raise ValidationError({field: f"请填写{label}。"})
    if len(text) > max_chars:
        raise ValidationError({field: f"{label}不能超过{max_chars}字(当前{len(text)}字)。"})
    return text


def new_query_code() -> str:
    """16 random characters (80 bits), shown once as XXXX-XXXX-XXXX-XXXX."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(16))
    return "-".join(raw[i:i + 4] for i in range(0, 16, 4))


def query_code_digest(code: str) -> str:
    normalized = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    return hashlib.sha256(normalized.encode()).hexdigest()


def _check(transitions: dict, current: str, new: str, what: str, labels) -> None:
    if new not in transitions[labels(current)]:
        raise ValidationError(f"{what}当前为“{labels(current).label}”,不能改为“{labels(new).label}”。")


def _save(obj, *, by, reason: str, fields: list[str] | None = None) -> None:
    obj._history_user, obj._change_reason = by, reason
    if fields is None:
        obj.save()
    else:
        obj.save(update_fields=fields)


def _deny(message: str = "您没有权限执行此操作。"):
    raise PermissionDenied(message)


def _system_user():
    from tongchuan_portal.core.selectors import system_user

    return system_user()


# --- decision drafts (M2) -------------------------------------------------------------------


def _draft_fields(*, title, text, basis, area, deciding_meeting_kind) -> dict:
    if area not in Area.values:
        raise ValidationError({"area": "请选择领域。"})
    if deciding_meeting_kind not in [k.value for k in DECIDING_KINDS]:
        raise ValidationError({"deciding_meeting_kind": "请选择作出决策的会议:政府常务会议、专题会议或部门重要会议。"})
    return {
        "title": clean_text(title, field="title", label="标题", max_chars=200),
        "text": clean_text(text, field="text", label="草案全文", max_chars=50000),
        "basis": clean_text(basis, field="basis", label="决策依据", max_chars=20000),
        "area": area,
        "deciding_meeting_kind": deciding_meeting_kind,
    }


@transaction.atomic
def draft_create(*, unit: Unit, title: str, text: str, basis: str, area: str, deciding_meeting_kind: str,
                 by) -> DecisionDraft:
    """决策草案 — drafted by a unit; the decision basis is required (M2)."""
    if not permissions.can_create_draft(by, unit):
        _deny()
    draft = DecisionDraft(unit=unit, created_by=by, **_draft_fields(
        title=title, text=text, basis=basis, area=area, deciding_meeting_kind=deciding_meeting_kind))
    _save(draft, by=by, reason="起草决策草案")
    return draft


@transaction.atomic
def draft_update(*, draft: DecisionDraft, title: str, text: str, basis: str, area: str, deciding_meeting_kind: str,
                 by) -> DecisionDraft:
    if not permissions.can_manage_draft(by, draft):
        _deny()
    draft = DecisionDraft.objects.select_for_update().get(pk=draft.pk)
    if draft.status != DraftStatus.DRAFTING:
        raise ValidationError("草案已公布或已决策,不能再修改。")
    fields = _draft_fields(title=title, text=text, basis=basis, area=area, deciding_meeting_kind=deciding_meeting_kind)
    for name, value in fields.items():
        setattr(draft, name, value)
    _save(draft, by=by, reason="修改决策草案", fields=list(fields))
    return draft


@transaction.atomic
def draft_publish(*, draft: DecisionDraft, working_days: int, opens_at: datetime | None = None,
                  by) -> DecisionDraft:
    """公布草案,征求意见 — asked by the unit, done by 保密审查 (M2, D7, CLOCK7).

    The window's length (at least 7 working days) and its wished start are
    checked now and kept on the draft, which goes to the unit's confidentiality
    reviewers. Nothing is public and no clock runs until they clear it
    (`draft_clearance_decide`); the window then opens at the later of the
    wished start and the clearance, and its close is counted from that opening.
    """
    if not permissions.can_manage_draft(by, draft):
        _deny()
    draft = DecisionDraft.objects.select_for_update().select_related("unit").get(pk=draft.pk)
    _check(DRAFT_TRANSITIONS, draft.status, DraftStatus.CLEARANCE, "草案", DraftStatus)
    working_days = _window_days(working_days)
    now = timezone.now()
    opens_at = bounded_moment(opens_at, field="opens_at", label="开始时间")
    if opens_at is not None and opens_at < now - timedelta(minutes=1):
        raise ValidationError({"opens_at": "开始时间不能早于当前时间。"})
    draft.status, draft.requested_working_days, draft.requested_opens_at = DraftStatus.CLEARANCE, working_days, opens_at
    draft.clearance_requested_at = now
    wished = f",拟于{fmt(opens_at)}开始" if opens_at else ",审查通过后即开始"
    _save(draft, by=by, reason=f"送保密审查:拟征求意见{working_days}个工作日{wished}",
          fields=["status", "requested_working_days", "requested_opens_at", "clearance_requested_at"])
    confidentiality.notify_unit(
        confidentiality.reviewer_ids(draft.unit_id), by=by, url=reverse("participation:clear_draft", args=[draft.pk]),
        event_key=confidentiality.waiting_key("draft", draft, draft.clearance_requested_at),
        title=f"【待保密审查】决策草案《{draft.title}》",
        body=f"{draft.unit.name}报送决策草案,拟公开征求意见{working_days}个工作日,请进行保密审查。")
    return draft


def _window_days(working_days) -> int:
    try:
        working_days = int(working_days)
    except (TypeError, ValueError):
        raise ValidationError({"working_days": "请填写征求意见的工作日数。"}) from None
    if working_days < conf.COMMENT_WINDOW_MIN_DAYS:
        raise ValidationError({"working_days": f"征求意见期不得少于{conf.COMMENT_WINDOW_MIN_DAYS}个工作日,"
                                               f"当前为{working_days}个工作日。"})
    if working_days > conf.COMMENT_WINDOW_MAX_DAYS:
        raise ValidationError({"working_days": f"征求意见期最长{conf.COMMENT_WINDOW_MAX_DAYS}个工作日。"})
    return working_days


def draft_shown_text(draft: DecisionDraft) -> str:
    """Everything the public page of a draft shows, as the confidentiality reviewer reads it (D7)."""
    return f"{draft.title}\n\n草案全文:\n{draft.text}\n\n决策依据:\n{draft.basis}"


@transaction.atomic
def draft_clearance_decide(*, draft: DecisionDraft, cleared: bool, opinion: str, by) -> DecisionDraft:
    """保密审查 of a decision draft (D7): cleared, it is published and the comment window opens (M2);
    refused, it goes back to the drafting unit with the reviewer's opinion."""
    draft = DecisionDraft.objects.select_for_update().select_related("unit").get(pk=draft.pk)
    if not permissions.can_clear_draft(by, draft):
        _deny("您无权对该决策草案进行保密审查。")
    now = timezone.now()
    decision = confidentiality.clearance_decide(item=draft, unit_id=draft.unit_id, cleared=cleared, opinion=opinion,
                                     shown_title=draft.title, shown_text=draft_shown_text(draft), by=by, at=now)
    staff = confidentiality.unit_member_ids(draft.unit_id, *permissions.STAFF_ROLES)
    url = reverse("participation:staff_draft", args=[draft.pk])
    if not cleared:
        _check(DRAFT_TRANSITIONS, draft.status, DraftStatus.DRAFTING, "草案", DraftStatus)
        draft.status = DraftStatus.DRAFTING
        _save(draft, by=by, reason=f"保密审查未通过,退回修改:{decision.opinion}", fields=["status"])
        confidentiality.notify_unit(staff, by=by, url=url, event_key=confidentiality.decided_key(decision),
                                    title=f"【保密审查未通过】决策草案《{draft.title}》",
                                    body=f"审查意见:{decision.opinion}。请修改后重新报送。")
        return draft
    opens_at = max(draft.requested_opens_at or now, now)
    period = _open_period(draft, working_days=draft.requested_working_days, opens_at=opens_at, by=by)
    _check(DRAFT_TRANSITIONS, draft.status, DraftStatus.CONSULTING, "草案", DraftStatus)
    draft.status, draft.published_at, draft.confidentiality_cleared_at = DraftStatus.CONSULTING, opens_at, now
    _save(draft, by=by, reason=f"保密审查通过,公布草案并征求意见(截止{fmt(period.closes_at)})",
          fields=["status", "published_at", "confidentiality_cleared_at"])
    confidentiality.notify_unit(staff, by=by, url=url, event_key=confidentiality.decided_key(decision),
                                title=f"【保密审查通过】决策草案《{draft.title}》",
                                body=f"草案已公布,征求意见期{fmt(period.opens_at)}至{fmt(period.closes_at)}。")
    return draft


def _open_period(draft: DecisionDraft, *, working_days: int, opens_at: datetime, by) -> CommentPeriod:
    """The comment window: its close by the official calendar, stored as `closes_at` and as the
    deadline the sweep enforces (CLOCK2, CLOCK3); at least 7 working days from the opening (M2)."""
    working_days = _window_days(working_days)
    due = workdays.due_moment(started_at=opens_at, days=working_days)
    period = CommentPeriod(draft=draft, working_days=working_days, opens_at=opens_at, closes_at=due.due_at,
                           provisional=due.provisional)
    _save(period, by=by, reason=f"征求意见{working_days}个工作日,{fmt(opens_at)}开始,{fmt(due.due_at)}截止")
    deadline = deadline_start(rule=window_rule(working_days), target=period, unit=draft.unit,
                              subject=f"《{draft.title}》征求意见", started_at=opens_at, by=by)
    assert deadline.due_at == period.closes_at
    return period


@transaction.atomic
def draft_exempt(*, draft: DecisionDraft, reason: str, by) -> DecisionDraft:
    """依法不予公开 — a lawful confidentiality exemption keeps the draft off the public site (M2)."""
    if not permissions.can_manage_draft(by, draft):
        _deny()
    reason = clean_text(reason, field="reason", label="不予公开的法定理由", max_chars=2000)
    draft = DecisionDraft.objects.select_for_update().get(pk=draft.pk)
    _check(DRAFT_TRANSITIONS, draft.status, DraftStatus.EXEMPT, "草案", DraftStatus)
    draft.status, draft.exemption_reason = DraftStatus.EXEMPT, reason
    _save(draft, by=by, reason=f"依法不予公开:{reason}", fields=["status", "exemption_reason"])
    return draft


@transaction.atomic
def draft_mark_decided(*, draft: DecisionDraft, note: str, by) -> DecisionDraft:
    """已决策 — only after the comment period has ended (M2); the unit head records it."""
    if not permissions.can_decide_draft(by, draft):
        _deny()
    note = clean_text(note, field="note", label="决策结果", max_chars=2000)
    draft = DecisionDraft.objects.select_for_update().get(pk=draft.pk)
    _check(DRAFT_TRANSITIONS, draft.status, DraftStatus.DECIDED, "草案", DraftStatus)
    now = timezone.now()
    period = draft.periods.order_by("-opens_at").first()
    if draft.status == DraftStatus.CONSULTING and period and now <= period.closes_at:
        raise ValidationError(f"征求意见期至{fmt(period.closes_at)}才截止,截止前不能作出决策。")
    draft.status, draft.decided_at, draft.decision_note = DraftStatus.DECIDED, now, note
    _save(draft, by=by, reason=f"已决策:{note}", fields=["status", "decided_at", "decision_note"])
    return draft


def draft_executive_adoption(draft: DecisionDraft) -> MeetingTopic | None:
    """The executive meeting topic that adopted this draft, once its outcome is published (M6)."""
    return (MeetingTopic.objects.filter(draft=draft, adopted=True, meeting__kind=MeetingKind.EXECUTIVE,
                                        meeting__outcome_published_at__isnull=False)
            .select_related("meeting").first())


@transaction.atomic
def draft_link_document(*, draft: DecisionDraft, document, by) -> DecisionDraft:
    """形成的公文 — the document (公文) the draft becomes, filed by its unit; `None` removes the link.

    Set before the executive meeting's outcome is recorded, so that recording the
    adoption starts the document's issue clock (M6). Once an executive meeting has
    adopted the draft the link is fixed: the city office then records the meeting on
    the document's own page.
    """
    if not permissions.can_manage_draft(by, draft):
        _deny()
    draft = DecisionDraft.objects.select_for_update().get(pk=draft.pk)
    if document is not None:
        from .selectors import documents_for_draft  # selectors import this module

        document = documents_for_draft(draft).filter(pk=document.pk).first()
        if document is None:
            raise ValidationError({"document": "请选择本单位起草或联合起草、未撤回的公文。"})
    if draft.document_id == (document.pk if document else None):
        return draft
    if draft_executive_adoption(draft) is not None:
        raise ValidationError("该草案已经政府常务会议审议通过,不能再更改形成的公文;"
                              "会后印发时限请由市政府办公室在公文页面登记。")
    draft.document = document
    _save(draft, by=by, reason=f"关联形成的公文《{document.title}》" if document else "取消关联公文",
          fields=["document"])
    return draft


# --- comments (M2) ----------------------------------------------------------------------------


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
        _save(comment, by=comment.user, reason="提交意见")
    return comment


@transaction.atomic
def comments_moderate(*, period: CommentPeriod, comment_ids: Iterable[int], show: bool, reason: str = "",
                      by) -> int:
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
        _check(COMMENT_TRANSITIONS, row.status, new, "意见", CommentStatus)
        row.status, row.moderated_by, row.moderated_at = new, by, now
        row.hidden_reason = reason if not show else ""
        _save(row, by=by, reason=f"屏蔽:{reason}" if not show else "审核通过,公开显示",
              fields=["status", "moderated_by", "moderated_at", "hidden_reason"])
        changed += 1
    return changed


# --- opinion groups and the adoption report (M3, P3) -----------------------------------------------


def _report_open(period: CommentPeriod, by) -> None:
    if not permissions.can_manage_draft(by, period.draft):
        _deny()
    if period.report_published_at:
        raise ValidationError("采纳情况已公布,不能再修改意见归类。")
    if period.report_clearance == Clearance.PENDING:  # D7: the reviewer clears exactly what was sent
        raise ValidationError("采纳情况正在保密审查,审查结束前不能修改。")


@transaction.atomic
def opinion_group_create(*, period: CommentPeriod, title: str, by) -> OpinionGroup:
    """意见归类 — name one opinion that several comments share."""
    period = CommentPeriod.objects.select_for_update().select_related("draft").get(pk=period.pk)
    _report_open(period, by)
    group = OpinionGroup(period=period, created_by=by,
                         title=clean_text(title, field="title", label="意见概述", max_chars=300))
    _save(group, by=by, reason="新建意见归类")
    return group


@transaction.atomic
def comments_assign_group(*, period: CommentPeriod, comment_ids: Iterable[int], group: OpinionGroup | None,
                          by) -> int:
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
        _save(row, by=by, reason=f"归入“{group.title}”" if group else "移出意见归类", fields=["group"])
    return len(rows)


@transaction.atomic
def opinion_group_decide(*, group: OpinionGroup, decision: str, reason: str, by) -> OpinionGroup:
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
    _save(group, by=by, reason=f"{Adoption(decision).label}" + (f":{reason}" if reason else ""),
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
def adoption_report_publish(*, period: CommentPeriod, summary: str, by) -> CommentPeriod:
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
    _save(period, by=by, reason="意见采纳情况送保密审查",
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
def adoption_report_clearance_decide(*, period: CommentPeriod, cleared: bool, opinion: str, by) -> CommentPeriod:
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
        _save(period, by=by, reason=f"意见采纳情况保密审查未通过,退回修改:{decision.opinion}",
              fields=["report_clearance"])
        confidentiality.notify_unit(staff, by=by, url=url, event_key=confidentiality.decided_key(decision),
                                    title=f"【保密审查未通过】《{draft.title}》意见采纳情况",
                                    body=f"审查意见:{decision.opinion}。请修改后重新报送。")
        return period
    period.report_clearance, period.report_cleared_at, period.report_published_at = Clearance.CLEARED, now, now
    _save(period, by=by, reason="保密审查通过,公布意见采纳情况",
          fields=["report_clearance", "report_cleared_at", "report_published_at"])
    deadline = open_deadline_for(period, ADOPTION_REPORT) or Deadline.objects.filter(
        content_type=ContentType.objects.get_for_model(CommentPeriod), object_id=period.pk, rule=ADOPTION_REPORT,
        state=DeadlineState.MISSED).first()
    if deadline is not None:
        deadline_meet(deadline=deadline, by=by, at=now, note="已公布意见采纳情况")
    text = adoption_summary(period)
    for topic in MeetingTopic.objects.select_for_update().filter(draft=draft):
        topic.adoption_summary = text
        _save(topic, by=by, reason="附上征求意见及采纳情况", fields=["adoption_summary"])
    confidentiality.notify_unit(staff, by=by, url=url, event_key=confidentiality.decided_key(decision),
                                title=f"【保密审查通过】《{draft.title}》意见采纳情况",
                                body="意见采纳情况已在草案页面公布。")
    return period


def _close_period(period: CommentPeriod, *, by) -> None:
    """Close the window (its clock is met at its own due moment) and start the adoption-report clock."""
    _check(PERIOD_TRANSITIONS, period.status, PeriodStatus.CLOSED, "征求意见期", PeriodStatus)
    period.status, period.closed_at = PeriodStatus.CLOSED, timezone.now()
    _save(period, by=by, reason=f"征求意见期届满,于{fmt(period.closes_at)}截止", fields=["status", "closed_at"])
    window = Deadline.objects.filter(
        content_type=ContentType.objects.get_for_model(CommentPeriod), object_id=period.pk,
        rule=window_rule(period.working_days), state__in=[DeadlineState.RUNNING, DeadlineState.MISSED],
    ).first()
    if window is not None:
        deadline_meet(deadline=window, by=by, at=window.due_at, note="征求意见期届满,自动截止")
    report = deadline_start(rule=ADOPTION_REPORT, target=period, unit=period.draft.unit,
                            subject=f"《{period.draft.title}》公布意见采纳情况", started_at=period.closes_at, by=by)
    notices.period_closed(period, report, by=by)


@transaction.atomic
def comment_period_close(*, period: CommentPeriod, by) -> CommentPeriod:
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


# --- meetings, hearings, events (M1, M4, M5, P4, P5) ---------------------------------------------


MEETING_FLAGS = ("is_public", "invite_stakeholders", "invite_public_reps", "invite_experts", "invite_media",
                 "publish_text", "publish_pictures", "publish_live_video")
MAX_ATTENDANCE_QUOTA = 100_000  # hardening: a larger number overflows the column


@transaction.atomic
def meeting_create(*, unit: Unit, kind: str, title: str, starts_at: datetime, place: str, by,
                   description: str = "", area: str = "", legal_basis: str = "", attendance_quota: int = 0,
                   **flags) -> Meeting:
    """会议计划 — states whether it is public and how, and whom it invites (M1, M4, M5)."""
    if not permissions.can_create_meeting(by, unit):
        _deny()
    unknown = set(flags) - set(MEETING_FLAGS)
    if unknown:
        raise TypeError(f"unknown meeting flags: {sorted(unknown)}")
    if kind not in MeetingKind.values:
        raise ValidationError({"kind": "请选择会议类型。"})
    if area and area not in Area.values:
        raise ValidationError({"area": "请选择领域。"})
    bounded_moment(starts_at, field="starts_at", label="召开时间")
    meeting = Meeting(
        unit=unit, kind=kind, starts_at=starts_at, created_by=by, area=area,
        title=clean_text(title, field="title", label="名称", max_chars=200),
        place=clean_text(place, field="place", label="地点", max_chars=200),
        description=clean_text(description, field="description", label="说明", max_chars=5000, required=False),
        legal_basis=clean_text(legal_basis, field="legal_basis", label="听证依据", max_chars=300,
                               required=kind == MeetingKind.HEARING),
        attendance_quota=max(int(attendance_quota or 0), 0),
        **{name: bool(flags.get(name, False)) for name in MEETING_FLAGS},
    )
    _validate_meeting(meeting)
    _save(meeting, by=by, reason=f"制定{meeting.get_kind_display()}计划")
    return meeting


def _validate_meeting(meeting: Meeting) -> None:
    errors = {}
    if meeting.is_public and not meeting.publicity_modes:
        errors["is_public"] = "公开举行的会议须说明公开方式:文字、图片或视频直播。"
    if meeting.kind == MeetingKind.TELECONFERENCE and meeting.is_public and not meeting.invite_media:
        errors["invite_media"] = "涉及公众利益的电视电话会议须邀请市级和省级媒体。"
    if (meeting.kind in EVENT_KINDS or meeting.kind == MeetingKind.HEARING) and meeting.attendance_quota <= 0:
        errors["attendance_quota"] = "听证会和开放活动须设定报名名额。"
    if meeting.attendance_quota > MAX_ATTENDANCE_QUOTA:
        errors["attendance_quota"] = f"报名名额最多{MAX_ATTENDANCE_QUOTA}人。"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def meeting_topic_add(*, meeting: Meeting, title: str, by, draft: DecisionDraft | None = None,
                      major_public_interest: bool = False) -> MeetingTopic:
    """议题 — a draft consulted earlier brings its adoption summary with it (M5)."""
    if not permissions.can_manage_meeting(by, meeting):
        _deny()
    meeting = Meeting.objects.select_for_update().select_related("unit").get(pk=meeting.pk)
    if meeting.status not in (MeetingStatus.PLANNED, MeetingStatus.ANNOUNCED):
        raise ValidationError("会议已召开或已取消,不能再增加议题。")
    summary = ""
    if draft is not None:
        draft = DecisionDraft.objects.get(pk=draft.pk)
        if not permissions.can_put_on_agenda(meeting, draft):
            _deny("该决策草案不属于本单位,也未报送本次会议审议,不能列为议题。")
        period = draft.periods.order_by("-opens_at").first()
        if draft.status == DraftStatus.DRAFTING:
            raise ValidationError({"draft": "草案尚未公布征求意见,不能提交会议审议。"})
        if period and meeting.starts_at <= period.closes_at:
            raise ValidationError({"draft": f"征求意见期至{fmt(period.closes_at)}截止,会议须安排在截止之后。"})
        if period and period.report_published_at:
            summary = adoption_summary(period)
    topic = MeetingTopic(meeting=meeting, draft=draft, major_public_interest=bool(major_public_interest),
                         adoption_summary=summary, sort_order=meeting.topics.count() + 1,
                         title=clean_text(title, field="title", label="议题", max_chars=200))
    _save(topic, by=by, reason="增加议题" + ("并附征求意见采纳情况" if summary else ""))
    return topic


def _check_hearing_notice(meeting: Meeting, now: datetime) -> None:
    """P4 (行政许可法第四十八条): a hearing is announced seven days before it is held.

    The days are calendar dates in Beijing: announcing on 06-01 allows a hearing
    on 06-08 at any hour, whatever the clock time of either moment.
    """
    announced_on, held_on = workdays.beijing_date(now), workdays.beijing_date(meeting.starts_at)
    if (held_on - announced_on).days < conf.HEARING_NOTICE_DAYS:
        latest = date.fromordinal(held_on.toordinal() - conf.HEARING_NOTICE_DAYS)
        raise ValidationError(f"听证会须在举行{conf.HEARING_NOTICE_DAYS}日前公告(《中华人民共和国行政许可法》第四十八条):"
                              f"本次听证会定于{held_on:%Y-%m-%d}举行,最迟应于{latest:%Y-%m-%d}公告。")


@transaction.atomic
def meeting_announce(*, meeting: Meeting, by) -> Meeting:
    """公告 — the plan goes public; a hearing at least seven days ahead (P4); registration opens."""
    if not permissions.can_manage_meeting(by, meeting):
        _deny()
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _check(MEETING_TRANSITIONS, meeting.status, MeetingStatus.ANNOUNCED, "会议", MeetingStatus)
    now = timezone.now()
    if meeting.starts_at <= now:
        raise ValidationError("会议时间已过,不能再公告。")
    if meeting.kind == MeetingKind.HEARING:
        _check_hearing_notice(meeting, now)
    meeting.status, meeting.announced_at = MeetingStatus.ANNOUNCED, now
    _save(meeting, by=by, reason="公告会议", fields=["status", "announced_at"])
    return meeting


@transaction.atomic
def meeting_mark_held(*, meeting: Meeting, by) -> Meeting:
    """已召开 — not before its time, and not before any topic's comment period has ended (M2)."""
    if not permissions.can_manage_meeting(by, meeting):
        _deny()
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _check(MEETING_TRANSITIONS, meeting.status, MeetingStatus.HELD, "会议", MeetingStatus)
    now = timezone.now()
    if now < meeting.starts_at:
        raise ValidationError(f"会议定于{fmt(meeting.starts_at)}召开,尚未到时间。")
    periods = CommentPeriod.objects.filter(draft__topics__meeting=meeting, closes_at__gte=now)
    late = periods.select_related("draft").first()
    if late is not None:
        raise ValidationError(f"《{late.draft.title}》征求意见至{fmt(late.closes_at)}截止,截止前不能召开会议审议。")
    meeting.status, meeting.held_at = MeetingStatus.HELD, now
    _save(meeting, by=by, reason="会议已召开", fields=["status", "held_at"])
    return meeting


@transaction.atomic
def meeting_record_outcome(*, meeting: Meeting, outcome: str, minutes: str, topic_results: dict[int, tuple[bool, str]],
                           by) -> Meeting:
    """会议结果 — outcome and minutes (the hearing record, P4) published; which topics were adopted.

    An executive meeting adopting a draft that is linked to its document starts that document's issue
    clock (M6) in the same transaction: if the clock cannot start, nothing is recorded and the message
    says why, so no adoption is ever left without its clock.
    """
    if not permissions.can_manage_meeting(by, meeting):
        _deny()
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != MeetingStatus.HELD:
        raise ValidationError("会议召开后才能公布结果。")
    if meeting.outcome_published_at:
        raise ValidationError("会议结果已公布。")
    outcome = clean_text(outcome, field="outcome", label="会议结果", max_chars=10000)
    minutes = clean_text(minutes, field="minutes", label="会议纪要或听证笔录", max_chars=50000,
                         required=meeting.kind == MeetingKind.HEARING)
    topics = list(meeting.topics.select_for_update())
    adopted = []
    for topic in topics:
        if topic.pk not in topic_results:
            raise ValidationError(f"请填写议题“{topic.title}”的审议结果。")
        is_adopted, note = topic_results[topic.pk]
        topic.adopted = bool(is_adopted)
        topic.outcome_note = clean_text(note, field="outcome_note", label="审议结果说明", max_chars=300, required=False)
        _save(topic, by=by, reason="审议通过" if topic.adopted else "未通过", fields=["adopted", "outcome_note"])
        if topic.adopted:
            adopted.append(topic)
    meeting.outcome, meeting.minutes, meeting.outcome_published_at = outcome, minutes, timezone.now()
    _save(meeting, by=by, reason="公布会议结果", fields=["outcome", "minutes", "outcome_published_at"])
    if meeting.kind == MeetingKind.EXECUTIVE:
        _start_issue_clocks(meeting, adopted, by=by)
    return meeting


def _start_issue_clocks(meeting: Meeting, topics: list[MeetingTopic], *, by) -> None:
    """M6: each adopted draft's document is issued within 7 (10 with major revisions) working days of the
    meeting's day. The meeting's own date is no back-dating, so an already overdue clock is recorded as such."""
    held_on = workdays.beijing_date(meeting.starts_at)
    for topic in topics:
        document = topic.draft.document if topic.draft_id else None
        if document is None:
            continue
        try:
            document_record_meeting_adoption(document=document, meeting=meeting.title[:120], meeting_date=held_on,
                                             major_revisions=document.major_revisions, confirm_overdue=True, by=by)
        except PermissionDenied as exc:
            raise ValidationError(f"议题“{topic.title}”形成的公文《{document.title}》的会后印发时限须由"
                                  f"市政府办公室登记:{exc}") from exc
        except ValidationError as exc:
            raise ValidationError(f"议题“{topic.title}”形成的公文《{document.title}》未能开始会后印发计时:"
                                  + ";".join(exc.messages)) from exc


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, reason: str, by) -> Meeting:
    if not permissions.can_manage_meeting(by, meeting):
        _deny()
    reason = clean_text(reason, field="reason", label="取消原因", max_chars=300)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _check(MEETING_TRANSITIONS, meeting.status, MeetingStatus.CANCELLED, "会议", MeetingStatus)
    meeting.status, meeting.cancel_reason = MeetingStatus.CANCELLED, reason
    _save(meeting, by=by, reason=f"取消:{reason}", fields=["status", "cancel_reason"])
    return meeting


def _taken(meeting: Meeting) -> int:
    return meeting.registrations.filter(
        status__in=[RegistrationStatus.APPROVED, RegistrationStatus.ATTENDED]).count()


@transaction.atomic
def registration_submit(*, meeting: Meeting, name: str, contact: str, category: str, organization: str = "",
                        wants_to_speak: bool = False, statement: str = "", user=None) -> tuple[Registration, str]:
    """报名列席 — within the quota, before the meeting; returns the registration and its query code (M1)."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != MeetingStatus.ANNOUNCED or meeting.attendance_quota <= 0:
        raise ValidationError("该会议不接受报名。")
    if timezone.now() >= meeting.starts_at:
        raise ValidationError("会议已开始,报名已截止。")
    if _taken(meeting) >= meeting.attendance_quota:
        raise ValidationError("名额已满。")
    if category not in RegistrationCategory.values:
        raise ValidationError({"category": "请选择报名类别。"})
    code = new_query_code()
    registration = Registration(
        meeting=meeting, category=category, wants_to_speak=bool(wants_to_speak),
        name=clean_text(name, field="name", label="姓名", max_chars=40),
        contact=clean_text(contact, field="contact", label="联系方式", max_chars=100),
        organization=clean_text(organization, field="organization", label="单位或身份", max_chars=100, required=False),
        statement=clean_text(statement, field="statement", label="发言要点或报名理由", max_chars=2000,
                             required=bool(wants_to_speak)),
        query_code_hash=query_code_digest(code),
    )
    _save(registration, by=user if getattr(user, "is_authenticated", False) else None, reason="报名")
    return registration, code


@transaction.atomic
def registration_decide(*, registration: Registration, approve: bool, reason: str = "", by) -> Registration:
    """审核报名 — approval within the quota gives a confirmation code for the door (M1)."""
    meeting = Meeting.objects.select_for_update().get(pk=registration.meeting_id)
    if not permissions.can_manage_meeting(by, meeting):
        _deny()
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    new = RegistrationStatus.APPROVED if approve else RegistrationStatus.REJECTED
    _check(REGISTRATION_TRANSITIONS, registration.status, new, "报名", RegistrationStatus)
    reason = clean_text(reason, field="reason", label="审核说明", max_chars=200, required=not approve)
    if approve:
        if _taken(meeting) >= meeting.attendance_quota:
            raise ValidationError("名额已满,不能再批准。")
        registration.confirmation_code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    registration.status, registration.decision_reason, registration.decided_by = new, reason, by
    _save(registration, by=by, reason="批准报名" if approve else f"未批准:{reason}",
          fields=["status", "decision_reason", "decided_by", "confirmation_code"])
    return registration


@transaction.atomic
def registration_mark_attended(*, meeting: Meeting, confirmation_code: str, by) -> Registration:
    """入场登记 — the confirmation code is checked at the door."""
    if not permissions.can_manage_meeting(by, meeting):
        _deny()
    code = "".join(ch for ch in (confirmation_code or "").upper() if ch.isalnum())
    registration = Registration.objects.select_for_update().filter(meeting=meeting, confirmation_code=code).first()
    if registration is None:
        raise ValidationError({"confirmation_code": "确认码无效。"})
    _check(REGISTRATION_TRANSITIONS, registration.status, RegistrationStatus.ATTENDED, "报名", RegistrationStatus)
    registration.status, registration.attended_at = RegistrationStatus.ATTENDED, timezone.now()
    _save(registration, by=by, reason="到场登记", fields=["status", "attended_at"])
    return registration


# --- third-party evaluations (P5) ------------------------------------------------------------------


@transaction.atomic
def evaluation_create(*, unit: Unit, title: str, policy_title: str, evaluator: str, area: str, summary: str,
                      report: str, by) -> Evaluation:
    if not permissions.can_manage_evaluation(by, unit):
        _deny()
    if area not in Area.values:
        raise ValidationError({"area": "请选择领域。"})
    evaluation = Evaluation(
        unit=unit, area=area, created_by=by,
        title=clean_text(title, field="title", label="评估报告名称", max_chars=200),
        policy_title=clean_text(policy_title, field="policy_title", label="被评估政策", max_chars=200),
        evaluator=clean_text(evaluator, field="evaluator", label="评估机构", max_chars=100),
        summary=clean_text(summary, field="summary", label="评估结论摘要", max_chars=5000),
        report=clean_text(report, field="report", label="报告正文", max_chars=100000),
    )
    _save(evaluation, by=by, reason="录入第三方评估")
    return evaluation


@transaction.atomic
def evaluation_publish(*, evaluation: Evaluation, by) -> Evaluation:
    if not permissions.can_manage_evaluation(by, evaluation.unit):
        _deny()
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if evaluation.published_at:
        raise ValidationError("该评估报告已公布。")
    evaluation.published_at = timezone.now()
    _save(evaluation, by=by, reason="公布第三方评估报告", fields=["published_at"])
    return evaluation


# --- messages: 网民留言 and 领导信箱 (P5, W2) ------------------------------------------------------------


def _default_unit() -> Unit:
    return Unit.objects.get(code=CITY_OFFICE_CODE)


@transaction.atomic
def message_submit(*, channel: str, category: str, title: str, body: str, contact: str, consent_to_publish: bool,
                   name: str = "", area: str = "", unit: Unit | None = None, user=None) -> tuple[Message, str]:
    """写留言 — routed to the chosen unit (the city office when none, and for the leader mailbox);
    the reply clock starts on receipt; the citizen gets a query code, shown once (P5)."""
    if channel not in Channel.values:
        raise ValidationError({"channel": "请选择留言渠道。"})
    if category not in MessageCategory.values:
        raise ValidationError({"category": "请选择留言类别。"})
    if area and area not in Area.values:
        raise ValidationError({"area": "请选择领域。"})
    if channel == Channel.LEADER_MAILBOX or unit is None:
        unit = _default_unit()
    code = new_query_code()
    message = Message(
        channel=channel, category=category, area=area, unit=unit, consent_to_publish=bool(consent_to_publish),
        title=clean_text(title, field="title", label="标题", max_chars=100),
        body=clean_text(body, field="body", label="留言内容", max_chars=conf.MESSAGE_MAX_CHARS),
        name=clean_text(name, field="name", label="姓名", max_chars=40, required=False),
        contact=clean_text(contact, field="contact", label="联系方式", max_chars=100),
        user=user if getattr(user, "is_authenticated", False) else None,
        query_code_hash=query_code_digest(code), received_at=timezone.now(),
    )
    _save(message, by=message.user, reason=f"收到{message.get_channel_display()},交{unit.short_name}办理")
    deadline_start(rule=REPLY[channel], target=message, unit=unit, subject=f"{message.get_channel_display()}:{message.title}",
                   started_at=message.received_at, by=_system_user())
    return message, code


def _reply_deadline(message: Message):
    return open_deadline_for(message, REPLY[message.channel]) or Deadline.objects.filter(
        content_type=ContentType.objects.get_for_model(Message), object_id=message.pk, rule=REPLY[message.channel],
        state=DeadlineState.MISSED).first()


@transaction.atomic
def message_transfer(*, message: Message, unit: Unit, reason: str, by) -> Message:
    """转办 — to the competent unit; the reply clock keeps its start and due moment, the new unit owns it."""
    if not permissions.can_route_message(by, message):
        _deny()
    reason = clean_text(reason, field="reason", label="转办说明", max_chars=200)
    message = Message.objects.select_for_update().get(pk=message.pk)
    if message.status != MessageStatus.RECEIVED:
        raise ValidationError("只有办理中的留言可以转办。")
    if unit.pk == message.unit_id:
        raise ValidationError({"unit": "已由该单位办理。"})
    old = message.unit
    deadline = _reply_deadline(message)
    message.unit = unit
    _save(message, by=by, reason=f"由{old.short_name}转{unit.short_name}办理:{reason}", fields=["unit"])
    if deadline is not None:
        started = deadline.started_at
        deadline_cancel(deadline=deadline, reason=f"转{unit.short_name}办理", by=by)
        deadline_start(rule=REPLY[message.channel], target=message, unit=unit, started_at=started, by=by,
                       subject=f"{message.get_channel_display()}:{message.title}")
    notices.message_transferred(message, from_unit=old, reason=reason, by=by)
    return message


@transaction.atomic
def message_reply(*, message: Message, reply: str, publish: bool, by) -> Message:
    """答复 — meets the reply clock; question and reply are published only with the writer's consent (P5)."""
    if not permissions.can_reply_message(by, message):
        _deny()
    reply = clean_text(reply, field="reply", label="答复内容", max_chars=10000)
    message = Message.objects.select_for_update().get(pk=message.pk)
    _check(MESSAGE_TRANSITIONS, message.status, MessageStatus.REPLIED, "留言", MessageStatus)
    if publish and not message.consent_to_publish:
        raise ValidationError({"publish": "留言人未同意公开,不能公开。"})
    now = timezone.now()
    message.status, message.reply, message.replied_at, message.replied_by = MessageStatus.REPLIED, reply, now, by
    message.published_at = now if publish else None
    _save(message, by=by, reason="答复留言" + (",并公开" if publish else ""),
          fields=["status", "reply", "replied_at", "replied_by", "published_at"])
    deadline = _reply_deadline(message)
    if deadline is not None:
        deadline_meet(deadline=deadline, by=by, note="已答复")
    return message


@transaction.atomic
def message_mark_invalid(*, message: Message, reason: str, by) -> Message:
    """无效留言 — e.g. repeated, abusive or unrelated; the clock is cancelled with the reason."""
    if not permissions.can_reply_message(by, message):
        _deny()
    reason = clean_text(reason, field="reason", label="无效原因", max_chars=200)
    message = Message.objects.select_for_update().get(pk=message.pk)
    _check(MESSAGE_TRANSITIONS, message.status, MessageStatus.INVALID, "留言", MessageStatus)
    message.status, message.invalid_reason = MessageStatus.INVALID, reason
    _save(message, by=by, reason=f"无效留言:{reason}", fields=["status", "invalid_reason"])
    deadline = _reply_deadline(message)
    if deadline is not None:
        deadline_cancel(deadline=deadline, reason=f"无效留言:{reason}", by=by)
    return message


def months_before(moment: datetime, months: int) -> datetime:
    """The same Beijing wall-clock moment `months` calendar months earlier (day clipped to the month's end)."""
    local = moment.astimezone(workdays.BEIJING)
    year, month = divmod(local.year * 12 + local.month - 1 - months, 12)
    month += 1
    day = min(local.day, monthrange(year, month)[1])
    return local.replace(year=year, month=month, day=day)


@transaction.atomic
def messages_flag_unanswered(*, now: datetime | None = None, by=None) -> int:
    """W2 — valid messages unanswered for three months are flagged once and shown to their unit."""
    by = by or _system_user()
    now = now or timezone.now()
    cutoff = months_before(now, conf.UNANSWERED_FLAG_MONTHS)
    rows = list(Message.objects.select_for_update(skip_locked=True)
                .filter(status=MessageStatus.RECEIVED, received_at__lte=cutoff, unanswered_flagged_at__isnull=True)
                .select_related("unit").order_by("pk")[:1000])
    if not rows:
        return 0
    for row in rows:
        row.unanswered_flagged_at = now
        _save(row, by=by, reason="超过三个月未答复", fields=["unanswered_flagged_at"])
    recipients = Membership.objects.filter(
        unit_id__in={r.unit_id for r in rows}, roles__code__in=permissions.STAFF_ROLES, user__is_active=True,
    ).values_list("user_id", "unit_id").distinct()
    by_unit: dict[int, list[Message]] = {}
    for row in rows:
        by_unit.setdefault(row.unit_id, []).append(row)
    notices = [
        InboxMessage(recipient_id=user_id, level="overdue", url="/participation/staff/messages/?flagged=1",
                     title=f"【超三个月未答复】{len(by_unit[unit_id])}条留言",
                     body="、".join(f"“{m.title}”" for m in by_unit[unit_id][:10]) + "超过三个月未答复,请立即办理。")
        for user_id, unit_id in sorted(set(recipients))
    ]
    notifications_send(notices, by=by)
    return len(rows)

