"""The disclosure rules in the services, whatever the path (D1–D7, D13, M6)."""

from datetime import date, datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from disclosure import selectors, services
from disclosure.models import (
    DisclosureAttribute, Document, DocumentKind, IssuedInNameOf, LegalBasis, ReturnNotice, SealReview, Status,
)
from tongchuan_portal.clock.models import DeadlineState
from tongchuan_portal.clock.workdays import BEIJING
from tests.disclosure.factories import docx, document_data, draft, not_public, pdf


def bj(*args):
    return datetime(*args, tzinfo=BEIJING)


def city_draft(world, **overrides):
    """A city-bound document that is not a policy document (those also need an interpretation, I5)."""
    return services.document_create(
        by=world.clerk, issuer=world.fgw,
        data=document_data(kind=DocumentKind.OTHER, issued_in_name_of=IssuedInNameOf.CITY_GOVERNMENT, **overrides))


def through_to_confidentiality(world, document):
    services.document_submit(document=document, by=world.clerk)
    return services.document_accept(document=Document.objects.get(pk=document.pk), by=world.reviewer)


# --- D1, D2, D4, D5: the attribute and its reasons -----------------------------------------------


def test_D1_every_document_needs_an_attribute(world):
    with pytest.raises(ValidationError) as error:
        draft(world.clerk, world.fgw, attribute="")
    assert "请选择公开属性" in error.value.message_dict["attribute"][0]
    assert not Document.objects.exists()


@pytest.mark.parametrize("attribute", [DisclosureAttribute.NOT_PUBLIC, DisclosureAttribute.ON_REQUEST])
def test_D2_non_public_without_reason_and_basis_is_refused(world, attribute):
    with pytest.raises(ValidationError) as error:
        draft(world.clerk, world.fgw, attribute=attribute)
    messages = error.value.message_dict
    assert "必须选择不公开的法律依据" in messages["legal_basis"][0]
    assert "必须附函说明不公开理由" in messages["attribute_reason"][0]
    assert not Document.objects.exists()


def test_D2_basis_without_reason_is_still_refused(world):
    with pytest.raises(ValidationError) as error:
        draft(world.clerk, world.fgw, attribute=DisclosureAttribute.NOT_PUBLIC, legal_basis=LegalBasis.PRIVACY)
    assert list(error.value.message_dict) == ["attribute_reason"]


def test_D2_the_database_refuses_it_too_on_any_path(world):
    """Even a raw save from the shell cannot store a non-public document without reason and basis."""
    with pytest.raises(IntegrityError), transaction.atomic():
        Document.objects.create(title="x", issuer=world.fgw, area="decision", attribute="not_public",
                                created_by=world.clerk)


def test_D2_non_public_with_statutory_basis_and_reason_is_accepted(world):
    document = services.document_create(by=world.clerk, issuer=world.fgw, data=not_public())
    assert document.get_legal_basis_display().startswith("过程性信息")


def test_D4_city_policy_draft_must_give_reasons_even_when_proactive(world):
    with pytest.raises(ValidationError) as error:
        draft(world.clerk, world.fgw, kind=DocumentKind.CITY_POLICY_DRAFT)
    assert "代拟稿须对公开属性提出建议并说明理由" in error.value.message_dict["attribute_reason"][0]


def test_D5_issue_request_without_attribute_is_refused(world):
    with pytest.raises(ValidationError) as error:
        draft(world.clerk, world.fgw, kind=DocumentKind.ISSUE_REQUEST, attribute="")
    assert "以发文为目的的请示件必须提出公开属性建议" in error.value.message_dict["attribute"][0]


def test_D5_issue_request_goes_to_the_city_office(world):
    document = draft(world.clerk, world.fgw, kind=DocumentKind.ISSUE_REQUEST)
    services.document_submit(document=document, by=world.clerk)
    assert list(selectors.review_queue(world.reviewer)) == [document]
    assert list(selectors.review_queue(world.head)) == []


# --- 发文字号 ------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["铜发改发[2026]7号", "铜发改发(2026)7号", "铜发改发【2026】7号", "铜发改发〔2026〕7号",
                                   "铜发改发（2026）7号", "铜发改发2026 7号"])
def test_document_number_normalises_brackets(world, typed):
    assert draft(world.clerk, world.fgw, number=typed).document_number == "铜发改发〔2026〕7号"


def test_document_number_unique_per_issuer_and_year(world):
    draft(world.clerk, world.fgw, number="铜发改发〔2026〕7号")
    with pytest.raises(ValidationError) as error:
        draft(world.clerk, world.fgw, number="铜发改发[2026]7号", title="另一份")
    assert "已被《关于进一步做好政务公开工作的通知》使用" in error.value.message_dict["document_number"][0]
    assert draft(world.clerk, world.fgw, number="铜发改发〔2025〕7号", title="去年的").number_year == 2025


