"""Pages of 公众参与: every write path refuses a late comment (M2), the rate limit answers 429 (never a 500),
list pages run a constant number of queries, staff pages follow the unit."""

from datetime import timedelta

import pytest
import time_machine
from django.test import override_settings

from participation import services
from participation.models import Comment, Evaluation, MeetingKind

from . import factories as f
from .conftest import bj

pytestmark = pytest.mark.django_db

MONDAY = bj(2026, 6, 1, 10, 0)


def _post_comment(client, draft, **extra):
    data = {"body": "建议增加夜班公交", "section": "第二条", "display_name": "市民", "contact": "", "website": ""}
    data.update(extra)
    return client.post(f"/participation/drafts/{draft.pk}/comment/", data)


def test_M2_comment_through_the_page_is_held_for_moderation(world, client):
    with time_machine.travel(MONDAY, tick=False):
        draft, period = f.published(world)
        response = _post_comment(client, draft, contact="13800000000")
        assert response.status_code == 302
        page = client.get(response["Location"]).content.decode()
    assert "经审核后公开显示" in page
    comment = Comment.objects.get()
    assert comment.status == "pending" and comment.contact == "13800000000" and comment.section == "第二条"


def test_M2_one_second_after_the_close_every_write_path_refuses(world, client, admin_client):
    with time_machine.travel(MONDAY, tick=False):
        draft, period = f.published(world)
    with time_machine.travel(period.closes_at + timedelta(seconds=1), tick=False):
        page = _post_comment(client, draft)
        assert page.status_code == 400
        assert "征求意见已于2026-06-10 23:59截止,不再接收意见" in page.content.decode()
        # The admin never adds comments, not even for a superuser: only the service does.
        assert admin_client.get("/admin/participation/comment/add/").status_code == 403
        assert admin_client.post("/admin/participation/comment/add/",
                                 {"period": period.pk, "body": "后台补录"}).status_code == 403
        # Staff cannot smuggle one in either: there is no staff write path for comments but the service.
        with pytest.raises(Exception, match="截止"):
            services.comment_submit(period=period, body="脚本提交", user=world.clerk)
    assert not Comment.objects.exists()


@override_settings(PARTICIPATION_COMMENT_RATE_IP="3/h")
def test_rate_limit_answers_the_excess_comment_with_a_clear_429_page(world, client):
    with time_machine.travel(MONDAY, tick=False):
        draft, _ = f.published(world)
        codes = [_post_comment(client, draft, body=f"意见{i}").status_code for i in range(3)]
        excess = _post_comment(client, draft, body="第四条意见")
    assert codes == [302, 302, 302]
    assert excess.status_code == 429
    text = excess.content.decode()
    assert "提交过于频繁" in text and "没有被提交" in text
    assert Comment.objects.count() == 3


@override_settings(PARTICIPATION_COMMENT_RATE_CONTACT="2/h", PARTICIPATION_COMMENT_RATE_IP="100/h")
def test_rate_limit_per_contact_across_addresses(world, client):
    with time_machine.travel(MONDAY, tick=False):
        draft, _ = f.published(world)
        url = f"/participation/drafts/{draft.pk}/comment/"
        statuses = [client.post(url, {"body": f"意见{i}", "contact": "13800000000", "website": ""},
                                REMOTE_ADDR=f"10.0.0.{i}").status_code for i in range(2)]
        other_ip = client.post(f"/participation/drafts/{draft.pk}/comment/",
                               {"body": "换了网络", "contact": "1380000 0000", "website": ""}, REMOTE_ADDR="10.9.9.9")
    assert statuses == [302, 302] and other_ip.status_code == 429


def test_honeypot_filled_saves_nothing(world, client):
    with time_machine.travel(MONDAY, tick=False):
        draft, _ = f.published(world)
        response = _post_comment(client, draft, website="http://spam.example")
    assert response.status_code == 302 and not Comment.objects.exists()


def test_message_write_and_query_with_the_code(world, client):
    response = client.post("/participation/messages/write/", {
        "channel": "leader_mailbox", "category": "suggest", "title": "建议增设公交线路", "body": "新区到老区公交太少。",
        "contact": "13700000000", "consent_to_publish": "on", "website": ""})
    assert response.status_code == 302
    done = client.get(response["Location"]).content.decode()
    code = done.split('data-testid="query-code">')[1].split("<")[0]
    assert "铜川市人民政府办公室" in done
    assert client.get("/participation/submitted/").status_code == 302  # shown once
    found = client.post("/participation/messages/query/", {"code": code}).content.decode()
    assert "建议增设公交线路" in found and "办理中" in found
    wrong = client.post("/participation/messages/query/", {"code": "AAAA-BBBB-CCCC-DDDD"}).content.decode()
    assert "没有找到" in wrong


# --- query counts (constant at two sizes) ----------------------------------------------------------------


