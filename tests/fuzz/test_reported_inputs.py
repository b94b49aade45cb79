"""The malformed requests the probe of a running portal reported as 500s (hardening, issue 11, items 19
and 20): each answers a page, a form error or the 400 page now, and changes nothing."""

from datetime import datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from opinion.models import Release
from opinion.services import release_record
from participation import services as participation_services
from participation.models import DecisionDraft, Meeting, MeetingKind, Registration
from tests.opinion.factories import officer, record
from tests.participation import factories as f
from tests.participation.conftest import world  # noqa: F401 — the participation people, as a fixture
from tongchuan_portal.clock.workdays import BEIJING
from tongchuan_portal.notifications.models import Notification

pytestmark = pytest.mark.usefixtures("calendar")


@pytest.mark.parametrize("url", [
    "/xxgk/search/?q=%00", "/xxgk/search/?q=a%00b", "/xxgk/wgk/?unit=%00", "/xxgk/wgk/?year=%C2%B2",
    "/xxgk/search/?q=政务&page=%C2%B2", "/xxgk/search/?q=政务&year=%C2%B2", "/xxgk/key-points/?year=%C2%B2",
    "/participation/?unit=%C2%B2", "/participation/meetings/?unit=%C2%B2", "/participation/messages/?unit=%C2%B2",
    "/participation/evaluations/?unit=%C2%B2", "/participation/?area=%00", "/huiying/?year=10000",
    "/huiying/?year=99999999999999999999", "/huiying/?year=2026&month=%C2%B2", "/huiying/?page=%C2%B2",
    "/jiedu/?year=%C2%B2&unit=%00&q=%00", "/jiedu/?page=%C2%B2",
])
def test_hardening_reported_public_urls_render_ignoring_the_bad_filter(client, tongchuan_units, url):
    response = client.get(url)
    assert response.status_code == 200, url


def test_hardening_inbox_mark_read_with_a_non_ascii_digit_is_a_400_and_marks_nothing(client, tongchuan_units):
    reader = officer(tongchuan_units["szfb"])
    Notification.objects.create(recipient=reader, title="测试")
    client.force_login(reader)
    response = client.post("/inbox/read/", {"id": ["1", "²"]})
    assert response.status_code == 400 and "消息编号无法识别" in response.content.decode()
    assert Notification.objects.filter(recipient=reader, read_at__isnull=True).count() == 1


def test_hardening_year_1_release_is_a_form_error_and_every_page_still_renders(client, tongchuan_units):
    """Item 19: `released_at=0001-01-01` was stored, and the case page, /huiying/ and the release page 500'd."""
    staff = officer(tongchuan_units["jtj"])
    case = record(staff, title="道路塌陷")
    client.force_login(staff)
    response = client.post(f"/opinion/cases/{case.pk}/release/", {
        "release-title": "关于道路塌陷的情况通报", "release-text": "无人员伤亡。", "release-channel": "weibo",
        "release-released_at": "0001-01-01", "release-public": "on"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "应在2000年1月1日至" in html and "0001-01-01" in html and "关于道路塌陷的情况通报" in html
    assert not Release.objects.exists()
    assert client.get(f"/opinion/cases/{case.pk}/").status_code == 200
    client.logout()
    assert client.get("/huiying/").status_code == 200


def test_hardening_services_refuse_year_1_moments_whatever_path_calls_them(tongchuan_units):
    staff = officer(tongchuan_units["jtj"])
    case = record(staff)
    with pytest.raises(ValidationError) as error:
        release_record(case=case, title="通报", text="正文", channel="weibo", by=staff,
                       released_at=datetime(1, 1, 1, tzinfo=BEIJING), public=True)
    assert "released_at" in error.value.message_dict
    assert not Release.objects.exists()


def test_hardening_year_1_meeting_is_a_form_error_and_the_staff_home_renders(world, client):  # noqa: F811
    """Item 19: a meeting `starts_at=0001-01-01` made the meeting page and /participation/staff/ 500."""
    client.force_login(world.clerk)
    response = client.post("/participation/staff/meetings/new/", {
        "unit": world.fgw.pk, "kind": MeetingKind.EXECUTIVE, "title": "常务会议", "starts_at": "0001-01-01",
        "place": "第一会议室", "attendance_quota": "0"})
    assert response.status_code == 400 and "应在2000年1月1日至" in response.content.decode()
    assert not Meeting.objects.exists()
    assert client.get("/participation/staff/").status_code == 200
    with pytest.raises(ValidationError) as error:
        f.meeting(world, starts_at=datetime(1, 1, 1, tzinfo=BEIJING))
    assert "starts_at" in error.value.message_dict
    assert not Meeting.objects.exists()


def test_hardening_opens_at_beyond_the_calendar_is_a_form_error_not_a_500(world, client):  # noqa: F811
    """Item 20: `opens_at=9999-12-31` reached the calendar and its "超出工作日历范围" became a 500."""
    draft = f.draft(world)
    client.force_login(world.clerk)
    response = client.post(f"/participation/staff/drafts/{draft.pk}/", {
        "action": "publish", "working_days": "10", "opens_at": "9999-12-31T00:00"})
    assert response.status_code == 400 and "应在2000年1月1日至" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "drafting" and not draft.periods.exists()
    with pytest.raises(ValidationError):
        participation_services.draft_publish(draft=DecisionDraft.objects.get(pk=draft.pk), working_days=10,
                                             opens_at=datetime(9999, 12, 31, tzinfo=BEIJING), by=world.clerk)


def test_hardening_a_registration_that_is_not_a_number_is_a_400_and_decides_nothing(world, client):  # noqa: F811
    meeting = f.meeting(world, starts_at=timezone.now() + timedelta(days=30), kind=MeetingKind.OPEN_DAY)
    client.force_login(world.clerk)
    for value in ("abc", "²", "99999999999999999999", ""):
        response = client.post(f"/participation/staff/meetings/{meeting.pk}/",
                               {"action": "approve", "registration": value})
        assert response.status_code == 400, value
        assert "报名编号无法识别" in response.content.decode()
    assert not Registration.objects.exclude(status="pending").exists()


def test_hardening_a_huge_attendance_quota_is_a_form_error_not_an_overflow(world, client):  # noqa: F811
    client.force_login(world.clerk)
    response = client.post("/participation/staff/meetings/new/", {
        "unit": world.fgw.pk, "kind": MeetingKind.EXECUTIVE, "title": "常务会议", "starts_at": "2030-01-01T09:00",
        "place": "第一会议室", "attendance_quota": "99999999999999999999"})
    assert response.status_code == 400
    with pytest.raises(ValidationError) as error:
        f.meeting(world, starts_at=datetime(2030, 1, 1, 9, tzinfo=BEIJING), attendance_quota=10**20)
    assert "attendance_quota" in error.value.message_dict
    assert not Meeting.objects.exists()
