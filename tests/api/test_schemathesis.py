"""schemathesis against the served OpenAPI schema (W3): no 500, no answer outside the schema."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture
def api_schema(world):
    from tests.disclosure.factories import pdf, publish
    from tongchuan_portal.wsgi import application

    publish(world, title="开放数据测试通知", files=[pdf("测试.pdf")])
    return schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application)


@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_W3_api_conforms_to_its_schema(case):
    case.call_and_validate()
