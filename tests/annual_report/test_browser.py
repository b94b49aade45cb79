"""The annual report walked in Chromium (A6, D7, W5): the unit's staff fill the entered rows and the sections →
the head approves → 保密审查 → published → a citizen opens the 年报 list, reads the report's tables and
downloads its PDF. axe-core on every page of the walk, the report page included; screenshots kept."""

from datetime import date

import pytest

from disclosure.annual_report import services
from disclosure.annual_report.models import Report, ReportStatus
from disclosure.applications.outcomes import ApplicantColumn, Outcome
from tests.applications.factories import application_in_state
from tests.browser.fixtures import screenshot
from tests.disclosure.test_browser_public import axe_problems
from tests.interpretation.test_browser import as_user

from .factories import SECTIONS, document

pytestmark = pytest.mark.browser


def test_A6_D7_staff_fill_head_approves_cleared_published_and_a_citizen_reads_and_downloads(browser, live_server,
                                                                                           world):
    document(world, issued_on=date(2025, 4, 1))
    application_in_state(unit=world.fgw, received_on=date(2024, 12, 20), replied_on=date(2025, 1, 9),
                         outcome=Outcome.DISCLOSED)
    application_in_state(unit=world.fgw, received_on=date(2025, 5, 6), replied_on=date(2025, 5, 28),
                         applicant_column=ApplicantColumn.BUSINESS, outcome=Outcome.NOT_HELD)
    report = services.report_open(unit=world.fgw, year=2025, by=world.clerk)
    problems: dict[str, list[str]] = {}

    def check(page, name):
        problems[name] = axe_problems(page)
        screenshot(page, f"annual-report-{name}")

    clerk = as_user(browser, live_server, "clerk")
    clerk.get_by_role("link", name="政府信息公开工作年度报告").click()  # from the 工作台
    check(clerk, "my-reports")
    clerk.get_by_role("link", name=report.title).click()
    check(clerk, "draft")
    clerk.get_by_label("行政许可:本年处理决定数量").fill("120")
    clerk.get_by_label("行政处罚:本年处理决定数量").fill("-3")  # a typing slip: refused, the rest kept
    clerk.get_by_label("行政强制:本年处理决定数量").fill("1")
    clerk.get_by_label("行政事业性收费:本年收费金额(万元)").fill("3.5")
    clerk.get_by_role("button", name="保存表二数据").click()
    assert "不能小于0。" in clerk.content()
    assert clerk.get_by_label("行政许可:本年处理决定数量").input_value() == "120"
    check(clerk, "rows-error")
    clerk.get_by_label("行政处罚:本年处理决定数量").fill("8")
    clerk.get_by_role("button", name="保存表二数据").click()
    assert "表二数据已保存。" in clerk.content()
    clerk.get_by_role("textbox", name="一、总体情况(概述)").fill(SECTIONS["overview_general"])
    clerk.get_by_role("textbox", name="(一)主动公开", exact=True).fill(SECTIONS["overview_proactive"])
    clerk.get_by_role("textbox", name="五、存在的主要问题及改进情况").fill(SECTIONS["problems"])
    clerk.get_by_role("button", name="保存报告正文").click()
    assert clerk.locator("#check-ok").is_visible()
    clerk.get_by_role("button", name="报送单位负责人审定").click()
    assert Report.objects.get(pk=report.pk).status == ReportStatus.HEAD_REVIEW

    head = as_user(browser, live_server, "head")
    head.goto(live_server.url + report.get_absolute_url())
    check(head, "head-review")
    head.get_by_role("button", name="审定同意,送保密审查").click()
    assert Report.objects.get(pk=report.pk).status == ReportStatus.CONFIDENTIALITY

    secrecy = as_user(browser, live_server, "secrecy")
    secrecy.goto(live_server.url + "/work/confidentiality/")
    check(secrecy, "confidentiality-queue")
    secrecy.get_by_role("link", name=report.title).click()
    assert SECTIONS["problems"] in secrecy.content()
    check(secrecy, "confidentiality-review")
    secrecy.get_by_label("通过,可以公开").check()
    secrecy.get_by_role("button", name="提交审查结论").click()
    report.refresh_from_db()
    assert report.status == ReportStatus.PUBLISHED and report.published_version == 1

    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                  device_scale_factor=2, locale="zh-CN", accept_downloads=True)
    citizen = context.new_page()
    citizen.goto(live_server.url + "/xxgk/annual-reports/")
    assert "本平台尚未收录年度报告" not in citizen.content()
    check(citizen, "public-list")
    citizen.get_by_role("link", name=report.title).click()
    check(citizen, "public-report")
    table3 = citizen.locator("#table-3")
    assert table3.locator("caption").inner_text().startswith("收到和处理政府信息公开申请情况")
    new_row = table3.locator("tr[data-row='new'] td")
    assert new_row.all_inner_texts() == ["0", "1", "0", "0", "0", "0", "1"]
    assert table3.locator("tr[data-row='carried'] td").last.inner_text() == "1"
    assert citizen.locator("#table-2-2 td").inner_text() == "120"
    with citizen.expect_download() as download:
        citizen.get_by_role("link", name="下载PDF").click()
    assert download.value.suggested_filename.endswith(".pdf")
    assert open(download.value.path(), "rb").read(5) == b"%PDF-"
    desktop = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN").new_page()
    desktop.goto(live_server.url + report.get_public_url())
    check(desktop, "public-report-desktop")
    context.close()
    assert {name: found for name, found in problems.items() if found} == {}
