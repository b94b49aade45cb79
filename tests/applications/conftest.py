import base64
from datetime import datetime
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.units.factories import UserFactory, member
from tongchuan_portal.clock.workdays import BEIJING
from tongchuan_portal.units.models import Role

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def bj(*args) -> datetime:
    return datetime(*args, tzinfo=BEIJING)


def png(name="身份证.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def pdf(name="答复材料.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    prefix = settings.CACHES["default"].get("KEY_PREFIX", "")
    client = cache._cache.get_client(write=True)
    for key in client.scan_iter(match=f"{prefix}:*:rl:*"):
        client.delete(key)
    yield


@pytest.fixture
def world(tongchuan_units, calendar):
    """市发展改革委's handler, disclosure-office head, unit head and 保密审查员; 市教育局's handler; the city office."""
    u = tongchuan_units
    w = SimpleNamespace(units=u, fgw=u["fgw"], jyj=u["jyj"], szfb=u["szfb"])
    w.clerk = UserFactory(username="a-clerk-fgw")
    member(w.clerk, w.fgw, Role.Code.CLERK)
    w.office_head = UserFactory(username="a-office-head-fgw")
    member(w.office_head, w.fgw, Role.Code.DISCLOSURE_OFFICE_HEAD)
    w.head = UserFactory(username="a-head-fgw")
    member(w.head, w.fgw, Role.Code.UNIT_HEAD)
    w.secrecy = UserFactory(username="a-secrecy-fgw")
    member(w.secrecy, w.fgw, Role.Code.CONFIDENTIALITY_REVIEWER)
    w.other_clerk = UserFactory(username="a-clerk-jyj")
    member(w.other_clerk, w.jyj, Role.Code.CLERK)
    w.other_office_head = UserFactory(username="a-office-head-jyj")
    member(w.other_office_head, w.jyj, Role.Code.DISCLOSURE_OFFICE_HEAD)
    w.reviewer = UserFactory(username="a-reviewer-szfb")
    member(w.reviewer, w.szfb, Role.Code.CITY_OFFICE_REVIEWER)
    w.nobody = UserFactory(username="a-nobody")
    return w
