"""A citizen walks 单位名录 → 耀州区 → a department → its 政府信息公开 → an item, and shares it by QR (W1, W3)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.browser.fixtures import screenshot
from tests.disclosure.test_browser_public import axe_problems
from tests.sections.factories import published

pytestmark = pytest.mark.browser


def test_W1_citizen_walks_directory_to_a_department_item_and_shares_it_by_qr(live_server, tongchuan_units,
                                                                             calendar, browser):
    doc = published(tongchuan_units["yzq-jyj"], title="耀州区教育局关于2026年秋季学期招生工作的通知",
                    published_at=timezone.now() - timedelta(days=1))
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                  device_scale_factor=2, locale="zh-CN")
    page = context.new_page()
    problems = {}

    page.goto(live_server.url + "/")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="单位名录").click()
    page.get_by_role("link", name="铜川市耀州区人民政府").click()
    assert page.get_by_role("heading", level=1).inner_text() == "铜川市耀州区人民政府"
    assert doc.title in page.content()  # a district's home shows its departments' items
    problems["district"] = axe_problems(page)
    screenshot(page, "section-district-phone")

    page.get_by_role("region", name="所属部门").get_by_role("link", name="铜川市耀州区教育局").click()
    crumb = page.get_by_role("navigation", name="当前位置").inner_text()
    assert crumb.index("市政府") < crumb.index("耀州区政府") < crumb.index("耀州区教育局")
    problems["department"] = axe_problems(page)

    page.get_by_role("navigation", name="耀州区教育局栏目").get_by_role("link", name="政府信息公开").click()
    assert "铜川市耀州区教育局 · 政府信息公开" in page.get_by_role("heading", level=1).inner_text()
    problems["disclosure"] = axe_problems(page)
    screenshot(page, "section-disclosure-phone")
    page.get_by_role("link", name="“五公开”专栏").click()
    page.get_by_role("link", name=doc.title).click()
    assert page.get_by_role("heading", level=1).inner_text() == doc.title

    page.get_by_text("微信扫一扫").click()
    qr = page.get_by_role("img", name="本页地址的二维码,用微信“扫一扫”打开")
    qr.wait_for(state="visible")
    assert page.evaluate("img => img.complete && img.naturalWidth > 0", qr.element_handle())
    assert page.locator("#share-link").input_value().endswith(doc.get_public_url())
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "section-share-qr-phone")

    page.goto(live_server.url + "/dingyue/")
    problems["feeds"] = axe_problems(page)
    assert problems == {k: [] for k in problems}, problems
