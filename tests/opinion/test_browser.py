"""End to end in headless Chromium (O4): record a Ⅱ case, publish in time, see the clock met;
a second case left past its 5-hour clock shows overdue and escalated (its clock is moved, never waited for)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from opinion.models import IncidentLevel, OpinionCase
from tongchuan_portal.clock.services import deadlines_sweep
from tests.browser.fixtures import login, screenshot  # the browser fixtures come from the root conftest
from tests.opinion.factories import officer, record, secrecy

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("calendar")]


def test_O4_officer_records_a_major_case_releases_in_time_and_a_missed_case_is_escalated(
        live_server, tongchuan_units, desktop, phone):  # noqa: F811
    user = officer(tongchuan_units["jtj"], "officer_jtj")
    user.first_name = "赵舆情"
    user.save()
    page = desktop
    login(page, live_server, "officer_jtj")
    page.wait_for_url("**/workspace/")

    page.goto(live_server.url + "/opinion/new/")
    page.get_by_label("舆情标题").fill("某高速路段发生多车相撞")
    page.get_by_label("来源").select_option(label="媒体报道")
    page.get_by_label("舆情概要").fill("多家媒体报道该路段发生多车相撞,网民关注伤亡情况。")
    page.get_by_label("原始链接(每行一个)").fill("https://news.example.cn/2026/accident")
    page.get_by_label("关注类别").select_option(label="重大突发事件和自然灾害")
    page.get_by_label("事件等级").select_option(label="Ⅱ级(重大)")
    page.get_by_label("市级政策或工作").check()
    page.get_by_label("所属领域").select_option(label="交通运输")
    screenshot(page, "opinion-new-desktop")
    page.get_by_role("button", name="登记并交办").click()
    page.wait_for_url("**/opinion/cases/*/")
    assert "舆情已登记,交铜川市交通运输局办理" in page.content()
    assert page.get_by_text("首次权威信息发布时限(国办发〔2016〕80号,5小时)").is_visible()

    page.get_by_label("发布标题", exact=True).fill("关于某高速路段交通事故的情况通报")
    page.get_by_label("发布内容", exact=True).fill("事故已造成……,相关部门正在全力救援。")
    page.get_by_label("发布渠道", exact=True).select_option(label="政务微博")
    page.get_by_label("链接", exact=True).fill("https://weibo.com/tongchuanjt/1")
    page.get_by_role("button", name="登记发布").click()
    page.wait_for_load_state()
    assert "已登记发布" in page.content() and "待保密审查" in page.content()
    screenshot(page, "opinion-case-desktop")

    page.goto(live_server.url + "/opinion/")
    row = page.locator("tr", has_text="某高速路段发生多车相撞")
    assert "按时完成" in row.inner_text() and "计时中" in row.inner_text()

    # A second Ⅱ case recorded six hours ago, nobody released anything: the sweep escalates it.
    now = timezone.now()
    record(user, title="某小区燃气爆炸", level=IncidentLevel.II, at=now - timedelta(hours=6),
           first_seen_at=now - timedelta(hours=6))
    assert deadlines_sweep(now=now).escalations == 1
    page.goto(live_server.url + "/opinion/")
    missed = page.locator("tr", has_text="某小区燃气爆炸")
    text = missed.inner_text()
    assert "已逾期" in text and "已超期1小时" in text and "已督办" in text
    # The most pressing case is listed first.
    assert page.locator("tbody tr").first.inner_text().startswith("某小区燃气爆炸")
    screenshot(page, "opinion-dashboard-desktop")

    missed.get_by_role("link", name="某小区燃气爆炸").click()
    assert page.get_by_text("逾期督办").first.is_visible()
    case_url = page.url

    # 保密审查 (D7): the unit's confidentiality reviewer reads the release in the one queue and clears it.
    secrecy(tongchuan_units["jtj"])
    login(page, live_server, "secrecy_jtj")
    page.goto(live_server.url + "/work/confidentiality/")
    page.get_by_role("link", name="关于某高速路段交通事故的情况通报").click()
    assert "相关部门正在全力救援" in page.locator(".confidentiality-text").inner_text()
    page.get_by_label("通过,可以公开").check()
    page.get_by_role("button", name="提交审查结论").click()
    assert page.get_by_text("保密审查已通过,已在“回应关切”栏目公开。").is_visible()

    # The same dashboard, and the public column, on a phone.
    login(phone, live_server, "officer_jtj")
    phone.wait_for_url("**/workspace/")
    phone.goto(live_server.url + "/opinion/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "opinion-dashboard-phone")
    phone.goto(case_url)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "opinion-case-phone")
    phone.goto(live_server.url + "/huiying/")
    assert "关于某高速路段交通事故的情况通报" in phone.content()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "opinion-column-phone")
    assert OpinionCase.objects.count() == 2
