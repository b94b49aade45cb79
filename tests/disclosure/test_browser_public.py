"""A citizen on a phone uses the 政府信息公开 column; axe-core finds no serious problems (D8, D11, W5)."""

from pathlib import Path

import pytest

from tests.browser.fixtures import screenshot
from tests.disclosure.factories import publish, seed_notice

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def axe_problems(page) -> list[str]:
    """Serious and critical axe-core violations on the current page (WCAG 2.x A/AA rules)."""
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `npm ci` (make test does)")
    page.evaluate(AXE.read_text() + "\n;0")  # evaluated as DevTools would: the site's CSP forbids inline scripts
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
        return r.violations.filter(v => ['serious', 'critical'].includes(v.impact))
            .map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(' | '));
    }""")
    return result


def test_citizen_browses_filters_searches_and_reads_on_a_phone(live_server, world, browser):
    notice = seed_notice(world)
    publish(world, title="铜川市发展和改革委员会关于做好2026年重点项目建设的通知", area="execution", topic="economy")
    publish(world, title="铜川市教育局关于做好秋季学期开学工作的通知", area="service", topic="science_education",
            clerk=world.other_clerk, unit=world.jyj)
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                  device_scale_factor=2, locale="zh-CN", accept_downloads=True)
    phone = context.new_page()
    problems = {}

    phone.goto(live_server.url + "/")
    problems["home"] = axe_problems(phone)
    phone.get_by_role("navigation", name="主导航").get_by_role("link", name="政府信息公开").click()
    phone.get_by_role("link", name="五公开", exact=True).first.click()
    problems["column"] = axe_problems(phone)
    tabs = phone.get_by_role("navigation", name="五公开类别")
    tabs.get_by_role("link", name="执行公开").click()
    assert "重点项目建设" in phone.content() and "秋季学期" not in phone.content()
    tabs.get_by_role("link", name="全部").click()
    phone.get_by_label("发文单位").select_option(label="铜川市教育局")
    phone.get_by_role("button", name="筛选").click()
    assert "秋季学期" in phone.content() and "重点项目建设" not in phone.content()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "column-phone")

    phone.goto(live_server.url + "/xxgk/search/?q=重点项目")
    assert "重点项目建设" in phone.locator(".search-results").inner_text()
    assert phone.locator(".search-results mark").first.inner_text() == "重点项目"
    main = phone.locator("main")
    main.get_by_label("搜索政府信息").fill("铜政办发[2016]71号")
    main.get_by_role("button", name="搜索").click()
    problems["search"] = axe_problems(phone)
    first = phone.locator(".search-results li h2 a").first
    assert "关于进一步推进政务公开有关工作的通知" in first.inner_text()
    screenshot(phone, "search-phone")
    first.click()
    phone.wait_for_url(f"**/xxgk/documents/{notice.pk}/")
    block = phone.locator("table.meta-block")
    for text in ("索引号", "TCXXGK-2016-026432", "发文字号", "铜政办发〔2016〕71号", "成文日期", "2016-12-28", "发布机构"):
        assert text in block.inner_text() or text in phone.content(), text
    problems["document"] = axe_problems(phone)
    with phone.expect_download() as download:
        phone.get_by_role("link", name="铜政办发〔2016〕71号.pdf").click()
    assert download.value.suggested_filename == "铜政办发〔2016〕71号.pdf"
    before = phone.evaluate("parseFloat(getComputedStyle(document.querySelector('.doc-body')).fontSize)")
    phone.get_by_role("link", name="大", exact=True).click()
    after = phone.evaluate("parseFloat(getComputedStyle(document.querySelector('.doc-body')).fontSize)")
    assert after > before
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "document-phone")
    context.close()
    assert problems == {"home": [], "column": [], "search": [], "document": []}


def test_W5_header_search_box_works_without_javascript_on_phone_and_desktop(live_server, world, browser):
    notice = seed_notice(world)
    publish(world, title="关于做好政务公开年度考核工作的通知", body="<p>一、总体要求。各单位要把政务公开纳入年度考核。</p>")
    for name, viewport in (("phone", {"width": 390, "height": 844}), ("desktop", {"width": 1280, "height": 900})):
        context = browser.new_context(viewport=viewport, java_script_enabled=False, locale="zh-CN")
        page = context.new_page()
        page.goto(live_server.url + notice.get_public_url())
        header = page.get_by_role("search", name="全站搜索")
        assert header.is_visible()
        header.get_by_label("搜索本站政府信息").fill("年度考核")
        header.get_by_role("button", name="搜索").click()
        page.wait_for_url("**/xxgk/search/?q=*")
        assert "年度考核工作的通知" in page.locator(".search-results").inner_text()
        assert "找到 1 条结果" in page.locator(".search-count").inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        assert axe_problems_without_js(browser, page.url) == []
        screenshot(page, f"search-header-{name}")
        page.goto(live_server.url + "/")
        home = page.get_by_role("search", name="首页搜索")
        home.get_by_label("搜索政府信息").fill("71号")
        home.get_by_role("button", name="搜索").click()
        assert "关于进一步推进政务公开有关工作的通知" in page.locator(".search-results li").first.inner_text()
        screenshot(page, f"search-71-{name}")
        context.close()


def axe_problems_without_js(browser, url):
    """axe-core needs JavaScript: the same page in a context that has it."""
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.goto(url)
    try:
        return axe_problems(page)
    finally:
        context.close()
