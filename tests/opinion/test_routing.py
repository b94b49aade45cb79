"""O1: the responsible unit follows from scope and subject; the city office and propaganda are always told."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from opinion.models import CaseEvent, OpinionCase, Scope, SubjectArea
from opinion.routing import CITY_DEPARTMENT, route
from opinion.services import case_reassign
from tongchuan_portal.clock.models import Deadline, DeadlineState
from tongchuan_portal.notifications.models import Notification
from tongchuan_portal.units.models import Role, Unit, UnitKind
from tests.opinion.factories import officer, record
from tests.units.factories import UserFactory, member

pytestmark = pytest.mark.usefixtures("calendar")


@pytest.fixture
def people(tongchuan_units):
    u = tongchuan_units
    office_reviewer = UserFactory(username="reviewer_szfb")
    member(office_reviewer, u["szfb"], Role.Code.CITY_OFFICE_REVIEWER)
    propaganda = UserFactory(username="xcb")
    member(propaganda, u["swxcb"], Role.Code.CLERK)
    return {
        "yzq": officer(u["yzq"]), "szfb": officer(u["szfb"]), "jtj": officer(u["jtj"]),
        "reviewer": office_reviewer, "propaganda": propaganda, "u": u,
    }


def test_O1_city_level_case_goes_to_the_competent_city_department(people):
    case = record(people["yzq"], scope=Scope.CITY, area=SubjectArea.TRANSPORT)
    assert case.responsible_unit.code == "jtj"


def test_O1_one_district_goes_to_that_districts_department_of_the_same_area(people):
    u = people["u"]
    case = record(people["yzq"], scope=Scope.DISTRICT, area=SubjectArea.EDUCATION, districts=[u["yzq"]])
    assert case.responsible_unit.code == "yzq-jyj"


def test_O1_one_district_without_such_a_department_goes_to_the_district_government(people):
    u = people["u"]
    case = record(people["yzq"], scope=Scope.DISTRICT, area=SubjectArea.TRANSPORT, districts=[u["yzq"]])
    assert case.responsible_unit.code == "yzq"


def test_O1_several_districts_go_to_the_competent_city_department(people):
    u = people["u"]
    case = record(people["yzq"], scope=Scope.MULTI_DISTRICT, area=SubjectArea.EDUCATION,
                  districts=[u["yzq"], u["wyq"]])
    assert case.responsible_unit.code == "jyj"
    assert {d.code for d in case.districts.all()} == {"yzq", "wyq"}


def test_O1_other_subjects_go_to_the_city_office(people):
    assert record(people["yzq"], area=SubjectArea.OTHER).responsible_unit.code == "szfb"


def test_O1_every_subject_area_maps_to_a_real_city_unit(tongchuan_units):
    """Every area but 其他 has its competent department in the directory; 其他 goes to the city office."""
    assert set(CITY_DEPARTMENT) == set(SubjectArea.values) - {SubjectArea.OTHER}
    assert set(CITY_DEPARTMENT.values()) <= set(tongchuan_units)
    assert all(tongchuan_units[code].kind == UnitKind.CITY_DEPARTMENT for code in CITY_DEPARTMENT.values())


@pytest.mark.parametrize("scope,codes,message", [
    (Scope.DISTRICT, [], "只选择一个区县"),
    (Scope.DISTRICT, ["yzq", "wyq"], "只选择一个区县"),
    (Scope.MULTI_DISTRICT, ["yzq"], "至少选择两个区县"),
    (Scope.CITY, ["jyj"], "只能选择区县"),
])
def test_O1_districts_must_fit_the_scope(tongchuan_units, scope, codes, message):
    with pytest.raises(ValidationError) as error:
        route(scope=scope, subject_area=SubjectArea.EDUCATION, districts=[tongchuan_units[c] for c in codes])
    assert message in str(error.value)


def test_O1_city_office_and_propaganda_are_always_informed(people):
    case = record(people["yzq"], scope=Scope.DISTRICT, area=SubjectArea.EDUCATION, districts=[people["u"]["yzq"]])
    for who in ("szfb", "reviewer", "propaganda"):
        note = Notification.objects.get(recipient=people[who])
        assert note.title == f"【新舆情交办】{case.title}" and note.url == f"/opinion/cases/{case.pk}/"
    assert not Notification.objects.filter(recipient=people["yzq"]).exists()  # the recorder knows
    routed = case.events.get(kind=CaseEvent.Kind.ROUTED)
    assert "耀州区教育局" in routed.text and "市政府办公室、市委宣传部" in routed.text


def test_O1_city_office_reassigns_with_a_reason_and_the_clock_follows(people):
    case = record(people["yzq"], area=SubjectArea.TRANSPORT)
    before = Deadline.objects.get(object_id=case.pk, state=DeadlineState.RUNNING)
    with pytest.raises(ValidationError):
        case_reassign(case=case, unit=people["u"]["gaj"], reason="  ", by=people["reviewer"])
    case = case_reassign(case=case, unit=people["u"]["gaj"], reason="涉及治安事件,由公安机关回应", by=people["reviewer"])
    assert case.responsible_unit.code == "gaj"
    after = Deadline.objects.get(object_id=case.pk, state=DeadlineState.RUNNING)
    assert after.unit.code == "gaj" and after.due_at == before.due_at
    assert case.events.filter(kind=CaseEvent.Kind.REASSIGNED, text__contains="涉及治安事件").exists()
    assert case.history.first().history_change_reason.startswith("改派:市交通运输局→市公安局")


@pytest.mark.parametrize("who", ["yzq", "jtj", "propaganda"])
def test_O1_only_the_city_office_reassigns_and_a_denial_changes_nothing(people, who):
    case = record(people["yzq"], area=SubjectArea.TRANSPORT)
    events = CaseEvent.objects.count()
    with pytest.raises(PermissionDenied):
        case_reassign(case=case, unit=people["u"]["gaj"], reason="理由", by=people[who])
    assert OpinionCase.objects.get(pk=case.pk).responsible_unit.code == "jtj"
    assert CaseEvent.objects.count() == events
    assert Deadline.objects.filter(object_id=case.pk, unit__code="jtj", state=DeadlineState.RUNNING).count() == 1


def test_O1_recording_needs_an_opinion_officer(people):
    with pytest.raises(PermissionDenied):
        record(people["propaganda"])
    assert not OpinionCase.objects.exists()
    assert Unit.objects.filter(code="yzq-jyj").exists()
