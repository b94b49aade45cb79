"""End to end in headless Chromium (Playwright) on a phone: a citizen applies → the office confirms → asks for a
correction → the citizen corrects through the status page → the disclosure-office head approves an extension →
the office replies 部分公开 with an attachment, cleared by 保密审查 → the citizen reads the reply and downloads it
(A1–A4, D7). axe-core checks every page of the walk."""

import pytest
import time_machine

from disclosure.applications.models import Application, Status
from tests.browser.fixtures import PHONE, login, screenshot
from tests.disclosure.test_browser_public import axe_problems

from .conftest import PDF, PNG, bj
from .helpers import PERSON

pytestmark = pytest.mark.browser


def test_A1_A2_A3_A4_citizen_applies_corrects_and_downloads_the_partial_reply_on_a_phone(
        live_server, world, browser, desktop):
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True,
                                  locale="zh-CN", timezone_id="Asia/Shanghai", accept_downloads=True)
    phone = context.new_page()
    problems = {}
    with time_machine.travel(bj(2026, 6, 1, 9, 30), tick=True):
        # The citizen finds the entry in the column and applies.
        phone.goto(live_server.url + "/xxgk/")
        phone.get_by_role("link", name="依申请公开", exact=True).first.click()
        problems["index"] = axe_problems(phone)
        phone.get_by_role("link", name="网上申请", exact=True).first.click()
        phone.get_by_label("受理申请的机关").select_option(str(world.fgw.pk))
        phone.get_by_label("公民", exact=True).check()
        phone.get_by_label("姓名或名称").fill(PERSON["name"])
        phone.get_by_label("证件号码(公民填写)").fill("110105194912310021")  # wrong check digit first
        phone.get_by_label("联系电话").fill(PERSON["phone"])
        phone.get_by_label("电子邮箱(填写后每一步办理情况都会发邮件告知)").fill(PERSON["email"])
        phone.get_by_label("身份证明(身份证件或营业执照的照片、扫描件)").set_input_files(
            files=[{"name": "身份证.png", "mimeType": "image/png", "buffer": PNG}])
        phone.get_by_label("所需信息的内容描述").fill("2025年度城市公共交通财政补贴资金的分配情况")
        phone.get_by_role("button", name="提交申请").click()
        assert phone.get_by_text("居民身份证号码校验位不正确").first.is_visible()
        assert phone.get_by_label("所需信息的内容描述").input_value() == "2025年度城市公共交通财政补贴资金的分配情况"
        problems["apply-errors"] = axe_problems(phone)
        phone.get_by_label("证件号码(公民填写)").fill(PERSON["id_number"])
        phone.get_by_label("身份证明(身份证件或营业执照的照片、扫描件)").set_input_files(
            files=[{"name": "身份证.png", "mimeType": "image/png", "buffer": PNG}])
        phone.get_by_role("button", name="提交申请").click()
        number = phone.locator("#application-number").inner_text()
        code = phone.locator("#query-code").inner_text()
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        problems["submitted"] = axe_problems(phone)
        screenshot(phone, "applications-submitted-phone")
        application = Application.objects.get(number=number)

        # The office confirms and asks for a correction.
        login(desktop, live_server, world.clerk.username)
        desktop.goto(live_server.url + "/work/applications/")
        problems["queue"] = axe_problems(desktop)
        screenshot(desktop, "applications-staff-queue")
        desktop.get_by_role("link", name=number).click()
        desktop.get_by_role("button", name="确认收到").click()
        desktop.get_by_label("需要补正的内容(一次性全部列明)").fill("请写明所需补贴资金的具体线路。")
        desktop.get_by_role("button", name="发出补正告知书").click()
        assert desktop.locator("#application-status").inner_text() == "待补正"
        problems["detail"] = axe_problems(desktop)
        screenshot(desktop, "applications-staff-detail")

        # The citizen corrects through the status page.
        phone.goto(live_server.url + "/xxgk/ysqgk/query/")
        phone.get_by_label("申请编号").fill(number)
        phone.get_by_label("查询码").fill(code)
        phone.get_by_role("button", name="查询").click()
        assert "请写明所需补贴资金的具体线路" in phone.content()
        problems["status-correction"] = axe_problems(phone)
        phone.get_by_label("补正内容").fill("所需为1路、2路公交线路的补贴。")
        phone.get_by_role("button", name="提交补正").click()
        assert phone.locator("#application-status").inner_text() == "办理中"

        # The disclosure-office head approves an extension.
        login(desktop, live_server, world.office_head.username)
        desktop.goto(f"{live_server.url}/work/applications/{application.pk}/")
        desktop.get_by_label("延长工作日(最多20个)").fill("10")
        desktop.get_by_label("延期理由").fill("需调取多年财务档案")
        desktop.get_by_role("button", name="同意延期并告知申请人").click()
        assert desktop.get_by_text("已批准延期").first.is_visible()

        # The handler replies 部分公开 with an attachment; the 保密审查员 clears it.
        login(desktop, live_server, world.clerk.username)
        desktop.goto(f"{live_server.url}/work/applications/{application.pk}/")
        desktop.get_by_label("办理结果").select_option("partial")
        desktop.get_by_label("答复内容").fill("现将1路、2路的补贴分配表提供给您。")
        desktop.get_by_label("不予公开的内容及理由(部分公开填写)").fill("涉及企业商业秘密的成本数据不予公开(条例第十五条)。")
        desktop.get_by_label("提供的信息(附件)").set_input_files(
            files=[{"name": "补贴分配表.pdf", "mimeType": "application/pdf", "buffer": PDF}])
        desktop.get_by_role("button", name="提交答复").click()
        login(desktop, live_server, world.secrecy.username)
        desktop.goto(live_server.url + "/work/confidentiality/")
        desktop.get_by_role("link", name=f"政府信息公开申请 {number} 的答复").click()
        problems["clearance"] = axe_problems(desktop)
        desktop.get_by_label("通过,可以公开").check()
        desktop.get_by_role("button", name="提交审查结论").click()
        application.refresh_from_db()
        assert application.status == Status.REPLIED and application.outcome == "partial"

        # The citizen reads the reply and downloads it.
        phone.goto(f"{live_server.url}/xxgk/ysqgk/status/{number}/")
        assert phone.get_by_role("heading", name="答复").is_visible()
        assert "部分公开" in phone.content() and "延期答复" in phone.content()
        assert PERSON["id_number"] not in phone.content()
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        problems["status-replied"] = axe_problems(phone)
        screenshot(phone, "applications-status-replied-phone")
        with phone.expect_download() as got:
            phone.get_by_role("link", name="补贴分配表.pdf").click()
        assert got.value.suggested_filename == "补贴分配表.pdf"
        with phone.expect_download() as got:
            phone.get_by_role("link", name="下载答复告知书(PDF)").click()
        assert got.value.suggested_filename.endswith(".pdf")
        with open(got.value.path(), "rb") as handle:
            assert handle.read(5) == b"%PDF-"
        phone.get_by_role("link", name="查看答复告知书").click()
        assert "政府信息公开申请答复告知书" in phone.content()
        problems["letter"] = axe_problems(phone)
        screenshot(phone, "applications-letter-phone")
    context.close()
    assert {name: found for name, found in problems.items() if found} == {}
