"""`make run`'s demo data for the annual report (A6): published 2025 reports and a 2026 draft."""

import time_machine
from datetime import datetime

from django.core.management import call_command
from django.urls import reverse

from disclosure.annual_report import selectors
from disclosure.annual_report.models import Report, ReportStatus
from tongchuan_portal.clock.workdays import BEIJING


def test_A6_demo_has_published_2025_reports_for_the_department_and_the_city_government(db, calendar, client):
    with time_machine.travel(datetime(2026, 12, 1, 10, tzinfo=BEIJING), tick=False):
        call_command("seed_demo", stdout=open("/dev/null", "w"))
        call_command("seed_annual_report_demo", stdout=open("/dev/null", "w"))  # idempotent
    fgw = Report.objects.get(unit__code="fgw", year=2025)
    government = Report.objects.get(unit__code="tcgov", year=2025)
    assert fgw.status == government.status == ReportStatus.PUBLISHED
    assert fgw.published_version == government.published_version == 1
    assert Report.objects.get(unit__code="fgw", year=2026).status == ReportStatus.DRAFT
    data = fgw.snapshots.get().data
    assert data["table2"]["normative"]["issued"] == 2 and data["table2"]["normative"]["in_force"] == 3
    assert data["table4"]["reconsideration"]["upheld"] == 1 and data["table4"]["direct_suit"]["pending"] == 1
    assert data["table3"]["new"]["natural"] == 2 and data["table3"]["carry_forward"]["total"] == 2
    assert selectors.checks(data) == []
    draft = selectors.compute(Report.objects.get(unit__code="fgw", year=2026))
    assert draft["table3"]["carried"]["total"] == 2 and draft["table3"]["not_held"]["natural"] >= 1
    assert draft["table3"]["new"]["total"] >= 1  # the applications app's own demo, received this year
    assert selectors.checks(draft) == []
    gov = government.snapshots.get().data
    assert gov["table2"]["regulation"]["issued"] == 1 and gov["table2"]["normative"]["issued"] == 1
    html = client.get(reverse("disclosure:annual_reports")).content.decode()
    assert fgw.title in html and government.title in html
