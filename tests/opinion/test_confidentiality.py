"""D7 for the 回应关切 column: a release is shown there only after 保密审查.

The release still meets its O4/O5 clock when it went out on its channel; the portal's column waits for the
confidentiality reviewers of the release's unit or of the city office. Refusal goes back to the unit with the
reason; the unit revises and sends it again; the database refuses a public release without clearance.
"""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from opinion.deadlines import RESPONSE
from opinion.models import CaseEvent, Release
from opinion.services import release_clearance_decide, release_resubmit
from tests.opinion.factories import officer, record, release, secrecy
from tests.units.factories import UserFactory, member
from tongchuan_portal.clock.models import Deadline, DeadlineState
from tongchuan_portal.core.models import Clearance, ConfidentialityClearance
from tongchuan_portal.notifications.models import Notification
from tongchuan_portal.units.models import Role

pytestmark = pytest.mark.usefixtures("calendar")


@pytest.fixture
def people(tongchuan_units):
    u = tongchuan_units
    people = {"officer": officer(u["jtj"]), "office_officer": officer(u["szfb"]), "other_officer": officer(u["jyj"]),
              "secrecy": secrecy(u["jtj"]), "other_secrecy": secrecy(u["jyj"]), "city_secrecy": secrecy(u["szfb"])}
    people["head"] = UserFactory(username="head_jtj")
    member(people["head"], u["jtj"], Role.Code.UNIT_HEAD)
    return people


def waiting(people, **kwargs):
    case = record(people["officer"])
    return release(case, people["officer"], clear=False, title="关于路段塌陷的情况通报", **kwargs)


def state(item):
    item.refresh_from_db()
    return (item.public, item.clearance, item.cleared_at, item.title, item.text,
            ConfidentialityClearance.objects.count(), CaseEvent.objects.filter(kind="clearance").count())


def test_D7_public_release_waits_for_review_but_still_meets_its_clock(people, client):
    item = waiting(people)
    assert (item.public, item.clearance, item.cleared_at) == (False, Clearance.PENDING, None)
    assert Deadline.objects.get(rule=RESPONSE).state == DeadlineState.MET
    assert client.get("/huiying/").content.decode().count(item.title) == 0
    assert client.get(f"/huiying/{item.pk}/").status_code == 404
    told = set(Notification.objects.filter(title__contains="待保密审查").values_list("recipient__username", flat=True))
    assert told == {"secrecy_jtj", "secrecy_szfb"}


def test_D7_a_release_not_for_the_column_needs_no_review(people):
    item = release(record(people["officer"]), people["officer"], public=False)
    assert (item.public, item.clearance) == (False, Clearance.NOT_ASKED)
    assert not Notification.objects.filter(title__contains="保密审查").exists()


@pytest.mark.parametrize("reviewer", ["secrecy", "city_secrecy"])
def test_D7_clearance_puts_the_release_in_the_column_with_a_record_of_what_was_shown(people, client, reviewer):
    item = waiting(people)
    release_clearance_decide(release=item, cleared=True, opinion="同意公开。", by=people[reviewer])
    item.refresh_from_db()
    assert item.public and item.clearance == Clearance.CLEARED and item.cleared_at
    assert item.title in client.get("/huiying/").content.decode()
    record_ = ConfidentialityClearance.objects.get()
    assert record_.cleared and record_.reviewer == people[reviewer] and record_.unit == item.unit
    assert item.text in record_.shown_text and item.link in record_.shown_text
    assert "保密审查通过" in item.case.events.get(kind="clearance").text
    assert Notification.objects.filter(recipient=people["officer"], title__contains="保密审查通过").exists()


