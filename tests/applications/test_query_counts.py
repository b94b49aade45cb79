"""Constant query counts on the queue, the supervision view and the status page (two sizes each)."""

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from disclosure.applications import services

from .conftest import bj
from .helpers import received, submit

pytestmark = pytest.mark.django_db
MONDAY = bj(2026, 6, 1, 10, 0)


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _make(world, n):
    for i in range(n):
        application, _ = received(world, applicant={"name": f"申请人{i}"})
        if i % 2:
            services.consultation_start(application=application, third_party="某公司", question="是否同意",
                                        by=world.clerk)


@pytest.mark.parametrize("url_name, who", [("applications:queue", "clerk"), ("applications:supervision", "reviewer")])
def test_lists_have_constant_query_counts(client, world, url_name, who):
    with time_machine.travel(MONDAY, tick=True):
        client.force_login(getattr(world, who))
        _make(world, 2)
        small = _count(client, reverse(url_name))
        _make(world, 6)
        submit(world)
        large = _count(client, reverse(url_name))
    assert small == large


def test_status_page_has_a_constant_query_count(client, world):
    with time_machine.travel(MONDAY, tick=True):
        application, code = received(world)
        client.post(reverse("applications:query"), {"number": application.number, "code": code})
        url = reverse("applications:status", args=[application.number])
        small = _count(client, url)
        services.consultation_start(application=application, third_party="某公司", question="是否同意", by=world.clerk)
        services.consultation_record_opinion(application=application, opinion="同意", by=world.clerk)
        services.extension_approve(application=application, days=5, reason="档案多", by=world.office_head)
        large = _count(client, url)
    assert small == large
