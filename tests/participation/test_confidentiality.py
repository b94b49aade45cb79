"""D7 for public participation: decision drafts and adoption reports go public only through 保密审查.

The reviewer reads the full text; clearance publishes (and only then opens the M2 window or meets the M3
clock); refusal sends it back to the drafting unit with the reason; the database refuses anything public
without clearance; only the drafting unit's confidentiality reviewers decide, and a denial changes nothing.
"""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from participation import services
from participation.models import CommentPeriod, DecisionDraft, DraftStatus, PeriodStatus
from participation.deadlines import ADOPTION_REPORT
from tests.units.factories import UserFactory, member
from tongchuan_portal.clock.models import Deadline, DeadlineState
from tongchuan_portal.core.models import Clearance, ConfidentialityClearance
from tongchuan_portal.notifications.models import Notification
from tongchuan_portal.units.models import Role

from . import factories as f
from .conftest import bj

pytestmark = pytest.mark.django_db

MONDAY = bj(2026, 6, 1, 10, 0)


@pytest.fixture
def secrecy(world):
    """市发展改革委's confidentiality reviewer, and one of another unit and of the city office."""
    world.secrecy = f.secrecy(world.fgw)
    world.other_secrecy = UserFactory(username="p-secrecy-jyj")
    member(world.other_secrecy, world.jyj, Role.Code.CONFIDENTIALITY_REVIEWER)
    world.office_secrecy = UserFactory(username="p-secrecy-szfb")
    member(world.office_secrecy, world.szfb, Role.Code.CONFIDENTIALITY_REVIEWER)
    return world


def sent(world, **kwargs):
    draft = f.draft(world)
    services.draft_publish(draft=draft, working_days=kwargs.pop("working_days", 7), by=world.clerk, **kwargs)
    draft.refresh_from_db()
    return draft


def snapshot(draft):
    draft.refresh_from_db()
    return (draft.status, draft.published_at, draft.confidentiality_cleared_at, CommentPeriod.objects.count(),
            Deadline.objects.count(), ConfidentialityClearance.objects.count())


# --- drafts ---------------------------------------------------------------------------------------------


def test_D7_draft_sent_to_review_is_not_public_and_no_clock_runs(world, secrecy, client):
    with time_machine.travel(MONDAY, tick=False):
        draft = sent(world)
        assert draft.status == DraftStatus.CLEARANCE and draft.published_at is None
        assert draft.requested_working_days == 7 and draft.clearance_requested_at == MONDAY
        assert not CommentPeriod.objects.exists() and not Deadline.objects.exists()
        assert client.get(f"/participation/drafts/{draft.pk}/").status_code == 404
        assert draft.title not in client.get("/participation/").content.decode()
        with pytest.raises(ValidationError, match="已公布或已决策|不能再修改"):
            services.draft_update(draft=draft, title="改", text="改", basis="改", area=draft.area,
                                  deciding_meeting_kind=draft.deciding_meeting_kind, by=world.clerk)
    client.force_login(world.clerk)
    staff_page = client.get(f"/participation/staff/drafts/{draft.pk}/").content.decode()
    assert "待保密审查" in staff_page and "报送保密审查" in staff_page and 'value="publish"' not in staff_page
    note = Notification.objects.get(recipient=world.secrecy)
    assert "待保密审查" in note.title and note.url == f"/participation/staff/confidentiality/drafts/{draft.pk}/"
    assert not Notification.objects.filter(recipient__in=[world.other_secrecy, world.office_secrecy]).exists()


