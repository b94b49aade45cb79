"""The whole filing flow in headless Chromium, as the people who do it would (D2, D3, D5, D6, D7)."""

import re

import pytest

from disclosure.models import Document, Status
from tests.browser.fixtures import login, screenshot
from tests.disclosure.factories import PDF_BYTES

pytestmark = pytest.mark.browser


def as_user(browser, live_server, username):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN",
                                  timezone_id="Asia/Shanghai", accept_downloads=True)
    page = context.new_page()
    login(page, live_server, username)
    page.wait_for_url("**/workspace/")
    return page


def test_not_public_policy_document_from_draft_to_publication(browser, live_server, world, tmp_path):
    attachment = tmp_path / "实施方案.pdf"
    attachment.write_bytes(PDF_BYTES)

    # 1. The clerk files a 不予公开 policy document with an attachment.
    clerk = as_user(browser, live_server, "clerk")
    clerk.get_by_role("link", name="起草公文").first.click()
    clerk.get_by_label("公文标题").fill("关于印发铜川市重点项目推进方案的通知")
    clerk.get_by_label("发文字号").fill("铜政发[2026]21号")  # proposed; the city office assigns it (D8)
    clerk.get_by_label("公文类型").select_option(label="政策性文件")
    clerk.get_by_label("发文名义").select_option(label="市政府名义")
    clerk.get_by_label("五公开类别").select_option(label="决策公开")
    clerk.get_by_label("不予公开").check()
    assert clerk.get_by_label("不公开的法律依据").is_visible()  # revealed for a non-public attribute
    clerk.get_by_label("不公开的法律依据").select_option(label="过程性信息(条例第十六条第二款)")
    clerk.get_by_label("不公开理由说明").fill("方案尚在论证,属于过程性信息。")
    clerk.get_by_label("正文").fill("各区县人民政府,市政府各工作部门:现将方案印发给你们。")
    clerk.get_by_label("附件").set_input_files(str(attachment))
    clerk.get_by_role("button", name="保存草稿").click()
    clerk.wait_for_url(re.compile(r"/work/documents/\d+/$"))
    document = Document.objects.get()
    assert "报批前须送本单位政务公开工作机构审查" in clerk.content()
    screenshot(clerk, "disclosure-draft")
    clerk.get_by_role("button", name="送公开机构审查").click()
    assert "已送本单位政务公开工作机构审查" in clerk.content()

    # 2. The transparency office seals its review.
    office = as_user(browser, live_server, "office")
    office.goto(live_server.url + "/work/seal-reviews/")
    office.get_by_role("link", name="关于印发铜川市重点项目推进方案的通知").click()
    office.get_by_label("同意不公开(加盖单位公章)").check()
    office.get_by_label("审查意见").fill("同意按过程性信息不予公开。")
    office.get_by_role("button", name="提交审查意见").click()
    office.wait_for_url("**/print/")
    assert office.get_by_role("img", name="铜川市发展和改革委员会公章").is_visible()
    screenshot(office, "disclosure-seal-opinion")

    # 3. The clerk submits; the city office returns it with a reason.
    clerk.reload()
    clerk.get_by_role("button", name=re.compile("报送审核")).click()
    assert "已报送市政府办公室审核" in clerk.content()
    reviewer = as_user(browser, live_server, "reviewer")
    reviewer.goto(live_server.url + "/work/review/")
    reviewer.get_by_role("link", name="关于印发铜川市重点项目推进方案的通知").click()
    reviewer.get_by_label("不公开理由无法律依据").check()
    reviewer.get_by_label("具体说明").fill("方案涉及公众切身利益,应主动公开。")
    reviewer.get_by_role("button", name="退文").click()
    reviewer.wait_for_url("**/work/review/")

    # 4. The clerk sees why, revises and resubmits.
    clerk.reload()
    assert "不公开理由无法律依据" in clerk.content() and "应主动公开" in clerk.content()
    screenshot(clerk, "disclosure-returned")
    clerk.get_by_role("link", name="修改").click()
    clerk.get_by_label("主动公开").check()
    clerk.get_by_label("不公开理由说明").fill("")
    clerk.get_by_role("button", name="保存草稿").click()
    # A policy document that will be published needs its interpretation plan approved first (I5); that
    # flow has its own browser test (tests/interpretation), so it is prepared here through the services.
    from interpretation.demo import prepare_interpretation

    prepare_interpretation(Document.objects.get(pk=document.pk), clerk=world.clerk, head=world.head)
    clerk.reload()
    clerk.get_by_role("button", name=re.compile("重新报送")).click()
    assert Document.objects.get(pk=document.pk).status == Status.SUBMITTED

    # 5. The city office accepts; confidentiality review clears it; it is published.
    reviewer.goto(live_server.url + f"/work/review/{document.pk}/")
    reviewer.get_by_role("button", name="审核通过").click()
    secrecy = as_user(browser, live_server, "city_secrecy")
    secrecy.goto(live_server.url + "/work/confidentiality/")
    secrecy.get_by_role("link", name="关于印发铜川市重点项目推进方案的通知").click()
    secrecy.get_by_label("通过,可以发布").check()
    secrecy.get_by_role("button", name="提交").click()
    secrecy.wait_for_url("**/work/confidentiality/")
    assert Document.objects.get(pk=document.pk).status == Status.PUBLISHED

    # 6. A citizen reads it and downloads the attachment.
    citizen = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", accept_downloads=True)
    page = citizen.new_page()
    page.goto(live_server.url + f"/xxgk/documents/{document.pk}/")
    assert page.get_by_role("heading", level=1).inner_text() == "关于印发铜川市重点项目推进方案的通知"
    assert "铜政发〔2026〕21号" in page.content() and "TCXXGK-" in page.content()
    assert "<th scope=\"row\">发文机构</th><td>铜川市人民政府" in page.content()  # issued in its name (D8)
    assert "<th scope=\"row\">起草单位</th><td colspan=\"3\">铜川市发展和改革委员会" in page.content()
    with page.expect_download() as download:
        page.get_by_role("link", name="实施方案.pdf").click()
    assert download.value.suggested_filename == "实施方案.pdf"
    screenshot(page, "disclosure-public-phone")
    citizen.close()
