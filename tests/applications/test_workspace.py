"""The 工作台 shows a unit's handlers the applications waiting for them (A1, A3), and no other unit's."""

from datetime import date

import pytest
from django.urls import reverse

from disclosure.applications.models import Status
from tests.applications.factories import application_in_state
from tongchuan_portal.core.selectors import workspace_todos

pytestmark = pytest.mark.django_db


def _count(user, key):
    return next(t.count for t in workspace_todos(user, {"clerk"}) if t.key == key)


def test_A1_A3_workspace_counts_the_units_unconfirmed_and_open_applications_only(world):
    application_in_state(unit=world.fgw)  # 待确认
    application_in_state(unit=world.fgw, received_on=date(2026, 11, 2))  # 办理中
    application_in_state(unit=world.fgw, received_on=date(2026, 11, 3))
    application_in_state(unit=world.jyj)
    assert _count(world.clerk, "applications") == 1
    assert _count(world.clerk, "applications_open") == 2
    assert _count(world.other_clerk, "applications") == 1
    assert _count(world.other_clerk, "applications_open") == 0


def test_A1_workspace_links_to_the_queue_tab(client, world):
    application_in_state(unit=world.fgw)
    client.force_login(world.clerk)
    html = client.get(reverse("core:workspace")).content.decode()
    assert f'{reverse("applications:queue")}?status={Status.SUBMITTED}' in html
    assert "待确认收到的政府信息公开申请" in html