def test_D7_M2_clearance_publishes_and_the_window_opens_on_clearance_with_7_working_days(world, secrecy, client):
    with time_machine.travel(MONDAY, tick=False):
        draft = sent(world)  # asked Monday 2026-06-01, "start at once"
    cleared_at = bj(2026, 6, 3, 15, 0)  # cleared on Wednesday
    with time_machine.travel(cleared_at, tick=False):
        services.draft_clearance_decide(draft=draft, cleared=True, opinion="同意公开。", by=world.secrecy)
        page = client.get(f"/participation/drafts/{draft.pk}/")
    draft.refresh_from_db()
    period = draft.periods.get()
    assert draft.status == DraftStatus.CONSULTING and draft.published_at == cleared_at
    assert draft.confidentiality_cleared_at == cleared_at and period.opens_at == cleared_at
    # Seven working days counted from the Wednesday opening, not from the Monday request.
    assert period.working_days == 7 and period.closes_at == bj(2026, 6, 12, 23, 59, 59)
    deadline = Deadline.objects.get(rule="participation.comment_window")
    assert deadline.started_at == cleared_at and deadline.due_at == period.closes_at
    assert page.status_code == 200 and draft.title in page.content.decode()
    record = ConfidentialityClearance.objects.get()
    assert record.cleared and record.reviewer == world.secrecy and record.unit == world.fgw
    assert record.reviewed_at == cleared_at and draft.text in record.shown_text and draft.basis in record.shown_text
    assert Notification.objects.filter(recipient=world.clerk, title__contains="保密审查通过").exists()
    assert Notification.objects.filter(recipient=world.head, title__contains="保密审查通过").exists()


def test_D7_M2_a_wished_later_start_is_kept_and_a_passed_one_opens_at_clearance(world, secrecy):
    with time_machine.travel(MONDAY, tick=False):
        later = sent(world, opens_at=bj(2026, 6, 8, 9, 0))
        passed = sent(world, opens_at=bj(2026, 6, 2, 9, 0))
    with time_machine.travel(bj(2026, 6, 4, 11, 0), tick=False):
        services.draft_clearance_decide(draft=later, cleared=True, opinion="", by=world.secrecy)
        services.draft_clearance_decide(draft=passed, cleared=True, opinion="", by=world.secrecy)
    assert later.periods.get().opens_at == bj(2026, 6, 8, 9, 0)
    opened = passed.periods.get()
    assert opened.opens_at == bj(2026, 6, 4, 11, 0)
    assert opened.closes_at == bj(2026, 6, 15, 23, 59, 59)  # 7 working days from Thursday 6/4


def test_D7_refusal_returns_the_draft_with_the_reason_and_it_can_be_sent_again(world, secrecy, client):
    with time_machine.travel(MONDAY, tick=False):
        draft = sent(world)
        with pytest.raises(ValidationError) as error:
            services.draft_clearance_decide(draft=draft, cleared=False, opinion="  ", by=world.secrecy)
        assert "opinion" in error.value.message_dict
        assert snapshot(draft)[0] == DraftStatus.CLEARANCE and not ConfidentialityClearance.objects.exists()
        services.draft_clearance_decide(draft=draft, cleared=False, opinion="第三条涉及未公开的财政数据,请删除。",
                                        by=world.secrecy)
    draft.refresh_from_db()
    assert draft.status == DraftStatus.DRAFTING and draft.published_at is None
    assert not CommentPeriod.objects.exists() and not Deadline.objects.exists()
    note = Notification.objects.get(recipient=world.clerk, title__contains="保密审查未通过")
    assert "第三条涉及未公开的财政数据" in note.body
    client.force_login(world.clerk)
    assert "第三条涉及未公开的财政数据" in client.get(f"/participation/staff/drafts/{draft.pk}/").content.decode()
    services.draft_update(draft=draft, title=draft.title, text="第一条 修改后的方案。", basis=draft.basis,
                          area=draft.area, deciding_meeting_kind=draft.deciding_meeting_kind, by=world.clerk)
    services.draft_publish(draft=draft, working_days=7, by=world.clerk)
    services.draft_clearance_decide(draft=draft, cleared=True, opinion="", by=world.secrecy)
    records = list(ConfidentialityClearance.objects.order_by("reviewed_at", "pk"))
    assert [r.cleared for r in records] == [False, True]
    assert "第三条" not in records[1].shown_text and "修改后的方案" in records[1].shown_text
    assert "第二条 普通线路票价" in records[0].shown_text  # what was shown the first time stays recorded


