"""Decision drafts (M2, M6): create, edit, send to confidentiality review, publish with a comment window, exempt, decide, link the document."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from tongchuan_portal.clock import workdays
from tongchuan_portal.clock.formatting import fmt
from tongchuan_portal.clock.services import deadline_start
from tongchuan_portal.core import confidentiality
from tongchuan_portal.core.validation import bounded_moment
from tongchuan_portal.core.workflow import check_transition, save_with_history
from tongchuan_portal.units.models import Unit

from .. import deadlines, permissions
from ..models import (
    DECIDING_KINDS,
    DRAFT_TRANSITIONS,
    Area,
    CommentPeriod,
    DecisionDraft,
    DraftStatus,
)
from ..selectors import documents_for_draft, draft_executive_adoption
from ._common import _deny, clean_text


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
                 by: User) -> DecisionDraft:
    """决策草案 — drafted by a unit; the decision basis is required (M2)."""
    if not permissions.can_create_draft(by, unit):
        _deny()
    draft = DecisionDraft(unit=unit, created_by=by, **_draft_fields(
        title=title, text=text, basis=basis, area=area, deciding_meeting_kind=deciding_meeting_kind))
    save_with_history(draft, by=by, reason="起草决策草案")
    return draft


@transaction.atomic
def draft_update(*, draft: DecisionDraft, title: str, text: str, basis: str, area: str, deciding_meeting_kind: str,
                 by: User) -> DecisionDraft:
    if not permissions.can_manage_draft(by, draft):
        _deny()
    draft = DecisionDraft.objects.select_for_update().get(pk=draft.pk)
    if draft.status != DraftStatus.DRAFTING:
        raise ValidationError("草案已公布或已决策,不能再修改。")
    fields = _draft_fields(title=title, text=text, basis=basis, area=area, deciding_meeting_kind=deciding_meeting_kind)
    for name, value in fields.items():
        setattr(draft, name, value)
    save_with_history(draft, by=by, reason="修改决策草案", fields=list(fields))
    return draft


@transaction.atomic
def draft_publish(*, draft: DecisionDraft, working_days: int, opens_at: datetime | None = None,
                  by: User) -> DecisionDraft:
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
    check_transition(DRAFT_TRANSITIONS, draft.status, DraftStatus.CLEARANCE, what="草案")
    working_days = _window_days(working_days)
    now = timezone.now()
    opens_at = bounded_moment(opens_at, field="opens_at", label="开始时间")
    if opens_at is not None and opens_at < now - timedelta(minutes=1):
        raise ValidationError({"opens_at": "开始时间不能早于当前时间。"})
    draft.status, draft.requested_working_days, draft.requested_opens_at = DraftStatus.CLEARANCE, working_days, opens_at
    draft.clearance_requested_at = now
    wished = f",拟于{fmt(opens_at)}开始" if opens_at else ",审查通过后即开始"
    save_with_history(draft, by=by, reason=f"送保密审查:拟征求意见{working_days}个工作日{wished}",
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
    if working_days < deadlines.COMMENT_WINDOW_MIN_DAYS:
        raise ValidationError({"working_days": f"征求意见期不得少于{deadlines.COMMENT_WINDOW_MIN_DAYS}个工作日,"
                                               f"当前为{working_days}个工作日。"})
    if working_days > deadlines.COMMENT_WINDOW_MAX_DAYS:
        raise ValidationError({"working_days": f"征求意见期最长{deadlines.COMMENT_WINDOW_MAX_DAYS}个工作日。"})
    return working_days


def draft_shown_text(draft: DecisionDraft) -> str:
    """Everything the public page of a draft shows, as the confidentiality reviewer reads it (D7)."""
    return f"{draft.title}\n\n草案全文:\n{draft.text}\n\n决策依据:\n{draft.basis}"


@transaction.atomic
def draft_clearance_decide(*, draft: DecisionDraft, cleared: bool, opinion: str, by: User) -> DecisionDraft:
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
        check_transition(DRAFT_TRANSITIONS, draft.status, DraftStatus.DRAFTING, what="草案")
        draft.status = DraftStatus.DRAFTING
        save_with_history(draft, by=by, reason=f"保密审查未通过,退回修改:{decision.opinion}", fields=["status"])
        confidentiality.notify_unit(staff, by=by, url=url, event_key=confidentiality.decided_key(decision),
                                    title=f"【保密审查未通过】决策草案《{draft.title}》",
                                    body=f"审查意见:{decision.opinion}。请修改后重新报送。")
        return draft
    opens_at = max(draft.requested_opens_at or now, now)
    period = _open_period(draft, working_days=draft.requested_working_days, opens_at=opens_at, by=by)
    check_transition(DRAFT_TRANSITIONS, draft.status, DraftStatus.CONSULTING, what="草案")
    draft.status, draft.published_at, draft.confidentiality_cleared_at = DraftStatus.CONSULTING, opens_at, now
    save_with_history(draft, by=by, reason=f"保密审查通过,公布草案并征求意见(截止{fmt(period.closes_at)})",
                      fields=["status", "published_at", "confidentiality_cleared_at"])
    confidentiality.notify_unit(staff, by=by, url=url, event_key=confidentiality.decided_key(decision),
                                title=f"【保密审查通过】决策草案《{draft.title}》",
                                body=f"草案已公布,征求意见期{fmt(period.opens_at)}至{fmt(period.closes_at)}。")
    return draft


def _open_period(draft: DecisionDraft, *, working_days: int, opens_at: datetime, by: User) -> CommentPeriod:
    """The comment window: its close by the official calendar, stored as `closes_at` and as the
    deadline the sweep enforces (CLOCK2, CLOCK3); at least 7 working days from the opening (M2)."""
    working_days = _window_days(working_days)
    due = workdays.due_moment(started_at=opens_at, days=working_days)
    period = CommentPeriod(draft=draft, working_days=working_days, opens_at=opens_at, closes_at=due.due_at,
                           provisional=due.provisional)
    save_with_history(period, by=by, reason=f"征求意见{working_days}个工作日,{fmt(opens_at)}开始,{fmt(due.due_at)}截止")
    deadline_start(rule=deadlines.COMMENT_WINDOW, target=period, unit=draft.unit, days=working_days,
                   subject=f"《{draft.title}》征求意见", started_at=opens_at, by=by)
    return period


@transaction.atomic
def draft_exempt(*, draft: DecisionDraft, reason: str, by: User) -> DecisionDraft:
    """依法不予公开 — a lawful confidentiality exemption keeps the draft off the public site (M2)."""
    if not permissions.can_manage_draft(by, draft):
        _deny()
    reason = clean_text(reason, field="reason", label="不予公开的法定理由", max_chars=2000)
    draft = DecisionDraft.objects.select_for_update().get(pk=draft.pk)
    check_transition(DRAFT_TRANSITIONS, draft.status, DraftStatus.EXEMPT, what="草案")
    draft.status, draft.exemption_reason = DraftStatus.EXEMPT, reason
    save_with_history(draft, by=by, reason=f"依法不予公开:{reason}", fields=["status", "exemption_reason"])
    return draft


@transaction.atomic
def draft_mark_decided(*, draft: DecisionDraft, note: str, by: User) -> DecisionDraft:
    """已决策 — only after the comment period has ended (M2); the unit head records it."""
    if not permissions.can_decide_draft(by, draft):
        _deny()
    note = clean_text(note, field="note", label="决策结果", max_chars=2000)
    draft = DecisionDraft.objects.select_for_update().get(pk=draft.pk)
    check_transition(DRAFT_TRANSITIONS, draft.status, DraftStatus.DECIDED, what="草案")
    now = timezone.now()
    period = draft.periods.order_by("-opens_at").first()
    if draft.status == DraftStatus.CONSULTING and period and now <= period.closes_at:
        raise ValidationError(f"征求意见期至{fmt(period.closes_at)}才截止,截止前不能作出决策。")
    draft.status, draft.decided_at, draft.decision_note = DraftStatus.DECIDED, now, note
    save_with_history(draft, by=by, reason=f"已决策:{note}", fields=["status", "decided_at", "decision_note"])
    return draft


@transaction.atomic
def draft_link_document(*, draft: DecisionDraft, document, by: User) -> DecisionDraft:
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
        document = documents_for_draft(draft).filter(pk=document.pk).first()
        if document is None:
            raise ValidationError({"document": "请选择本单位起草或联合起草、未撤回的公文。"})
    if draft.document_id == (document.pk if document else None):
        return draft
    if draft_executive_adoption(draft) is not None:
        raise ValidationError("该草案已经政府常务会议审议通过,不能再更改形成的公文;"
                              "会后印发时限请由市政府办公室在公文页面登记。")
    draft.document = document
    save_with_history(draft, by=by, reason=f"关联形成的公文《{document.title}》" if document else "取消关联公文",
                      fields=["document"])
    return draft
