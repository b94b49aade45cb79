"""End to end in headless Chromium (Playwright): a citizen comments on a phone, staff group and answer, the citizen
reads the adoption report (M2, M3, P3); a citizen writes to the leader mailbox and finds the reply with the query
code (P5)."""

from datetime import timedelta

import pytest
import time_machine

from participation.models import Comment, CommentStatus

from . import factories as f

from tests.browser.fixtures import login, screenshot  # browser fixtures come from the root conftest

pytestmark = pytest.mark.browser


def test_citizen_comments_on_a_phone_staff_answer_and_the_citizen_reads_the_adoption_report(
        live_server, world, phone, desktop):
    draft, period = f.published(world, title="铜川市城市公共交通票价调整方案(征求意见稿)")

    # A citizen on a phone, without an account.
    phone.goto(live_server.url + "/participation/")
    assert phone.get_by_role("heading", name="正在征求意见").is_visible()
    phone.get_by_role("link", name=draft.title).click()
    assert "剩余" in phone.get_by_text("征求意见中").inner_text()
    phone.get_by_label("针对条款(选填)").fill("第二条")
    phone.get_by_label("意见内容").fill("建议保留学生半价优惠,学生通勤负担较重。")
    phone.get_by_label("署名(选填,不填则匿名)").fill("王同学")
    phone.get_by_label("联系电话或电子邮箱(选填,不公开)").fill("13800000000")
    phone.get_by_role("button", name="提交意见").click()
    assert phone.get_by_text("您的意见已提交,经审核后公开显示").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "participation-comment-phone")
    comment = Comment.objects.get()
    assert comment.status == CommentStatus.PENDING

    # Staff of the drafting unit: make it visible, group it, answer it.
    login(desktop, live_server, world.clerk.username)
    desktop.goto(f"{live_server.url}/participation/staff/drafts/{draft.pk}/")
    desktop.get_by_label("选择第1条意见").check()
    desktop.get_by_role("button", name="公开所选").click()
    desktop.get_by_label("意见概述").fill("保留学生优惠票")
    desktop.get_by_role("button", name="新建意见归类").click()
    desktop.get_by_label("选择第1条意见").check()
    desktop.get_by_label("归入").select_option(label="保留学生优惠票")
    desktop.get_by_role("button", name="归类所选").click()
    desktop.get_by_label("采纳情况", exact=True).select_option("adopted")
    desktop.get_by_label("理由说明", exact=True).fill("学生票维持半价。")
    desktop.get_by_role("button", name="保存", exact=True).click()
    screenshot(desktop, "participation-staff-grouping")
    comment.refresh_from_db()
    assert comment.status == CommentStatus.VISIBLE and comment.group.decision == "adopted"

    # After the window has closed, the unit publishes the adoption report; the citizen reads it.
    with time_machine.travel(period.closes_at + timedelta(hours=10), tick=True):
        desktop.goto(f"{live_server.url}/participation/staff/drafts/{draft.pk}/")
        desktop.get_by_label("采纳情况说明").fill("共收到意见1条,归纳为1类,已采纳。学生票维持半价。")
        desktop.get_by_role("button", name="报送保密审查后公布").click()
        assert desktop.get_by_text("意见采纳情况已报送保密审查").is_visible()
        # 保密审查 (D7): the unit's confidentiality reviewer reads the whole report in the one queue and clears it.
        login(desktop, live_server, f.secrecy(draft.unit).username)
        desktop.goto(f"{live_server.url}/work/confidentiality/")
        desktop.get_by_role("link", name=f"《{draft.title}》意见采纳情况").click()
        assert "学生票维持半价" in desktop.locator(".confidentiality-text").inner_text()
        desktop.get_by_label("通过,可以公开").check()
        desktop.get_by_role("button", name="提交审查结论").click()
        assert desktop.get_by_text("保密审查已通过,意见采纳情况已公布").is_visible()
        phone.goto(f"{live_server.url}/participation/drafts/{draft.pk}/")
        report = phone.locator("#report")
        assert report.get_by_role("heading", name="意见采纳情况").is_visible()
        assert "保留学生优惠票" in report.inner_text() and "采纳" in report.inner_text()
        assert "建议保留学生半价优惠" in phone.locator("#comments").inner_text()
        assert "13800000000" not in phone.content()
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
        screenshot(phone, "participation-adoption-report-phone")
        phone.goto(live_server.url + "/participation/")
        assert phone.get_by_role("link", name="已公布", exact=False).first.is_visible()


def test_citizen_writes_to_the_leader_mailbox_and_finds_the_reply_with_the_query_code(
        live_server, world, phone, desktop):
    phone.goto(live_server.url + "/participation/messages/write/?channel=leader_mailbox")
    assert phone.get_by_label("领导信箱").is_checked()
    phone.get_by_label("类别").select_option(label="建议")
    phone.get_by_label("标题").fill("建议增开新区至老区夜班公交")
    phone.get_by_label("留言内容").fill("新区到老区晚上九点后没有公交,建议增开夜班线路。")
    phone.get_by_label("联系电话或电子邮箱(不公开)").fill("13700000000")
    phone.get_by_label("同意在网站公开我的留言和答复(不公开姓名和联系方式)").check()
    screenshot(phone, "participation-mailbox-form-phone")
    phone.get_by_role("button", name="提交留言").click()
    code = phone.get_by_test_id("query-code").inner_text().strip()
    assert len(code) == 19
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "participation-mailbox-code-phone")

    login(desktop, live_server, world.szfb_clerk.username)
    desktop.goto(live_server.url + "/participation/staff/messages/")
    desktop.get_by_role("link", name="建议增开新区至老区夜班公交").click()
    desktop.get_by_label("答复内容").fill("经研究,市交通运输局将于下月起试运行夜班公交K1路。")
    desktop.get_by_label("在网站公开留言和答复(仅限留言人同意公开的)").check()
    desktop.get_by_role("button", name="提交答复").click()
    assert desktop.get_by_text("已答复。").is_visible()
    screenshot(desktop, "participation-staff-reply")

    phone.goto(live_server.url + "/participation/messages/query/")
    phone.get_by_label("查询码").fill(code)
    phone.get_by_role("button", name="查询").click()
    assert phone.get_by_text("已答复", exact=True).is_visible()
    assert "夜班公交K1路" in phone.content()
    screenshot(phone, "participation-mailbox-reply-phone")
    phone.goto(live_server.url + "/participation/messages/")
    assert phone.get_by_role("link", name="建议增开新区至老区夜班公交").is_visible()
