"""我的公文 on a 390-px phone (issue 15): one card per document, every cell labelled, nothing cut off."""

import pytest

from disclosure import services
from disclosure.models import Document
from tests.browser.fixtures import login, screenshot
from tests.disclosure.factories import draft

pytestmark = pytest.mark.browser


def test_hardening_my_documents_fits_a_phone(phone, live_server, world):
    for title in ("关于进一步做好2026年度全市重点项目价格监测与服务保障工作的通知", "关于印发铜川市价格工作要点的通知"):
        document = draft(world.clerk, world.fgw, title=title)
        services.document_submit(document=document, by=world.clerk)
    login(phone, live_server, "clerk")
    phone.goto(f"{live_server.url}/work/documents/")
    screenshot(phone, "disclosure-my-documents-phone")
    width = phone.evaluate("document.documentElement.clientWidth")
    assert phone.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scrolling
    title = phone.get_by_role("link", name=Document.objects.order_by("pk").first().title)
    assert title.bounding_box()["width"] > 200  # not a two-character column
    for row in phone.locator("table.my-documents tbody tr").all():
        box = row.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width + 1
    assert phone.locator("td[data-label='时限']").first.is_visible()
    assert "单位负责人审核办理时限" in phone.locator("td[data-label='时限']").first.inner_text()
