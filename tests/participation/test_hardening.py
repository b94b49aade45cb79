"""Hardening of public participation (issue 11): agenda scope, meeting actions, the staff home count,
the hearing notice in Beijing dates, citizen text kept as typed and escaped on output."""

import hashlib
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError

from participation import forms, services
from participation.models import DraftStatus, Meeting, MeetingKind, MeetingStatus, MeetingTopic, Message
from tests.units.factories import UserFactory, member
from tongchuan_portal.units.models import Role

from . import factories as f
from .conftest import bj

pytestmark = pytest.mark.django_db

MONDAY = bj(2026, 6, 1, 10, 0)


# --- item 9: which drafts a meeting may put on its agenda ------------------------------------------------------


@pytest.fixture
def agenda(world):
    """fgw's own drafts, jyj's exempt one, and a district's; consultations over before the meetings."""
    with time_machine.travel(MONDAY, tick=False):
        own, _ = f.published(world, title="发改委草案")
        for_executive, _ = f.published(world, title="报常务会议的草案", unit=world.jyj, by=world.other_clerk)
        secret = f.draft(world, title="教育局涉密草案", unit=world.jyj, by=world.other_clerk)
        services.draft_exempt(draft=secret, reason="涉及国家秘密", by=world.other_clerk)
        internal = f.draft(world, title="教育局部门会议草案", unit=world.jyj, by=world.other_clerk,
                           deciding_meeting_kind=MeetingKind.UNIT_IMPORTANT)
        services.draft_exempt(draft=internal, reason="内部事务信息", by=world.other_clerk)
        district_clerk = UserFactory(username="p-clerk-wyq")
        member(district_clerk, world.units["wyq"], Role.Code.CLERK)
        district = f.draft(world, title="王益区草案", unit=world.units["wyq"], by=district_clerk)
        services.draft_exempt(draft=district, reason="内部事务信息", by=district_clerk)
        writing = f.draft(world, title="起草中的草案")
        fgw_meeting = f.meeting(world, starts_at=bj(2026, 6, 20, 9), title="发改委常务会议")
        city_meeting = f.meeting(world, starts_at=bj(2026, 6, 20, 9), unit=world.szfb, by=world.szfb_clerk)
    return locals() | {"world": world}


def test_hardening_topic_form_offers_only_drafts_the_meeting_may_take(agenda):
    w = agenda["world"]
    offered = {d.title for d in forms.TopicForm(meeting=agenda["fgw_meeting"]).fields["draft"].queryset}
    assert offered == {"发改委草案"}
    city = {d.title for d in forms.TopicForm(meeting=agenda["city_meeting"]).fields["draft"].queryset}
    # The city government's executive meeting takes its departments' drafts sent to it, exempt ones included,
    # never a draft sent to a department's own meeting, a district's draft, or one still being written.
    assert city == {"发改委草案", "报常务会议的草案", "教育局涉密草案"}
    assert agenda["writing"].status == DraftStatus.DRAFTING and w.fgw == agenda["own"].unit


def test_hardening_another_units_confidential_draft_is_refused_on_every_path(agenda, client):
    w, meeting, secret = agenda["world"], agenda["fgw_meeting"], agenda["secret"]
    client.force_login(w.clerk)
    page = client.get(f"/participation/staff/meetings/{meeting.pk}/").content.decode()
    assert "教育局涉密草案" not in page
    response = client.post(f"/participation/staff/meetings/{meeting.pk}/",
                           {"action": "topic", "title": "偷偷加的议题", "draft": secret.pk})
    assert response.status_code == 400 and "请从列表中选择决策草案" in response.content.decode()
    with time_machine.travel(MONDAY, tick=False), pytest.raises(PermissionDenied):
        services.meeting_topic_add(meeting=meeting, title="偷偷加的议题", draft=secret, by=w.clerk)
    with pytest.raises(PermissionDenied):
        services.meeting_topic_add(meeting=agenda["city_meeting"], title="区县草案", draft=agenda["district"],
                                   by=w.szfb_clerk)
    assert not MeetingTopic.objects.exists()
    services.meeting_topic_add(meeting=meeting, title="本单位议题", draft=agenda["own"], by=w.clerk)
    services.meeting_topic_add(meeting=agenda["city_meeting"], title="涉密议题", draft=secret, by=w.szfb_clerk)
    assert MeetingTopic.objects.count() == 2


def test_hardening_own_draft_still_being_written_gets_the_service_message(agenda):
    with pytest.raises(ValidationError, match="尚未公布征求意见"):
        services.meeting_topic_add(meeting=agenda["fgw_meeting"], title="议题", draft=agenda["writing"],
                                   by=agenda["world"].clerk)
    assert not MeetingTopic.objects.exists()


# --- item 21: meeting actions parse before acting, and report what happened --------------------------------------


def _post(client, meeting, **data):
    return client.post(f"/participation/staff/meetings/{meeting.pk}/", data)


