"""The annual report's numbers, entries and workflow through the services (A6, D7)."""

from datetime import date, datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from disclosure import services as document_services
from disclosure.annual_report import selectors, services, tables
from disclosure.annual_report.models import AppealKind, AppealRecord, AppealResult, Report, ReportStatus
from disclosure.models import DocumentClass, Validity
from disclosure.selectors import document_counts_for_annual_report
from tongchuan_portal.clock.workdays import BEIJING
from tongchuan_portal.core.models import ConfidentialityClearance

from .factories import ROWS, SECTIONS, document, filled_report, published_report

pytestmark = pytest.mark.django_db
IN_2026 = datetime(2026, 1, 10, 10, tzinfo=BEIJING)


@pytest.fixture(autouse=True)
def _in_january_2026():
    with time_machine.travel(IN_2026, tick=False):
        yield


def test_A6_table2_counts_across_a_year_boundary_issued_in_december_repealed_in_january(world):
    normative = document(world, issued_on=date(2025, 12, 20))
    document(world, classification=DocumentClass.REGULATION, issued_on=date(2024, 5, 1))
    document(world, classification=DocumentClass.OTHER, issued_on=date(2025, 3, 1))  # not counted
    document(world, unit=world.jyj, issued_on=date(2025, 4, 1))  # another unit's
    repealing = document(world, issued_on=date(2026, 1, 5), title="关于废止有关文件的通知")
    document_services.document_change_validity(document=normative, validity=Validity.REPEALED, on=date(2026, 1, 6),
                                               reason="已被新文件替代", repealed_by=repealing, by=world.head)
    in_2025 = document_counts_for_annual_report(unit_ids=[world.fgw.pk], year=2025)
    assert in_2025["normative"] == {"issued": 1, "repealed": 0, "in_force": 1}
    assert in_2025["regulation"] == {"issued": 0, "repealed": 0, "in_force": 1}
    in_2026 = document_counts_for_annual_report(unit_ids=[world.fgw.pk], year=2026)
    assert in_2026["normative"] == {"issued": 1, "repealed": 1, "in_force": 1}  # the new one in force, the old not


def test_A6_a_classified_document_needs_its_issue_date(world):
    with pytest.raises(ValidationError) as error:
        document_services.document_create(by=world.clerk, issuer=world.fgw, data={
            "title": "规范性文件", "area": "decision", "attribute": "proactive",
            "classification": DocumentClass.NORMATIVE})
    assert "制发日期" in error.value.message_dict["issued_on"][0]


def test_A6_entered_rows_record_who_and_when(world):
    report = filled_report(world)
    report.refresh_from_db()
    assert (report.licensing_count, report.fees_amount_wan) == (120, Decimal("3.5"))
    assert report.entered_by == world.clerk and report.entered_at == IN_2026
    assert report.history.filter(history_change_reason="填报年度报告表二数据", history_user=world.clerk).exists()
    data = selectors.compute(report)
    assert data["table2"]["licensing"] == 120 and data["table2"]["fees_wan"] == "3.5000"


def test_A6_entered_rows_refuse_a_negative_number_with_a_chinese_message(world):
    report = services.report_open(unit=world.fgw, year=2025, by=world.clerk)
    with pytest.raises(ValidationError) as error:
        services.report_enter_rows(report=report, data={**ROWS, "penalty_count": -1}, by=world.clerk)
    assert "0" in error.value.message_dict["penalty_count"][0]
    report.refresh_from_db()
    assert report.penalty_count is None and report.entered_at is None


def test_A6_D7_workflow_draft_head_confidentiality_published_with_snapshot(world):
    document(world, issued_on=date(2025, 6, 1))
    report = filled_report(world)
    services.report_submit(report=report, by=world.clerk)
    with pytest.raises(PermissionDenied):
        services.report_approve(report=report, by=world.clerk)  # only the head
    services.report_approve(report=report, by=world.head)
    report.refresh_from_db()
    assert report.status == ReportStatus.CONFIDENTIALITY and report.published_version == 0
    report = services.report_clearance_decide(report=report, cleared=True, opinion="", by=world.secrecy)
    assert report.status == ReportStatus.PUBLISHED and report.published_version == 1
    snapshot = report.snapshots.get()
    assert snapshot.taken_at == IN_2026 and snapshot.data["table2"]["normative"]["issued"] == 1
    assert snapshot.data["sections"]["problems"] == SECTIONS["problems"]
    assert ConfidentialityClearance.objects.filter(object_id=report.pk, cleared=True).count() == 1


def test_A6_the_published_snapshot_does_not_move_when_a_record_changes_and_a_correction_makes_a_new_version(world):
    report = published_report(world)
    AppealRecord.objects.create(unit=world.fgw, kind=AppealKind.RECONSIDERATION, filed_on=date(2025, 5, 1),
                                result=AppealResult.PENDING, entered_by=world.clerk, entered_at=IN_2026)
    document(world, issued_on=date(2025, 8, 1))
    first = report.snapshots.get(version=1)
    assert first.data["table4"]["reconsideration"]["total"] == 0
    assert first.data["table2"]["normative"]["issued"] == 0
    with pytest.raises(ValidationError):
        services.report_enter_rows(report=report, data=ROWS, by=world.clerk)  # published: not editable
    with pytest.raises(ValidationError):
        services.report_correct(report=report, reason="  ", by=world.clerk)
    services.report_correct(report=report, reason="补录一件行政复议和一件规范性文件", by=world.clerk)
    services.report_submit(report=report, by=world.clerk)
    services.report_approve(report=report, by=world.head)
    report = services.report_clearance_decide(report=report, cleared=True, opinion="", by=world.secrecy)
    assert report.published_version == 2
    second = report.snapshots.get(version=2)
    assert second.reason == "更正:补录一件行政复议和一件规范性文件"
    assert second.data["table4"]["reconsideration"]["total"] == 1
    assert second.data["table2"]["normative"]["issued"] == 1
    first.refresh_from_db()
    assert first.data["table4"]["reconsideration"]["total"] == 0  # still what was published then
    assert report.first_published_at == first.taken_at


