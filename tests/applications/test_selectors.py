"""The annual report's reads (the contract with the annual-report app, A6)."""

from datetime import date
from decimal import Decimal

import pytest

from disclosure.applications import selectors
from disclosure.applications.outcomes import ApplicantColumn, Outcome

from .factories import application_in_state, fee_paid

pytestmark = pytest.mark.django_db


def test_A6_annual_report_rows_are_those_touching_the_year(unit_factory, django_assert_num_queries):
    unit, other = unit_factory(), unit_factory()
    carried = application_in_state(unit=unit, received_on=date(2025, 12, 20))
    answered_last_year = application_in_state(unit=unit, received_on=date(2025, 11, 3), replied_on=date(2025, 12, 1))
    answered = application_in_state(unit=unit, received_on=date(2025, 12, 29), replied_on=date(2026, 1, 6),
                                    outcome=Outcome.NOT_HELD, applicant_column=ApplicantColumn.RESEARCH)
    new = application_in_state(unit=unit, received_on=date(2026, 3, 2))
    application_in_state(unit=unit, received_on=None)  # not yet received: not counted
    application_in_state(unit=unit, received_on=date(2027, 1, 4))  # next year
    application_in_state(unit=other, received_on=date(2026, 3, 2))
    with django_assert_num_queries(1):
        rows = list(selectors.applications_for_annual_report(unit_ids=[unit.pk], year=2026))
    assert {r.pk for r in rows} == {carried.pk, answered.pk, new.pk}
    assert answered_last_year.pk not in {r.pk for r in rows}
    row = next(r for r in rows if r.pk == answered.pk)
    assert (row.applicant_column, row.received_on, row.replied_on, row.outcome) == (
        "research", date(2025, 12, 29), date(2026, 1, 6), "not_held")


def test_A6_fees_collected_counts_only_paid_in_year(unit_factory):
    unit = unit_factory()
    fee_paid(application_in_state(unit=unit, received_on=date(2026, 2, 2)), amount=Decimal("100"),
             paid_on=date(2026, 2, 20))
    fee_paid(application_in_state(unit=unit, received_on=date(2026, 2, 2)), amount=Decimal("250.50"),
             paid_on=date(2026, 12, 31))
    fee_paid(application_in_state(unit=unit, received_on=date(2026, 2, 2)), amount=Decimal("70"), paid_on=None)
    fee_paid(application_in_state(unit=unit, received_on=date(2025, 2, 2)), amount=Decimal("40"),
             paid_on=date(2025, 3, 1))
    assert selectors.fees_collected(unit_ids=[unit.pk], year=2026) == Decimal("350.50")
    assert selectors.fees_collected(unit_ids=[unit.pk], year=2024) == Decimal("0")
