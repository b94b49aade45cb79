"""Auditors read reports, versions and appeal records in the admin, with history and filters (A6)."""

from datetime import date, datetime

import pytest
import time_machine
from django.urls import reverse

from disclosure.annual_report import services
from disclosure.annual_report.models import AppealKind, AppealResult
from tongchuan_portal.clock.workdays import BEIJING

from .factories import published_report

pytestmark = pytest.mark.django_db


def test_A6_admin_lists_reports_versions_and_appeals_with_unit_and_year_filters(client, world, admin_user):
    with time_machine.travel(datetime(2026, 1, 20, 10, tzinfo=BEIJING), tick=False):
        report = published_report(world)
        record = services.appeal_record_create(unit=world.fgw, by=world.clerk, data={
            "kind": AppealKind.RECONSIDERATION, "filed_on": date(2025, 3, 1), "result": AppealResult.PENDING})
    client.force_login(admin_user)
    for name, params in [("annual_report_report_changelist", {"year": 2025, "unit__id__exact": world.fgw.pk}),
                         ("annual_report_reportsnapshot_changelist", {"year": 2025}),
                         ("annual_report_appealrecord_changelist", {"year": 2025, "unit__id__exact": world.fgw.pk})]:
        response = client.get(reverse(f"admin:{name}"), params)
        assert response.status_code == 200, name
        assert world.fgw.name in response.content.decode()
    history = client.get(reverse("admin:annual_report_report_history", args=[report.pk])).content.decode()
    assert "保密审查通过,发布第1版" in history
    assert client.get(reverse("admin:annual_report_appealrecord_history", args=[record.pk])).status_code == 200
    # the record is read-only here: writes go through the staff pages
    response = client.post(reverse("admin:annual_report_report_change", args=[report.pk]), {"status": "draft"})
    report.refresh_from_db()
    assert report.status == "published"


def test_A6_staff_page_names_the_wrong_cell(client, world, monkeypatch):
    from disclosure.annual_report import selectors

    with time_machine.travel(datetime(2026, 1, 20, 10, tzinfo=BEIJING), tick=False):
        report = services.report_open(unit=world.fgw, year=2025, by=world.clerk)
    real = selectors.compute

    def broken(report):
        data = real(report)
        data["table3"]["carry_forward"]["business"] = 2
        return data

    monkeypatch.setattr(selectors, "compute", broken)
    client.force_login(world.clerk)
    html = client.get(report.get_absolute_url()).content.decode()
    assert 'id="check-failures"' in html and "不能发布" in html
    assert "“四、结转下年度继续办理”行“总计”列" in html
    assert 'class="check-failed" title="“四、结转下年度继续办理”行“总计”列"' in html
