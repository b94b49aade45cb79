"""The reviewer's pages in a browser: plan, materials, returns and the diff on the review page; every
item on the 保密审查 page; desktop and phone, no horizontal scrolling (D7, I5)."""

import pytest

from disclosure import services as disclosure
from disclosure.models import Document, Status
from tests.browser.fixtures import login, screenshot
from tests.interpretation.test_clearance import _in_clearance
from tests.interpretation.test_review_context import _returned_and_resubmitted

pytestmark = pytest.mark.browser


def _page(browser, live_server, username, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN",
                                  timezone_id="Asia/Shanghai")
    page = context.new_page()
    login(page, live_server, username)
    return page


@pytest.mark.parametrize("width", [1280, 390])
def test_I5_reviewer_sees_plan_returns_and_diff_then_clearance_sees_every_item(browser, live_server, world, width):
    document = _returned_and_resubmitted(world)
    reviewer = _page(browser, live_server, "reviewer", width)
    reviewer.goto(f"{live_server.url}/work/review/{document.pk}/")
    assert reviewer.get_by_role("heading", name="修改对照").is_visible()
    assert reviewer.get_by_role("heading", name="此前退文记录").is_visible()
    assert reviewer.get_by_role("heading", name="解读方案和解读材料").is_visible()
    assert reviewer.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    screenshot(reviewer, f"review-context-{width}")
    reviewer.get_by_role("button", name="审核通过").click()
    reviewer.wait_for_url("**/work/review/")
    assert Document.objects.get(pk=document.pk).status == Status.CONFIDENTIALITY_REVIEW

    secrecy = _page(browser, live_server, "city_secrecy", width)
    secrecy.goto(f"{live_server.url}/work/confidentiality/{document.pk}/")
    assert "在铜川注册的民营企业均可申报。" in secrecy.content() and "申报表.pdf" in secrecy.content()
    assert secrecy.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    screenshot(secrecy, f"confidentiality-items-{width}")
    secrecy.get_by_label("通过,可以发布").check()
    secrecy.get_by_role("button", name="提交").click()
    secrecy.wait_for_url("**/work/confidentiality/")
    assert Document.objects.get(pk=document.pk).status == Status.PUBLISHED
