"""schemathesis against the served OpenAPI schema (W3): no 500, no answer outside the schema."""

from datetime import datetime

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from tongchuan_portal.wsgi import application

# Loaded from the portal itself (the schema view queries nothing), as a client would read it.
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application)


@pytest.fixture
def api_data(world):
    """Something published, with an attachment, and a published annual report; requests run inside the test's
    transaction.

    Like Django's test client, the WSGI calls must not close the test's connection at request end.
    """
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    import time_machine

    from tests.annual_report.factories import published_report
    from tests.disclosure.factories import pdf, publish
    from tongchuan_portal.clock.workdays import BEIJING

    with time_machine.travel(datetime(2026, 1, 20, 10, tzinfo=BEIJING), tick=False):
        published_report(world)
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield publish(world, title="开放数据测试通知", files=[pdf("测试.pdf")]).pk
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
def test_W3_api_conforms_to_its_schema(case, api_data):
    case.call_and_validate()
