from __future__ import annotations

import contextlib
import logging
import smtplib
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from .models import EmailState, Notification

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Message:
    recipient_id: int
    title: str
    body: str = ""
    url: str = ""
    level: str = Notification.Level.INFO
    signal_id: int | None = None
    event_key: str = ""


def notifications_send(messages: list[Message], *, by: User) -> list[Notification]:
    """Put messages in the inboxes (one bulk insert with history); e-mail follows after commit."""
    if not messages:
        return []
    rows = [
        Notification(recipient_id=m.recipient_id, title=m.title[:300], body=m.body, url=m.url, level=m.level,
                     signal_id=m.signal_id, event_key=m.event_key)
        for m in messages
    ]
    created = bulk_create_with_history(rows, Notification, default_user=by, default_change_reason="发送站内消息")
    transaction.on_commit(_queue_emails)
    return created


def moment_key(moment) -> str:
    """A moment as part of an event key (e.g. when a submission was made): exact, stable, short."""
    return f"{moment.timestamp():.6f}" if moment else "-"


def notify_event(event_key: str, recipients: Iterable, *, title: str, body: str = "", url: str = "", by: User,
                 level: str = Notification.Level.INFO) -> list[Notification]:
    """Tell the people who act next about one hand-off: one inbox message each, e-mail after commit.

    `event_key` names the occurrence (e.g. ``document.returned:<notice pk>``); the database's
    unique (event key, recipient) makes a second call for the same event, a retried task or a
    concurrent twin send nothing more. The acting person is not told of their own act.
    `recipients` are users or user ids, resolved by role and unit by the caller
    (`tongchuan_portal.notifications.recipients`).
    """
    key = event_key[:200]
    if not key:
        raise ValueError("notify_event needs an event key")
    ids = sorted({getattr(r, "pk", r) for r in recipients if r is not None} - {getattr(by, "pk", None)})
    if not ids:
        return []
    told = set(Notification.objects.filter(event_key=key, recipient_id__in=ids).values_list("recipient_id", flat=True))
    fresh = [Message(recipient_id=uid, title=title, body=body, url=url, level=level, event_key=key)
             for uid in ids if uid not in told]
    if not fresh:
        return []
    try:
        with transaction.atomic():  # a savepoint: losing the race to a concurrent twin keeps the caller's work
            return notifications_send(fresh, by=by)
    except IntegrityError:
        logger.info("event %s was already notified by a concurrent call", key)
        return []


def _queue_emails():
    from .tasks import send_pending_emails

    try:
        send_pending_emails.apply_async(retry=False)
    except Exception:  # the periodic run sends them if the broker is away now
        logger.warning("could not queue the e-mail task; the periodic run sends the messages", exc_info=True)


@transaction.atomic
def notifications_mark_read(*, user, ids: list[int] | None = None) -> int:
    """Mark the user's own messages read (all unread ones when `ids` is None)."""
    rows = Notification.objects.select_for_update().filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        rows = rows.filter(pk__in=ids)
    rows = list(rows)
    now = timezone.now()
    for row in rows:
        row.read_at = now
    bulk_update_with_history(rows, Notification, ["read_at"], default_user=user, default_change_reason="已读")
    return len(rows)


def _retry_delay(attempts: int) -> timedelta:
    return min(timedelta(minutes=2 ** (attempts - 1)), timedelta(hours=1))


def _transport_down(exc: Exception) -> bool:
    """The server cannot be reached or dropped us (as opposed to refusing this one message)."""
    if isinstance(exc, (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, smtplib.SMTPAuthenticationError)):
        return True
    return isinstance(exc, OSError) and not isinstance(exc, smtplib.SMTPException)