def _fill(world, n):
    with time_machine.travel(MONDAY, tick=False):
        for i in range(n):
            d, period = f.published(world, title=f"草案{i}", unit=world.fgw if i % 2 else world.jyj,
                                    by=world.clerk if i % 2 else world.other_clerk)
            m = f.meeting(world, starts_at=bj(2026, 6, 20, 9), title=f"会议{i}")
            services.meeting_announce(meeting=m, by=world.clerk)
            note, _ = f.message(world, unit=world.fgw, title=f"留言{i}")
            services.message_reply(message=note, reply="已答复", publish=True, by=world.clerk)
            e = services.evaluation_create(unit=world.fgw, title=f"评估{i}", policy_title="政策", evaluator="某研究院",
                                           area="economy", summary="结论", report="正文", by=world.clerk)
            services.evaluation_publish(evaluation=e, by=world.clerk)


@pytest.mark.parametrize("url", ["/participation/", "/participation/meetings/", "/participation/messages/",
                                 "/participation/evaluations/", "/participation/?area=traffic",
                                 "/participation/messages/?channel=netizen&unit=1"])
def test_public_lists_run_a_constant_number_of_queries(world, client, django_assert_num_queries, url):
    _fill(world, 2)
    with time_machine.travel(MONDAY + timedelta(hours=1), tick=False):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as few:
            assert client.get(url).status_code == 200
        _fill(world, 5)
        with django_assert_num_queries(len(few.captured_queries)):
            assert client.get(url).status_code == 200


def test_staff_message_list_query_count_is_constant(world, client, django_assert_num_queries):
    client.force_login(world.clerk)
    _fill(world, 2)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get("/participation/staff/messages/")
    _fill(world, 4)
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get("/participation/staff/messages/").status_code == 200


# --- staff pages -----------------------------------------------------------------------------------------------


def test_staff_pages_follow_the_unit(world, client):
    with time_machine.travel(MONDAY, tick=False):
        draft, period = f.published(world)
        f.comment(period)
        meeting = f.meeting(world, starts_at=bj(2026, 6, 20, 9), kind=MeetingKind.EXECUTIVE)
        note, _ = f.message(world, unit=world.fgw)
        client.force_login(world.clerk)
        for url in ("/participation/staff/", f"/participation/staff/drafts/{draft.pk}/",
                    f"/participation/staff/meetings/{meeting.pk}/", f"/participation/staff/messages/{note.pk}/",
                    "/participation/staff/drafts/new/", "/participation/staff/meetings/new/",
                    "/participation/staff/evaluations/new/", "/participation/staff/messages/"):
            assert client.get(url).status_code == 200, url
        client.force_login(world.other_clerk)
        for url in (f"/participation/staff/drafts/{draft.pk}/", f"/participation/staff/meetings/{meeting.pk}/",
                    f"/participation/staff/messages/{note.pk}/"):
            assert client.get(url).status_code == 404, url
        client.force_login(world.citizen)
        assert client.get("/participation/staff/").status_code == 403


def test_staff_publish_through_the_page_refuses_six_days_with_the_message(world, client):
    draft = f.draft(world)
    client.force_login(world.clerk)
    response = client.post(f"/participation/staff/drafts/{draft.pk}/", {"action": "publish", "working_days": "6"})
    assert response.status_code == 400
    assert "征求意见期不得少于7个工作日" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "drafting"


def test_public_pages_render(world, client):
    with time_machine.travel(MONDAY, tick=False):
        draft, period = f.published(world)
        meeting = f.meeting(world, starts_at=bj(2026, 6, 20, 9), kind=MeetingKind.OPEN_DAY, title="政府开放日")
        services.meeting_announce(meeting=meeting, by=world.clerk)
        for url in ("/participation/", f"/participation/drafts/{draft.pk}/", "/participation/meetings/",
                    f"/participation/meetings/{meeting.pk}/", "/participation/messages/",
                    "/participation/messages/write/", "/participation/messages/query/",
                    "/participation/registrations/query/", "/participation/evaluations/"):
            assert client.get(url).status_code == 200, url
        page = client.get("/participation/").content.decode()
        assert "剩余 7 个工作日" in page
        response = client.post(f"/participation/meetings/{meeting.pk}/register/", {
            "name": "赵六", "contact": "139", "category": "citizen", "website": ""})
        assert response.status_code == 302
    assert not Evaluation.objects.exists()


def test_admin_shows_every_participation_record_and_its_history_read_only(world, admin_client):
    from django.apps import apps
    from django.urls import reverse

    with time_machine.travel(MONDAY, tick=False):
        draft, period = f.published(world)
        f.comment(period)
        meeting = f.meeting(world, starts_at=bj(2026, 6, 20, 9))
        services.meeting_topic_add(meeting=meeting, title="议题", by=world.clerk)
        f.message(world, unit=world.fgw)
    for model in apps.get_app_config("participation").get_models():
        if model.__name__.startswith("Historical"):
            continue
        meta = model._meta
        assert admin_client.get(reverse(f"admin:participation_{meta.model_name}_changelist")).status_code == 200
        assert admin_client.get(reverse(f"admin:participation_{meta.model_name}_add")).status_code == 403
        obj = model.objects.first()
        if obj is not None:
            url = reverse(f"admin:participation_{meta.model_name}_history", args=[obj.pk])
            assert admin_client.get(url).status_code == 200, url
            change = reverse(f"admin:participation_{meta.model_name}_change", args=[obj.pk])
            assert admin_client.post(change, {}).status_code == 403
