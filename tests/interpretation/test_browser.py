"""The whole flow in headless Chromium (I4, I5, I8): a clerk drafts a city-government policy document
with a plan and Q&A; submission is refused until the unit head approves; it is submitted, accepted,
cleared and published; a citizen reads the interpretation, linked both ways with the same time."""

import re

import pytest

from disclosure.models import Document, Status
from interpretation import selectors
from interpretation.models import Interpretation
from tongchuan_portal.clock.services import fmt
from tests.browser.fixtures import login, screenshot

pytestmark = pytest.mark.browser

TITLE = "铜川市支持返乡入乡创业的若干措施"


def as_user(browser, live_server, username, viewport=None):
    context = browser.new_context(viewport=viewport or {"width": 1280, "height": 900}, locale="zh-CN",
                                  timezone_id="Asia/Shanghai")
    page = context.new_page()
    login(page, live_server, username)
    page.wait_for_url("**/workspace/")
    return page


def test_I5_I8_policy_document_and_its_interpretation_from_draft_to_the_public(browser, live_server, world):
    # 1. The clerk drafts a policy document for issue in the city government's name.
    clerk = as_user(browser, live_server, "clerk")
    clerk.goto(live_server.url + "/work/documents/new/")
    clerk.get_by_label("公文标题").fill(TITLE)
    clerk.get_by_label("公文类型").select_option(label="政策性文件")
    clerk.get_by_label("发文名义").select_option(label="市政府名义")
    clerk.get_by_label("五公开类别").select_option(label="决策公开")
    clerk.get_by_label("主动公开").check()
    clerk.get_by_label("正文").fill("各区县人民政府,市政府各工作部门:现将若干措施印发给你们。")
    clerk.get_by_role("button", name="保存草稿").click()
    clerk.wait_for_url(re.compile(r"/work/documents/\d+/$"))
    document = Document.objects.get(title=TITLE)

    # 2. Without an approved plan and materials the submission is refused (I5).
    clerk.get_by_role("button", name=re.compile("报送审核")).click()
    assert "报送时须附经本单位主要负责人审定的解读方案和解读材料" in clerk.content()
    assert Document.objects.get(pk=document.pk).status == Status.DRAFT

    # 3. The clerk writes the plan and a Q&A.
    clerk.goto(live_server.url + f"/work/interpretation/documents/{document.pk}/")
    clerk.get_by_role("link", name="编制解读方案").click()
    clerk.get_by_label("解读提纲").fill("一、适用对象;二、扶持措施;三、申请流程。")
    clerk.get_by_label("政策问答").check()
    clerk.get_by_label("发布渠道").fill("市政府网站政策解读栏目、铜川发布")
    clerk.get_by_label("时间安排").fill("与文件同步发布;三个月后跟踪解读")
    clerk.get_by_label("出台背景").fill("落实省委省政府关于促进返乡入乡创业的部署。")
    clerk.get_by_role("button", name="保存解读方案").click()
    clerk.get_by_role("link", name="添加解读材料").click()
    clerk.get_by_label("政策问答").check()
    clerk.get_by_role("button", name="下一步").click()
    clerk.get_by_label("标题").fill("《若干措施》政策问答")
    clerk.get_by_label("问题1", exact=True).fill("哪些人可以享受扶持?")
    clerk.get_by_label("回答1", exact=True).fill("返乡入乡创业的高校毕业生、退役军人和农民工。")
    clerk.get_by_label("问题2", exact=True).fill("创业担保贷款额度是多少?")
    clerk.get_by_label("回答2", exact=True).fill("个人最高30万元,小微企业最高400万元。")
    clerk.get_by_role("button", name="保存解读材料").click()
    clerk.wait_for_url(re.compile(r"/work/interpretation/documents/\d+/$"))
    assert "解读方案尚未经本单位主要负责人审定" in clerk.content()
    screenshot(clerk, "interpretation-plan-awaiting-approval")

    # Still refused before the unit head approves.
    clerk.goto(live_server.url + f"/work/documents/{document.pk}/")
    clerk.get_by_role("button", name=re.compile("报送审核")).click()
    assert "解读方案尚未经本单位主要负责人审定" in clerk.content()
    assert Document.objects.get(pk=document.pk).status == Status.DRAFT

    # 4. The unit head approves plan and materials (审定), a recorded act.
    head = as_user(browser, live_server, "head")
    head.goto(live_server.url + "/work/interpretation/")
    head.get_by_role("link", name=TITLE).first.click()
    head.get_by_role("button", name="审定解读方案和材料").click()
    assert "已审定解读方案和解读材料" in head.content() and "审定" in head.content()
    screenshot(head, "interpretation-approved")

    # 5. Submitted, accepted by the city office, cleared and published.
    clerk.reload()
    clerk.get_by_role("button", name=re.compile("报送审核")).click()
    assert "已报送市政府办公室审核" in clerk.content()
    reviewer = as_user(browser, live_server, "reviewer")
    reviewer.goto(live_server.url + f"/work/review/{document.pk}/")
    reviewer.get_by_role("button", name="审核通过").click()
    secrecy = as_user(browser, live_server, "city_secrecy")
    secrecy.goto(live_server.url + f"/work/confidentiality/{document.pk}/")
    secrecy.get_by_label("通过,可以发布").check()
    secrecy.get_by_role("button", name="提交").click()
    secrecy.wait_for_url("**/work/confidentiality/")
    document = Document.objects.get(pk=document.pk)
    assert document.status == Status.PUBLISHED
    material = Interpretation.objects.get(document=document)
    assert material.published_at == document.published_at

    # 6. A citizen on a phone finds the interpretation in the column and reads it.
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
                                  locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    page.goto(live_server.url + "/jiedu/")
    screenshot(page, "interpretation-column-phone")
    page.get_by_role("link", name="《若干措施》政策问答").click()
    assert page.get_by_role("heading", level=1).inner_text() == "《若干措施》政策问答"
    answers = page.locator(".interpretation-qa > li")
    assert answers.count() == 2 and "最高30万元" in answers.nth(1).inner_text()
    published = fmt(document.published_at)
    assert page.content().count(published) >= 2  # its own time and the original's: the same moment
    screenshot(page, "interpretation-detail-phone")
    # The interpretation shows 原文 → the document page, with the same publication time.
    page.get_by_role("complementary").get_by_role("link", name=TITLE).click()
    page.wait_for_url(f"**/xxgk/documents/{document.pk}/")
    assert page.get_by_role("heading", level=1).inner_text() == TITLE and published in page.content()
    # The document → interpretation direction (the lead includes _for_document.html on this page).
    linked = selectors.interpretations_for_documents([document.pk])[document.pk]
    assert [m.pk for m in linked] == [material.pk] and linked[0].release_at == document.published_at
    context.close()

    desktop = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN",
                                  timezone_id="Asia/Shanghai").new_page()
    desktop.goto(live_server.url + f"/jiedu/{material.pk}/")
    screenshot(desktop, "interpretation-detail-desktop")
    desktop.context.close()


