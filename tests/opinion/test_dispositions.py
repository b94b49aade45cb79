"""O3: six dispositions, each closed only with its published output; false information needs a transfer."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from opinion.models import CaseEvent, CaseStatus, ClueTransfer, Disposition, Feedback, IncidentLevel, OpinionCase
from opinion.services import (
    case_close,
    case_triage,
    feedback_record,
    missing_for_close,
    press_conference_record,
    transfer_record,
)
from tests.opinion.factories import officer, record, release

pytestmark = pytest.mark.usefixtures("calendar")


@pytest.fixture
def handler(tongchuan_units):
    return officer(tongchuan_units["jtj"])


def closed(case):
    return OpinionCase.objects.get(pk=case.pk).status == CaseStatus.CLOSED


def test_O3_case_cannot_close_before_triage(handler):
    case = record(handler)
    with pytest.raises(ValidationError, match="尚未研判处置方式"):
        case_close(case=case, note="办结", by=handler)
    assert not closed(case)


@pytest.mark.parametrize("disposition", [d for d in Disposition.values if d != Disposition.FALSE_INFO])
def test_O3_case_cannot_close_without_its_dispositions_output(handler, disposition):
    case = record(handler)
    release(case, handler)  # an ordinary release is not the output
    case_triage(case=case, disposition=disposition, note="经研判", by=handler)
    with pytest.raises(ValidationError, match="不能办结"):
        case_close(case=case, note="办结", by=handler)
    assert not closed(case) and not case.events.filter(kind=CaseEvent.Kind.CLOSED).exists()
    release(case, handler, title="处置结果", outcome=True)
    case_close(case=case, note="已公开处置结果", by=handler)
    case = OpinionCase.objects.get(pk=case.pk)
    assert case.status == CaseStatus.CLOSED and case.closed_at and case.disposition == disposition
    assert case.events.last().kind == CaseEvent.Kind.CLOSED


def test_O3_output_of_an_earlier_disposition_does_not_count_after_a_change(handler):
    case = record(handler)
    case_triage(case=case, disposition=Disposition.CLARIFIED, note="系误解", by=handler)
    release(case, handler, title="权威信息", outcome=True)
    case_triage(case=case, disposition=Disposition.SOLVED, note="实为实际困难", by=handler)
    assert missing_for_close(OpinionCase.objects.get(pk=case.pk)) == ["尚未登记“实际困难予以解决”要求的公开解决结果"]


def test_O3_false_information_needs_a_response_and_a_transfer_record(handler):
    case = record(handler)
    case_triage(case=case, disposition=Disposition.FALSE_INFO, note="经核实为谣言", by=handler)
    release(case, handler, title="辟谣", outcome=True)
    with pytest.raises(ValidationError, match="移交线索"):
        case_close(case=case, note="办结", by=handler)
    assert not closed(case)
    transfer = transfer_record(case=case, transferred_on=date(2026, 11, 20), receiving_body=ClueTransfer.Body.POLICE,
                               reference="铜公网〔2026〕15号", note="造谣者账号", by=handler)
    assert (transfer.receiving_body, transfer.reference) == ("police", "铜公网〔2026〕15号")
    assert case.events.filter(kind=CaseEvent.Kind.TRANSFER, text__contains="公安机关").exists()
    case_close(case=case, note="已辟谣并移交", by=handler)
    assert closed(case)


def test_O3_transfer_only_for_false_information_and_needs_a_reference(handler):
    case = record(handler)
    with pytest.raises(ValidationError, match="虚假信息"):
        transfer_record(case=case, transferred_on=date(2026, 11, 20), receiving_body="police", reference="x", by=handler)
    case_triage(case=case, disposition=Disposition.FALSE_INFO, note="谣言", by=handler)
    with pytest.raises(ValidationError):
        transfer_record(case=case, transferred_on=date(2026, 11, 20), receiving_body="cyberspace", reference=" ",
                        by=handler)
    with pytest.raises(ValidationError):
        transfer_record(case=case, transferred_on=date(2026, 11, 20), receiving_body="court", reference="1", by=handler)
    assert not ClueTransfer.objects.exists()


def test_O3_feedback_to_whoever_raised_it_is_recorded(handler):
    case = record(handler)
    feedback = feedback_record(case=case, channel=Feedback.Channel.REPLY_POST, recipient="网民“铜川老王”",
                               content="已修复路面。", sent_at=timezone.now(), by=handler)
    assert feedback.get_channel_display() == "网上回帖"
    assert case.events.filter(kind=CaseEvent.Kind.FEEDBACK, text__contains="网上回帖").exists()


def test_O4_major_case_also_needs_its_press_conference_before_closing(handler):
    case = record(handler, level=IncidentLevel.II)
    case_triage(case=case, disposition=Disposition.INVESTIGATED, note="调查", by=handler)
    release(case, handler, title="调查结果", outcome=True)
    with pytest.raises(ValidationError, match="新闻发布会"):
        case_close(case=case, note="办结", by=handler)
    press_conference_record(case=case, held_at=timezone.now(), place="市政府新闻发布厅", speakers="副市长", by=handler)
    case_close(case=case, note="办结", by=handler)
    assert closed(case)


def test_O3_closed_case_takes_no_more_actions(handler):
    case = record(handler)
    case_triage(case=case, disposition=Disposition.CORRECTED, note="纠正", by=handler)
    release(case, handler, outcome=True)
    case_close(case=case, note="办结", by=handler)
    events = CaseEvent.objects.count()
    with pytest.raises(ValidationError, match="已办结"):
        release(case, handler)
    with pytest.raises(ValidationError, match="已办结"):
        case_close(case=case, note="再次办结", by=handler)
    assert CaseEvent.objects.count() == events


def test_release_in_the_future_is_refused(handler):
    case = record(handler)
    with pytest.raises(ValidationError, match="不能晚于当前时间"):
        release(case, handler, at=timezone.now() + timezone.timedelta(hours=2))
    assert not case.releases.exists()
