"""报负责人审定 and 审定 tell exactly the next people, once (issue 15, notifications)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from interpretation import notices, services
from interpretation.models import InterpretationPlan
from tongchuan_portal.notifications.models import Notification
from tests.interpretation.factories import joint_policy, make_plan, qa


def inbox():
    return sorted((n.recipient.username, n.title) for n in Notification.objects.select_related("recipient"))


def test_notifications_plan_waiting_tells_the_drafting_units_head_only(world):
    plan = make_plan(world, joint_policy(world))
    qa(world, plan)
    services.plan_request_approval(plan=plan, by=world.clerk)
    assert [name for name, _ in inbox()] == ["head"]  # not the co-issuer's head, not the city office
    assert "待审定" in inbox()[0][1]
    notices.plan_waiting(InterpretationPlan.objects.get(pk=plan.pk), by=world.clerk)
    assert len(inbox()) == 1
    assert InterpretationPlan.objects.get(pk=plan.pk).history.first().history_change_reason == "报请单位主要负责人审定"


def test_notifications_plan_approved_tells_the_drafting_clerks(world):
    plan = make_plan(world, joint_policy(world))
    qa(world, plan)
    services.plan_request_approval(plan=plan, by=world.clerk)
    Notification.objects.all().delete()
    services.plan_approve(plan=plan, by=world.head)
    assert [name for name, _ in inbox()] == ["clerk"]
    notices.plan_approved(InterpretationPlan.objects.get(pk=plan.pk), by=world.head)
    assert len(inbox()) == 1


def test_notifications_plan_request_denied_sends_nothing(world):
    plan = make_plan(world, joint_policy(world))
    with pytest.raises(ValidationError, match="尚无解读材料"):
        services.plan_request_approval(plan=plan, by=world.clerk)
    qa(world, plan)
    with pytest.raises(PermissionDenied):
        services.plan_request_approval(plan=plan, by=world.other_clerk)
    with pytest.raises(PermissionDenied):
        services.plan_approve(plan=plan, by=world.co_head)
    assert inbox() == []
    assert InterpretationPlan.objects.get(pk=plan.pk).approval_requested_at is None


def test_notifications_reopening_clears_the_request(world):
    plan = make_plan(world, joint_policy(world))
    qa(world, plan)
    services.plan_request_approval(plan=plan, by=world.clerk)
    services.plan_approve(plan=plan, by=world.head)
    services.plan_reopen(plan=plan, by=world.clerk, reason="补充数据")
    assert InterpretationPlan.objects.get(pk=plan.pk).approval_requested_at is None


def test_notifications_plan_request_from_the_page(client, world):
    plan = make_plan(world, joint_policy(world))
    qa(world, plan)
    client.force_login(world.clerk)
    page = client.get(f"/work/interpretation/documents/{plan.document_id}/")
    assert "报负责人审定" in page.content.decode()
    response = client.post(f"/work/interpretation/documents/{plan.document_id}/plan/request-approval/")
    assert response.status_code == 302
    assert "等待审定" in client.get(f"/work/interpretation/documents/{plan.document_id}/").content.decode()
    assert [name for name, _ in inbox()] == ["head"]


def test_notifications_follow_up_waits_for_the_publishing_units_confidentiality_review(world):
    from tests.interpretation.factories import approved_plan, article, city_policy, publish

    document = city_policy(world)
    approved_plan(world, document)
    document = publish(world, document)
    Notification.objects.all().delete()
    follow_up = article(world, document.interpretation_plan, title="政策实施三个月跟踪解读")
    with pytest.raises(PermissionDenied):
        services.material_approve(interpretation=follow_up, by=world.co_head)
    assert inbox() == []
    services.material_approve(interpretation=follow_up, by=world.head)
    assert [name for name, _ in inbox()] == ["city_secrecy"]  # the city office publishes, not fgw's reviewer
    assert "跟踪解读" in inbox()[0][1]
    notices.follow_up_waiting(follow_up.__class__.objects.get(pk=follow_up.pk), by=world.head)
    assert len(inbox()) == 1


def test_notifications_the_work_area_marks_plans_sent_to_the_head(client, world):
    plan = make_plan(world, joint_policy(world))
    qa(world, plan)
    services.plan_request_approval(plan=plan, by=world.clerk)
    client.force_login(world.head)
    assert "已报负责人审定" in client.get("/work/interpretation/").content.decode()
    client.force_login(world.clerk)
    assert "(已报负责人审定)" in client.get("/work/interpretation/").content.decode()