def test_D7_refusal_returns_it_with_the_reason_and_the_revised_release_is_cleared(people, client):
    item = waiting(people)
    before = state(item)
    with pytest.raises(ValidationError):
        release_clearance_decide(release=item, cleared=False, opinion="", by=people["secrecy"])
    assert state(item) == before
    release_clearance_decide(release=item, cleared=False, opinion="请删去伤者姓名。", by=people["secrecy"])
    item.refresh_from_db()
    assert not item.public and item.clearance == Clearance.REFUSED
    assert "请删去伤者姓名" in Notification.objects.get(recipient=people["officer"],
                                                  title__contains="保密审查未通过").body
    client.force_login(people["officer"])
    page = client.get(item.case.get_absolute_url()).content.decode()
    assert "请删去伤者姓名" in page and "重新送审" in page
    response = client.post(f"/opinion/releases/{item.pk}/resubmit/", {
        f"revise{item.pk}-title": item.title, f"revise{item.pk}-text": "经核实,无人员死亡。",
        f"revise{item.pk}-link": "javascript:alert(1)"})
    assert response.status_code == 400
    item.refresh_from_db()
    assert item.clearance == Clearance.REFUSED and item.text != "经核实,无人员死亡。"
    response = client.post(f"/opinion/releases/{item.pk}/resubmit/", {
        f"revise{item.pk}-title": item.title, f"revise{item.pk}-text": "经核实,无人员死亡。"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.clearance == Clearance.PENDING and item.text == "经核实,无人员死亡。" and item.link == ""
    release_clearance_decide(release=item, cleared=True, opinion="", by=people["secrecy"])
    item.refresh_from_db()
    assert item.public
    shown = list(ConfidentialityClearance.objects.order_by("pk").values_list("shown_text", flat=True))
    assert "经核实,情况如下" in shown[0] and "无人员死亡" in shown[1]


@pytest.mark.parametrize("who", ["officer", "office_officer", "head", "other_secrecy", "other_officer"])
def test_D7_only_reviewers_in_scope_decide_and_denials_change_nothing(people, who):
    item = waiting(people)
    before = state(item)
    for cleared in (True, False):
        with pytest.raises(PermissionDenied):
            release_clearance_decide(release=item, cleared=cleared, opinion="理由", by=people[who])
    assert state(item) == before


def test_D7_decided_once_only_and_resubmission_only_after_refusal(people):
    item = waiting(people)
    with pytest.raises(ValidationError, match="未通过的发布"):
        release_resubmit(release=item, title="新标题", text="新内容", by=people["officer"])
    release_clearance_decide(release=item, cleared=True, opinion="", by=people["secrecy"])
    before = state(item)
    with pytest.raises(PermissionDenied):
        release_clearance_decide(release=item, cleared=False, opinion="撤回", by=people["secrecy"])
    with pytest.raises(ValidationError):
        release_resubmit(release=item, title="新标题", text="新内容", by=people["officer"])
    assert state(item) == before


def test_D7_resubmission_by_someone_who_cannot_handle_the_case_is_denied(people):
    item = waiting(people)
    release_clearance_decide(release=item, cleared=False, opinion="请修改。", by=people["secrecy"])
    before = state(item)
    with pytest.raises(PermissionDenied):
        release_resubmit(release=item, title="新标题", text="新内容", by=people["other_officer"])
    assert state(item) == before


def test_D7_review_page_shows_everything_the_column_would_and_is_404_outside_scope(people, client):
    item = waiting(people)
    url = f"/opinion/releases/{item.pk}/confidentiality/"
    client.force_login(people["other_secrecy"])
    assert client.get(url).status_code == 404 and client.post(url, {"decision": "cleared"}).status_code == 404
    client.force_login(people["secrecy"])
    html = client.get(url).content.decode()
    assert item.text in html and item.link in html and item.case.title in html
    assert client.post(url, {"decision": "bogus"}).status_code == 400
    assert not Release.objects.get(pk=item.pk).public


def test_D7_the_database_refuses_a_public_release_without_clearance(people):
    item = waiting(people)
    with pytest.raises(IntegrityError), transaction.atomic():
        Release.objects.filter(pk=item.pk).update(public=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        Release.objects.filter(pk=item.pk).update(public=True, cleared_at=timezone.now())


def test_hardening_a_nul_byte_in_the_reviewers_opinion_is_dropped_not_a_500(people, client):
    item = waiting(people)
    client.force_login(people["secrecy"])
    response = client.post(f"/opinion/releases/{item.pk}/confidentiality/",
                           {"decision": "refused", "opinion": "请删去\x00伤者姓名"})
    assert response.status_code in (302, 400)
    item.refresh_from_db()
    if response.status_code == 302:
        assert ConfidentialityClearance.objects.get().opinion == "请删去伤者姓名"
        assert item.clearance == Clearance.REFUSED
