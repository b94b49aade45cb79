"""M6: a document the executive meeting adopts is issued within 7 (10) working days of the meeting —
recorded by the city office, only while the document is with it and not yet issued."""

from datetime import date, datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from disclosure import services
from disclosure.models import Document, DocumentKind, IssuedInNameOf, Status
from tests.disclosure.factories import document_data
from tests.units.factories import UserFactory, member
from tongchuan_portal.clock.models import Deadline, DeadlineState
from tongchuan_portal.clock.workdays import BEIJING
from tongchuan_portal.units.models import Role

pytestmark = pytest.mark.django_db

MEETING_DAY = date(2026, 9, 28)  # a Monday, before National Day


def bj(*args):
    return datetime(*args, tzinfo=BEIJING)


def city_draft(world, **overrides):
    return services.document_create(
        by=world.clerk, issuer=world.fgw,
        data=document_data(kind=DocumentKind.OTHER, issued_in_name_of=IssuedInNameOf.CITY_GOVERNMENT, **overrides))


def submitted(world):
    return services.document_submit(document=city_draft(world), by=world.clerk)


def record(document, by, **overrides):
    kwargs = {"meeting": "市政府第12次常务会议", "meeting_date": MEETING_DAY, "major_revisions": False}
    kwargs.update(overrides)
    return services.document_record_meeting_adoption(document=Document.objects.get(pk=document.pk), by=by, **kwargs)


def assert_unchanged(document):
    document = Document.objects.get(pk=document.pk)
    assert document.adopted_by_meeting == "" and document.meeting_date is None
    assert not document.deadlines.filter(rule_id="M6").exists()


@pytest.fixture
def on_meeting_day():
    with time_machine.travel(bj(2026, 9, 29, 10), tick=False):
        yield


@pytest.mark.parametrize("major, due", [(False, bj(2026, 10, 13, 23, 59, 59)), (True, bj(2026, 10, 16, 23, 59, 59))])
def test_M6_issue_within_7_or_10_working_days_of_the_meeting(world, on_meeting_day, major, due):
    document = submitted(world)
    record(document, world.reviewer, major_revisions=major)
    deadline = document.deadlines.get(rule_id="M6")
    # Mon 09-28: 29, 30, [National Day], Oct 8, 9, 10 (make-up Sat), 12, 13 | 14, 15, 16.
    assert deadline.due_at == due and deadline.unit == world.szfb
    document = services.document_accept(document=Document.objects.get(pk=document.pk), by=world.reviewer)
    services.confidentiality_decide(document=document, cleared=True, opinion="", by=world.city_secrecy)
    assert document.deadlines.get(rule_id="M6").state == DeadlineState.MET


def test_M6_switching_to_major_revisions_replaces_the_clock(world, on_meeting_day):
    document = submitted(world)
    record(document, world.reviewer)
    record(document, world.reviewer, major_revisions=True)
    states = dict(document.deadlines.filter(rule_id="M6").values_list("rule", "state"))
    assert states == {"disclosure.issue_after_meeting": "cancelled", "disclosure.issue_after_meeting_major": "running"}


def test_M6_correcting_the_meeting_date_restarts_the_clock_from_it(world, on_meeting_day):
    document = submitted(world)
    record(document, world.reviewer, meeting_date=date(2026, 9, 25))
    record(document, world.reviewer)
    running = document.deadlines.get(rule_id="M6", state=DeadlineState.RUNNING)
    assert running.due_at == bj(2026, 10, 13, 23, 59, 59)
    assert document.deadlines.filter(rule_id="M6", state=DeadlineState.CANCELLED).count() == 1


def _returned(world):
    document = submitted(world)
    services.document_return(document=document, by=world.reviewer, reasons=["content"], note="请修改")
    return document


def _published(world):
    document = services.document_accept(document=submitted(world), by=world.reviewer)
    return services.confidentiality_decide(document=document, cleared=True, opinion="", by=world.city_secrecy)


def _withdrawn(world):
    return services.document_withdraw(document=_published(world), reason="内容有误", by=world.reviewer)


@pytest.mark.parametrize("make, status", [
    (city_draft, Status.DRAFT), (_returned, Status.RETURNED), (_published, Status.PUBLISHED),
    (_withdrawn, Status.WITHDRAWN),
])
def test_M6_refused_where_no_issue_can_follow_and_nothing_changes(world, on_meeting_day, make, status):
    document = make(world)
    assert Document.objects.get(pk=document.pk).status == status
    with pytest.raises(ValidationError, match="不能登记会议审议通过"):
        record(document, world.reviewer)
    assert_unchanged(document)


@pytest.mark.parametrize("accepted, status", [(False, Status.SUBMITTED), (True, Status.CONFIDENTIALITY_REVIEW)])
def test_M6_accepted_while_the_city_office_holds_the_document(world, on_meeting_day, accepted, status):
    document = submitted(world)
    if accepted:
        document = services.document_accept(document=document, by=world.reviewer)
    assert document.status == status
    record(document, world.reviewer)
    assert document.deadlines.get(rule_id="M6").state == DeadlineState.RUNNING


@pytest.mark.parametrize("who", ["city_secrecy", "clerk", "head", "secrecy", "other_clerk"])
def test_M6_only_the_city_office_reviewers_head_and_clerks_record_it(world, on_meeting_day, who):
    document = submitted(world)
    with pytest.raises(PermissionDenied):
        record(document, world[who])
    assert_unchanged(document)
    szfb_clerk = UserFactory(username="szfb-clerk")
    member(szfb_clerk, world.szfb, Role.Code.CLERK)
    record(document, szfb_clerk)
    assert document.deadlines.filter(rule_id="M6", state=DeadlineState.RUNNING).count() == 1


def test_M6_a_back_dated_meeting_whose_clock_has_run_out_needs_explicit_confirmation(world):
    with time_machine.travel(bj(2026, 12, 1, 10), tick=False):
        document = submitted(world)
        with pytest.raises(ValidationError) as error:
            record(document, world.reviewer)
        assert "印发时限已于2026-10-13 23:59届满" in error.value.message_dict["confirm_overdue"][0]
        assert_unchanged(document)
        record(document, world.reviewer, confirm_overdue=True)
    deadline = document.deadlines.get(rule_id="M6")
    assert deadline.due_at == bj(2026, 10, 13, 23, 59, 59)
    assert "经确认登记" in Document.objects.get(pk=document.pk).history.first().history_change_reason


def test_M6_the_document_page_offers_the_form_only_to_who_may_record_and_the_post_obeys_the_service(
        world, client, on_meeting_day):
    document = submitted(world)
    url = f"/work/documents/{document.pk}/"
    post = {"meeting": "市政府第12次常务会议", "meeting_date": "2026-09-28"}
    client.force_login(world.city_secrecy)
    assert "登记常务会议审议通过" not in client.get(url).content.decode()
    assert client.post(url + "meeting/", post).status_code == 302
    assert_unchanged(document)
    client.force_login(world.reviewer)
    assert "登记常务会议审议通过" in client.get(url).content.decode()
    assert client.post(url + "meeting/", post).status_code == 302
    assert Document.objects.get(pk=document.pk).deadlines.filter(rule_id="M6").count() == 1
    assert Deadline.objects.filter(rule_id="M6").count() == 1
