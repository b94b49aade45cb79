"""The calendar admin goes through the services: a date change moves the day, refusals are form errors."""

from datetime import date, datetime

import pytest

from tongchuan_portal.clock.models import CalendarYear, Deadline, OfficialDay
from tongchuan_portal.clock.workdays import BEIJING
from tests.clock.factories import start
from tests.units.factories import UnitFactory

pytestmark = pytest.mark.usefixtures("calendar")


def form(day: str, kind="holiday", name="调整(测试)", notice="测试通知"):
    return {"date": day, "kind": kind, "name": name, "source_notice": notice}


def test_CLOCK4_hardening_changing_a_days_date_in_the_admin_moves_it(admin_client, admin_user):
    added = admin_client.post("/admin/clock/officialday/add/", form("2026-06-08"))
    assert added.status_code == 302
    row = OfficialDay.objects.get(date=date(2026, 6, 8))
    changed = admin_client.post(f"/admin/clock/officialday/{row.pk}/change/", form("2026-06-09"))
    assert changed.status_code == 302
    assert not OfficialDay.objects.filter(date=date(2026, 6, 8)).exists()  # the old day did not stay behind
    moved = OfficialDay.objects.get(date=date(2026, 6, 9))
    assert moved.name == "调整(测试)"
    deleted = OfficialDay.history.filter(date=date(2026, 6, 8), history_type="-").get()
    assert deleted.history_user == admin_user and deleted.history_change_reason == "删除2026-06-08(调整(测试))"
    entered = OfficialDay.history.filter(date=date(2026, 6, 9)).get()
    assert entered.history_change_reason == "录入2026-06-09为法定节假日(休息)"


def test_CLOCK4_hardening_admin_refusals_are_form_errors_and_change_nothing(admin_client):
    before = (OfficialDay.objects.count(), OfficialDay.history.count(), CalendarYear.objects.count())
    response = admin_client.post("/admin/clock/officialday/add/", form("1999-12-31"))
    assert response.status_code == 200 and "日期须在2000年至" in response.content.decode()
    response = admin_client.post("/admin/clock/officialday/add/", form("2026-06-08", name=" "))
    assert response.status_code == 200 and "必填项" in response.content.decode()  # Django's or DRF's wording
    response = admin_client.post("/admin/clock/officialday/add/", form("2026-06-08", kind="bogus"))
    assert response.status_code == 200
    spring = OfficialDay.objects.get(date=date(2026, 2, 16))  # moving onto an entered day
    response = admin_client.post(f"/admin/clock/officialday/{spring.pk}/change/", form("2026-02-17"))
    assert response.status_code == 200 and "已存在" in response.content.decode()

    response = admin_client.post("/admin/clock/calendaryear/add/", {"year": "2028", "confirmed": "on",
                                                                    "source_notice": ""})
    assert response.status_code == 200 and "请填写国务院办公厅通知的文号或标题" in response.content.decode()
    response = admin_client.post("/admin/clock/calendaryear/add/", {"year": "2999", "source_notice": ""})
    assert response.status_code == 200 and "年份须在2000年至" in response.content.decode()
    assert (OfficialDay.objects.count(), OfficialDay.history.count(), CalendarYear.objects.count()) == before


def test_hardening_a_refusal_only_the_service_sees_is_a_message_not_a_500(admin_client, monkeypatch):
    from django.core.exceptions import ValidationError

    from tongchuan_portal.clock import admin as clock_admin

    def refuse(**kwargs):
        raise ValidationError("2026-06-08已不在工作日历中,请刷新后重试。")

    monkeypatch.setattr(clock_admin, "official_day_set", refuse)
    before = OfficialDay.objects.count()
    response = admin_client.post("/admin/clock/officialday/add/", form("2026-06-08"), follow=True)
    assert response.status_code == 200
    assert "已不在工作日历中" in response.content.decode()
    assert OfficialDay.objects.count() == before


def test_hardening_a_confirmed_years_number_cannot_be_edited(admin_client):
    row = CalendarYear.objects.get(year=2026)
    response = admin_client.post(f"/admin/clock/calendaryear/{row.pk}/change/",
                                 {"year": "2030", "confirmed": "on", "source_notice": row.source_notice})
    assert response.status_code == 302
    assert not CalendarYear.objects.filter(year=2030).exists()
    assert CalendarYear.objects.get(pk=row.pk).year == 2026


def test_hardening_deadline_admin_shows_a_failed_on_due_action(admin_client):
    from django.core.cache import cache

    from tongchuan_portal.clock.services import deadlines_sweep

    unit = UnitFactory()
    deadline = start("test.failing", unit=unit, at=datetime(2026, 6, 1, 9, tzinfo=BEIJING))
    cache.set(f"test:fail-due:{deadline.pk}", 1, 600)
    deadlines_sweep(now=datetime(2026, 6, 1, 10, tzinfo=BEIJING))
    html = admin_client.get("/admin/clock/deadline/?action=pending").content.decode()
    assert "未完成(已失败1次,2026-06-01 10:01重试):RuntimeError:对接系统无响应(测试)" in html
    assert Deadline.objects.filter(action_retry_at__isnull=False).count() == 1
    assert admin_client.get(f"/admin/clock/deadline/{deadline.pk}/change/").status_code == 200
