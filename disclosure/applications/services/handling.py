"""The clocks between receipt and reply (A2, A3, A5; CLOCK5): correction, extension, consultation, fees, 督办."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tongchuan_portal.clock.models import DeadlineState
from tongchuan_portal.clock.selectors import deadline_of
from tongchuan_portal.clock.services import (
    deadline_cancel, deadline_extend, deadline_meet, deadline_pause, deadline_resume, deadline_start, fmt,
)
from tongchuan_portal.clock import workdays

from .. import deadlines, permissions
from ..models import Application, Consultation, NoticeKind, Status, StepKind
from .common import (
    clock, deny, lock, moment_of, save, step, system_user, tell_applicant, tell_handlers, today, transition,
)
from .intake import _text, cancel_open


def _handler(application: Application, by: User) -> Application:
    application = lock(application)
    if not permissions.can_handle(by, application):
        deny()
    return application


def _reply_clock(application: Application):
    row = clock(application, deadlines.REPLY)
    if row is None:
        row = deadline_of(application, deadlines.REPLY, states=(DeadlineState.MISSED,), lock=True)
    return row


# --- 补正 (A2, 第三十条) -------------------------------------------------------------------------------


@transaction.atomic
def correction_request(*, application: Application, items: str, days: int = deadlines.CORRECTION_DEFAULT_DAYS,
                       by: User) -> Application:
    """补正告知书: once, within 7 working days of receipt, listing everything to correct and by when.

    Sending it ends the reply clock: the 20 working days run again from the day the corrected application is
    received (第三十条).
    """
    application = _handler(application, by)
    items = _text(items, field="items", label="需要补正的内容", max_chars=2000)
    if days not in deadlines.CORRECTION_PERIODS:
        raise ValidationError({"days": "请选择补正期限。"})
    if application.correction_requested_at is not None:
        raise ValidationError("补正告知只能发出一次(条例第三十条:一次性告知),该申请已告知过补正。")
    if application.status != Status.PROCESSING or application.reply_clearance == "pending":
        raise ValidationError(f"该申请当前为“{application.get_status_display()}”,不能告知补正。")
    window = clock(application, deadlines.CORRECTION_WINDOW)
    if window is None or window.due_at < timezone.now():
        raise ValidationError("已超过自收到申请之日起7个工作日的补正告知期限(条例第三十条),不能再要求补正。")
    deadline_meet(deadline=window, by=by, note="已发出补正告知书")
    reply = _reply_clock(application)
    if reply is not None:
        deadline_cancel(deadline=reply, reason="已告知补正,答复期限自收到补正后的申请之日起重新计算", by=by)
    now = timezone.now()
    application.correction_items, application.correction_days = items, days
    application.correction_requested_at = now
    transition(application, Status.CORRECTION)
    save(application, by=by, reason="发出补正告知书",
         fields=["correction_items", "correction_days", "correction_requested_at", "status"])
    due = deadline_start(rule=deadlines.CORRECTION, days=days, target=application, unit=application.unit,
                         subject=f"补正 {application.number}", started_at=now, by=by)
    step(application, StepKind.CORRECTION_REQUESTED, by=by, notice=NoticeKind.CORRECTION,
         text=f"请于{fmt(due.due_at)}前补正以下内容:\n{items}")
    tell_applicant(application, subject="补正告知书",
                   body=f"您的申请需要补正。请于{fmt(due.due_at)}前,凭申请编号和查询码在申请查询页面提交补正:\n{items}\n"
                        "逾期无正当理由不补正的,视为放弃申请,本机关不再处理。")
    return application


@transaction.atomic
def correction_submit(*, application: Application, text: str, by=None, received_on: date | None = None
                      ) -> Application:
    """The applicant corrects (through the status page), or staff record a correction received on paper.

    The reply period restarts from the day the corrected application is received (第三十条).
    """
    application = lock(application)
    staff = getattr(by, "is_authenticated", False) and permissions.can_handle(by, application)
    if received_on is not None and not staff:
        deny()
    if application.status != Status.CORRECTION:
        raise ValidationError("该申请当前不需要补正。")
    text = _text(text, field="text", label="补正内容", max_chars=3000)
    day = received_on or today()
    if day > today():
        raise ValidationError({"received_on": "收到补正的日期不能晚于今天。"})
    actor = by if staff else None
    pending = clock(application, deadlines.CORRECTION)
    if pending is not None:
        deadline_meet(deadline=pending, by=actor or system_user(), note="申请人已补正")
    application.correction_text, application.corrected_at, application.corrected_on = text, timezone.now(), day
    transition(application, Status.PROCESSING)
    save(application, by=actor, reason="收到补正后的申请", fields=["correction_text", "corrected_at", "corrected_on",
                                                                  "status"])
    reply = deadline_start(rule=deadlines.REPLY, target=application, unit=application.unit,
                           subject=f"政府信息公开申请 {application.number}", started_at=moment_of(day),
                           by=actor or system_user())
    step(application, StepKind.CORRECTED, by=actor,
         text=f"收到补正后的申请之日:{day:%Y-%m-%d}。答复期限重新计算,{fmt(reply.due_at)}前答复。")
    tell_handlers(application, event=f"corrected", title=f"申请人已补正 {application.number}",
                  body=f"答复期限重新计算,{fmt(reply.due_at)}前答复。", by=actor)
    return application


def correction_windows_close(deadlines_due: list) -> None:
    """The 7-working-day window passed without a correction notice: nothing more to do but close it."""
    by = system_user()
    for row in deadlines_due:
        fresh = deadline_of_row(row)
        if fresh is not None and fresh.state == DeadlineState.MISSED:
            deadline_cancel(deadline=fresh, reason="补正告知期限届满,未要求补正", by=by)


def deadline_of_row(row):
    from tongchuan_portal.clock.models import Deadline

    return Deadline.objects.select_for_update().filter(pk=row.pk).first()


def _close(application: Application, *, outcome: str, text: str, by: User) -> None:
    from .replies import default_remedies

    now = timezone.now()
    application.outcome, application.reply_text = outcome, text
    application.remedies = default_remedies(application.unit)
    application.replied_at, application.replied_on = now, workdays.beijing_date(now)
    transition(application, Status.REPLIED)
    save(application, by=by, reason=text,
         fields=["outcome", "reply_text", "remedies", "replied_at", "replied_on", "status"])
    step(application, StepKind.CLOSED, by=by, notice=NoticeKind.REPLY, text=text)
    tell_applicant(application, subject="终止办理告知", body=text)


def applications_close_uncorrected(deadlines_due: list) -> None:
    """No correction by its deadline → 其他处理·1 (逾期不补正), and the applicant is told (A2)."""
    from ..outcomes import Outcome

    by = system_user()
    for row in deadlines_due:
        application = Application.objects.select_for_update().filter(pk=row.object_id).first()
        if application is None or application.status != Status.CORRECTION:
            continue
        _close(application, outcome=Outcome.NO_CORRECTION, by=by,
               text="申请人无正当理由逾期未补正,视为放弃申请,本机关不再处理该政府信息公开申请(条例第三十条)。")
        fresh = deadline_of_row(row)
        if fresh is not None and fresh.state == DeadlineState.MISSED:
            deadline_cancel(deadline=fresh, reason="逾期未补正,申请终止办理", by=by)


# --- 延期 (A3, 第三十三条第二款) -------------------------------------------------------------------------


@transaction.atomic
def extension_approve(*, application: Application, days: int, reason: str, by: User) -> Application:
    """延期答复: once, at most 20 working days, approved by the head of the disclosure office, with notice."""
    application = lock(application)
    if not permissions.can_approve_extension(by, application):
        deny("延期答复须经政府信息公开工作机构负责人同意。")
    reason = _text(reason, field="reason", label="延期理由", max_chars=300)
    if not application.is_open or application.status == Status.SUBMITTED:
        raise ValidationError(f"该申请当前为“{application.get_status_display()}”,不能延期答复。")
    if application.extended_at is not None:
        raise ValidationError("答复期限只能延长一次(条例第三十三条)。")
    try:
        days = int(days)
    except (TypeError, ValueError):
        raise ValidationError({"days": "请填写延长的工作日数。"}) from None
    if not 1 <= days <= deadlines.EXTENSION_MAX_DAYS:
        raise ValidationError({"days": f"延长的期限最长不得超过{deadlines.EXTENSION_MAX_DAYS}个工作日。"})
    reply = clock(application, deadlines.REPLY)
    if reply is None:
        raise ValidationError("该申请目前没有计时中的答复期限,不能延期。")
    reply = deadline_extend(deadline=reply, days=days, reason=reason, by=by)
    application.extension_days, application.extension_reason = days, reason
    application.extension_approved_by, application.extended_at = by, timezone.now()
    save(application, by=by, reason=f"经政府信息公开工作机构负责人同意延期答复{days}个工作日:{reason}",
         fields=["extension_days", "extension_reason", "extension_approved_by", "extended_at"])
    when = fmt(reply.due_at) if reply.state == DeadlineState.RUNNING else "计时恢复后重新计算"
    step(application, StepKind.EXTENDED, by=by, notice=NoticeKind.EXTENSION,
         text=f"经政府信息公开工作机构负责人同意,答复期限延长{days}个工作日,{when}前答复。理由:{reason}")
    tell_applicant(application, subject="延期答复告知书",
                   body=f"因{reason},经政府信息公开工作机构负责人同意,答复期限延长{days}个工作日,将于{when}前答复。")
    return application


# --- 征求第三方意见 (A3, 第三十二条) ---------------------------------------------------------------------


@transaction.atomic
def consultation_start(*, application: Application, third_party: str, contact: str = "", question: str,
                       by: User) -> Consultation:
    """征求意见书: the third party has 15 working days; the reply clock is paused meanwhile."""
    application = _handler(application, by)
    third_party = _text(third_party, field="third_party", label="第三方名称", max_chars=100)
    question = _text(question, field="question", label="征求意见的事项", max_chars=2000)
    contact = _text(contact, field="contact", label="第三方联系方式", max_chars=100, required=False)
    if application.status != Status.PROCESSING or application.reply_clearance == "pending":
        raise ValidationError(f"该申请当前为“{application.get_status_display()}”,不能征求第三方意见。")
    reply = clock(application, deadlines.REPLY)
    if reply is None:
        raise ValidationError("该申请目前没有计时中的答复期限。")
    now = timezone.now()
    deadline_pause(deadline=reply, reason=f"征求第三方({third_party})意见,所需时间不计入答复期限", by=by, at=now)
    row = Consultation(application=application, third_party=third_party, contact=contact, question=question,
                       sent_at=now)
    from tongchuan_portal.core.workflow import save_with_history

    save_with_history(row, by=by, reason="发出征求意见书")
    transition(application, Status.CONSULTING)
    save(application, by=by, reason=f"征求第三方({third_party})意见", fields=["status"])
    due = deadline_start(rule=deadlines.CONSULTATION, target=application, unit=application.unit,
                         subject=f"第三方意见 {application.number}", started_at=now, by=by)
    step(application, StepKind.CONSULTATION_STARTED, by=by, notice=NoticeKind.CONSULTATION,
         text=f"申请公开的信息可能涉及第三方合法权益,已书面征求第三方意见,第三方应于{fmt(due.due_at)}前答复;"
              "征求意见所需时间不计入答复期限。")
    tell_applicant(application, subject="征求第三方意见",
                   body="您申请的信息涉及第三方合法权益,本机关已书面征求第三方意见。征求意见所需时间不计入答复期限。")
    return row


def _end_consultation(application: Application, *, opinion: str, by: User, text: str) -> None:
    row = application.consultations.select_for_update().filter(closed_at__isnull=True).first()
    now = timezone.now()
    if row is not None:
        from tongchuan_portal.core.workflow import save_with_history

        row.opinion, row.closed_at = opinion, now
        row.answered_at = now if opinion else None
        save_with_history(row, by=by, reason=text, fields=["opinion", "closed_at", "answered_at"])
    reply = clock(application, deadlines.REPLY)
    if reply is not None and reply.state == DeadlineState.PAUSED:
        reply = deadline_resume(deadline=reply, by=by, reason=text, at=now)
    transition(application, Status.PROCESSING)
    save(application, by=by, reason=text, fields=["status"])
    due = f"答复期限恢复计时,{fmt(reply.due_at)}前答复。" if reply is not None else ""
    step(application, StepKind.CONSULTATION_ENDED, by=by, text=f"{text}{due}")


@transaction.atomic
def consultation_record_opinion(*, application: Application, opinion: str, by: User) -> Application:
    """The third party answered: the reply clock resumes."""
    application = _handler(application, by)
    if application.status != Status.CONSULTING:
        raise ValidationError("该申请当前没有在征求第三方意见。")
    opinion = _text(opinion, field="opinion", label="第三方意见", max_chars=3000)
    pending = clock(application, deadlines.CONSULTATION)
    if pending is not None:
        deadline_meet(deadline=pending, by=by, note="收到第三方意见")
    _end_consultation(application, opinion=opinion, by=by, text="收到第三方意见。")
    return application


def consultations_lapse(deadlines_due: list) -> None:
    """The third party's 15 working days passed in silence: the office decides, the reply clock resumes."""
    by = system_user()
    for row in deadlines_due:
        application = Application.objects.select_for_update().filter(pk=row.object_id).first()
        if application is None or application.status != Status.CONSULTING:
            continue
        _end_consultation(application, opinion="", by=by,
                          text="第三方在15个工作日内未提出意见,由本机关依照条例规定决定是否公开。")
        fresh = deadline_of_row(row)
        if fresh is not None and fresh.state == DeadlineState.MISSED:
            deadline_cancel(deadline=fresh, reason="第三方逾期未提出意见,恢复答复计时", by=by)
        tell_handlers(application, event="consultation_lapsed", by=by,
                      title=f"第三方逾期未提出意见 {application.number}", body="答复期限已恢复计时。")
