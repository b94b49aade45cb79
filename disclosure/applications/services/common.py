"""What every application service shares: the lock, the transition, the timeline step, telling people."""

from __future__ import annotations

import logging
import re
from datetime import date, datetime, time

from django.contrib.auth.models import User
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from tongchuan_portal.clock import workdays
from tongchuan_portal.clock.models import DeadlineState
from tongchuan_portal.clock.selectors import deadline_of
from tongchuan_portal.core.workflow import move, save_with_history
from tongchuan_portal.notifications.recipients import role_holders
from tongchuan_portal.notifications.services import notify_event

from ..models import TRANSITIONS, Application, ApplicationStep
from ..permissions import HANDLER_ROLES

logger = logging.getLogger(__name__)

OPEN = (DeadlineState.RUNNING, DeadlineState.PAUSED)


def system_user():
    from tongchuan_portal.core.services import system_user as system

    return system()


def deny(message: str = "您没有权限办理该申请。"):
    raise PermissionDenied(message)


def lock(application: Application) -> Application:
    return Application.objects.select_for_update().get(pk=application.pk)


def transition(application: Application, new: str) -> None:
    move(application, new, TRANSITIONS, what="该申请")


def today() -> date:
    return workdays.beijing_date(timezone.now())


def moment_of(day: date) -> datetime:
    """The moment a day-counted clock starts from a date the law fixes: now if it is today, else noon that day.

    Only the date counts (CLOCK7: the period begins the next day); the time keeps the order of events.
    """
    now = timezone.now()
    if workdays.beijing_date(now) == day:
        return now
    return datetime.combine(day, time(12), tzinfo=workdays.BEIJING)


def step(application: Application, kind: str, *, by: User, text: str = "", notice: str = "", public: bool = True,
         at: datetime | None = None) -> ApplicationStep:
    row = ApplicationStep(application=application, kind=kind, notice=notice, at=at or timezone.now(), text=text,
                          public=public, by=by if getattr(by, "pk", None) else None)
    save_with_history(row, by=by, reason=row.get_kind_display())
    return row


def save(application: Application, *, by: User, reason: str, fields: list[str]) -> None:
    save_with_history(application, by=by, reason=reason, fields=fields)


def clock(application: Application, rule: str, *, lock_row: bool = True):
    return deadline_of(application, rule, states=OPEN, lock=lock_row)


def normalized_description(text: str) -> str:
    """What counts two descriptions as the same request (第四十四条): no spaces or punctuation, first 200 chars."""
    return re.sub(r"[\W_]+", "", text or "")[:200]


def status_url() -> str:
    return reverse("applications:query")


def staff_url(application: Application) -> str:
    return reverse("applications:staff_detail", args=[application.pk])


def tell_handlers(application: Application, *, event: str, title: str, body: str = "", by: User, unit_id=None) -> None:
    ids = role_holders(unit_id or application.unit_id, *HANDLER_ROLES)
    notify_event(f"applications.{event}:{application.pk}", ids, title=title, body=body,
                 url=staff_url(application), by=by)


def tell_applicant(application: Application, *, subject: str, body: str) -> None:
    """E-mail the applicant, when an address was given, after the transaction commits (never inside it).

    A failure to send is logged and does not undo the step: the status page shows every step in any case.
    """
    if not application.email:
        return
    address, number = application.email, application.number
    text = (f"{body}\n\n申请编号:{number}\n凭申请编号和查询码可在铜川市政务公开平台“依申请公开 → 申请查询”"
            f"查看办理进度和全部告知书。\n\n本邮件由系统发出,请勿直接回复。")

    def send():
        try:
            send_mail(f"[政府信息公开申请 {number}] {subject}", text, settings.DEFAULT_FROM_EMAIL, [address])
        except Exception:  # an SMTP outage must not undo the office's act; the status page has it all
            logger.exception("could not e-mail the applicant of %s", number)

    transaction.on_commit(send)