def test_I3_graphic_data_table_and_interview_read_well_on_a_phone(phone, live_server, world):
    from interpretation import services
    from interpretation.models import MaterialKind, PlanForm
    from tests.interpretation.factories import ALT, city_policy, make_plan, png, publish

    document = city_policy(world, title="铜川市稳就业十条措施")
    plan = make_plan(world, document, forms=[PlanForm.GRAPHIC, PlanForm.ONLINE_INTERVIEW])
    graphic = services.material_create(plan=plan, by=world.clerk, image=png(), data={
        "kind": MaterialKind.GRAPHIC, "title": "一图读懂稳就业十条", "image_alt": ALT, "focus": ["benefits"]})
    services.material_create(plan=plan, by=world.clerk, data={
        "kind": MaterialKind.INTERVIEW, "title": "在线访谈:稳就业十条怎么落实", "guests": "王强 市人社局局长\n李娜 市发改委副主任",
        "transcript": "主持人:请介绍十条措施的主要内容。\n王强:主要包括稳岗返还、以工代赈等。",
        "media_url": "https://v.example.cn/interview/1"})
    data = services.material_create(plan=plan, by=world.clerk, data={
        "kind": MaterialKind.DATA, "title": "图表:各区县新增就业岗位", "table_caption": "2026年各区县新增就业岗位(个)",
        "table_text": "区县,新增岗位,其中高校毕业生\n王益区,3200,800\n印台区,2100,500\n耀州区,4100,1100"})
    services.plan_approve(plan=plan, by=world.head)
    publish(world, document)
    phone.goto(live_server.url + f"/jiedu/{data.pk}/")
    table = phone.get_by_role("table", name="2026年各区县新增就业岗位(个)")
    assert table.get_by_role("columnheader", name="新增岗位").is_visible()
    screenshot(phone, "interpretation-data-phone")
    phone.goto(live_server.url + f"/jiedu/{graphic.pk}/")
    assert phone.get_by_role("img", name=ALT).is_visible()
    screenshot(phone, "interpretation-graphic-phone")
