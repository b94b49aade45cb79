"""Staff pages of the annual report (A6, D7): forms keep what was typed, other units get 404, nothing changes."""

from datetime import datetime

import pytest
import time_machine
from django.urls import reverse

from disclosure.annual_report import services
from disclosure.annual_report.models import AppealRecord, Report, ReportStatus
from tongchuan_portal.clock.workdays import BEIJING

from .factories import ROWS, SECTIONS, filled_report

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_january_2026():
    with time_machine.travel(datetime(2026, 1, 10, 10, tzinfo=BEIJING), tick=False):
        yield


def test_A6_clerk_fills_rows_and_sections_on_the_page(client, world):
    client.force_login(world.clerk)
    response = client.post(reverse("annual_report:open"), {"unit": world.fgw.pk, "year": 2025})
    report = Report.objects.get(unit=world.fgw, year=2025)
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    page = client.get(report.get_absolute_url()).content.decode()
    assert "报送审定前还须填写" in page and "1月31日前" in page and "不按工作日推算" in page
    response = client.post(reverse("annual_report:enter_rows", args=[report.pk]), {**ROWS, "penalty_count": "abc"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "请填写整数。" in html and 'value="120"' in html  # what was typed stays
    report.refresh_from_db()
    assert report.licensing_count is None
    client.post(reverse("annual_report:enter_rows", args=[report.pk]), ROWS)
    client.post(reverse("annual_report:write_sections", args=[report.pk]), SECTIONS)
    report.refresh_from_db()
    assert report.licensing_count == 120 and report.problems == SECTIONS["problems"]
    client.post(reverse("annual_report:submit", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == ReportStatus.HEAD_REVIEW


@pytest.mark.parametrize("actor", ["other_clerk", "other_head", "citizen"])
def test_A6_another_units_staff_get_404_and_nothing_changes(client, world, actor):
    report = filled_report(world)
    client.force_login(world[actor])
    before = report.history.count()
    assert client.get(report.get_absolute_url()).status_code == 404
    for name, data in [("enter_rows", ROWS), ("write_sections", SECTIONS), ("submit", {}), ("approve", {}),
                       ("correct", {"reason": "x"}), ("return", {"reason": "x"})]:
        assert client.post(reverse(f"annual_report:{name}", args=[report.pk]), data).status_code == 404, name
    assert client.get(reverse("annual_report:clear", args=[report.pk])).status_code == 404
    report.refresh_from_db()
    assert report.history.count() == before and report.status == ReportStatus.DRAFT


def test_D7_confidentiality_queue_lists_the_report_and_the_review_page_publishes_it(client, world):
    report = filled_report(world)
    services.report_submit(report=report, by=world.clerk)
    client.force_login(world.head)
    client.post(reverse("annual_report:approve", args=[report.pk]))
    client.force_login(world.secrecy)
    queue = client.get(reverse("disclosure:confidentiality_queue")).content.decode()
    assert report.title in queue and reverse("annual_report:clear", args=[report.pk]) in queue
    page = client.get(reverse("annual_report:clear", args=[report.pk])).content.decode()
    assert "行政许可" in page and SECTIONS["problems"] in page
    client.post(reverse("annual_report:clear", args=[report.pk]), {"decision": "cleared", "opinion": ""})
    report.refresh_from_db()
    assert report.status == ReportStatus.PUBLISHED and report.published_version == 1


def test_A6_appeal_records_page_keeps_input_and_refuses_other_units(client, world):
    client.force_login(world.clerk)
    url = reverse("annual_report:appeals")
    response = client.post(url, {"unit": world.fgw.pk, "kind": "reconsideration", "filed_on": "2025-03-01",
                                 "result": "upheld", "decided_on": "", "case_number": "铜复〔2025〕3号"})
    assert response.status_code == 400 and "已审结的,请填写审结日期。" in response.content.decode()
    assert "铜复〔2025〕3号" in response.content.decode()
    client.post(url, {"unit": world.fgw.pk, "kind": "reconsideration", "filed_on": "2025-03-01",
                      "result": "upheld", "decided_on": "2025-05-01"})
    assert AppealRecord.objects.filter(unit=world.fgw).count() == 1
    # a unit the user does not work for: 404, nothing recorded
    response = client.post(url, {"unit": world.jyj.pk, "kind": "reconsideration", "filed_on": "2025-03-01",
                                 "result": "pending"})
    assert response.status_code == 404 and AppealRecord.objects.count() == 1
    client.force_login(world.citizen)
    assert client.get(url).status_code == 404


def test_A6_city_summary_is_the_city_offices(client, world):
    client.force_login(world.clerk)
    assert client.get(reverse("annual_report:city_summary")).status_code == 404
    client.force_login(world.reviewer)
    response = client.get(reverse("annual_report:city_summary"), {"year": 2025})
    assert response.status_code == 200 and world.fgw.name in response.content.decode()


def test_A6_my_reports_lists_the_units_reports(client, world):
    report = filled_report(world)
    client.force_login(world.clerk)
    assert report.title in client.get(reverse("annual_report:mine")).content.decode()
    client.force_login(world.other_clerk)
    assert report.title not in client.get(reverse("annual_report:mine")).content.decode()
