from datetime import datetime
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.cache import cache

from tests.units.factories import UserFactory, member
from tongchuan_portal.clock.workdays import BEIJING
from tongchuan_portal.units.models import Role


def bj(*args) -> datetime:
    return datetime(*args, tzinfo=BEIJING)


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate-limit counters live in the shared Redis: drop only this run's, by its key prefix."""
    prefix = settings.CACHES["default"].get("KEY_PREFIX", "")
    client = cache._cache.get_client(write=True)
    for key in client.scan_iter(match=f"{prefix}:*:rl:*"):
        client.delete(key)
    yield


@pytest.fixture
def world(tongchuan_units, calendar):
    """市发展改革委 clerk and head, 市教育局 clerk (another unit), 市政府办公室 reviewer and clerk, a citizen."""
    u = tongchuan_units
    people = SimpleNamespace(units=u, fgw=u["fgw"], jyj=u["jyj"], szfb=u["szfb"])
    people.clerk = UserFactory(username="p-clerk-fgw")
    member(people.clerk, u["fgw"], Role.Code.CLERK)
    people.head = UserFactory(username="p-head-fgw")
    member(people.head, u["fgw"], Role.Code.UNIT_HEAD)
    people.other_clerk = UserFactory(username="p-clerk-jyj")
    member(people.other_clerk, u["jyj"], Role.Code.CLERK)
    people.other_head = UserFactory(username="p-head-jyj")
    member(people.other_head, u["jyj"], Role.Code.UNIT_HEAD)
    people.reviewer = UserFactory(username="p-reviewer-szfb")
    member(people.reviewer, u["szfb"], Role.Code.CITY_OFFICE_REVIEWER)
    people.szfb_clerk = UserFactory(username="p-clerk-szfb")
    member(people.szfb_clerk, u["szfb"], Role.Code.CLERK)
    people.citizen = UserFactory(username="p-citizen")
    return people
