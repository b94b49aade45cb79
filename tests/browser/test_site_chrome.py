"""The site chrome in a real browser: phone and desktop, keyboard, no JavaScript."""

import pytest

from tongchuan_portal.units.models import Role
from tests.browser.conftest import login, screenshot
from tests.units.factories import UserFactory, member

pytestmark = pytest.mark.browser


def test_home_on_a_phone(live_server, tongchuan_units, phone):
    phone.goto(live_server.url + "/")
    assert phone.get_by_role("heading", level=1).inner_text() == "铜川市政务公开平台"
    assert phone.get_by_role("navigation", name="主导航").is_visible()
    # Nothing overflows sideways on a 390 px screen.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "home-phone")


def test_skip_link_is_first_and_moves_focus_to_main(live_server, tongchuan_units, desktop):
    desktop.goto(live_server.url + "/")
    desktop.keyboard.press("Tab")
    focused = desktop.evaluate("document.activeElement.textContent")
    assert focused == "跳到主要内容"
    desktop.keyboard.press("Enter")
    assert desktop.evaluate("document.activeElement.id") == "main"
    screenshot(desktop, "home-desktop")


def test_font_size_switch_without_javascript(live_server, tongchuan_units, no_js):
    no_js.goto(live_server.url + "/")
    before = no_js.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    no_js.get_by_role("link", name="大").click()
    after = no_js.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    assert after > before
    assert no_js.url.rstrip("/") == live_server.url


def test_staff_logs_in_and_sees_workspace(live_server, tongchuan_units, desktop):
    user = UserFactory(username="clerk_demo", first_name="王文书")
    member(user, tongchuan_units["fgw"], Role.Code.CLERK)
    login(desktop, live_server, "clerk_demo")
    desktop.wait_for_url("**/workspace/")
    assert "铜川市发展和改革委员会" in desktop.content()
    assert desktop.get_by_role("button", name="退出(王文书)").is_visible()
    screenshot(desktop, "workspace-desktop")
