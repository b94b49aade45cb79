"""The whole staff walk of issue 15 in Chromium, each hand-off found through the inbox or the 工作台:
the clerk's 主动公开 policy document with its plan and Q&A → the head approves the plan from the 工作台 →
submitted → the reviewer, told, sees plan and materials and returns it → the clerk, told, revises →
the reviewer sees what changed and accepts → 保密审查, told, sees and clears document and materials →
published together. axe-core checks every staff page of the walk (I5, I8, D5, D7)."""

import re

import pytest

from disclosure.models import Document, Status
from interpretation.models import Interpretation
from tests.browser.fixtures import screenshot
from tests.disclosure.test_browser_public import axe_problems
from tests.interpretation.factories import city_policy, make_plan, qa
from tests.interpretation.test_browser import as_user

pytestmark = pytest.mark.browser

TITLE = "铜川市促进民间投资的若干措施"


def _told(page, live_server, text: str):
    """The person opens the inbox from the 工作台 and finds the message about this hand-off."""
    page.goto(live_server.url + "/workspace/")
    page.locator(".todo-inbox").get_by_role("link").click()
    assert text in page.content(), text


def test_I5_D7_issue15_walk_every_hand_off_is_told_and_every_staff_page_passes_axe(browser, live_server, world):
    from disclosure import services as disclosure

    disclosure.return_reasons_ensure()  # transactional tests elsewhere flush the migration's rows
    document = city_policy(world, title=TITLE, body="<p>第一条 总则。</p><p>第二条 支持民营企业。</p>")
    qa(world, make_plan(world, document))
    problems: dict[str, list[str]] = {}

    def check(page, name):
        problems[name] = axe_problems(page)
        screenshot(page, f"walk-{name}")

    # The clerk sends the plan to the head from the document page.
    clerk = as_user(browser, live_server, "clerk")
    clerk.goto(live_server.url + f"/work/documents/{document.pk}/")
    check(clerk, "clerk-document")
    clerk.locator("#interpretation").get_by_role("link", name="报负责人审定").click()
    clerk.get_by_role("button", name="报负责人审定").click()

    # The head finds it on the 工作台 and approves plan and materials.
    head = as_user(browser, live_server, "head")
    check(head, "head-workspace")
    head.locator(".todo-plans").get_by_role("link", name=f"《{TITLE}》").click()
    check(head, "head-plan")
    head.get_by_role("button", name="审定解读方案和材料").click()

    # The clerk submits; the city office's reviewer is told and sees plan and materials.
    clerk.goto(live_server.url + f"/work/documents/{document.pk}/")
    clerk.get_by_role("button", name=re.compile("报送审核")).click()
    assert Document.objects.get(pk=document.pk).status == Status.SUBMITTED
    reviewer = as_user(browser, live_server, "reviewer")
    _told(reviewer, live_server, TITLE)
    check(reviewer, "reviewer-inbox")
    reviewer.goto(live_server.url + f"/work/review/{document.pk}/")
    assert reviewer.get_by_role("heading", name="解读方案和解读材料").is_visible()
    assert "在铜川注册的民营企业均可申报。" in reviewer.content()
    check(reviewer, "reviewer-review")
    reviewer.get_by_label("内容需要修改完善").check()
    reviewer.get_by_label("具体说明").fill("第二条表述不准确,请修改。")
    reviewer.get_by_role("button", name="退文").click()
    assert Document.objects.get(pk=document.pk).status == Status.RETURNED

    # The clerk, told, revises the body and resubmits.
    _told(clerk, live_server, f"【退文】《{TITLE}》被退回,请修改")
    clerk.goto(live_server.url + f"/work/documents/{document.pk}/edit/")
    body = clerk.get_by_label("正文")
    assert "<p>" not in body.input_value()  # the clerk edits text, never stored tags
    body.fill("第一条 总则。\n第二条 大力支持民营企业。\n第三条 附则。")
    check(clerk, "clerk-edit")
    clerk.get_by_role("button", name="保存草稿").click()
    clerk.wait_for_url(re.compile(rf"/work/documents/{document.pk}/$"))
    check(clerk, "clerk-returned-document")
    clerk.get_by_role("button", name=re.compile("重新报送")).click()
    assert Document.objects.get(pk=document.pk).status == Status.SUBMITTED

    # The reviewer sees what changed and accepts.
    reviewer.goto(live_server.url + f"/work/review/{document.pk}/")
    assert reviewer.get_by_role("heading", name="修改对照").is_visible()
    assert reviewer.get_by_role("heading", name="此前退文记录").is_visible()
    check(reviewer, "reviewer-diff")
    reviewer.get_by_role("button", name="审核通过").click()
    assert Document.objects.get(pk=document.pk).status == Status.CONFIDENTIALITY_REVIEW

    # 保密审查, told, sees document and materials and clears them: published together.
    secrecy = as_user(browser, live_server, "city_secrecy")
    _told(secrecy, live_server, TITLE)
    secrecy.goto(live_server.url + f"/work/confidentiality/{document.pk}/")
    assert "第三条 附则。" in secrecy.content() and "在铜川注册的民营企业均可申报。" in secrecy.content()
    check(secrecy, "secrecy-review")
    secrecy.get_by_label("通过,可以发布").check()
    secrecy.get_by_role("button", name="提交").click()
    secrecy.wait_for_url("**/work/confidentiality/")
    document = Document.objects.get(pk=document.pk)
    assert document.status == Status.PUBLISHED
    assert Interpretation.objects.get(document=document).published_at == document.published_at

    # The same staff pages on a phone.
    phone = as_user(browser, live_server, "reviewer", viewport={"width": 390, "height": 844})
    phone.goto(live_server.url + f"/work/review/{document.pk}/")
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    check(phone, "reviewer-review-phone")
    phone.goto(live_server.url + "/workspace/")
    check(phone, "reviewer-workspace-phone")

    assert {page: found for page, found in problems.items() if found} == {}
