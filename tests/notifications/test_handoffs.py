"""Every hand-off of a document tells exactly the people who act next, once (issue 15, notifications)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from disclosure import notices, services
from disclosure.models import Document, DocumentKind, IssuedInNameOf, ReturnNotice
from tongchuan_portal.notifications.models import Notification
from tongchuan_portal.notifications.services import notify_event
from tests.disclosure.factories import document_data, draft, not_public

RULE_ID = r"\b[DMIOPAW][0-9]{1,2}\b|CLOCK[0-9]"


def inbox():
    """{recipient username: [titles]} of every message so far."""
    result = {}
    for n in Notification.objects.select_related("recipient").order_by("pk"):
        result.setdefault(n.recipient.username, []).append(n.title)
    return result


def only(people, contains):
    box = inbox()
    assert sorted(box) == sorted(people), box
    for name in people:
        assert len(box[name]) == 1 and contains in box[name][0], box


def test_notifications_submission_tells_the_unit_head_only(world):
    document = draft(world.clerk, world.fgw)
    services.document_submit(document=document, by=world.clerk)
    only(["head"], "待审核")
    notices.submitted(Document.objects.get(pk=document.pk), by=world.clerk, resubmission=False)  # again: nothing
    only(["head"], "待审核")
    assert Notification.objects.get().url == f"/work/review/{document.pk}/"


def test_notifications_city_bound_submission_tells_the_city_office_reviewers(world):
    document = services.document_create(by=world.clerk, issuer=world.fgw, data=document_data(
        issued_in_name_of=IssuedInNameOf.CITY_GOVERNMENT))
    services.document_submit(document=document, by=world.clerk)
    only(["reviewer"], "待审核")


def test_notifications_return_tells_the_filing_clerks_and_resubmission_the_head_again(world):
    document = draft(world.clerk, world.fgw)
    services.document_submit(document=document, by=world.clerk)
    Notification.objects.all().delete()
    notice = services.document_return(document=document, by=world.head, reasons=["format"])
    only(["clerk"], "退文")
    assert "公文格式不规范" in Notification.objects.get().body
    notices.returned(document, notice, by=world.head, reasons="公文格式不规范")
    only(["clerk"], "退文")
    Notification.objects.all().delete()
    services.document_submit(document=Document.objects.get(pk=document.pk), by=world.clerk)
    only(["head"], "重新报送")


def test_notifications_acceptance_tells_the_clerks_and_the_confidentiality_reviewers(world):
    document = draft(world.clerk, world.fgw)
    services.document_submit(document=document, by=world.clerk)
    Notification.objects.all().delete()
    services.document_accept(document=document, by=world.head)
    box = inbox()
    assert sorted(box) == ["clerk", "secrecy"]
    assert "审核通过" in box["clerk"][0] and "待保密审查" in box["secrecy"][0]
    notices.accepted(Document.objects.get(pk=document.pk), by=world.head)
    assert Notification.objects.count() == 2


def test_notifications_clearance_tells_the_clerks_and_a_refusal_is_one_return(world):
    document = draft(world.clerk, world.fgw)
    services.document_submit(document=document, by=world.clerk)
    services.document_accept(document=document, by=world.head)
    Notification.objects.all().delete()
    services.confidentiality_decide(document=document, cleared=False, opinion="第三段涉及内部信息。", by=world.secrecy)
    only(["clerk"], "退文")
    services.document_submit(document=Document.objects.get(pk=document.pk), by=world.clerk)
    services.document_accept(document=Document.objects.get(pk=document.pk), by=world.head)
    Notification.objects.all().delete()
    services.confidentiality_decide(document=Document.objects.get(pk=document.pk), cleared=True, opinion="",
                                    by=world.secrecy)
    only(["clerk"], "保密审查通过")


def test_notifications_seal_review_request_and_decision(world):
    document = services.document_create(by=world.clerk, issuer=world.fgw, data=not_public(kind=DocumentKind.POLICY))
    review = services.seal_review_request(document=document, by=world.clerk)
    only(["office"], "待公开属性审查")
    notices.seal_review_requested(review, by=world.clerk)
    only(["office"], "待公开属性审查")
    Notification.objects.all().delete()
    services.seal_review_decide(review=review, agreed=False, opinion="应当主动公开。", by=world.office)
    only(["clerk"], "公开属性审查结论")
    assert "应当主动公开" in Notification.objects.get().body


def test_notifications_denied_hand_offs_send_nothing(world):
    document = draft(world.clerk, world.fgw)
    with pytest.raises(PermissionDenied):
        services.document_submit(document=document, by=world.other_clerk)
    services.document_submit(document=document, by=world.clerk)
    Notification.objects.all().delete()
    with pytest.raises(PermissionDenied):
        services.document_accept(document=document, by=world.other_head)
    with pytest.raises(PermissionDenied):
        services.document_return(document=document, by=world.other_head, reasons=["format"])
    with pytest.raises(ValidationError):
        services.document_return(document=document, by=world.head, reasons=[])
    policy = services.document_create(by=world.clerk, issuer=world.fgw, data=not_public(kind=DocumentKind.POLICY))
    review = services.seal_review_request(document=policy, by=world.clerk)
    Notification.objects.all().delete()
    with pytest.raises(PermissionDenied):
        services.seal_review_decide(review=review, agreed=True, opinion="", by=world.other_office)
    assert Notification.objects.count() == 0
    assert not ReturnNotice.objects.filter(document=document).exists()


def test_notifications_texts_carry_no_rule_ids(world):
    import re

    document = services.document_create(by=world.clerk, issuer=world.fgw, data=not_public(kind=DocumentKind.POLICY))
    review = services.seal_review_request(document=document, by=world.clerk)
    services.seal_review_decide(review=review, agreed=True, opinion="同意。", by=world.office)
    document = services.document_submit(document=Document.objects.get(pk=document.pk), by=world.clerk)
    services.document_return(document=document, by=world.head, reasons=["content"])
    for n in Notification.objects.all():
        assert not re.search(RULE_ID, n.title + n.body), n.title


def test_notifications_the_event_key_is_unique_in_the_database(world):
    first = notify_event("test.once:1", [world.head, world.clerk.pk], title="【提醒】一次", by=world.office)
    assert len(first) == 2
    assert notify_event("test.once:1", [world.head, world.clerk], title="【提醒】一次", by=world.office) == []
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(recipient=world.head, title="twin", event_key="test.once:1")
    assert Notification.objects.filter(event_key="test.once:1").count() == 2


def test_notifications_the_actor_is_not_told_of_their_own_act(world):
    assert notify_event("test.self:1", [world.head], title="x", by=world.head) == []
    assert Notification.objects.count() == 0


def test_notifications_a_rolled_back_hand_off_leaves_nothing(world, django_capture_on_commit_callbacks):
    document = draft(world.clerk, world.fgw)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.document_submit(document=document, by=world.clerk)
        raise RuntimeError("the transaction is retried")
    assert Notification.objects.count() == 0
    with django_capture_on_commit_callbacks() as callbacks:
        services.document_submit(document=Document.objects.get(pk=document.pk), by=world.clerk)
    assert Notification.objects.count() == 1 and callbacks


def test_notifications_a_hand_off_is_e_mailed_once_to_those_with_an_address(world, mailoutbox):
    from tongchuan_portal.core.selectors import system_user
    from tongchuan_portal.notifications.models import EmailState
    from tongchuan_portal.notifications.services import notifications_email_pending

    world.head.email = "head@fgw.example"
    world.head.save(update_fields=["email"])
    document = draft(world.clerk, world.fgw)
    services.document_submit(document=document, by=world.clerk)
    notices.submitted(Document.objects.get(pk=document.pk), by=world.clerk, resubmission=False)
    assert notifications_email_pending(by=system_user()) == 1
    assert notifications_email_pending(by=system_user()) == 0
    assert [m.to for m in mailoutbox] == [["head@fgw.example"]]
    assert "待审核" in mailoutbox[0].subject and f"/work/review/{document.pk}/" in mailoutbox[0].body
    assert Notification.objects.get().email_state == EmailState.SENT