def test_malformed_document_number_is_explained(world):
    with pytest.raises(ValidationError) as error:
        draft(world.clerk, world.fgw, number="第七号文")
    assert "铜政办发〔2016〕71号" in error.value.message_dict["document_number"][0]


# --- attachments -----------------------------------------------------------------------------


def test_attachments_checked_by_content(world):
    document = draft(world.clerk, world.fgw, files=[pdf(), docx()])
    assert [a.file_type for a in document.attachments.all()] == ["pdf", "docx"]
    stored = document.attachments.first()
    assert stored.original_name == "附件.pdf" and "附件" not in stored.file.name and stored.file.name.endswith(".pdf")


def test_renamed_executable_is_refused(world):
    document = draft(world.clerk, world.fgw)
    with pytest.raises(ValidationError, match="不是可接受的文件类型"):
        services.attachment_add(document=document, uploaded=pdf("病毒.pdf", b"MZ\x90\x00" + b"\x00" * 100),
                                by=world.clerk)
    with pytest.raises(ValidationError, match="与扩展名不符"):
        services.attachment_add(document=document, uploaded=pdf("表格.xlsx"), by=world.clerk)
    assert document.attachments.count() == 0


def test_oversized_attachment_is_refused(world, settings):
    settings.DISCLOSURE_MAX_ATTACHMENT_MB = 1
    document = draft(world.clerk, world.fgw)
    big = pdf("大文件.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 1))
    with pytest.raises(ValidationError, match="超过 1 MB"):
        services.attachment_add(document=document, uploaded=big, by=world.clerk)


# --- D3: sealed review ----------------------------------------------------------------------


def test_D3_policy_document_not_public_needs_sealed_review(world):
    document = services.document_create(by=world.clerk, issuer=world.fgw, data=not_public(kind=DocumentKind.POLICY))
    with pytest.raises(ValidationError, match=r"报批前须先送本单位政务公开工作机构审查.*审查意见加盖单位公章后随文报批"):
        services.document_submit(document=document, by=world.clerk)
    assert Document.objects.get(pk=document.pk).status == Status.DRAFT

    review = services.seal_review_request(document=document, by=world.clerk)
    assert Document.objects.get(pk=document.pk).status == Status.SEAL_REVIEW
    services.seal_review_decide(review=review, agreed=True, opinion="同意按过程性信息不予公开。", by=world.office)
    review.refresh_from_db()
    assert (review.reviewer, review.unit, review.decision) == (world.office, world.fgw, SealReview.Decision.AGREED)
    assert review.decided_at is not None
    document = services.document_submit(document=Document.objects.get(pk=document.pk), by=world.clerk)
    assert document.status == Status.SUBMITTED


def test_D3_changing_the_reason_after_review_needs_a_new_review(world):
    document = services.document_create(by=world.clerk, issuer=world.fgw, data=not_public(kind=DocumentKind.POLICY))
    review = services.seal_review_request(document=document, by=world.clerk)
    services.seal_review_decide(review=review, agreed=True, opinion="", by=world.office)
    services.document_update(document=document, by=world.clerk,
                             data={"attribute_reason": "理由改成了别的内容。"})
    with pytest.raises(ValidationError, match="报批前须先送本单位政务公开工作机构审查"):
        services.document_submit(document=Document.objects.get(pk=document.pk), by=world.clerk)


def test_D3_disagreement_does_not_clear_submission(world):
    document = services.document_create(by=world.clerk, issuer=world.fgw, data=not_public(kind=DocumentKind.POLICY))
    review = services.seal_review_request(document=document, by=world.clerk)
    with pytest.raises(ValidationError, match="请填写审查意见"):
        services.seal_review_decide(review=review, agreed=False, opinion="", by=world.office)
    services.seal_review_decide(review=review, agreed=False, opinion="应当主动公开。", by=world.office)
    with pytest.raises(ValidationError, match="报批前须先送本单位政务公开工作机构审查"):
        services.document_submit(document=Document.objects.get(pk=document.pk), by=world.clerk)


def test_D3_non_policy_or_proactive_documents_need_no_review(world):
    document = services.document_create(by=world.clerk, issuer=world.fgw, data=not_public())
    with pytest.raises(ValidationError, match="只有拟不公开"):
        services.seal_review_request(document=document, by=world.clerk)
    assert services.document_submit(document=document, by=world.clerk).status == Status.SUBMITTED


def test_D3_another_units_transparency_office_cannot_seal(world):
    document = services.document_create(by=world.clerk, issuer=world.fgw, data=not_public(kind=DocumentKind.POLICY))
    review = services.seal_review_request(document=document, by=world.clerk)
    with pytest.raises(PermissionDenied):
        services.seal_review_decide(review=review, agreed=True, opinion="", by=world.other_office)
    assert SealReview.objects.get(pk=review.pk).decision == SealReview.Decision.PENDING


# --- D5, D6: return and resubmission ---------------------------------------------------------------


def test_D6_return_without_a_reason_is_refused(world):
    document = city_draft(world)
    services.document_submit(document=document, by=world.clerk)
    with pytest.raises(ValidationError, match="退文必须说明理由"):
        services.document_return(document=document, by=world.reviewer, reasons=[], note="  ")
    assert Document.objects.get(pk=document.pk).status == Status.SUBMITTED
    assert not ReturnNotice.objects.exists()


def test_D6_return_records_who_when_why_and_resubmission_keeps_every_version(world):
    document = city_draft(world)
    services.document_submit(document=document, by=world.clerk)
    notice = services.document_return(document=document, by=world.reviewer, reasons=["missing-reason"],
                                      note="请补充不公开理由。")
    assert (notice.returned_by, notice.unit, notice.stage) == (world.reviewer, world.fgw, ReturnNotice.Stage.CITY_OFFICE)
    assert [r.label for r in notice.reasons.all()] == ["缺少不公开理由"]
    document.refresh_from_db()
    assert document.status == Status.RETURNED
    services.document_update(document=document, by=world.clerk, data={"title": "修改后的标题"})
    services.document_submit(document=Document.objects.get(pk=document.pk), by=world.clerk)
    notice.refresh_from_db()
    assert notice.resubmitted_at is not None
    titles = list(document.history.order_by("history_date").values_list("title", flat=True))
    assert "关于进一步做好政务公开工作的通知" in titles and titles[-1] == "修改后的标题"
    reasons = list(document.history.values_list("history_change_reason", flat=True))
    assert "退文:缺少不公开理由" in reasons and "重新报送" in reasons


def test_D5_only_the_city_office_returns_city_bound_submissions(world):
    document = city_draft(world)
    services.document_submit(document=document, by=world.clerk)
    for outsider in (world.head, world.other_head, world.clerk):
        with pytest.raises(PermissionDenied):
            services.document_return(document=document, by=outsider, reasons=["format"])
    assert Document.objects.get(pk=document.pk).status == Status.SUBMITTED


def test_own_unit_documents_go_to_the_unit_head(world):
    document = draft(world.clerk, world.fgw)
    services.document_submit(document=document, by=world.clerk)
    with pytest.raises(PermissionDenied):
        services.document_accept(document=document, by=world.reviewer)
    assert services.document_accept(document=document, by=world.head).status == Status.CONFIDENTIALITY_REVIEW


# --- D7 and publication --------------------------------------------------------------------------


def test_D7_nothing_reaches_the_public_without_confidentiality_review(world):
    document = through_to_confidentiality(world, city_draft(world))
    assert document.status == Status.CONFIDENTIALITY_REVIEW
    assert not selectors.public_documents().exists()
    with pytest.raises(IntegrityError), transaction.atomic():
        Document.objects.filter(pk=document.pk).update(status=Status.PUBLISHED, published_at=timezone.now())
    with pytest.raises(PermissionDenied):
        services.confidentiality_decide(document=document, cleared=True, opinion="", by=world.secrecy)
    document = services.confidentiality_decide(document=document, cleared=True, opinion="", by=world.city_secrecy)
    assert document.status == Status.PUBLISHED and document.confidentiality_cleared_at
    assert list(selectors.public_documents()) == [document]
    assert document.confidentiality_reviews.get().reviewer == world.city_secrecy


def test_D7_refused_clearance_returns_the_document_with_the_opinion(world):
    document = through_to_confidentiality(world, city_draft(world))
    with pytest.raises(ValidationError, match="请填写审查意见"):
        services.confidentiality_decide(document=document, cleared=False, opinion="", by=world.city_secrecy)
    document = services.confidentiality_decide(document=document, cleared=False, opinion="第三段含有内部数据。",
                                               by=world.city_secrecy)
    assert document.status == Status.RETURNED
    assert document.returns.get().stage == ReturnNotice.Stage.CONFIDENTIALITY
    assert not selectors.public_documents().exists()


def test_scheduled_publication_is_public_from_its_moment(world, time_machine):
    time_machine.move_to(bj(2026, 6, 1, 9))
    document = through_to_confidentiality(world, city_draft(world))
    document = services.confidentiality_decide(document=document, cleared=True, opinion="", by=world.city_secrecy,
                                               publish_at=bj(2026, 6, 2, 10))
    assert document.status == Status.SCHEDULED
    assert not selectors.public_documents().exists()
    time_machine.move_to(bj(2026, 6, 2, 10))
    assert list(selectors.public_documents()) == [document]
    from tongchuan_portal.core.selectors import system_user

    assert services.documents_publish_scheduled(by=system_user()) == 1
    assert Document.objects.get(pk=document.pk).status == Status.PUBLISHED


def test_withdrawn_document_leaves_the_public_site_and_needs_a_reason(world):
    document = through_to_confidentiality(world, city_draft(world))
    services.confidentiality_decide(document=document, cleared=True, opinion="", by=world.city_secrecy)
    with pytest.raises(ValidationError):
        services.document_withdraw(document=document, reason="", by=world.reviewer)
    with pytest.raises(PermissionDenied):
        services.document_withdraw(document=document, reason="有误", by=world.clerk)
    services.document_withdraw(document=document, reason="内容有误,撤回修改", by=world.reviewer)
    assert not selectors.public_documents().exists()


def test_non_public_documents_are_filed_not_published(world):
    document = services.document_create(by=world.clerk, issuer=world.fgw, data=not_public())
    services.document_submit(document=document, by=world.clerk)
    document = services.document_accept(document=document, by=world.head)
    assert document.status == Status.ACCEPTED and document.index_number.startswith("TCXXGK-")
    assert not document.deadlines.filter(rule="disclosure.publish_within_20").exists()


def test_index_numbers_follow_one_scheme(world):
    first = through_to_confidentiality(world, city_draft(world))
    second = through_to_confidentiality(world, city_draft(world, title="第二份"))
    year = timezone.localdate().year
    a, b = int(first.index_number.rsplit("-", 1)[1]), int(second.index_number.rsplit("-", 1)[1])
    assert first.index_number.startswith(f"TCXXGK-{year}-") and b == a + 1


# --- clocks ---------------------------------------------------------------------------------------


def test_D13_publication_clock_counts_twenty_working_days_from_formation(world):
    document = through_to_confidentiality(world, city_draft(world, written_on=date(2026, 6, 1)))
    deadline = document.deadlines.get(rule="disclosure.publish_within_20")
    assert deadline.rule_id == "D13" and deadline.unit == world.fgw
    assert deadline.due_at == bj(2026, 6, 30, 23, 59, 59)
    services.confidentiality_decide(document=document, cleared=True, opinion="", by=world.city_secrecy)
    deadline.refresh_from_db()
    assert deadline.state == DeadlineState.MET


def test_D13_clock_across_national_day(world):
    document = through_to_confidentiality(world, city_draft(world, written_on=date(2026, 9, 18)))
    assert document.deadlines.get(rule="disclosure.publish_within_20").due_at == bj(2026, 10, 22, 23, 59, 59)


def test_review_turnaround_clocks_start_and_stop(world):
    document = city_draft(world)
    services.document_submit(document=document, by=world.clerk)
    clock = document.deadlines.get(rule="review.turnaround.city_office")
    assert clock.unit == world.szfb and clock.state == DeadlineState.RUNNING
    services.document_accept(document=document, by=world.reviewer)
    clock.refresh_from_db()
    assert clock.state == DeadlineState.MET


def test_D13_twenty_working_days_skip_the_autumn_holidays_and_count_the_make_up_days(world):
    """Formed on Friday 18 September 2026: weekends, 中秋 (25–27 Sep) and 国庆 (1–7 Oct) are skipped, the
    make-up working days (Sunday 20 Sep, Saturday 10 Oct) count — due at the close of Thursday 22 October,
    not on 16 October as 28 calendar days would have it."""
    document = through_to_confidentiality(world, city_draft(world, written_on=date(2026, 9, 18)))
    assert document.deadlines.get(rule="disclosure.publish_within_20").due_at == bj(2026, 10, 22, 23, 59, 59)


@pytest.mark.parametrize("area", ["decision", "execution", "management", "service", "result"])
def test_D9_a_document_filed_under_any_of_the_five_disclosures_is_submitted(world, area):
    document = services.document_submit(document=draft(world.clerk, world.fgw, area=area), by=world.clerk)
    assert Document.objects.get(pk=document.pk).status == Status.SUBMITTED
    assert Document.objects.get(pk=document.pk).area == area


def test_D9_every_document_is_filed_under_one_of_the_five_disclosures(world):
    document = draft(world.clerk, world.fgw, area="")
    with pytest.raises(ValidationError) as error:
        services.document_submit(document=document, by=world.clerk)
    assert "请选择五公开类别" in error.value.messages[0]
    assert Document.objects.get(pk=document.pk).status == Status.DRAFT
