"""Services of public participation: the comment window (M2), adoption (M3, P3), meetings (M1, M4, M5, P4),
messages (P5, W2). Time is moved with time-machine; nothing sleeps."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import override_settings

from participation import services
from participation.models import (
    Comment,
    CommentPeriod,
    CommentStatus,
    DecisionDraft,
    DraftStatus,
    Meeting,
    MeetingKind,
    Message,
    MessageStatus,
    PeriodStatus,
    RegistrationStatus,
)
from participation.deadlines import ADOPTION_REPORT, REPLY
from tongchuan_portal.clock.models import Deadline, DeadlineState
from tongchuan_portal.clock.services import deadlines_sweep
from tongchuan_portal.notifications.models import Notification

from . import factories as f
from .conftest import bj

pytestmark = pytest.mark.django_db

MONDAY = bj(2026, 6, 1, 10, 0)


# --- M2: the window -------------------------------------------------------------------------------------


def test_M2_six_working_days_refused_seven_accepted(world):
    draft = f.draft(world)
    with time_machine.travel(MONDAY, tick=False):
        with pytest.raises(ValidationError) as exc:
            services.draft_publish(draft=draft, working_days=6, by=world.clerk)
        assert "不得少于7个工作日" in str(exc.value)
        draft.refresh_from_db()
        assert draft.status == DraftStatus.DRAFTING and draft.published_at is None
        assert not CommentPeriod.objects.exists() and not Deadline.objects.exists()

        services.draft_publish(draft=draft, working_days=7, by=world.clerk)
        services.draft_clearance_decide(draft=draft, cleared=True, opinion="", by=f.secrecy(draft.unit))
        period = draft.periods.get()
    # CLOCK7's own example: opened Monday 2026-06-01, 7 working days → end of Wednesday 2026-06-10.
    assert period.closes_at == bj(2026, 6, 10, 23, 59, 59)
    deadline = Deadline.objects.get(rule="participation.comment_window")
    assert deadline.due_at == period.closes_at and deadline.rule_id == "M2"
    assert deadline.length_days == period.working_days == 7  # one rule; the window carries its own length
    draft.refresh_from_db()
    assert draft.status == DraftStatus.CONSULTING


def test_M2_window_across_the_national_day_holiday_and_a_makeup_saturday(world):
    # Tue 2026-09-29 + 7: 9/30 (1), 10/1–10/7 holiday, 10/8 (2), 10/9 (3), Sat 10/10 make-up day (4),
    # 10/12 (5), 10/13 (6), 10/14 (7).
    with time_machine.travel(bj(2026, 9, 29, 9, 0), tick=False):
        _, period = f.published(world, working_days=7)
    assert period.closes_at == bj(2026, 10, 14, 23, 59, 59)
    assert not period.provisional


def test_M2_windows_of_any_allowed_length_share_one_rule_each_due_by_its_own_length(world):
    with time_machine.travel(MONDAY, tick=False):
        _, short = f.published(world, working_days=7)
        _, long = f.published(world, working_days=20)
    rows = {d.object_id: d for d in Deadline.objects.filter(rule="participation.comment_window")}
    assert (rows[short.pk].length_days, rows[long.pk].length_days) == (7, 20)
    assert rows[short.pk].due_at == short.closes_at < rows[long.pk].due_at == long.closes_at


def test_M2_scheduled_opening_starts_the_window_then(world):
    with time_machine.travel(MONDAY, tick=False):
        draft, period = f.published(world, working_days=7, opens_at=bj(2026, 6, 3, 9, 0))
        assert period.closes_at == bj(2026, 6, 12, 23, 59, 59)  # counted from Wednesday
        with pytest.raises(ValidationError, match="开始"):
            f.comment(period)
    with time_machine.travel(bj(2026, 6, 3, 9, 0, 1), tick=False):
        f.comment(period)
    assert Comment.objects.count() == 1


def test_M2_a_comment_one_second_after_the_close_is_refused_before_any_sweep(world):
    with time_machine.travel(MONDAY, tick=False):
        _, period = f.published(world)
    with time_machine.travel(period.closes_at, tick=False):
        f.comment(period, body="最后一秒的意见")  # the last second still counts
    with time_machine.travel(period.closes_at + timedelta(seconds=1), tick=False):
        with pytest.raises(ValidationError, match="已于2026-06-10 23:59截止"):
            f.comment(period, body="晚了一秒")
    period.refresh_from_db()
    assert period.status == PeriodStatus.OPEN  # the sweep has not run: the service alone refused it
    assert list(Comment.objects.values_list("body", flat=True)) == ["最后一秒的意见"]


def test_M2_the_sweep_closes_the_window_and_starts_the_adoption_clock_once(world):
    with time_machine.travel(MONDAY, tick=False):
        _, period = f.published(world)
    later = period.closes_at + timedelta(minutes=5)
    with time_machine.travel(later, tick=False):
        deadlines_sweep(now=later)
        deadlines_sweep(now=later)
    period.refresh_from_db()
    assert period.status == PeriodStatus.CLOSED
    window = Deadline.objects.get(rule="participation.comment_window")
    assert window.state == DeadlineState.MET and window.met_at == period.closes_at
    report = Deadline.objects.get(rule=ADOPTION_REPORT)
    assert report.started_at == period.closes_at and report.state == DeadlineState.RUNNING
    # 10 working days after Wed 2026-06-10: 11, 12, 15, 16, 17, 18, [19 端午], 22, 23, 24, 25 → 2026-06-25.
    assert report.due_at == bj(2026, 6, 25, 23, 59, 59)
    # A closed window is nobody's overdue task; the drafting unit is told once that the adoption report is due.
    closing = Notification.objects.exclude(title__contains="保密审查")
    assert sorted(closing.values_list("recipient__username", flat=True)) == ["p-clerk-fgw", "p-head-fgw"]
    assert all("征求意见截止" in n.title and "2026-06-25" in n.body for n in closing)


def test_M2_not_decided_nor_meeting_held_before_the_window_ends(world):
    with time_machine.travel(MONDAY, tick=False):
        draft, period = f.published(world)
        meeting = f.meeting(world, starts_at=bj(2026, 6, 15, 9, 0))
        services.meeting_topic_add(meeting=meeting, title="票价调整", draft=draft, by=world.clerk)
    with time_machine.travel(bj(2026, 6, 10, 12, 0), tick=False):
        with pytest.raises(ValidationError, match="截止前不能作出决策"):
            services.draft_mark_decided(draft=draft, note="通过", by=world.head)
    draft.refresh_from_db()
    assert draft.status == DraftStatus.CONSULTING
    # A meeting set before the close cannot take the draft at all.
    with time_machine.travel(MONDAY, tick=False):
        early = f.meeting(world, starts_at=bj(2026, 6, 9, 9, 0), title="过早的会议")
        with pytest.raises(ValidationError, match="会议须安排在截止之后"):
            services.meeting_topic_add(meeting=early, title="票价调整", draft=draft, by=world.clerk)
    with time_machine.travel(bj(2026, 6, 11, 9, 0), tick=False):
        services.draft_mark_decided(draft=draft, note="市政府常务会议审议通过", by=world.head)
    draft.refresh_from_db()
    assert draft.status == DraftStatus.DECIDED


def test_M2_a_lawful_exemption_needs_a_reason_and_keeps_the_draft_off_the_public_site(world, client):
    draft = f.draft(world, title="涉密的决策草案")
    with pytest.raises(ValidationError):
        services.draft_exempt(draft=draft, reason="  ", by=world.clerk)
    draft.refresh_from_db()
    assert draft.status == DraftStatus.DRAFTING
    services.draft_exempt(draft=draft, reason="涉及国家秘密(《保守国家秘密法》第九条)", by=world.clerk)
    assert "涉密的决策草案" not in client.get("/participation/").content.decode()
    assert client.get(f"/participation/drafts/{draft.pk}/").status_code == 404


def test_hardening_comment_text_is_kept_as_typed_and_limited_in_length(world):
    """Nothing between a `<` and a `>` is lost ("PM2.5 <b and a> 50"); pages escape it (see test_views)."""
    with time_machine.travel(MONDAY, tick=False):
        _, period = f.published(world)
        c = f.comment(period, body="PM2.5 <b and a> 50", display_name="<i>李四</i>")
        assert c.body == "PM2.5 <b and a> 50" and c.display_name == "<i>李四</i>"
        with pytest.raises(ValidationError, match="不能超过2000字"):
            f.comment(period, body="长" * 2001)
    assert Comment.objects.count() == 1


# --- M3, P3: grouping and the adoption report ------------------------------------------------------------


@pytest.fixture
def closed_with_comments(world):
    with time_machine.travel(MONDAY, tick=False):
        draft, period = f.published(world)
        comments = [f.comment(period, body=f"意见{i}") for i in range(3)]
        services.comments_moderate(period=period, comment_ids=[c.pk for c in comments], show=True, by=world.clerk)
    return draft, period, comments


def test_M3_not_adopted_without_a_reason_is_refused(world, closed_with_comments):
    draft, period, comments = closed_with_comments
    group = services.opinion_group_create(period=period, title="保留学生优惠", by=world.clerk)
    with pytest.raises(ValidationError, match="未采纳的意见必须说明理由"):
        services.opinion_group_decide(group=group, decision="not_adopted", reason="", by=world.clerk)
    group.refresh_from_db()
    assert group.decision == ""


@override_settings(PARTICIPATION_CONCENTRATED_THRESHOLD=3)
def test_P3_a_concentrated_opinion_needs_a_reason_even_when_adopted(world, closed_with_comments):
    draft, period, comments = closed_with_comments
    group = services.opinion_group_create(period=period, title="保留学生优惠", by=world.clerk)
    services.comments_assign_group(period=period, comment_ids=[c.pk for c in comments], group=group, by=world.clerk)
    with pytest.raises(ValidationError, match="集中意见"):
        services.opinion_group_decide(group=group, decision="adopted", reason="", by=world.clerk)
    services.opinion_group_decide(group=group, decision="adopted", reason="学生票维持半价。", by=world.clerk)


def test_M3_report_is_published_after_the_close_and_meets_its_clock(world, closed_with_comments, client):
    draft, period, comments = closed_with_comments
    group = services.opinion_group_create(period=period, title="保留学生优惠", by=world.clerk)
    services.comments_assign_group(period=period, comment_ids=[c.pk for c in comments[:2]], group=group,
                                   by=world.clerk)
    services.opinion_group_decide(group=group, decision="adopted", reason="", by=world.clerk)
    with time_machine.travel(bj(2026, 6, 10, 20, 0), tick=False):
        with pytest.raises(ValidationError, match="截止后才能公布"):
            services.adoption_report_publish(period=period, summary="采纳情况如下。", by=world.clerk)
    with time_machine.travel(bj(2026, 6, 12, 9, 0), tick=False):
        with pytest.raises(ValidationError, match="未归类"):
            services.adoption_report_publish(period=period, summary="采纳情况如下。", by=world.clerk)
        services.comments_assign_group(period=period, comment_ids=[comments[2].pk], group=group, by=world.clerk)
        f.report_published(period, summary="共收到3条意见,已全部采纳。", by=world.clerk)
        page = client.get(f"/participation/drafts/{draft.pk}/").content.decode()
    period.refresh_from_db()
    assert period.status == PeriodStatus.CLOSED and period.report_published_at
    assert Deadline.objects.get(rule=ADOPTION_REPORT).state == DeadlineState.MET
    assert "意见采纳情况" in page and "共收到3条意见,已全部采纳。" in page and "保留学生优惠" in page
    with pytest.raises(ValidationError, match="已公布"):
        services.opinion_group_create(period=period, title="新的归类", by=world.clerk)


def test_M3_a_late_adoption_report_is_escalated_to_the_unit_then_the_city_office(world, closed_with_comments):
    draft, period, _ = closed_with_comments
    after_close = period.closes_at + timedelta(minutes=1)
    deadlines_sweep(now=after_close)
    report = Deadline.objects.get(rule=ADOPTION_REPORT)
    deadlines_sweep(now=report.due_at + timedelta(seconds=2))
    assert Notification.objects.filter(recipient=world.clerk, level="overdue").exists()
    assert Notification.objects.filter(recipient=world.head, level="overdue").exists()
    assert not Notification.objects.filter(recipient=world.reviewer).exists()
    deadlines_sweep(now=report.due_at + timedelta(days=3, seconds=2))
    assert Notification.objects.filter(recipient=world.reviewer, level="escalation").exists()


def test_hidden_comments_need_a_reason_and_never_reach_the_public(world, client):
    with time_machine.travel(MONDAY, tick=False):
        draft, period = f.published(world)
        good = f.comment(period, body="很好的建议:增加夜班公交")
        bad = f.comment(period, body="广告:代开发票请联系")
        pending = f.comment(period, body="尚未审核的意见")
        with pytest.raises(ValidationError, match="屏蔽原因"):
            services.comments_moderate(period=period, comment_ids=[bad.pk], show=False, by=world.clerk)
        services.comments_moderate(period=period, comment_ids=[good.pk, bad.pk], show=True, by=world.clerk)
        services.comments_moderate(period=period, comment_ids=[bad.pk], show=False, reason="广告", by=world.clerk)
        page = client.get(f"/participation/drafts/{draft.pk}/").content.decode()
    bad.refresh_from_db()
    assert bad.status == CommentStatus.HIDDEN and bad.hidden_reason == "广告"
    assert "很好的建议" in page
    assert "代开发票" not in page and "尚未审核" not in page
    assert pending.pk and "13800000000" not in page


# --- meetings (M1, M4, M5, P4) -------------------------------------------------------------------------------


def test_M5_adoption_summary_is_attached_to_a_topic_both_ways(world, closed_with_comments):
    draft, period, comments = closed_with_comments
    with time_machine.travel(MONDAY, tick=False):
        meeting = f.meeting(world, starts_at=bj(2026, 6, 20, 9, 0))
        topic = services.meeting_topic_add(meeting=meeting, title="审议票价调整方案", draft=draft,
                                           major_public_interest=True, by=world.clerk)
    assert topic.adoption_summary == ""  # nothing to attach yet
    group = services.opinion_group_create(period=period, title="保留学生优惠", by=world.clerk)
    services.comments_assign_group(period=period, comment_ids=[c.pk for c in comments], group=group, by=world.clerk)
    services.opinion_group_decide(group=group, decision="partly", reason="学生票调整为六折。", by=world.clerk)
    with time_machine.travel(bj(2026, 6, 12, 9, 0), tick=False):
        f.report_published(period, summary="部分采纳。", by=world.clerk)
        topic.refresh_from_db()
        assert "共收到有效意见3条" in topic.adoption_summary and "部分采纳1类" in topic.adoption_summary
        later = f.meeting(world, starts_at=bj(2026, 6, 30, 9, 0), title="第二次审议")
        again = services.meeting_topic_add(meeting=later, title="再审议", draft=draft, by=world.clerk)
    assert again.adoption_summary == topic.adoption_summary


def test_M4_a_public_teleconference_must_invite_media_and_M5_say_how_it_is_public(world):
    with pytest.raises(ValidationError) as exc:
        f.meeting(world, kind=MeetingKind.TELECONFERENCE, starts_at=bj(2026, 7, 1, 9), invite_media=False)
    assert "须邀请市级和省级媒体" in str(exc.value)
    with pytest.raises(ValidationError, match="公开方式"):
        f.meeting(world, starts_at=bj(2026, 7, 1, 9), publish_text=False)
    assert not Meeting.objects.exists()


def test_P4_a_hearing_needs_its_legal_basis_and_seven_days_notice(world):
    with time_machine.travel(MONDAY, tick=False):
        with pytest.raises(ValidationError):
            f.meeting(world, kind=MeetingKind.HEARING, starts_at=bj(2026, 6, 5, 9), legal_basis="")
        hearing = f.meeting(world, kind=MeetingKind.HEARING, starts_at=bj(2026, 6, 5, 9),
                            legal_basis="《中华人民共和国行政许可法》第四十六条", title="出租车经营权许可听证会")
        with pytest.raises(ValidationError, match="7日前公告"):
            services.meeting_announce(meeting=hearing, by=world.clerk)
        hearing.refresh_from_db()
        assert hearing.status == "planned"
        ok = f.meeting(world, kind=MeetingKind.HEARING, starts_at=bj(2026, 6, 9, 9),
                       legal_basis="《中华人民共和国行政许可法》第四十六条", title="出租车经营权许可听证会")
        services.meeting_announce(meeting=ok, by=world.clerk)
        reg, code = services.registration_submit(meeting=ok, name="王五", contact="13900000000",
                                                 category="stakeholder", wants_to_speak=True, statement="反对涨价")
    with time_machine.travel(bj(2026, 6, 9, 12), tick=False):
        services.meeting_mark_held(meeting=ok, by=world.clerk)
        with pytest.raises(ValidationError, match="听证笔录"):
            services.meeting_record_outcome(meeting=ok, outcome="听证结束", minutes="", topic_results={},
                                            by=world.clerk)
        services.meeting_record_outcome(meeting=ok, outcome="听证结束", minutes="王五发言:反对涨价。",
                                        topic_results={}, by=world.clerk)


def test_M1_attendance_within_quota_with_confirmation_code(world):
    with time_machine.travel(MONDAY, tick=False):
        meeting = f.meeting(world, kind=MeetingKind.OPEN_DAY, starts_at=bj(2026, 6, 20, 9), attendance_quota=1,
                            title="政府开放日")
        services.meeting_announce(meeting=meeting, by=world.clerk)
        first, code1 = services.registration_submit(meeting=meeting, name="赵六", contact="1", category="citizen")
        second, _ = services.registration_submit(meeting=meeting, name="钱七", contact="2", category="citizen")
        services.registration_decide(registration=first, approve=True, by=world.clerk)
        with pytest.raises(ValidationError, match="名额已满"):
            services.registration_decide(registration=second, approve=True, by=world.clerk)
        with pytest.raises(ValidationError, match="名额已满"):
            services.registration_submit(meeting=meeting, name="孙八", contact="3", category="citizen")
        first.refresh_from_db()
        assert len(first.confirmation_code) == 8
        services.registration_mark_attended(meeting=meeting, confirmation_code=first.confirmation_code.lower(),
                                            by=world.clerk)
    first.refresh_from_db()
    assert first.status == RegistrationStatus.ATTENDED
    from participation.selectors import registration_lookup

    assert registration_lookup(code1).pk == first.pk


# --- messages (P5, W2) -------------------------------------------------------------------------------------------


def test_P5_leader_mailbox_goes_to_the_city_office_and_netizen_messages_to_the_chosen_unit(world):
    with time_machine.travel(MONDAY, tick=False):
        letter, code = f.message(world, channel="leader_mailbox", unit=world.jyj)
        note, _ = f.message(world, channel="netizen", unit=world.jyj)
        nobody, _ = f.message(world, channel="netizen", unit=None)
    assert letter.unit == world.szfb and note.unit == world.jyj and nobody.unit == world.szfb
    assert len(code) == 19 and code.count("-") == 3
    deadline = Deadline.objects.get(object_id=note.pk, rule=REPLY["netizen"])
    # 5 working days after Monday 2026-06-01 → Monday 2026-06-08, end of day.
    assert deadline.due_at == bj(2026, 6, 8, 23, 59, 59) and deadline.unit == world.jyj
    assert Message.objects.get(pk=letter.pk).query_code_hash != code  # only the digest is stored


def test_P5_reply_deadline_reminds_and_escalates_then_the_reply_meets_it(world):
    with time_machine.travel(MONDAY, tick=False):
        note, code = f.message(world, unit=world.jyj)
    deadline = Deadline.objects.get(object_id=note.pk, rule=REPLY["netizen"])
    deadlines_sweep(now=deadline.due_at - timedelta(hours=12))
    assert Notification.objects.filter(recipient=world.other_clerk, level="reminder").exists()
    deadlines_sweep(now=deadline.due_at + timedelta(seconds=2))
    assert Notification.objects.filter(recipient=world.other_head, level="overdue").exists()
    deadlines_sweep(now=deadline.due_at + timedelta(days=2, seconds=2))
    assert Notification.objects.filter(recipient=world.reviewer, level="escalation").exists()
    services.message_reply(message=note, reply="新票价自7月1日起执行。", publish=True, by=world.other_clerk)
    deadline.refresh_from_db()
    assert deadline.state == DeadlineState.MET and deadline.was_late
    from participation.selectors import message_lookup

    found = message_lookup(code.lower().replace("-", ""))
    assert found.pk == note.pk and found.reply == "新票价自7月1日起执行。"


def test_P5_transfer_keeps_the_due_moment_and_hands_the_clock_to_the_new_unit(world):
    with time_machine.travel(MONDAY, tick=False):
        note, _ = f.message(world, unit=None)
    before = Deadline.objects.get(object_id=note.pk, state="running").due_at
    services.message_transfer(message=note, unit=world.jyj, reason="属教育领域", by=world.reviewer)
    running = Deadline.objects.get(object_id=note.pk, state="running", rule=REPLY["netizen"])
    assert running.unit == world.jyj and running.due_at == before


def test_P5_published_only_with_consent(world, client):
    with time_machine.travel(MONDAY, tick=False):
        private, _ = f.message(world, unit=world.jyj, consent=False, title="不愿公开的问题")
        with pytest.raises(ValidationError, match="未同意公开"):
            services.message_reply(message=private, reply="答复", publish=True, by=world.other_clerk)
        private.refresh_from_db()
        assert private.status == MessageStatus.RECEIVED
        services.message_reply(message=private, reply="答复", publish=False, by=world.other_clerk)
    assert "不愿公开的问题" not in client.get("/participation/messages/").content.decode()


def test_W2_valid_messages_unanswered_for_three_months_are_flagged_once(world):
    with time_machine.travel(bj(2026, 3, 2, 10), tick=False):
        old, _ = f.message(world, unit=world.jyj, title="三个月未答复")
        invalid, _ = f.message(world, unit=world.jyj, title="无效的")
        services.message_mark_invalid(message=invalid, reason="重复留言", by=world.other_clerk)
    assert services.messages_flag_unanswered(now=bj(2026, 6, 2, 9, 59)) == 0
    assert services.messages_flag_unanswered(now=bj(2026, 6, 2, 10, 0)) == 1
    assert services.messages_flag_unanswered(now=bj(2026, 6, 3, 10, 0)) == 0
    old.refresh_from_db()
    assert old.unanswered_flagged_at is not None
    assert Notification.objects.filter(recipient=world.other_clerk, title__contains="超三个月未答复").count() == 1


def test_search_public_finds_published_drafts_and_messages_only(world):
    with time_machine.travel(MONDAY, tick=False):
        f.published(world, title="关于夜班公交线路的决策草案")
        f.draft(world, title="未公布的夜班公交草案")
        note, _ = f.message(world, unit=world.jyj, title="夜班公交什么时候开通?")
        services.message_reply(message=note, reply="年内开通。", publish=True, by=world.other_clerk)
        from participation.selectors import search_public

        titles = [hit.title for hit in search_public("夜班公交")]
    assert sorted(titles) == ["关于夜班公交线路的决策草案", "夜班公交什么时候开通?"]
    assert DecisionDraft.objects.count() == 2


@pytest.mark.parametrize("area", ["economy", "livelihood", "market", "urban", "traffic", "environment", "benefits"])
def test_P1_a_draft_in_any_of_the_seven_areas_is_filed(world, area):
    assert DecisionDraft.objects.get(pk=f.draft(world, area=area).pk).area == area


def test_P1_a_draft_is_filed_under_one_of_the_participation_areas(world):
    with pytest.raises(ValidationError) as error:
        f.draft(world, area="foreign_affairs")
    assert "请选择领域" in error.value.message_dict["area"][0]
    assert not DecisionDraft.objects.exists()


def test_P2_a_draft_kept_off_the_public_site_needs_a_lawful_reason(world):
    from participation import selectors

    d = f.draft(world)
    with pytest.raises(ValidationError):
        services.draft_exempt(draft=d, reason="  ", by=world.clerk)
    assert DecisionDraft.objects.get(pk=d.pk).status == DraftStatus.DRAFTING
    services.draft_exempt(draft=d, reason="涉及国家秘密,依法不予公开。", by=world.clerk)
    open_drafts, closed_drafts = selectors.draft_list_public()
    assert d.pk not in {x.pk for x in open_drafts} | {x.pk for x in closed_drafts}