def test_hardening_meeting_actions_without_a_reason_succeed_and_redirect(world, client):
    client.force_login(world.clerk)
    with time_machine.travel(MONDAY, tick=False):
        meeting = f.meeting(world, kind=MeetingKind.OPEN_DAY, starts_at=bj(2026, 6, 2, 9), title="政府开放日")
        response = _post(client, meeting, action="announce")
        assert response.status_code == 302 and response["Location"].endswith("#announce")
        meeting.refresh_from_db()
        assert meeting.status == MeetingStatus.ANNOUNCED
        registration, _ = services.registration_submit(meeting=meeting, name="赵六", contact="1", category="citizen")
        response = _post(client, meeting, action="approve", registration=registration.pk)
        assert response.status_code == 302
        registration.refresh_from_db()
        assert registration.status == "approved"
    with time_machine.travel(bj(2026, 6, 2, 12), tick=False):
        assert _post(client, meeting, action="held").status_code == 302
        response = _post(client, meeting, action="outcome", outcome="开放日顺利举行", minutes="")
        assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD and meeting.outcome_published_at is not None
    assert "请说明理由" not in client.get(response["Location"]).content.decode()


def test_hardening_meeting_actions_that_need_a_reason_refuse_without_one_and_change_nothing(world, client):
    client.force_login(world.clerk)
    with time_machine.travel(MONDAY, tick=False):
        meeting = f.meeting(world, kind=MeetingKind.OPEN_DAY, starts_at=bj(2026, 6, 2, 9), title="政府开放日")
        services.meeting_announce(meeting=meeting, by=world.clerk)
        registration, _ = services.registration_submit(meeting=meeting, name="赵六", contact="1", category="citizen")
        before = Meeting.history.count()
        response = _post(client, meeting, action="cancel", reason="")
        assert response.status_code == 400 and "请说明理由" in response.content.decode()
        response = _post(client, meeting, action="reject", registration=registration.pk, reason="")
        assert response.status_code == 400
        assert _post(client, meeting, action="approve", registration="abc").status_code == 400
        assert _post(client, meeting, action="approve", registration="²").status_code == 400
        assert _post(client, meeting, action="approve", registration="9" * 30).status_code == 400
    meeting.refresh_from_db()
    registration.refresh_from_db()
    assert meeting.status == MeetingStatus.ANNOUNCED and Meeting.history.count() == before
    assert registration.status == "pending"


# --- item 14: the staff home counts every open message ----------------------------------------------------------


def test_hardening_staff_home_counts_open_messages_beyond_three_hundred(world, client, django_assert_max_num_queries):
    Message.objects.bulk_create([
        Message(channel="netizen", category="consult", title=f"留言{i}", body="内容", contact="1", unit=world.fgw,
                query_code_hash=hashlib.sha256(f"code-{i}".encode()).hexdigest())
        for i in range(305)
    ])
    client.force_login(world.clerk)
    with django_assert_max_num_queries(20):
        page = client.get("/participation/staff/").content.decode()
    assert '待答复留言 <span class="count">305</span> 条' in page


# --- item 14: the hearing notice in Beijing calendar dates -----------------------------------------------------------


def _hearing(world, starts_at):
    return f.meeting(world, kind=MeetingKind.HEARING, starts_at=starts_at, title="出租车经营权许可听证会",
                     legal_basis="《中华人民共和国行政许可法》第四十六条")


def test_P4_hearing_notice_counts_beijing_calendar_dates_not_hours(world):
    # Announced Monday 06-01 10:00 Beijing; a hearing on 06-08 at 07:00 Beijing (06-07 23:00 UTC) is
    # seven calendar days later in Beijing, though fewer than 7×24 hours.
    with time_machine.travel(MONDAY, tick=False):
        early = _hearing(world, bj(2026, 6, 8, 7))
        services.meeting_announce(meeting=early, by=world.clerk)
        late = _hearing(world, bj(2026, 6, 7, 23, 59))
        with pytest.raises(ValidationError, match="最迟应于2026-05-31公告"):
            services.meeting_announce(meeting=late, by=world.clerk)
    early.refresh_from_db()
    late.refresh_from_db()
    assert early.status == MeetingStatus.ANNOUNCED and late.status == MeetingStatus.PLANNED


# --- item 14: citizen text is kept as typed and escaped wherever it is shown ------------------------------------------


def test_hardening_citizen_text_with_angle_brackets_is_kept_and_escaped(world, client):
    with time_machine.travel(MONDAY, tick=False):
        draft, period = f.published(world)
        response = client.post(f"/participation/drafts/{draft.pk}/comment/", {
            "body": "PM2.5 <b and a> 50,<script>alert(1)</script>", "display_name": "<i>李四</i>", "section": "",
            "contact": "", "website": ""})
        assert response.status_code == 302
        comment = period.comments.get()
        assert comment.body == "PM2.5 <b and a> 50,<script>alert(1)</script>"
        services.comments_moderate(period=period, comment_ids=[comment.pk], show=True, by=world.clerk)
        page = client.get(f"/participation/drafts/{draft.pk}/").content.decode()
    assert "PM2.5 &lt;b and a&gt; 50,&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;i&gt;李四&lt;/i&gt;" in page and "<script>alert(1)" not in page
    client.force_login(world.clerk)
    staff = client.get(f"/participation/staff/drafts/{draft.pk}/").content.decode()
    assert "PM2.5 &lt;b and a&gt; 50" in staff and "<script>alert(1)" not in staff


def test_hardening_no_participation_template_turns_escaping_off():
    root = Path(settings.BASE_DIR) / "templates" / "participation"
    offenders = [str(p) for p in root.rglob("*.html")
                 if "|safe" in p.read_text() or "autoescape off" in p.read_text()]
    assert offenders == []
