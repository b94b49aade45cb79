from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from .models import Notification


@dataclass(frozen=True)
class Message:
    recipient_id: int
    title: str
    body: str = ""
    url: str = ""
    level: str = Notification.Level.INFO
    signal_id: int | None = None


def notifications_send(messages: list[Message], *, by) -> list[Notification]:
    """Put messages in the inboxes (one bulk insert with history); e-mail follows after commit."""
    if not messages:
        return []
    rows = [
        Notification(recipient_id=m.recipient_id, title=m.title[:300], body=m.body, url=m.url, level=m.level,
                     signal_id=m.signal_id)
        for m in messages
    ]
    created = bulk_create_with_history(rows, Notification, default_user=by, default_change_reason="发送站内消息")
    transaction.on_commit(_queue_emails)
    return created


def _queue_emails():
    from .tasks import send_pending_emails

    try:
        send_pending_emails.delay()
    except Exception:  # the periodic run sends them if the broker is away now
        pass


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


def notifications_email_pending(*, batch_size: int = 200, by) -> int:
    """E-mail unsent messages to recipients with an address; each is claimed once (skip_locked)."""
    from django.conf import settings
    from django.core.mail import get_connection, EmailMessage

    sent = 0
    with transaction.atomic():
        rows = list(
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(emailed_at__isnull=True)
            .select_related("recipient")
            .order_by("created_at")[:batch_size]
        )
        if not rows:
            return 0
        now = timezone.now()
        connection = get_connection()
        outgoing = []
        for row in rows:
            row.emailed_at = now
            if row.recipient.email:
                body = row.body + (f"\n\n{settings.SITE_BASE_URL}{row.url}" if row.url else "")
                outgoing.append(EmailMessage(f"[政务公开平台] {row.title}", body, to=[row.recipient.email]))
        if outgoing:
            sent = connection.send_messages(outgoing) or 0
        bulk_update_with_history(rows, Notification, ["emailed_at"], default_user=by,
                                 default_change_reason="邮件已发送" if outgoing else "无邮箱,不发送邮件")
    return sent