def test_A6_a_hand_broken_number_makes_publication_refuse_naming_the_cell(world, monkeypatch):
    report = filled_report(world)
    services.report_submit(report=report, by=world.clerk)
    services.report_approve(report=report, by=world.head)
    real = selectors.compute

    def broken(report):
        data = real(report)
        data["table3"]["disclosed"]["natural"] += 1  # a number typed over by hand
        return data

    monkeypatch.setattr(selectors, "compute", broken)
    with pytest.raises(ValidationError) as error:
        services.report_clearance_decide(report=report, cleared=True, opinion="", by=world.secrecy)
    text = ";".join(error.value.messages)
    assert "“(一)予以公开”行“总计”列" in text and "“自然人”列" in text
    report.refresh_from_db()
    assert report.status == ReportStatus.CONFIDENTIALITY and report.published_version == 0
    assert not report.snapshots.exists()


def test_D7_refused_clearance_goes_back_to_the_draft_with_the_opinion(world):
    report = filled_report(world)
    services.report_submit(report=report, by=world.clerk)
    services.report_approve(report=report, by=world.head)
    with pytest.raises(ValidationError):
        services.report_clearance_decide(report=report, cleared=False, opinion="", by=world.secrecy)
    report = services.report_clearance_decide(report=report, cleared=False, opinion="第五部分含内部事项", by=world.secrecy)
    assert report.status == ReportStatus.DRAFT and not report.snapshots.exists()


def test_A6_submission_needs_the_entered_rows_and_the_overview(world):
    report = services.report_open(unit=world.fgw, year=2025, by=world.clerk)
    with pytest.raises(ValidationError) as error:
        services.report_submit(report=report, by=world.clerk)
    assert "行政许可" in error.value.messages[0]


@pytest.mark.parametrize("actor", ["other_clerk", "other_head", "other_secrecy", "citizen"])
def test_A6_another_units_staff_cannot_touch_the_report_and_nothing_changes(world, actor):
    report = filled_report(world)
    user = world[actor]
    before = report.history.count()
    for call in (lambda: services.report_enter_rows(report=report, data=ROWS, by=user),
                 lambda: services.report_submit(report=report, by=user),
                 lambda: services.report_correct(report=report, reason="x", by=user)):
        with pytest.raises(PermissionDenied):
            call()
    services.report_submit(report=report, by=world.clerk)
    with pytest.raises(PermissionDenied):
        services.report_approve(report=report, by=user)
    report.refresh_from_db()
    assert report.status == ReportStatus.HEAD_REVIEW and report.history.count() == before + 1


def test_A6_city_government_report_covers_the_city_office(world):
    assert selectors.covered_unit_ids(world.tcgov) == [world.tcgov.pk, world.szfb.pk]
    document(world, unit=world.szfb, issued_on=date(2025, 2, 1))
    report = services.report_open(unit=world.tcgov, year=2025, by=world.gov_clerk)
    assert selectors.compute(report)["table2"]["normative"]["issued"] == 1
    with pytest.raises(ValidationError):
        services.report_open(unit=world.szfb, year=2025, by=world.gov_clerk)


def test_A6_table4_from_appeal_records_entered_by_staff(world):
    for kind, result, decided in [(AppealKind.RECONSIDERATION, AppealResult.UPHELD, date(2025, 6, 1)),
                                  (AppealKind.DIRECT_SUIT, AppealResult.PENDING, None),
                                  (AppealKind.SUIT_AFTER_RECONSIDERATION, AppealResult.CORRECTED, date(2025, 9, 9))]:
        services.appeal_record_create(unit=world.fgw, by=world.clerk, data={
            "kind": kind, "filed_on": date(2025, 3, 1), "result": result, "decided_on": decided})
    with pytest.raises(ValidationError) as error:
        services.appeal_record_create(unit=world.fgw, by=world.clerk, data={
            "kind": AppealKind.RECONSIDERATION, "filed_on": date(2025, 3, 1), "result": AppealResult.UPHELD})
    assert "审结日期" in error.value.message_dict["decided_on"][0]
    with pytest.raises(PermissionDenied):
        services.appeal_record_create(unit=world.fgw, by=world.other_clerk, data={
            "kind": AppealKind.RECONSIDERATION, "filed_on": date(2025, 3, 1), "result": AppealResult.PENDING})
    report = services.report_open(unit=world.fgw, year=2025, by=world.clerk)
    assert tables.table4_layout(selectors.compute(report)["table4"]) == [1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 1, 0, 0, 1]
    assert AppealRecord.objects.count() == 3