@pytest.mark.parametrize("who", ["clerk", "head", "other_secrecy", "office_secrecy", "reviewer", "citizen"])
def test_D7_only_the_drafting_units_confidentiality_reviewer_decides_and_denials_change_nothing(world, secrecy,
                                                                                                 who):
    draft = sent(world)
    before = snapshot(draft)
    for cleared in (True, False):
        with pytest.raises(PermissionDenied):
            services.draft_clearance_decide(draft=draft, cleared=cleared, opinion="理由", by=getattr(world, who))
    assert snapshot(draft) == before


def test_D7_a_draft_not_waiting_for_review_cannot_be_cleared(world, secrecy):
    draft = f.draft(world)
    before = snapshot(draft)
    with pytest.raises(PermissionDenied):
        services.draft_clearance_decide(draft=draft, cleared=True, opinion="", by=world.secrecy)
    assert snapshot(draft) == before


def test_D7_the_database_refuses_a_public_draft_without_clearance(world, secrecy):
    draft = f.draft(world)
    for changes in ({"status": DraftStatus.CONSULTING}, {"published_at": MONDAY},
                    {"status": DraftStatus.CLEARANCE}):
        with pytest.raises(IntegrityError), transaction.atomic():
            DecisionDraft.objects.filter(pk=draft.pk).update(**changes)


# --- adoption reports -----------------------------------------------------------------------------------


@pytest.fixture
def ready_report(world, secrecy):
    """A closed window with its comments grouped and answered: the report can be sent."""
    with time_machine.travel(MONDAY, tick=False):
        draft, period = f.published(world)
        comments = [f.comment(period, body=f"意见{i}") for i in range(2)]
        services.comments_moderate(period=period, comment_ids=[c.pk for c in comments], show=True, by=world.clerk)
    group = services.opinion_group_create(period=period, title="保留学生优惠", by=world.clerk)
    services.comments_assign_group(period=period, comment_ids=[c.pk for c in comments], group=group, by=world.clerk)
    services.opinion_group_decide(group=group, decision="not_adopted", reason="财政无法承担。", by=world.clerk)
    return draft, period


AFTER_CLOSE = bj(2026, 6, 12, 9, 0)


def test_D7_M3_adoption_report_waits_for_review_frozen_not_public_and_the_clock_still_runs(world, ready_report,
                                                                                           client):
    draft, period = ready_report
    with time_machine.travel(AFTER_CLOSE, tick=False):
        services.adoption_report_publish(period=period, summary="共收到2条意见,未采纳。", by=world.clerk)
        page = client.get(f"/participation/drafts/{draft.pk}/").content.decode()
        with pytest.raises(ValidationError, match="正在保密审查"):
            services.opinion_group_create(period=period, title="新归类", by=world.clerk)
        with pytest.raises(ValidationError, match="正在保密审查"):
            services.adoption_report_publish(period=period, summary="再次报送", by=world.clerk)
    period.refresh_from_db()
    assert period.status == PeriodStatus.CLOSED and period.report_clearance == Clearance.PENDING
    assert period.report_published_at is None and "共收到2条意见,未采纳。" not in page
    assert Deadline.objects.get(rule=ADOPTION_REPORT).state == DeadlineState.RUNNING
    assert Notification.objects.filter(recipient=world.secrecy, title__contains="意见采纳情况").exists()


def test_D7_M3_M5_clearance_publishes_the_report_meets_its_clock_and_attaches_it_to_topics(world, ready_report,
                                                                                           client):
    draft, period = ready_report
    with time_machine.travel(MONDAY, tick=False):
        meeting = f.meeting(world, starts_at=bj(2026, 6, 20, 9, 0))
        topic = services.meeting_topic_add(meeting=meeting, title="审议票价", draft=draft, by=world.clerk)
    with time_machine.travel(AFTER_CLOSE, tick=False):
        services.adoption_report_publish(period=period, summary="共收到2条意见,未采纳。", by=world.clerk)
        topic.refresh_from_db()
        assert topic.adoption_summary == ""  # nothing before clearance
    cleared_at = AFTER_CLOSE + timedelta(hours=3)
    with time_machine.travel(cleared_at, tick=False):
        services.adoption_report_clearance_decide(period=period, cleared=True, opinion="", by=world.secrecy)
        page = client.get(f"/participation/drafts/{draft.pk}/").content.decode()
    period.refresh_from_db()
    assert period.report_published_at == period.report_cleared_at == cleared_at
    assert period.report_clearance == Clearance.CLEARED and "共收到2条意见,未采纳。" in page
    report_clock = Deadline.objects.get(rule=ADOPTION_REPORT)
    assert report_clock.state == DeadlineState.MET and report_clock.met_at == cleared_at
    topic.refresh_from_db()
    assert "共收到有效意见2条" in topic.adoption_summary
    shown = ConfidentialityClearance.objects.get(object_id=period.pk, content_type__model="commentperiod").shown_text
    assert "保留学生优惠" in shown and "财政无法承担" in shown and "共收到2条意见,未采纳。" in shown


