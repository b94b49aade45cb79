"""日历年度 → 导入国务院通知 (CLOCK4): paste, preview with weekdays, confirm; errors keep the text."""

from datetime import date

import pytest
from django.contrib.auth.models import Permission

from tongchuan_portal.clock.models import CalendarChange, CalendarYear, OfficialDay
from tests.clock.notices import NOTICE_2027_FOR_TESTS
from tests.units.factories import UserFactory

pytestmark = pytest.mark.usefixtures("calendar")
URL = "/admin/clock/calendaryear/import-notice/"


def _state():
    return (OfficialDay.objects.count(), OfficialDay.history.count(), CalendarYear.objects.filter(confirmed=True).count(),
            CalendarChange.objects.count())


def test_CLOCK4_admin_import_page_is_linked_from_the_year_list(admin_client):
    listing = admin_client.get("/admin/clock/calendaryear/").content.decode()
    assert URL in listing and "导入国务院通知" in listing
    page = admin_client.get(URL)
    assert page.status_code == 200 and "通知全文" in page.content.decode()


def test_CLOCK4_admin_preview_lists_every_day_with_its_weekday_and_writes_nothing(admin_client):
    before = _state()
    html = admin_client.post(URL, {"action": "preview", "text": NOTICE_2027_FOR_TESTS}).content.decode()
    assert "国务院办公厅关于2027年部分节假日安排的通知(国办发明电〔2026〕99号)" in html
    assert "共读出 35 天" in html and "尚未确认" in html
    assert "<td>2027-02-28</td>" in html and "周日" in html and "调休上班" in html
    assert "确认导入2027年放假安排" in html
    assert _state() == before


def test_CLOCK4_admin_confirm_enters_the_year_and_says_so(admin_client, admin_user):
    response = admin_client.post(URL, {"action": "confirm", "text": NOTICE_2027_FOR_TESTS}, follow=True)
    assert response.redirect_chain[-1][0] == "/admin/clock/calendaryear/"
    assert "已按国务院办公厅关于2027年部分节假日安排的通知" in response.content.decode()
    assert CalendarYear.objects.get(year=2027).confirmed
    assert OfficialDay.objects.filter(date__year=2027).count() == 35
    assert OfficialDay.history.filter(date=date(2027, 2, 5)).first().history_user == admin_user
    assert CalendarChange.objects.filter(reason="导入国务院办公厅关于2027年部分节假日安排的通知").count() == 1


@pytest.mark.parametrize("action", ["preview", "confirm"])
def test_CLOCK4_admin_malformed_notice_is_refused_with_the_sentence_and_the_text_kept(admin_client, action):
    before = _state()
    broken = NOTICE_2027_FOR_TESTS.replace("至7日(周四)", "至7日(周五)")
    response = admin_client.post(URL, {"action": action, "text": broken})
    html = response.content.decode()
    assert response.status_code == 200 and "未能导入" in html
    assert "10月1日(周五)至7日(周五)放假调休,共7天。" in html  # the sentence it could not read
    assert "国办发明电〔2026〕99号" in html.split("<textarea")[1]  # the pasted text is still there
    assert _state() == before


def test_CLOCK4_admin_import_needs_the_calendar_permissions(client):
    staff = UserFactory(username="calendar-viewer", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_calendaryear"))
    client.force_login(staff)
    before = _state()
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"action": "confirm", "text": NOTICE_2027_FOR_TESTS}).status_code == 403
    assert "导入国务院通知" not in client.get("/admin/clock/calendaryear/").content.decode()
    assert _state() == before
