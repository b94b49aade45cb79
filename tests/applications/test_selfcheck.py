"""第四十四条 and D12: what is applied for most often goes to the unit's yearly self-check; a 文号 or 索引号 that
names a published document is matched, parsed as the column's search parses it."""

import pytest
import time_machine
from django.urls import reverse

from disclosure.models import SelfCheckItem
from disclosure.services.selfcheck import self_check_open
from tests.disclosure.factories import seed_notice

from . import helpers
from .conftest import bj

pytestmark = pytest.mark.django_db


def test_A1_document_number_and_index_number_match_the_published_document(client, world):
    notice = seed_notice(world)
    with time_machine.travel(bj(2026, 6, 1, 10, 0), tick=True):
        by_number, code = helpers.submit(world, unit=world.szfb, request={"document_number": "铜政办发[2016]71号"})
        by_index, _ = helpers.submit(world, unit=world.szfb, request={"index_number": "TCXXGK-2016-026432"})
        neither, _ = helpers.submit(world, unit=world.szfb, request={"document_number": "铜政办发〔2016〕72号"})
        assert by_number.matched_document == notice and by_index.matched_document == notice
        assert neither.matched_document is None
        client.post(reverse("applications:query"), {"number": by_number.number, "code": code})
        page = client.get(reverse("applications:status", args=[by_number.number])).content.decode()
    assert "您申请的信息已经主动公开" in page and reverse("disclosure:public_detail", args=[notice.pk]) in page


def test_D12_most_applied_documents_enter_the_self_check(world):
    from disclosure.applications.selectors import most_applied_descriptions, most_applied_documents
    from tongchuan_portal.core.selectors import system_user

    notice = seed_notice(world)
    with time_machine.travel(bj(2026, 6, 1, 10, 0), tick=True):
        for _ in range(3):
            helpers.submit(world, unit=world.szfb, request={"document_number": "铜政办发〔2016〕71号"})
        helpers.submit(world, unit=world.szfb, request={"description": "某 项 信息!"})
        helpers.submit(world, unit=world.szfb, request={"description": "某项信息"})
    assert most_applied_documents(world.szfb, 2026) == [(notice, 3)]
    assert most_applied_documents(world.szfb, 2025) == []
    assert ("某 项 信息!", 2) in most_applied_descriptions(world.szfb, 2026)
    check = self_check_open(unit=world.szfb, year=2026, by=system_user())
    item = check.items.get(document=notice)
    assert item.source == SelfCheckItem.Source.MOST_APPLIED and item.application_count == 3


def test_D12_information_applied_for_repeatedly_in_the_same_words_is_listed_on_the_self_check(client, world):
    from tests.units.factories import UserFactory, member
    from tongchuan_portal.core.selectors import system_user
    from tongchuan_portal.units.models import Role

    seed_notice(world)
    with time_machine.travel(bj(2026, 6, 1, 10, 0), tick=True):
        for text in ("本区2025年供暖补贴发放明细", "本区2025年 供暖补贴发放明细!"):
            helpers.submit(world, unit=world.szfb, request={"description": text})
        helpers.submit(world, unit=world.szfb, request={"document_number": "铜政办发〔2016〕71号"})
        helpers.submit(world, unit=world.jyj, request={"description": "另一单位的申请内容"})
        helpers.submit(world, unit=world.jyj, request={"description": "另一单位的申请内容"})
    self_check_open(unit=world.szfb, year=2026, by=system_user())
    office = UserFactory(username="a-office-szfb")
    member(office, world.szfb, Role.Code.TRANSPARENCY_OFFICE)
    client.force_login(office)
    with time_machine.travel(bj(2026, 6, 2, 10, 0), tick=True):
        html = client.get(reverse("disclosure:self_check"), {"unit": world.szfb.pk}).content.decode()
    assert "本年度重复申请的信息" in html
    assert "本区2025年供暖补贴发放明细" in html and "<td>2</td>" in html
    assert "另一单位的申请内容" not in html  # another unit's applications stay on its own self-check