def _claim(batch_size: int, by: User) -> tuple[str, datetime, list[Notification]]:
    """Take a batch of due messages for this sender, in a short transaction of its own.

    Messages to people without an address are settled here; the rest carry this
    sender's token until `claimed_until`, after which another sender may take them.
    """
    token, now = uuid.uuid4().hex, timezone.now()
    until = now + timedelta(seconds=settings.NOTIFICATION_EMAIL_LEASE_SECONDS)
    with transaction.atomic():
        rows = list(
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(email_state=EmailState.PENDING)
            .filter(Q(email_next_attempt_at__isnull=True) | Q(email_next_attempt_at__lte=now))
            .filter(Q(email_claimed_until__isnull=True) | Q(email_claimed_until__lt=now))
            .select_related("recipient")
            .order_by("created_at", "id")[:batch_size]
        )
        no_address = [row for row in rows if not row.recipient.email]
        claimed = [row for row in rows if row.recipient.email]
        for row in no_address:
            row.email_state, row.email_claim, row.email_claimed_until = EmailState.NO_ADDRESS, "", None
        for row in claimed:
            row.email_claim, row.email_claimed_until = token, until
        if no_address:
            bulk_update_with_history(no_address, Notification, ["email_state", "email_claim", "email_claimed_until"],
                                     default_user=by, default_change_reason="无邮箱,不发送邮件")
        if claimed:
            bulk_update_with_history(claimed, Notification, ["email_claim", "email_claimed_until"],
                                     default_user=by, default_change_reason="开始发送邮件")
    return token, until, claimed


def _settle(row: Notification, token: str, *, by: User, reason: str, **values) -> bool:
    """Record the outcome of one message, if this sender still holds it (its claim did not lapse)."""
    values |= {"email_claim": "", "email_claimed_until": None}
    with transaction.atomic():
        if not Notification.objects.filter(pk=row.pk, email_claim=token).update(**values):
            return False
        for name, value in values.items():
            setattr(row, name, value)
        Notification.history.bulk_history_create([row], update=True, default_user=by, default_change_reason=reason)
    return True


def _email_for(row: Notification) -> EmailMessage:
    body = row.body + (f"\n\n{settings.SITE_BASE_URL}{row.url}" if row.url else "")
    return EmailMessage(f"[政务公开平台] {row.title}", body, to=[row.recipient.email],
                        headers={"Message-ID": row.email_message_id})


def notifications_email_pending(*, batch_size: int = 200, by: User) -> int:
    """E-mail one batch of unsent messages; returns how many the transport accepted.

    Rows are claimed and committed first, each message is sent outside any
    transaction and recorded right after it is accepted, so a slow or failing mail
    server holds no row locks and one refused address delays no one else. A failed
    message is retried with backoff and given up after NOTIFICATION_EMAIL_MAX_ATTEMPTS,
    its last error kept on the row. Every attempt carries the same Message-ID.
    """
    token, until, rows = _claim(batch_size, by)
    if not rows:
        return 0
    sent = 0
    connection = get_connection(fail_silently=False)
    with contextlib.suppress(Exception):
        connection.open()  # one session for the batch; if the server is away, the first send says so
    try:
        for index, row in enumerate(rows):
            if timezone.now() >= until:  # the claim lapsed: another sender may have these now
                break
            try:
                accepted = connection.send_messages([_email_for(row)])
                if not accepted:
                    raise smtplib.SMTPException("邮件服务器未接受该邮件")
            except Exception as exc:
                _record_failure(row, token, exc, by=by)
                if _transport_down(exc):
                    logger.warning("mail transport unavailable (%s); the rest of the batch waits", exc)
                    for rest in rows[index + 1:]:
                        _settle(rest, token, by=by, reason="邮件服务器不可用,稍后发送")
                    break
                continue
            if _settle(row, token, by=by, reason="邮件已发送", email_state=EmailState.SENT, emailed_at=timezone.now(),
                       email_attempts=row.email_attempts + 1, email_last_error="", email_next_attempt_at=None):
                sent += 1
    finally:
        connection.close()
    return sent


def _record_failure(row: Notification, token: str, exc: Exception, *, by: User) -> None:
    attempts = row.email_attempts + 1
    error = f"{exc.__class__.__name__}: {exc}"[:2000]
    logger.warning("e-mail for notification %s failed (attempt %s): %s", row.pk, attempts, error)
    if attempts >= settings.NOTIFICATION_EMAIL_MAX_ATTEMPTS:
        _settle(row, token, by=by, reason=f"邮件发送失败{attempts}次,不再重试", email_state=EmailState.FAILED,
                email_attempts=attempts, email_last_error=error, email_next_attempt_at=None)
    else:
        _settle(row, token, by=by, reason=f"邮件发送失败(第{attempts}次),稍后重试", email_attempts=attempts,
                email_last_error=error, email_next_attempt_at=timezone.now() + _retry_delay(attempts))
