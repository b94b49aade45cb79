"""Table 三, the fee line, the appeal record's link and the city-wide summary from the applications app's
records, through its selectors only (A6)."""

from datetime import date, datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from disclosure.annual_report import selectors, services, tables
from disclosure.annual_report.models import AppealKind, AppealResult
from disclosure.applications.outcomes import ApplicantColumn, Outcome
from tests.applications.factories import application_in_state, fee_paid
from tongchuan_portal.clock.workdays import BEIJING

from .factories import published_report

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_january_2026():
    with time_machine.travel(datetime(2026, 1, 10, 10, tzinfo=BEIJING), tick=False):
        yield


def _year_of_applications(world, unit=None):
    unit = unit or world.fgw
    make = application_in_state
    return [
        make(unit=unit, received_on=date(2024, 12, 18), replied_on=date(2025, 1, 8), outcome=Outcome.DISCLOSED),
        make(unit=unit, received_on=date(2024, 12, 26), applicant_column=ApplicantColumn.BUSINESS,
             replied_on=date(2025, 1, 20), outcome=Outcome.PARTLY_DISCLOSED),
        make(unit=unit, received_on=date(2025, 3, 3), replied_on=date(2025, 3, 25), outcome=Outcome.NOT_HELD),
        make(unit=unit, received_on=date(2025, 6, 3), applicant_column=ApplicantColumn.LEGAL_SERVICES,
             replied_on=date(2025, 6, 30), outcome=Outcome.THIRD_PARTY),
        make(unit=unit, received_on=date(2025, 12, 22), applicant_column=ApplicantColumn.RESEARCH),  # carried on
        make(unit=unit, received_on=date(2025, 12, 29), replied_on=date(2026, 1, 6), outcome=Outcome.DISCLOSED),
        make(unit=unit, received_on=date(2024, 5, 1), replied_on=date(2024, 5, 20)),  # another year
        make(unit=unit, received_on=None),  # receipt not yet fixed: not counted
    ]


def test_A6_table3_from_applications_received_last_year_answered_this_year_and_carried_into_the_next(world):
    _year_of_applications(world)
    _year_of_applications(world, unit=world.jyj)  # another unit's: not in this report
    report = services.report_open(unit=world.fgw, year=2025, by=world.clerk)
    table = selectors.compute(report)["table3"]
    assert table["new"]["total"] == 4 and table["carried"]["total"] == 2
    assert table["carried"]["business"] == 1 and table["new"]["legal_services"] == 1
    assert table["disclosed"]["natural"] == 1 and table["partial"]["business"] == 1
    assert table["not_held"]["natural"] == 1 and table["third_party"]["legal_services"] == 1
    assert table["total"]["total"] == 4
    assert table["carry_forward"] == {**{c: 0 for c in tables.ALL_COLUMNS}, "research": 1, "natural": 1, "total": 2}
    assert selectors.checks(selectors.compute(report)) == []
    next_year = services.report_open(unit=world.fgw, year=2026, by=world.clerk)
    assert selectors.compute(next_year)["table3"]["carried"]["total"] == 2


def test_A6_table3_reads_the_applications_in_one_query(world, django_assert_num_queries):
    _year_of_applications(world)
    with django_assert_num_queries(1):
        rows = selectors.application_rows(unit_ids=[world.fgw.pk], year=2025)
        tables.table3_from_rows(rows, 2025)


def test_A6_the_fee_line_is_what_was_actually_paid_in_the_year(world):
    paid = application_in_state(unit=world.fgw, received_on=date(2025, 2, 1))
    fee_paid(paid, amount=Decimal("100"), paid_on=date(2025, 2, 20))
    fee_paid(application_in_state(unit=world.fgw, received_on=date(2025, 3, 1)), amount=Decimal("50"), paid_on=None)
    fee_paid(application_in_state(unit=world.fgw, received_on=date(2024, 3, 1)), amount=Decimal("70"),
             paid_on=date(2024, 3, 9))
    report = published_report(world)
    assert report.snapshots.get().data["fees_collected"] == "100.00"
    html = client_get(report)
    assert "本年度共收取政府信息公开信息处理费100.00元" in html


def client_get(report):
    from django.test import Client

    return Client().get(report.get_public_url()).content.decode()


def test_A6_the_city_governments_table3_includes_the_city_offices_applications(world):
    application_in_state(unit=world.szfb, received_on=date(2025, 4, 1), replied_on=date(2025, 4, 20),
                         outcome=Outcome.REPEATED)
    report = services.report_open(unit=world.tcgov, year=2025, by=world.gov_clerk)
    assert selectors.compute(report)["table3"]["repeated"]["natural"] == 1


def test_A6_appeal_record_links_to_the_units_application(world):
    own = application_in_state(unit=world.fgw, received_on=date(2025, 2, 1), replied_on=date(2025, 2, 20))
    other = application_in_state(unit=world.jyj, received_on=date(2025, 2, 1), replied_on=date(2025, 2, 20))
    data = {"kind": AppealKind.RECONSIDERATION, "filed_on": date(2025, 3, 1), "result": AppealResult.PENDING}
    record = services.appeal_record_create(unit=world.fgw, by=world.clerk,
                                           data={**data, "application_number": own.number})
    assert record.application == own and own.appeal_records.get() == record
    with pytest.raises(ValidationError) as error:
        services.appeal_record_create(unit=world.fgw, by=world.clerk, data={**data, "application_number": other.number})
    assert "本单位" in error.value.message_dict["application_number"][0]
    with pytest.raises(ValidationError):
        services.appeal_record_create(unit=world.fgw, by=world.clerk, data={**data, "application_number": "YSQ-0"})


def test_A6_city_summary_counts_every_unit_in_constant_queries(client, world, django_assert_num_queries):
    from tongchuan_portal.units.selectors import units_by_id

    _year_of_applications(world)
    units_by_id()  # the special units come from the process's unit directory, read once
    with django_assert_num_queries(4) as first:  # units, applications, clocks, reports
        summary = selectors.city_summary(2025)
    row = next(r for r in summary if r.unit == world.fgw)
    assert (row.received, row.answered, row.carried_forward) == (4, 4, 2)
    assert row.outcomes["disclosed"] == 1 and row.outcomes["unable"] == 1 and row.outcomes["not_disclosed"] == 1
    _year_of_applications(world, unit=world.jyj)
    _year_of_applications(world, unit=world.szfb)
    with django_assert_num_queries(len(first.captured_queries)):
        summary = selectors.city_summary(2025)
    government = next(r for r in summary if r.unit == world.tcgov)
    assert government.received == 4  # the city office's, in the city government's row
    client.force_login(world.reviewer)
    assert world.jyj.name in client.get(reverse("annual_report:city_summary"), {"year": 2025}).content.decode()
