"""Meetings, hearings and events (M1, M4, M5, P4, P5): plans, topics, announcements, outcomes, registrations."""

from __future__ import annotations

import secrets
from datetime import date, datetime

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from tongchuan_portal.clock import workdays
from tongchuan_portal.clock.formatting import fmt
from tongchuan_portal.core.validation import bounded_moment
from tongchuan_portal.core.workflow import check_transition, save_with_history
from tongchuan_portal.units.models import Unit

from disclosure.services import document_record_meeting_adoption

from .. import conf, permissions
from ..codes import CODE_ALPHABET, new_query_code, query_code_digest
from ..models import (
    EVENT_KINDS,
    MEETING_TRANSITIONS,
    REGISTRATION_TRANSITIONS,
    Area,
    CommentPeriod,
    DecisionDraft,
    DraftStatus,
    Meeting,
    MeetingKind,
    MeetingStatus,
    MeetingTopic,
    Registration,
    RegistrationCategory,
    RegistrationStatus,
)
from ._common import _deny, clean_text
from .consultation import adoption_summary


MEETING_FLAGS = ("is_public", "invite_stakeholders", "invite_public_reps", "invite_experts", "invite_media",
                 "publish_text", "publish_pictures", "publish_live_video")
MAX_ATTENDANCE_QUOTA = 100_000  # hardening: a larger number overflows the column


@transaction.atomic
def meeting_create(*, unit: Unit, kind: str, title: str, starts_at: datetime, place: str, by: User,
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
    save_with_history(meeting, by=by, reason=f"制定{meeting.get_kind_display()}计划")
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
def meeting_topic_add(*, meeting: Meeting, title: str, by: User, draft: DecisionDraft | None = None,
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
    save_with_history(topic, by=by, reason="增加议题" + ("并附征求意见采纳情况" if summary else ""))
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
def meeting_announce(*, meeting: Meeting, by: User) -> Meeting:
    """公告 — the plan goes public; a hearing at least seven days ahead (P4); registration opens."""
    if not permissions.can_manage_meeting(by, meeting):
        _deny()
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    check_transition(MEETING_TRANSITIONS, meeting.status, MeetingStatus.ANNOUNCED, what="会议")
    now = timezone.now()
    if meeting.starts_at <= now:
        raise ValidationError("会议时间已过,不能再公告。")
    if meeting.kind == MeetingKind.HEARING:
        _check_hearing_notice(meeting, now)
    meeting.status, meeting.announced_at = MeetingStatus.ANNOUNCED, now
    save_with_history(meeting, by=by, reason="公告会议", fields=["status", "announced_at"])
    return meeting


@transaction.atomic
def meeting_mark_held(*, meeting: Meeting, by: User) -> Meeting:
    """已召开 — not before its time, and not before any topic's comment period has ended (M2)."""
    if not permissions.can_manage_meeting(by, meeting):
        _deny()
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    check_transition(MEETING_TRANSITIONS, meeting.status, MeetingStatus.HELD, what="会议")
    now = timezone.now()
    if now < meeting.starts_at:
        raise ValidationError(f"会议定于{fmt(meeting.starts_at)}召开,尚未到时间。")
    periods = CommentPeriod.objects.filter(draft__topics__meeting=meeting, closes_at__gte=now)
    late = periods.select_related("draft").first()
    if late is not None:
        raise ValidationError(f"《{late.draft.title}》征求意见至{fmt(late.closes_at)}截止,截止前不能召开会议审议。")
    meeting.status, meeting.held_at = MeetingStatus.HELD, now
    save_with_history(meeting, by=by, reason="会议已召开", fields=["status", "held_at"])
    return meeting


@transaction.atomic
def meeting_record_outcome(*, meeting: Meeting, outcome: str, minutes: str, topic_results: dict[int, tuple[bool, str]],
                           by: User) -> Meeting:
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
        save_with_history(topic, by=by, reason="审议通过" if topic.adopted else "未通过", fields=["adopted", "outcome_note"])
        if topic.adopted:
            adopted.append(topic)
    meeting.outcome, meeting.minutes, meeting.outcome_published_at = outcome, minutes, timezone.now()
    save_with_history(meeting, by=by, reason="公布会议结果", fields=["outcome", "minutes", "outcome_published_at"])
    if meeting.kind == MeetingKind.EXECUTIVE:
        _start_issue_clocks(meeting, adopted, by=by)
    return meeting


def _start_issue_clocks(meeting: Meeting, topics: list[MeetingTopic], *, by: User) -> None:
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
def meeting_cancel(*, meeting: Meeting, reason: str, by: User) -> Meeting:
    if not permissions.can_manage_meeting(by, meeting):
        _deny()
    reason = clean_text(reason, field="reason", label="取消原因", max_chars=300)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    check_transition(MEETING_TRANSITIONS, meeting.status, MeetingStatus.CANCELLED, what="会议")
    meeting.status, meeting.cancel_reason = MeetingStatus.CANCELLED, reason
    save_with_history(meeting, by=by, reason=f"取消:{reason}", fields=["status", "cancel_reason"])
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
    save_with_history(registration, by=user if getattr(user, "is_authenticated", False) else None, reason="报名")
    return registration, code


@transaction.atomic
def registration_decide(*, registration: Registration, approve: bool, reason: str = "", by: User) -> Registration:
    """审核报名 — approval within the quota gives a confirmation code for the door (M1)."""
    meeting = Meeting.objects.select_for_update().get(pk=registration.meeting_id)
    if not permissions.can_manage_meeting(by, meeting):
        _deny()
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    new = RegistrationStatus.APPROVED if approve else RegistrationStatus.REJECTED
    check_transition(REGISTRATION_TRANSITIONS, registration.status, new, what="报名")
    reason = clean_text(reason, field="reason", label="审核说明", max_chars=200, required=not approve)
    if approve:
        if _taken(meeting) >= meeting.attendance_quota:
            raise ValidationError("名额已满,不能再批准。")
        registration.confirmation_code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    registration.status, registration.decision_reason, registration.decided_by = new, reason, by
    save_with_history(registration, by=by, reason="批准报名" if approve else f"未批准:{reason}",
                      fields=["status", "decision_reason", "decided_by", "confirmation_code"])
    return registration


@transaction.atomic
def registration_mark_attended(*, meeting: Meeting, confirmation_code: str, by: User) -> Registration:
    """入场登记 — the confirmation code is checked at the door."""
    if not permissions.can_manage_meeting(by, meeting):
        _deny()
    code = "".join(ch for ch in (confirmation_code or "").upper() if ch.isalnum())
    registration = Registration.objects.select_for_update().filter(meeting=meeting, confirmation_code=code).first()
    if registration is None:
        raise ValidationError({"confirmation_code": "确认码无效。"})
    check_transition(REGISTRATION_TRANSITIONS, registration.status, RegistrationStatus.ATTENDED, what="报名")
    registration.status, registration.attended_at = RegistrationStatus.ATTENDED, timezone.now()
    save_with_history(registration, by=by, reason="到场登记", fields=["status", "attended_at"])
    return registration
