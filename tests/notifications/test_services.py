"""E-mail behind the inbox (hardening): claimed, committed, sent outside any transaction, marked one by
one; a refused address is retried with backoff and given up, without holding anyone else back."""

from datetime import timedelta

import psycopg2
import pytest
import time_machine
from django.conf import settings as django_settings
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection
from django.utils import timezone

from tongchuan_portal.core.selectors import system_user
from tongchuan_portal.notifications.models import EmailState, Notification
from tongchuan_portal.notifications.services import Message, notifications_email_pending, notifications_send
from tests.processes import smtp_server
from tests.units.factories import UserFactory


def _people(*emails):
    return [UserFactory(username=f"mail-{i}", email=email) for i, email in enumerate(emails)]


def _notify(people, title="【提醒】测试事项"):
    return notifications_send([Message(recipient_id=p.pk, title=title, body="请办理。") for p in people],
                              by=system_user())


def _send(**kwargs):
    return notifications_email_pending(by=system_user(), **kwargs)


@pytest.fixture
def smtp(settings):
    with smtp_server() as sink:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
        yield sink


class LockProbeBackend(BaseEmailBackend):
    """Asks, from a second database connection, whether each message's row is locked while it is sent."""

    seen: list[tuple[str, bool]] = []

    def send_messages(self, email_messages):
        db = django_settings.DATABASES["default"]
        probe = psycopg2.connect(dbname=db["NAME"], user=db["USER"] or "postgres", host=db["HOST"] or "127.0.0.1",
                                 port=db["PORT"] or 5432)
        try:
            for message in email_messages:
                pk = int(message.extra_headers["Message-ID"].split(".")[1])
                with probe.cursor() as cursor:
                    try:
                        cursor.execute("SELECT id FROM notifications_notification WHERE id = %s FOR UPDATE NOWAIT",
                                       [pk])
                        free = True
                    except psycopg2.errors.LockNotAvailable:
                        free = False
                probe.rollback()
                self.seen.append((message.to[0], free and not connection.in_atomic_block))
        finally:
            probe.close()
        return len(email_messages)


def test_hardening_email_is_sent_with_no_row_lock_held(transactional_db, settings):
    settings.EMAIL_BACKEND = "tests.notifications.test_services.LockProbeBackend"
    LockProbeBackend.seen = []
    _notify(_people("a@example.gov.cn", "b@example.gov.cn"))
    assert _send() == 2
    assert sorted(LockProbeBackend.seen) == [("a@example.gov.cn", True), ("b@example.gov.cn", True)]
    assert set(Notification.objects.values_list("email_state", flat=True)) == {EmailState.SENT}


def test_hardening_one_refused_address_delays_no_one_else(db, smtp, settings):
    good, bad, other = _people("good@example.gov.cn", "bad@example.gov.cn", "other@example.gov.cn")
    smtp.refuse.add("bad@example.gov.cn")
    _notify([good, bad, other])

    assert _send() == 2
    assert sorted(m["To"] for m in smtp.messages) == ["good@example.gov.cn", "other@example.gov.cn"]
    failed = Notification.objects.get(recipient=bad)
    assert failed.email_state == EmailState.PENDING and failed.emailed_at is None
    assert failed.email_attempts == 1 and "SMTPRecipientsRefused" in failed.email_last_error
    assert failed.email_next_attempt_at > timezone.now() and not failed.email_claim
    assert failed.history.first().history_change_reason == "邮件发送失败(第1次),稍后重试"
    for person in (good, other):
        row = Notification.objects.get(recipient=person)
        assert row.email_state == EmailState.SENT and row.emailed_at and row.email_attempts == 1

    # Backing off: the next run does not hammer the refused address.
    assert _send() == 0 and len(smtp.messages) == 2
    # Retried with growing delays until the bound, then given up with the error kept.
    for attempt in range(2, settings.NOTIFICATION_EMAIL_MAX_ATTEMPTS + 1):
        with time_machine.travel(failed.email_next_attempt_at + timedelta(seconds=1)):
            assert _send() == 0
        previous, failed = failed, Notification.objects.get(pk=failed.pk)
        assert failed.email_attempts == attempt
        if failed.email_next_attempt_at:
            assert failed.email_next_attempt_at - previous.email_next_attempt_at >= timedelta(minutes=1)
    assert failed.email_state == EmailState.FAILED and failed.email_next_attempt_at is None
    assert "SMTPRecipientsRefused" in failed.email_last_error
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        assert _send() == 0
    assert len(smtp.messages) == 2 and Notification.objects.get(pk=failed.pk).email_attempts == failed.email_attempts


def test_hardening_mail_server_down_keeps_the_batch_for_later(db, settings):
    """A server that cannot be reached costs one attempt on one message; the rest simply wait."""
    from tests.processes import MailSink, free_port

    port = free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    _notify(_people("a@example.gov.cn", "b@example.gov.cn", "c@example.gov.cn"))
    assert _send() == 0
    rows = list(Notification.objects.order_by("pk"))
    assert [r.email_attempts for r in rows] == [1, 0, 0]
    assert all(r.email_state == EmailState.PENDING and not r.email_claim for r in rows)

    with smtp_server(MailSink(), port=port) as sink:
        assert _send() == 2  # the first waits for its backoff
        with time_machine.travel(timezone.now() + timedelta(minutes=2)):
            assert _send() == 1
    assert len(sink.messages) == 3
    assert set(Notification.objects.values_list("email_state", flat=True)) == {EmailState.SENT}


class DiesAfterSending(BaseEmailBackend):
    """The transport accepts the message, then the sender dies before recording it."""

    outbox: list = []

    def send_messages(self, email_messages):
        self.outbox.extend(m.message() for m in email_messages)
        raise SystemExit("killed")


def test_hardening_a_sender_dying_after_sending_resends_once_with_the_same_message_id(db, settings, mailoutbox):
    settings.EMAIL_BACKEND = "tests.notifications.test_services.DiesAfterSending"
    DiesAfterSending.outbox = []
    (note,) = _notify(_people("a@example.gov.cn"))
    with pytest.raises(SystemExit):
        _send()
    # While the dead sender's claim lasts, nobody else sends it again.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert _send() == 0 and mailoutbox == []
    with time_machine.travel(timezone.now() + timedelta(seconds=settings.NOTIFICATION_EMAIL_LEASE_SECONDS + 1)):
        assert _send() == 1
    assert _send() == 0
    assert len(mailoutbox) == 1
    first_id = DiesAfterSending.outbox[0]["Message-ID"]
    assert mailoutbox[0].message()["Message-ID"] == first_id == Notification.objects.get(pk=note.pk).email_message_id
    assert first_id.startswith(f"<notification.{note.pk}.") and first_id.endswith(f"@{settings.SITE_DOMAIN}>")


def test_hardening_no_address_is_settled_without_sending(db, mailoutbox):
    (note,) = _notify(_people(""))
    assert _send() == 0
    note.refresh_from_db()
    assert note.email_state == EmailState.NO_ADDRESS and note.emailed_at is None and mailoutbox == []
    assert note.history.first().history_change_reason == "无邮箱,不发送邮件"


def test_hardening_a_claimed_batch_is_not_taken_by_a_second_sender(db, mailoutbox):
    from tongchuan_portal.notifications.services import _claim

    _notify(_people("a@example.gov.cn", "b@example.gov.cn"))
    token, until, rows = _claim(10, system_user())
    assert len(rows) == 2 and until > timezone.now()
    assert _send() == 0 and mailoutbox == []
    assert set(Notification.objects.values_list("email_claim", flat=True)) == {token}
