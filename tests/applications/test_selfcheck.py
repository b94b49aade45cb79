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
