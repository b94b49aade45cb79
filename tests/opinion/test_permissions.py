"""Who sees and handles a case: role × action × own/other unit; every denial changes nothing."""

import pytest

from opinion.models import CaseEvent, Disposition, OpinionCase, Release, Scope, SubjectArea
from opinion.services import case_reassign
from tongchuan_portal.units.models import Role
from tests.opinion.factories import record
from tests.units.factories import UserFactory, member

pytestmark = pytest.mark.usefixtures("calendar")

ACTORS = {
    # name: (unit code, roles)
    "own_officer": ("jtj", [Role.Code.OPINION_OFFICER]),
    "own_head": ("jtj", [Role.Code.UNIT_HEAD]),
    "own_clerk": ("jtj", [Role.Code.CLERK]),
    "yzq_officer": ("yzq", [Role.Code.OPINION_OFFICER]),
    "other_officer": ("jyj", [Role.Code.OPINION_OFFICER, Role.Code.UNIT_HEAD]),
    "office_officer": ("szfb", [Role.Code.OPINION_OFFICER]),
    "office_reviewer": ("szfb", [Role.Code.CITY_OFFICE_REVIEWER]),
    "propaganda": ("swxcb", [Role.Code.CLERK]),
}

# (actor, see, handle, reassign) for a city-level case routed to 市交通运输局 (jtj).
MATRIX = [
    ("own_officer", 200, 302, 403),
    ("own_head", 200, 403, 403),
    ("own_clerk", 404, 404, 404),
    ("yzq_officer", 404, 404, 404),
    ("other_officer", 404, 404, 404),
    ("office_officer", 200, 302, 302),
    ("office_reviewer", 200, 403, 302),
    ("propaganda", 200, 403, 403),
    ("anonymous", "login", "login", "login"),
]


@pytest.fixture
def world(tongchuan_units):
    users = {}
    for name, (code, roles) in ACTORS.items():
        users[name] = UserFactory(username=name)
        member(users[name], tongchuan_units[code], *roles)
    case = record(users["yzq_officer"], scope=Scope.CITY, area=SubjectArea.TRANSPORT, title="城市级舆情")
    assert case.responsible_unit.code == "jtj"
    return {"users": users, "case": case, "units": tongchuan_units}


def login(client, world, actor):
    if actor != "anonymous":
        client.force_login(world["users"][actor])


def status(response):
    if response.status_code == 302 and response["Location"].startswith("/accounts/login/"):
        return "login"
    return response.status_code


def snapshot(case):
    case = OpinionCase.objects.get(pk=case.pk)
    return (case.responsible_unit_id, case.disposition, Release.objects.count(), CaseEvent.objects.count())


@pytest.mark.parametrize("actor,see,handle,reassign", MATRIX)
def test_O1_permission_matrix(client, world, actor, see, handle, reassign):
    case = world["case"]
    login(client, world, actor)
    assert status(client.get(f"/opinion/cases/{case.pk}/")) == see

    before = snapshot(case)
    response = client.post(f"/opinion/cases/{case.pk}/triage/", {"triage-disposition": Disposition.CLARIFIED,
                                                                  "triage-note": "系误解"})
    assert status(response) == handle
    if handle != 302:
        assert snapshot(case) == before

    before = snapshot(case)
    response = client.post(f"/opinion/cases/{case.pk}/reassign/", {
        "reassign-unit": world["units"]["gaj"].pk, "reassign-reason": "治安事件"})
    assert status(response) == reassign
    if reassign != 302:
        assert snapshot(case) == before
    else:
        assert OpinionCase.objects.get(pk=case.pk).responsible_unit.code == "gaj"


def test_O1_yzq_officer_sees_a_city_case_once_assigned_to_yzq(client, world):
    case, users = world["case"], world["users"]
    client.force_login(users["yzq_officer"])
    url = f"/opinion/cases/{case.pk}/"
    assert client.get(url).status_code == 404
    assert "城市级舆情" not in client.get("/opinion/").content.decode()
    case_reassign(case=case, unit=world["units"]["yzq"], reason="属地处置", by=users["office_reviewer"])
    assert client.get(url).status_code == 200
    assert "城市级舆情" in client.get("/opinion/").content.decode()
    # …and the former unit no longer does.
    client.force_login(users["own_officer"])
    assert client.get(url).status_code == 404


def test_dashboard_is_for_opinion_staff_only(client, world):
    client.force_login(world["users"]["own_clerk"])
    assert client.get("/opinion/").status_code == 403
    assert client.get("/opinion/new/").status_code == 403
    client.force_login(world["users"]["propaganda"])
    assert client.get("/opinion/").status_code == 200
    assert client.get("/opinion/new/").status_code == 403  # told of every case, records none


def test_any_opinion_officer_may_record_and_the_case_is_routed_away(client, world):
    client.force_login(world["users"]["yzq_officer"])
    response = client.post("/opinion/new/", {
        "title": "市区公交调价引热议", "source": "media", "first_seen_at": "2026-11-20T08:00", "summary": "媒体报道",
        "category": "public_interest", "special_topic": "none", "level": "none", "scope": "city",
        "subject_area": "development",
    })
    assert response.status_code == 302 and response["Location"] == "/opinion/"
    case = OpinionCase.objects.get(title="市区公交调价引热议")
    assert case.responsible_unit.code == "fgw" and case.recorded_by == world["users"]["yzq_officer"]
    messages = client.get("/opinion/").content.decode()
    assert "已登记并交铜川市发展和改革委员会办理" in messages