def test_D7_refused_report_goes_back_with_the_reason_and_is_resent(world, ready_report):
    draft, period = ready_report
    with time_machine.travel(AFTER_CLOSE, tick=False):
        services.adoption_report_publish(period=period, summary="含内部讨论细节。", by=world.clerk)
        services.adoption_report_clearance_decide(period=period, cleared=False, opinion="请删去内部讨论细节。",
                                                  by=world.secrecy)
    period.refresh_from_db()
    assert period.report_clearance == Clearance.REFUSED and period.report_published_at is None
    assert Deadline.objects.get(rule=ADOPTION_REPORT).state == DeadlineState.RUNNING
    assert "请删去内部讨论细节" in Notification.objects.get(recipient=world.clerk,
                                                      title__contains="保密审查未通过").body
    with time_machine.travel(AFTER_CLOSE + timedelta(hours=1), tick=False):
        services.adoption_report_publish(period=period, summary="共收到2条意见,未采纳。", by=world.clerk)
        services.adoption_report_clearance_decide(period=period, cleared=True, opinion="", by=world.secrecy)
    period.refresh_from_db()
    assert period.report_published and period.report_summary == "共收到2条意见,未采纳。"


@pytest.mark.parametrize("who", ["clerk", "head", "other_secrecy", "office_secrecy", "citizen"])
def test_D7_report_clearance_by_anyone_else_is_denied_and_changes_nothing(world, ready_report, who):
    draft, period = ready_report
    with time_machine.travel(AFTER_CLOSE, tick=False):
        services.adoption_report_publish(period=period, summary="采纳情况。", by=world.clerk)
    with pytest.raises(PermissionDenied):
        services.adoption_report_clearance_decide(period=period, cleared=True, opinion="", by=getattr(world, who))
    period.refresh_from_db()
    assert period.report_clearance == Clearance.PENDING and period.report_published_at is None
    assert not ConfidentialityClearance.objects.filter(content_type__model="commentperiod").exists()


def test_D7_the_database_refuses_a_published_report_without_clearance(world, ready_report):
    _, period = ready_report
    with pytest.raises(IntegrityError), transaction.atomic():
        CommentPeriod.objects.filter(pk=period.pk).update(report_published_at=AFTER_CLOSE)


# --- the pages ------------------------------------------------------------------------------------------


def test_D7_review_page_shows_the_full_text_and_decides_through_the_service(world, secrecy, client):
    draft = sent(world)
    url = f"/participation/staff/confidentiality/drafts/{draft.pk}/"
    client.force_login(world.other_secrecy)
    assert client.get(url).status_code == 404
    assert client.post(url, {"decision": "cleared"}).status_code == 404
    assert snapshot(draft)[0] == DraftStatus.CLEARANCE
    client.force_login(world.secrecy)
    page = client.get(url).content.decode()
    assert "第二条 普通线路票价调整为1.5元" in page and "《中华人民共和国价格法》第二十三条" in page
    assert "7个工作日" in page
    response = client.post(url, {"decision": "refused", "opinion": ""})
    assert response.status_code == 400 and "请填写审查意见" in response.content.decode()
    assert snapshot(draft)[0] == DraftStatus.CLEARANCE
    response = client.post(url, {"decision": "cleared", "opinion": ""})
    assert response.status_code == 302 and response.url == "/work/confidentiality/"
    draft.refresh_from_db()
    assert draft.status == DraftStatus.CONSULTING
    assert client.get(url).status_code == 404  # decided once; a second POST changes nothing
