"""The self-check form's raw `item` value (hardening, issue 11 item 20: `item=abc` answered 500)."""

import pytest

from disclosure import services
from disclosure.models import SelfCheckItem
from disclosure.services import self_check_open
from tests.disclosure.conftest import world  # noqa: F401 — the disclosure people, as a fixture
from tests.disclosure.factories import not_public
from tongchuan_portal.core.selectors import system_user


@pytest.mark.parametrize("value", ["abc", "²", "99999999999999999999", "", "-1"])
def test_hardening_self_check_item_that_is_not_a_number_is_a_400_and_decides_nothing(
        client, world, value):  # noqa: F811
    document = services.document_create(by=world.clerk, issuer=world.fgw, data=not_public(title="待自查的信息"))
    services.document_submit(document=document, by=world.clerk)
    services.document_accept(document=document, by=world.head)
    item = self_check_open(unit=world.fgw, year=2026, by=system_user()).items.get()
    client.force_login(world.office)
    response = client.post("/work/self-check/", {"item": value, "decision": "keep", "reason": "仍属内部事务。"})
    assert response.status_code == 400 and "自查事项编号无法识别" in response.content.decode()
    assert SelfCheckItem.objects.get(pk=item.pk).decision == "pending"
