"""Who is told when a comment window closes (the adoption report is now due) and when a message is transferred."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.urls import reverse

from tongchuan_portal.clock.formatting import fmt
from tongchuan_portal.notifications.recipients import role_holders
from tongchuan_portal.notifications.services import notify_event

from . import permissions


def period_closed(period, report_deadline, *, by: User) -> None:
    """The drafting unit must now sort the opinions and publish how they were adopted, by the due moment."""
    draft = period.draft
    due = f",请于{fmt(report_deadline.due_at)}前" if report_deadline is not None else ",请及时"
    notify_event(f"participation.period_closed:{period.pk}", role_holders(draft.unit_id, *permissions.STAFF_ROLES),
                 by=by, title=f"【征求意见截止】《{draft.title}》,请公布意见采纳情况",
                 body=f"《{draft.title}》的征求意见期已于{fmt(period.closes_at)}截止{due}归类意见、"
                      "说明采纳情况并送保密审查后公布。",
                 url=reverse("participation:staff_draft", args=[draft.pk]))


def message_transferred(message, *, from_unit, reason: str, by: User) -> None:
    """转办: the receiving unit's clerks and head answer it now."""
    step = message.history.values_list("history_id", flat=True).first()
    notify_event(f"participation.message_transferred:{message.pk}:{step}",
                 role_holders(message.unit_id, *permissions.STAFF_ROLES), by=by,
                 title=f"【转办留言】{message.title}",
                 body=f"{from_unit.short_name}将一条{message.get_channel_display()}转由本单位办理。转办说明:{reason}",
                 url=reverse("participation:staff_message", args=[message.pk]))
