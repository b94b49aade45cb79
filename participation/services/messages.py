"""Messages: 网民留言 and 领导信箱 (P5, W2) — submit, transfer, reply, invalid, the three-month flag."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tongchuan_portal.clock.selectors import deadline_of
from tongchuan_portal.clock.services import deadline_cancel, deadline_meet, deadline_start
from tongchuan_portal.core.workflow import check_transition, save_with_history
from tongchuan_portal.notifications.services import Message as InboxMessage
from tongchuan_portal.notifications.services import notifications_send
from tongchuan_portal.units.models import Membership, SpecialUnit, Unit
from tongchuan_portal.units.selectors import special_unit

from .. import conf, notices, permissions
from ..codes import months_before, new_query_code, query_code_digest
from ..deadlines import REPLY
from ..models import MESSAGE_TRANSITIONS, Area, Channel, Message, MessageCategory, MessageStatus
from ._common import _deny, _system_user, clean_text


def _default_unit() -> Unit:
    return special_unit(SpecialUnit.CITY_OFFICE)


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
    save_with_history(message, by=message.user, reason=f"收到{message.get_channel_display()},交{unit.short_name}办理")
    deadline_start(rule=REPLY[channel], target=message, unit=unit, subject=f"{message.get_channel_display()}:{message.title}",
                   started_at=message.received_at, by=_system_user())
    return message, code


def _reply_deadline(message: Message):
    return deadline_of(message, REPLY[message.channel])


@transaction.atomic
def message_transfer(*, message: Message, unit: Unit, reason: str, by: User) -> Message:
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
    save_with_history(message, by=by, reason=f"由{old.short_name}转{unit.short_name}办理:{reason}", fields=["unit"])
    if deadline is not None:
        started = deadline.started_at
        deadline_cancel(deadline=deadline, reason=f"转{unit.short_name}办理", by=by)
        deadline_start(rule=REPLY[message.channel], target=message, unit=unit, started_at=started, by=by,
                       subject=f"{message.get_channel_display()}:{message.title}")
    notices.message_transferred(message, from_unit=old, reason=reason, by=by)
    return message


@transaction.atomic
def message_reply(*, message: Message, reply: str, publish: bool, by: User) -> Message:
    """答复 — meets the reply clock; question and reply are published only with the writer's consent (P5)."""
    if not permissions.can_reply_message(by, message):
        _deny()
    reply = clean_text(reply, field="reply", label="答复内容", max_chars=10000)
    message = Message.objects.select_for_update().get(pk=message.pk)
    check_transition(MESSAGE_TRANSITIONS, message.status, MessageStatus.REPLIED, what="留言")
    if publish and not message.consent_to_publish:
        raise ValidationError({"publish": "留言人未同意公开,不能公开。"})
    now = timezone.now()
    message.status, message.reply, message.replied_at, message.replied_by = MessageStatus.REPLIED, reply, now, by
    message.published_at = now if publish else None
    save_with_history(message, by=by, reason="答复留言" + (",并公开" if publish else ""),
                      fields=["status", "reply", "replied_at", "replied_by", "published_at"])
    deadline = _reply_deadline(message)
    if deadline is not None:
        deadline_meet(deadline=deadline, by=by, note="已答复")
    return message


@transaction.atomic
def message_mark_invalid(*, message: Message, reason: str, by: User) -> Message:
    """无效留言 — e.g. repeated, abusive or unrelated; the clock is cancelled with the reason."""
    if not permissions.can_reply_message(by, message):
        _deny()
    reason = clean_text(reason, field="reason", label="无效原因", max_chars=200)
    message = Message.objects.select_for_update().get(pk=message.pk)
    check_transition(MESSAGE_TRANSITIONS, message.status, MessageStatus.INVALID, what="留言")
    message.status, message.invalid_reason = MessageStatus.INVALID, reason
    save_with_history(message, by=by, reason=f"无效留言:{reason}", fields=["status", "invalid_reason"])
    deadline = _reply_deadline(message)
    if deadline is not None:
        deadline_cancel(deadline=deadline, reason=f"无效留言:{reason}", by=by)
    return message


@transaction.atomic
def messages_flag_unanswered(*, now: datetime | None = None, by: User | None = None) -> int:
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
        save_with_history(row, by=by, reason="超过三个月未答复", fields=["unanswered_flagged_at"])
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
