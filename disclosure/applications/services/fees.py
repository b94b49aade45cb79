"""信息处理费 (A5; 条例第四十二条): the fee notice pauses the reply clock; payment resumes it; none in time ends
the application (其他处理·2)."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tongchuan_portal.clock import workdays
from tongchuan_portal.clock.models import DeadlineState
from tongchuan_portal.clock.services import (
    deadline_cancel, deadline_meet, deadline_pause, deadline_resume, deadline_start, fmt,
)
from tongchuan_portal.core.workflow import save_with_history

from .. import deadlines, fees
from ..models import Application, Fee, FeeMethod, NoticeKind, Status, StepKind
from .common import clock, save, step, system_user, tell_applicant, today, transition
from .handling import _close, _handler, deadline_of_row
from .intake import cancel_open


def applications_in_month(application: Application) -> int:
    """Which application of its applicant in the natural month this one is (by ID number or credit code, A5)."""
    day = application.received_on or workdays.beijing_date(application.submitted_at)
    field = "credit_code" if application.applicant_type == "organisation" else "id_number"
    same = Application.objects.filter(**{field: application.identifier}, applicant_type=application.applicant_type)
    earlier = same.filter(received_on__gte=day.replace(day=1), received_on__lt=day).count()
    return earlier + same.filter(received_on=day, pk__lte=application.pk).count()


def fee_compute(application: Application, *, method: str, pages: int | None = None) -> fees.FeeComputation:
    if method == FeeMethod.PER_APPLICATION:
        return fees.per_application(applications_in_month(application))
    if method == FeeMethod.PER_VOLUME:
        if not pages or pages < 1:
            raise ValidationError({"pages": "按量计收的,请填写所提供信息的页数。"})
        return fees.per_volume(pages)
    raise ValidationError({"method": "请选择计收方式。"})


@transaction.atomic
def fee_notify(*, application: Application, method: str, pages: int | None = None, by: User) -> Fee:
    """收费通知书: the amount is computed on the national scale and the reply clock pauses until paid."""
    application = _handler(application, by)
    if application.status != Status.PROCESSING or application.reply_clearance == "pending":
        raise ValidationError(f"该申请当前为“{application.get_status_display()}”,不能发出收费通知。")
    if Fee.objects.filter(application=application).exists():
        raise ValidationError("该申请已发出过收费通知;每件申请只能采用一种计收方式。")
    computed = fee_compute(application, method=method, pages=pages)
    if computed.amount <= 0:
        raise ValidationError(f"按国家标准计算无需收费:{computed.arithmetic}")
    reply = clock(application, deadlines.REPLY)
    if reply is None:
        raise ValidationError("该申请目前没有计时中的答复期限。")
    now = timezone.now()
    deadline_pause(deadline=reply, reason="发出收费通知,缴费期间不计入答复期限", by=by, at=now)
    count = pages if method == FeeMethod.PER_VOLUME else applications_in_month(application)
    fee = Fee(application=application, method=method, count=count, amount=computed.amount,
              arithmetic=computed.arithmetic, notified_at=now)
    save_with_history(fee, by=by, reason="发出收费通知书")
    transition(application, Status.AWAITING_FEE)
    save(application, by=by, reason="发出收费通知书", fields=["status"])
    due = deadline_start(rule=deadlines.FEE, target=application, unit=application.unit,
                         subject=f"缴费 {application.number}", started_at=now, by=by)
    step(application, StepKind.FEE_NOTIFIED, by=by, notice=NoticeKind.FEE,
         text=f"应缴信息处理费{computed.amount}元。{computed.arithmetic}请于{fmt(due.due_at)}前缴纳;"
              "逾期未缴纳的,视为放弃申请。")
    tell_applicant(application, subject="收费通知书",
                   body=f"应缴信息处理费{computed.amount}元。{computed.arithmetic}请于{fmt(due.due_at)}前缴纳。")
    return fee


@transaction.atomic
def fee_record_paid(*, application: Application, paid_on: date, by: User) -> Fee:
    application = _handler(application, by)
    if application.status != Status.AWAITING_FEE:
        raise ValidationError("该申请当前没有待缴纳的费用。")
    if paid_on is None or paid_on > today():
        raise ValidationError({"paid_on": "请填写缴费日期(不能晚于今天)。"})
    fee = Fee.objects.select_for_update().get(application=application)
    if paid_on < workdays.beijing_date(fee.notified_at):
        raise ValidationError({"paid_on": "缴费日期不能早于收费通知的日期。"})
    fee.paid_on = paid_on
    save_with_history(fee, by=by, reason=f"记录缴费({paid_on:%Y-%m-%d})", fields=["paid_on"])
    pending = clock(application, deadlines.FEE)
    if pending is not None:
        deadline_meet(deadline=pending, by=by, note="已缴费")
    reply = clock(application, deadlines.REPLY)
    if reply is not None and reply.state == DeadlineState.PAUSED:
        reply = deadline_resume(deadline=reply, by=by, reason="申请人已缴费")
    transition(application, Status.PROCESSING)
    save(application, by=by, reason="申请人已缴费", fields=["status"])
    step(application, StepKind.FEE_PAID, by=by,
         text=f"已于{paid_on:%Y-%m-%d}缴纳信息处理费{fee.amount}元。" + (
             f"答复期限恢复计时,{fmt(reply.due_at)}前答复。" if reply is not None else ""))
    return fee


def applications_close_unpaid(deadlines_due: list) -> None:
    """Unpaid 20 working days after the fee notice → 其他处理·2, and the applicant is told (A5)."""
    from ..outcomes import Outcome

    by = system_user()
    for row in deadlines_due:
        application = Application.objects.select_for_update().filter(pk=row.object_id).first()
        if application is None or application.status != Status.AWAITING_FEE:
            continue
        cancel_open(application, deadlines.REPLY, reason="逾期未缴费,申请终止办理", by=by)
        _close(application, outcome=Outcome.UNPAID, by=by,
               text="申请人逾期未按收费通知要求缴纳费用,视为放弃申请,本机关不再处理该政府信息公开申请。")
        fresh = deadline_of_row(row)
        if fresh is not None and fresh.state == DeadlineState.MISSED:
            deadline_cancel(deadline=fresh, reason="逾期未缴费,申请终止办理", by=by)


