"""The report's due dates on the engine (A6, CLOCK2, CLOCK3, CLOCK6): a calendar-date rule each, started on
1 January by the task, reminded from 1 January and escalated to the city office through the real sweep."""

from datetime import date, datetime, timedelta

import pytest
import time_machine

from disclosure.annual_report import deadlines as rules, services
from disclosure.annual_report.tasks import open_year
from tongchuan_portal.clock.calendar_dates import due_date_for_period
from tongchuan_portal.clock.models import Deadline, DeadlineState, RuleKind
from tongchuan_portal.clock.registry import get_rule
from tongchuan_portal.clock.selectors import explain
from tongchuan_portal.clock.services import deadlines_sweep
from tongchuan_portal.clock.workdays import BEIJING
from tongchuan_portal.notifications.models import Notification

from .factories import published_report

pytestmark = pytest.mark.django_db
NEW_YEAR = datetime(2026, 1, 1, 0, 5, tzinfo=BEIJING)


def _titles(user):
    return list(Notification.objects.filter(recipient=user).order_by("pk").values_list("title", flat=True))


def test_CLOCK6_A6_calendar_date_rule_fixes_the_day_whatever_the_calendar():
    department, government = get_rule(rules.DEPARTMENT), get_rule(rules.GOVERNMENT)
    assert department.kind == government.kind == RuleKind.CALENDAR_DATE
    assert due_date_for_period(department, 2025) == date(2026, 1, 31)  # a Saturday: not moved to Monday
    assert due_date_for_period(government, 2025) == date(2026, 3, 31)
    assert department.label == "公布政府信息公开工作年度报告(条例第四十九条,1月31日前)"


def test_A6_CLOCK3_deadlines_start_on_1_january_remind_and_escalate_to_the_city_office(world):
    with time_machine.travel(NEW_YEAR, tick=False):
        open_year()
        open_year()  # twice changes nothing
    fgw = Deadline.objects.get(unit=world.fgw, rule=rules.DEPARTMENT)
    government = Deadline.objects.get(unit=world.tcgov, rule=rules.GOVERNMENT)
    assert Deadline.objects.filter(unit=world.fgw).count() == 1
    assert not Deadline.objects.filter(unit=world.szfb).exists()  # in the city government's report
    assert fgw.due_at == datetime(2026, 1, 31, 23, 59, 59, tzinfo=BEIJING)
    assert government.due_at == datetime(2026, 3, 31, 23, 59, 59, tzinfo=BEIJING)

    explanation = explain(fgw)
    assert "不按工作日推算" in explanation.fixed_text and "2026-01-31" in explanation.fixed_text

    # the first reminder at the close of 1 January, to the unit's staff
    deadlines_sweep(now=datetime(2026, 1, 2, 8, tzinfo=BEIJING))
    assert any("即将到期" in t for t in _titles(world.clerk))
    assert not _titles(world.reviewer)
    # late: missed, and the city office hears of it
    late = datetime(2026, 2, 1, 9, tzinfo=BEIJING)
    deadlines_sweep(now=late)
    deadlines_sweep(now=late)  # once
    fgw.refresh_from_db()
    assert fgw.state == DeadlineState.MISSED
    # one digest for every late department's report (the city government's is not yet due)
    overdue = Notification.objects.filter(recipient=world.reviewer, level=Notification.Level.OVERDUE)
    assert overdue.count() == 1 and "项时限" in overdue.get().title
    assert any("已逾期" in t for t in _titles(world.head))
    government.refresh_from_db()
    assert government.state == DeadlineState.RUNNING  # governments have until 31 March
    deadlines_sweep(now=late + timedelta(days=8))
    assert Notification.objects.filter(recipient=world.reviewer, level=Notification.Level.ESCALATION).exists()


def test_A6_publication_meets_the_deadline(world):
    with time_machine.travel(NEW_YEAR, tick=False):
        services.report_open(unit=world.fgw, year=2025, by=world.clerk)
    with time_machine.travel(datetime(2026, 1, 20, 10, tzinfo=BEIJING), tick=False):
        published_report(world)
    deadline = Deadline.objects.get(unit=world.fgw, rule=rules.DEPARTMENT)
    assert deadline.state == DeadlineState.MET and deadline.missed_at is None


def test_CLOCK6_the_deadline_page_explains_the_fixed_date(client, world):
    with time_machine.travel(NEW_YEAR, tick=False):
        report = services.report_open(unit=world.fgw, year=2025, by=world.clerk)
        deadline = Deadline.objects.get(unit=world.fgw, rule=rules.DEPARTMENT)
        client.force_login(world.clerk)
        html = client.get(f"/deadlines/{deadline.pk}/").content.decode()
        mine = client.get("/deadlines/").content.decode()
    assert "截止日期由规定直接确定,不按工作日推算,节假日不顺延" in html and "2026-01-31(星期六)23:59" in html
    assert report.title in mine
