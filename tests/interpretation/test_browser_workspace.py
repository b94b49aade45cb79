"""The head finds the plan waiting on the 工作台, approves it, and the clerk is told (issue 15), in Chromium."""

import re

import pytest

from interpretation.models import InterpretationPlan, PlanStatus
from tests.browser.fixtures import screenshot
from tests.interpretation.factories import city_policy, make_plan, qa
from tests.interpretation.test_browser import as_user

pytestmark = pytest.mark.browser


def test_workspace_head_approves_the_plan_from_the_workspace_and_the_clerk_is_told(browser, live_server, world):
    document = city_policy(world, title="铜川市促进民间投资的若干措施")
    plan = make_plan(world, document)
    qa(world, plan)

    clerk = as_user(browser, live_server, "clerk")
    clerk.goto(live_server.url + f"/work/documents/{document.pk}/")
    clerk.locator("#interpretation").get_by_role("link", name="报负责人审定").click()
    clerk.get_by_role("button", name="报负责人审定").click()
    assert "已报请单位主要负责人审定" in clerk.content()

    head = as_user(browser, live_server, "head")
    waiting = head.locator(".todo-plans")
    assert "1 件" in waiting.inner_text()
    screenshot(head, "workspace-head-desktop")
    waiting.get_by_role("link", name="《铜川市促进民间投资的若干措施》").click()
    head.wait_for_url(re.compile(rf"/work/interpretation/documents/{document.pk}/$"))
    head.get_by_role("button", name="审定解读方案和材料").click()
    assert InterpretationPlan.objects.get(pk=plan.pk).status == PlanStatus.APPROVED

    clerk.goto(live_server.url + "/workspace/")
    assert "1 件" in clerk.locator(".todo-inbox").inner_text()
    clerk.locator(".todo-inbox").get_by_role("link").click()
    assert "【已审定】《铜川市促进民间投资的若干措施》的解读方案" in clerk.content()

    phone = as_user(browser, live_server, "head", viewport={"width": 390, "height": 844})
    screenshot(phone, "workspace-head-phone")
