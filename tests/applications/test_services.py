"""The applications' workflow through its services (A1–A5, CLOCK5), on the real calendar and deadline engine."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from disclosure.applications import deadlines, services
from disclosure.applications.models import Application, Channel, FeeMethod, Status, StepKind
from disclosure.applications.outcomes import Outcome
from tongchuan_portal.clock import workdays
from tongchuan_portal.clock.models import DeadlineState
from tongchuan_portal.clock.selectors import deadline_of
from tongchuan_portal.clock.services import deadlines_sweep
from tongchuan_portal.core.models import Clearance

from .conftest import bj, pdf, png
from .helpers import PERSON, REQUEST, received, submit

pytestmark = pytest.mark.django_db

MONDAY = bj(2026, 6, 1, 10, 0)  # 2026-06-01
ANY = (DeadlineState.RUNNING, DeadlineState.PAUSED, DeadlineState.MISSED, DeadlineState.MET, DeadlineState.CANCELLED)


def reply_clock(application, states=(DeadlineState.RUNNING, DeadlineState.PAUSED, DeadlineState.MISSED)):
    return deadline_of(application, deadlines.REPLY, states=states)


def due_date(row) -> date:
    return workdays.beijing_date(row.due_at)


# --- A1: the application and its receipt date -------------------------------------------------------


def test_A1_online_application_waits_for_confirmation_and_receipt_is_the_confirmation_day(world):
    with time_machine.travel(MONDAY, tick=False):
        application, code = submit(world)
    assert application.status == Status.SUBMITTED and application.received_on is None
    assert application.number.startswith("YSQ-2026-") and len(code) == 19
    assert application.query_code_hash == services.query_code_digest(code) and code not in application.query_code_hash
    assert application.applicant_column == "natural"
    assert reply_clock(application) is None
    with time_machine.travel(bj(2026, 6, 3, 9, 0), tick=False):
        services.application_confirm(application=application, by=world.clerk)
    application.refresh_from_db()
    assert application.received_on == date(2026, 6, 3)
    assert application.status == Status.PROCESSING
    # 20 working days from 06-03 (端午 2026-06-19 is off): 2026-07-02.
    assert due_date(reply_clock(application)) == workdays.add_working_days(date(2026, 6, 3), 20) == date(2026, 7, 2)
    assert application.steps.filter(kind=StepKind.CONFIRMED, notice="receipt").exists()
    assert deadline_of(application, deadlines.CONFIRM, states=ANY).state == DeadlineState.MET


@pytest.mark.parametrize("channel, received_on, expected", [
    (Channel.IN_PERSON, None, date(2026, 6, 1)),
    (Channel.ORAL, None, date(2026, 6, 1)),
    (Channel.POST, date(2026, 5, 29), date(2026, 5, 29)),  # the day the office signed for it
    (Channel.FAX, None, date(2026, 6, 1)),
    (Channel.EMAIL, None, date(2026, 6, 1)),
])
def test_A1_receipt_date_follows_the_channel(world, channel, received_on, expected):
    with time_machine.travel(MONDAY, tick=False):
        application, _ = services.application_register(
            unit=world.fgw, channel=channel, received_on=received_on, applicant=PERSON, request=REQUEST, by=world.clerk)
    assert application.received_on == expected and application.status == Status.PROCESSING
    assert due_date(reply_clock(application)) == workdays.add_working_days(expected, 20)


def test_A1_registration_refuses_a_future_receipt_date_and_other_units_staff(world):
    with time_machine.travel(MONDAY, tick=False):
        with pytest.raises(ValidationError):
            services.application_register(unit=world.fgw, channel=Channel.POST, received_on=date(2026, 6, 2),
                                          applicant=PERSON, request=REQUEST, by=world.clerk)
        with pytest.raises(PermissionDenied):
            services.application_register(unit=world.fgw, channel=Channel.POST, applicant=PERSON, request=REQUEST,
                                          by=world.other_clerk)
    assert not Application.objects.exists()


@pytest.mark.parametrize("field, value, message", [
    ("id_number", "110105194912310021", "校验位"),
    ("id_number", "11010519491331002X", "出生日期"),
    ("id_number", "1101051949", "18位"),
])
def test_A1_resident_id_is_checked_with_its_check_digit(world, field, value, message):
    with pytest.raises(ValidationError) as error:
        submit(world, applicant={field: value})
    assert message in str(error.value.message_dict[field])
    assert not Application.objects.exists()


def test_A1_organisation_gives_credit_code_and_kind_which_is_its_annual_report_column(world):
    org = dict(applicant_type="organisation", organisation_kind="legal_services", name="陕西某某律师事务所",
               credit_code="91350100M000100Y43", legal_representative="李四", contact_person="王五")
    application, _ = submit(world, applicant=org)
    assert application.applicant_column == "legal_services" and application.id_number == ""
    with pytest.raises(ValidationError) as error:
        submit(world, applicant={**org, "credit_code": "91350100M000100Y44"})
    assert "校验位" in str(error.value.message_dict["credit_code"])


def test_A1_identity_proof_is_checked_by_content(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("证件.png", b"MZ\x90\x00 not an image", content_type="image/png")
    with pytest.raises(ValidationError) as error:
        services.application_submit(unit=world.fgw, applicant=PERSON, request=REQUEST, identity_proof=fake)
    assert "identity_proof" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.application_submit(unit=world.fgw, applicant=PERSON, request=REQUEST, identity_proof=None)
    assert not Application.objects.exists()


def test_A1_unconfirmed_online_application_reminds_the_handlers_after_one_working_day(world):
    from tongchuan_portal.notifications.models import Notification

    with time_machine.travel(MONDAY, tick=False):
        application, _ = submit(world)
    Notification.objects.all().delete()
    deadlines_sweep(now=bj(2026, 6, 3, 0, 30))
    confirm = deadline_of(application, deadlines.CONFIRM, states=ANY)
    assert confirm.state == DeadlineState.MISSED
    assert Notification.objects.filter(recipient=world.clerk).exists()
    deadlines_sweep(now=bj(2026, 6, 3, 0, 31))
    assert Notification.objects.filter(recipient=world.clerk).count() == 1  # exactly once


# --- A2: correction ---------------------------------------------------------------------------------------


def test_A2_correction_refused_after_seven_working_days(world):
    with time_machine.travel(MONDAY, tick=False):
        application, _ = received(world)
    # 7 working days from 06-01 end with Wednesday 06-10.
    with time_machine.travel(bj(2026, 6, 11, 9, 0), tick=False):
        with pytest.raises(ValidationError) as error:
            services.correction_request(application=application, items="请写明所需信息的年份。", by=world.clerk)
    assert "7个工作日" in str(error.value)
    application.refresh_from_db()
    assert application.status == Status.PROCESSING and application.correction_requested_at is None


def test_A2_correction_ends_the_reply_clock_which_restarts_from_the_corrected_receipt(world):
    with time_machine.travel(MONDAY, tick=False):
        application, _ = received(world)
    with time_machine.travel(bj(2026, 6, 10, 16, 0), tick=False):
        services.correction_request(application=application, items="请写明所需信息的年份。", days=15, by=world.clerk)
    application.refresh_from_db()
    assert application.status == Status.CORRECTION
    assert reply_clock(application) is None
    assert deadline_of(application, deadlines.REPLY, states=ANY).state == DeadlineState.CANCELLED
    with pytest.raises(ValidationError):  # once only
        services.correction_request(application=application, items="再补正一次", by=world.clerk)
    with time_machine.travel(bj(2026, 6, 15, 11, 0), tick=False):
        services.correction_submit(application=application, text="所需信息为2025年度的。")
    application.refresh_from_db()
    assert application.status == Status.PROCESSING and application.corrected_on == date(2026, 6, 15)
    assert due_date(reply_clock(application)) == workdays.add_working_days(date(2026, 6, 15), 20)
    assert application.received_on == date(2026, 6, 1)  # the original receipt stays on record


def test_A2_no_correction_in_time_closes_the_application_as_abandoned_and_tells_the_applicant(
        world, django_capture_on_commit_callbacks):
    with time_machine.travel(MONDAY, tick=False):
        application, _ = received(world)
        services.correction_request(application=application, items="请写明年份。", days=5, by=world.clerk)
    mail.outbox.clear()
    due = deadline_of(application, deadlines.CORRECTION).due_at
    with time_machine.travel(due + timedelta(minutes=1), tick=False), \
            django_capture_on_commit_callbacks(execute=True):
        deadlines_sweep()
    application.refresh_from_db()
    assert application.status == Status.REPLIED and application.outcome == Outcome.NO_CORRECTION
    assert application.replied_on == workdays.beijing_date(due + timedelta(minutes=1))
    assert any("终止办理" in m.subject for m in mail.outbox)
    deadlines_sweep(now=due + timedelta(minutes=2))
    assert application.steps.filter(kind=StepKind.CLOSED).count() == 1


def test_A2_corrected_application_cannot_be_corrected_by_a_stranger_before_notice(world):
    with time_machine.travel(MONDAY, tick=False):
        application, _ = received(world)
        with pytest.raises(ValidationError):
            services.correction_submit(application=application, text="补正")


# --- A3: extension and third-party consultation --------------------------------------------------------


def test_A3_extension_needs_the_disclosure_office_head_and_is_granted_once_up_to_20_days(world):
    with time_machine.travel(MONDAY, tick=False):
        application, _ = received(world)
        before = reply_clock(application).due_at
        for user in (world.clerk, world.head, world.other_office_head, world.reviewer):
            with pytest.raises(PermissionDenied):
                services.extension_approve(application=application, days=10, reason="需调取档案", by=user)
        with pytest.raises(ValidationError):
            services.extension_approve(application=application, days=21, reason="需调取档案", by=world.office_head)
        with pytest.raises(ValidationError):
            services.extension_approve(application=application, days=10, reason=" ", by=world.office_head)
        assert reply_clock(application).due_at == before
        services.extension_approve(application=application, days=20, reason="需调取多年档案", by=world.office_head)
        with pytest.raises(ValidationError):
            services.extension_approve(application=application, days=1, reason="再延", by=world.office_head)
    application.refresh_from_db()
    assert application.extension_approved_by == world.office_head and application.extension_days == 20
    assert due_date(reply_clock(application)) == workdays.add_working_days(date(2026, 6, 1), 40)
    assert application.steps.filter(notice="extension").count() == 1


def test_A3_consultation_pauses_the_reply_clock_and_the_opinion_resumes_it(world):
    with time_machine.travel(MONDAY, tick=False):
        application, _ = received(world)
    with time_machine.travel(bj(2026, 6, 8, 10, 0), tick=False):  # 5 working days used
        services.consultation_start(application=application, third_party="某某公司", question="是否同意公开合同",
                                    by=world.clerk)
    application.refresh_from_db()
    assert application.status == Status.CONSULTING
    assert reply_clock(application).state == DeadlineState.PAUSED and reply_clock(application).remaining_days == 15
    with pytest.raises(ValidationError):
        services.reply_submit(application=application, outcome=Outcome.NOT_HELD, reply_text="经检索不掌握",
                              responsible_office="市统计局", remedies="复议", by=world.clerk)
    with time_machine.travel(bj(2026, 6, 12, 10, 0), tick=False):
        services.consultation_record_opinion(application=application, opinion="不同意公开", by=world.clerk)
    application.refresh_from_db()
    clock = reply_clock(application)
    assert application.status == Status.PROCESSING and clock.state == DeadlineState.RUNNING
    assert due_date(clock) == workdays.add_working_days(date(2026, 6, 12), 15)


def test_A3_consultation_lapses_after_15_working_days_and_the_reply_clock_resumes(world):
    with time_machine.travel(MONDAY, tick=False):
        application, _ = received(world)
        services.consultation_start(application=application, third_party="某某公司", question="是否同意公开",
                                    by=world.clerk)
    due = deadline_of(application, deadlines.CONSULTATION).due_at
    assert workdays.beijing_date(due) == workdays.add_working_days(date(2026, 6, 1), 15)
    with time_machine.travel(due + timedelta(minutes=5), tick=False):
        deadlines_sweep()
    application.refresh_from_db()
    clock = reply_clock(application)
    assert application.status == Status.PROCESSING and clock.state == DeadlineState.RUNNING
    assert clock.remaining_days == 20
    assert application.consultations.get().closed_at is not None


# --- A5: fees ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("nth, amount", [(1, 0), (10, 0), (11, 100), (30, 100), (31, 200), (40, 200), (41, 300)])
def test_A5_per_application_tiers(nth, amount):
    from disclosure.applications import fees

    assert fees.per_application(nth).amount == amount


@pytest.mark.parametrize("pages, amount", [(30, 0), (31, 10), (100, 700), (101, 720), (200, 2700), (201, 2740)])
def test_A5_per_volume_tiers_are_cumulative(pages, amount):
    from disclosure.applications import fees

    computed = fees.per_volume(pages)
    assert computed.amount == amount
    assert f"合计{amount}元" in computed.arithmetic


def test_A5_per_application_counts_the_applicants_applications_in_the_natural_month(world):
    from .factories import application_in_state

    for day in range(1, 11):
        application_in_state(unit=world.jyj, received_on=date(2026, 6, min(day, 28)), id_number=PERSON["id_number"])
    application_in_state(unit=world.jyj, received_on=date(2026, 5, 29), id_number=PERSON["id_number"])
    with time_machine.travel(bj(2026, 6, 12, 10, 0), tick=False):
        application, _ = received(world)  # the 11th in June
        assert services.applications_in_month(application) == 11
        fee = services.fee_notify(application=application, method=FeeMethod.PER_APPLICATION, by=world.clerk)
    assert fee.amount == 100 and "第11件" in fee.arithmetic


def test_A5_free_request_gets_no_fee_notice(world):
    with time_machine.travel(MONDAY, tick=False):
        application, _ = received(world)
        with pytest.raises(ValidationError) as error:
            services.fee_notify(application=application, method=FeeMethod.PER_VOLUME, pages=30, by=world.clerk)
    assert "无需收费" in str(error.value)


def test_A5_fee_notice_pauses_the_reply_clock_and_payment_resumes_it(world):
    with time_machine.travel(MONDAY, tick=False):
        application, _ = received(world)
    with time_machine.travel(bj(2026, 6, 8, 10, 0), tick=False):
        fee = services.fee_notify(application=application, method=FeeMethod.PER_VOLUME, pages=150, by=world.clerk)
    assert fee.amount == 1700
    assert reply_clock(application).state == DeadlineState.PAUSED
    with time_machine.travel(bj(2026, 6, 10, 10, 0), tick=False):
        services.fee_record_paid(application=application, paid_on=date(2026, 6, 10), by=world.clerk)
    application.refresh_from_db()
    assert application.status == Status.PROCESSING
    assert due_date(reply_clock(application)) == workdays.add_working_days(date(2026, 6, 10), 15)


def test_A5_unpaid_fee_closes_the_application_by_the_sweep(world):
    with time_machine.travel(MONDAY, tick=False):
        application, _ = received(world)
        services.fee_notify(application=application, method=FeeMethod.PER_VOLUME, pages=40, by=world.clerk)
    due = deadline_of(application, deadlines.FEE).due_at
    assert workdays.beijing_date(due) == workdays.add_working_days(date(2026, 6, 1), 20)
    deadlines_sweep(now=due - timedelta(minutes=1))
    application.refresh_from_db()
    assert application.status == Status.AWAITING_FEE
    deadlines_sweep(now=due + timedelta(minutes=1))
    application.refresh_from_db()
    assert application.status == Status.REPLIED and application.outcome == Outcome.UNPAID
    assert reply_clock(application) is None


# --- A4: replies ------------------------------------------------------------------------------------------


def _reply(application, by, **fields):
    values = dict(outcome=Outcome.NOT_HELD, reply_text="经检索,本机关不掌握该信息。", remedies="如不服可申请行政复议。",
                  responsible_office="铜川市统计局", legal_basis="条例第三十六条第(五)项")
    values.update(fields)
    return services.reply_submit(application=application, by=by, **values)


MISSING = [
    (Outcome.DISCLOSED, {}, "attachments"),
    (Outcome.PARTLY_DISCLOSED, {"attachments": "pdf"}, "withheld"),
    (Outcome.PARTLY_DISCLOSED, {"withheld": "第三方个人信息"}, "attachments"),
    *[(o, {"legal_basis": ""}, "legal_basis") for o in (
        Outcome.SECRET, Outcome.LAW_FORBIDS, Outcome.THREE_SAFETIES, Outcome.THIRD_PARTY, Outcome.INTERNAL_AFFAIRS,
        Outcome.PROCESS_INFORMATION, Outcome.ENFORCEMENT_FILE, Outcome.INQUIRY_MATTER, Outcome.PETITION,
        Outcome.REPEATED, Outcome.PUBLICATION, Outcome.EXCESSIVE, Outcome.CONFIRMATION)],
    (Outcome.NOT_HELD, {"responsible_office": ""}, "responsible_office"),
    *[(o, {"reply_text": ""}, "reply_text") for o in (
        Outcome.NEEDS_CREATION, Outcome.STILL_UNCLEAR, Outcome.OTHER, Outcome.NOT_HELD, Outcome.SECRET)],
    *[(o, {"remedies": ""}, "remedies") for o in (Outcome.DISCLOSED, Outcome.NOT_HELD, Outcome.REPEATED)],
    (Outcome.NO_CORRECTION, {}, "outcome"),
    (Outcome.UNPAID, {}, "outcome"),
]


@pytest.mark.parametrize("outcome, change, field", MISSING)
def test_A4_every_outcome_refuses_a_reply_missing_what_the_law_requires(world, outcome, change, field):
    with time_machine.travel(MONDAY, tick=False):
        application, _ = received(world)
        fields = {k: v for k, v in change.items() if k != "attachments"}
        if change.get("attachments") == "pdf":
            fields["attachments"] = [pdf()]
        with pytest.raises(ValidationError) as error:
            _reply(application, world.clerk, outcome=outcome, **fields)
    assert field in error.value.message_dict
    application.refresh_from_db()
    assert application.status == Status.PROCESSING and application.outcome == ""
    assert not application.attachments.exists()


def test_A4_every_leaf_row_is_a_reply_outcome():
    from disclosure.applications.forms import ReplyForm

    offered = {value for group, rows in ReplyForm.base_fields["outcome"].choices if isinstance(rows, (list, tuple))
               for value, _label in rows}
    assert offered == set(Outcome.values) - {Outcome.NO_CORRECTION, Outcome.UNPAID}


def test_A4_reply_that_discloses_waits_for_confidentiality_clearance(world):
    with time_machine.travel(MONDAY, tick=False):
        application, _ = received(world)
        _reply(application, world.clerk, outcome=Outcome.PARTLY_DISCLOSED, withheld="第三方商业秘密(条例第十五条)",
               reply_text="现将可以公开的部分提供给您。", attachments=[pdf()])
    application.refresh_from_db()
    assert application.status == Status.PROCESSING and application.reply_clearance == Clearance.PENDING
    assert application.outcome == "" and application.replied_on is None
    assert not application.steps.filter(kind=StepKind.REPLIED).exists()
    with pytest.raises(PermissionDenied):
        services.reply_clearance_decide(application=application, cleared=True, opinion="", by=world.clerk)
    with time_machine.travel(bj(2026, 6, 3, 10, 0), tick=False):
        services.reply_clearance_decide(application=application, cleared=False, opinion="附件含个人信息", by=world.secrecy)
    application.refresh_from_db()
    assert application.reply_clearance == Clearance.REFUSED and application.status == Status.PROCESSING
    with time_machine.travel(bj(2026, 6, 4, 10, 0), tick=False):
        _reply(application, world.clerk, outcome=Outcome.PARTLY_DISCLOSED, withheld="第三方商业秘密",
               reply_text="现将可以公开的部分提供给您。", attachments=[pdf("处理后.pdf")])
        services.reply_clearance_decide(application=application, cleared=True, opinion="", by=world.secrecy)
    application.refresh_from_db()
    assert application.status == Status.REPLIED and application.outcome == Outcome.PARTLY_DISCLOSED
    assert application.replied_on == date(2026, 6, 4)
    assert [a.original_name for a in application.attachments.all()] == ["处理后.pdf"]
    assert reply_clock(application, states=(DeadlineState.MET,)) is not None
    assert application.delivered_on == date(2026, 6, 4)  # by e-mail, as asked


def test_A4_reply_not_disclosing_is_sent_at_once_and_delivery_is_recorded(world):
    with time_machine.travel(MONDAY, tick=False):
        application, _ = received(world, request={"delivery": "post"})
        _reply(application, world.clerk)
        with pytest.raises(ValidationError):
            services.reply_deliver(application=application, delivered_on=date(2026, 5, 30), note="交邮", by=world.clerk)
        services.reply_deliver(application=application, delivered_on=date(2026, 6, 1), note="中国邮政挂号信 XA123",
                               by=world.clerk)
    application.refresh_from_db()
    assert application.status == Status.REPLIED and application.outcome == Outcome.NOT_HELD
    assert application.delivered_on == date(2026, 6, 1)


# --- transfer and 督办 -------------------------------------------------------------------------------------


def test_transfer_keeps_the_receipt_date_and_moves_the_clock(world):
    with time_machine.travel(MONDAY, tick=False):
        application, _ = received(world)
    with time_machine.travel(bj(2026, 6, 2, 10, 0), tick=False):
        services.application_transfer(application=application, unit=world.jyj, reason="属教育局职责", by=world.clerk)
    application.refresh_from_db()
    assert application.unit == world.jyj and application.received_on == date(2026, 6, 1)
    assert reply_clock(application).unit == world.jyj
    with pytest.raises(PermissionDenied):
        services.application_transfer(application=application, unit=world.fgw, reason="退回", by=world.clerk)


def test_supervision_only_by_the_city_office_and_the_unit_is_told(world):
    from tongchuan_portal.notifications.models import Notification

    with time_machine.travel(MONDAY, tick=False):
        application, _ = received(world)
        with pytest.raises(PermissionDenied):
            services.application_supervise(application=application, note="请加快", by=world.clerk)
        services.application_supervise(application=application, note="请于本周内答复", by=world.reviewer)
    application.refresh_from_db()
    assert application.supervision_note == "请于本周内答复"
    assert Notification.objects.filter(recipient=world.clerk, title__contains="督办").exists()


def test_A3_reply_clock_reminds_then_escalates_to_the_unit_head_and_the_city_office_once(world):
    from tongchuan_portal.notifications.models import Notification

    with time_machine.travel(MONDAY, tick=False):
        application, _ = received(world)
    due = reply_clock(application).due_at
    Notification.objects.all().delete()
    deadlines_sweep(now=due - timedelta(days=1, minutes=-1))
    assert Notification.objects.filter(recipient=world.clerk, level="reminder").exists()
    deadlines_sweep(now=due + timedelta(minutes=1))
    assert Notification.objects.filter(recipient=world.head, level="overdue").exists()
    assert not Notification.objects.filter(recipient=world.reviewer).exists()
    deadlines_sweep(now=due + timedelta(days=1, minutes=2))
    deadlines_sweep(now=due + timedelta(days=1, minutes=3))
    assert Notification.objects.filter(recipient=world.reviewer, level="escalation").count() == 1
