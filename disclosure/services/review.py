"""The reviews before publication: the sealed review (D3), submission, return and acceptance (D1, D5, D6, D8, D13)."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from tongchuan_portal.core.workflow import move, save_with_history

from .. import deadlines, notices, permissions
from ..hooks import run_submission_checks
from ..models import TRANSITIONS, DisclosureAttribute, Document, ReturnNotice, ReturnReason, SealReview, Status
from ._common import city_office, lock, meet_clock, start_clock, start_publication_clock
from .filing import validate_document
from .numbers import assign_number, next_index_number


@transaction.atomic
def seal_review_request(*, document: Document, by: User) -> SealReview:
    """Send a non-public policy document to its own unit's transparency office (D3)."""
    document = lock(document)
    if not permissions.can_edit(by, document):
        raise PermissionDenied("只有本单位经办人可以申请公开属性审查。")
    if not document.needs_sealed_review:
        raise ValidationError("只有拟不公开(依申请公开或不予公开)的政策性文件需要送本单位政务公开工作机构审查。")
    errors = validate_document(document)
    if errors:
        raise ValidationError(errors)
    move(document, Status.SEAL_REVIEW, TRANSITIONS, what="公文")
    review = SealReview(document=document, unit=document.issuer, requested_by=by, requested_at=timezone.now(),
                        attribute=document.attribute, legal_basis=document.legal_basis,
                        attribute_reason=document.attribute_reason)
    save_with_history(review, by=by, reason="申请公开属性审查")
    save_with_history(document, by=by, reason="送本单位政务公开工作机构审查", fields=["status", "updated_at"])
    start_clock(deadlines.SEAL_REVIEW, document, document.issuer, by=by,
                subject=f"《{document.title}》公开属性审查")
    notices.seal_review_requested(review, by=by)
    return review


@transaction.atomic
def seal_review_decide(*, review: SealReview, agreed: bool, opinion: str, by: User) -> SealReview:
    """The transparency office decides and applies the unit seal (unit, reviewer, time)."""
    review = SealReview.objects.select_for_update().select_related("document").get(pk=review.pk)
    if not permissions.can_decide_seal_review(by, review):
        raise PermissionDenied("只有本单位政务公开工作机构可以审查并加盖单位公章。")
    if review.decision != SealReview.Decision.PENDING:
        raise ValidationError("该审查已经作出结论。")
    if not agreed and not opinion.strip():
        raise ValidationError({"opinion": "不同意不公开的,请填写审查意见,说明理由。"})
    review.decision = SealReview.Decision.AGREED if agreed else SealReview.Decision.DISAGREED
    review.opinion, review.reviewer, review.decided_at = opinion.strip(), by, timezone.now()
    save_with_history(review, by=by, reason=f"审查结论:{review.get_decision_display()}")
    document = lock(review.document)
    previous = document.returns.filter(resubmitted_at__isnull=True).exists()
    move(document, Status.RETURNED if previous else Status.DRAFT, TRANSITIONS, what="公文")
    save_with_history(document, by=by, reason=f"公开属性审查完成:{review.get_decision_display()}",
                      fields=["status", "updated_at"])
    meet_clock(deadlines.SEAL_REVIEW, document, by=by)
    notices.seal_review_decided(review, by=by)
    return review


def sealed_review_for(document: Document) -> SealReview | None:
    """The agreed review that covers the document as it stands now, if any (D3)."""
    for review in document.seal_reviews.all():
        if review.covers(document):
            return review
    return None


@transaction.atomic
def document_submit(*, document: Document, by: User) -> Document:
    """报批: to the city office for city-government documents and 请示件, to the unit head otherwise."""
    document = lock(document)
    if not permissions.can_edit(by, document):
        raise PermissionDenied("只有本单位经办人可以报送公文。")
    errors = validate_document(document, for_submission=True)
    if errors:
        raise ValidationError(errors)
    if document.needs_sealed_review and sealed_review_for(document) is None:
        raise ValidationError(
            "拟不公开的政策性文件,报批前须先送本单位政务公开工作机构审查,审查意见加盖单位公章后随文报批。"
        )
    run_submission_checks(document)
    resubmission = document.status == Status.RETURNED
    move(document, Status.SUBMITTED, TRANSITIONS, what="公文")
    document.submitted_at = timezone.now()
    save_with_history(document, by=by, reason="重新报送" if resubmission else "报送审核",
                      fields=["status", "submitted_at", "updated_at"])
    if resubmission:
        now = timezone.now()
        for notice in document.returns.filter(resubmitted_at__isnull=True):
            notice.resubmitted_at = now
            save_with_history(notice, by=by, reason="修改后重新报送", fields=["resubmitted_at"])
    reviewer_unit = city_office() if document.goes_to_city_office else document.issuer
    rule = deadlines.CITY_OFFICE_REVIEW if document.goes_to_city_office else deadlines.UNIT_HEAD_REVIEW
    start_clock(rule, document, reviewer_unit, by=by, subject=f"《{document.title}》报送审核")
    notices.submitted(document, by=by, resubmission=resubmission)
    return document


@transaction.atomic
def document_return(*, document: Document, by: User, reasons: list[str], note: str = "") -> ReturnNotice:
    """退文 (D5, D6): who, when and why are recorded; the filer sees the reasons and revises."""
    document = lock(document)
    reason_rows = list(ReturnReason.objects.filter(code__in=reasons, is_active=True))
    if not reason_rows and not note.strip():
        raise ValidationError({"reasons": "退文必须说明理由:请选择退文理由或填写具体说明。"})
    if len(reason_rows) != len(set(reasons)):
        raise ValidationError({"reasons": "退文理由无效,请从列表中选择。"})
    if document.status == Status.SUBMITTED:
        if not permissions.can_review_submission(by, document):
            raise PermissionDenied("您无权审核该公文。")
        stage = ReturnNotice.Stage.CITY_OFFICE if document.goes_to_city_office else ReturnNotice.Stage.UNIT_HEAD
        rule = deadlines.CITY_OFFICE_REVIEW if document.goes_to_city_office else deadlines.UNIT_HEAD_REVIEW
    elif document.status == Status.CONFIDENTIALITY_REVIEW:
        if not permissions.can_confidentiality_review(by, document):
            raise PermissionDenied("您无权对该公文进行保密审查。")
        stage, rule = ReturnNotice.Stage.CONFIDENTIALITY, deadlines.CONFIDENTIALITY_REVIEW
    else:
        raise ValidationError(f"公文当前状态为“{document.get_status_display()}”,不能退文。")
    move(document, Status.RETURNED, TRANSITIONS, what="公文")
    notice = ReturnNotice(document=document, stage=stage, unit=document.issuer, note=note.strip(), returned_by=by,
                          returned_at=timezone.now())
    save_with_history(notice, by=by, reason="退文")
    notice.reasons.set(reason_rows)
    labels = "、".join(r.label for r in reason_rows) or note.strip()
    save_with_history(document, by=by, reason=f"退文:{labels}", fields=["status", "updated_at"])
    meet_clock(rule, document, by=by, note="已退文")
    notices.returned(document, notice, by=by, reasons=labels)
    return notice


@transaction.atomic
def document_accept(*, document: Document, by: User, number_text: str | None = None) -> Document:
    """Accept a submission: a 主动公开 document goes on to confidentiality review; the D13 clock starts.

    A document in the city government's or its office's name gets its 发文字号 here (D8): the one the
    reviewer confirms (`number_text`, e.g. the drafter's proposal), or the next free number of the
    issuing body's main 机关代字 for this year.
    """
    document = lock(document)
    if not permissions.can_review_submission(by, document):
        raise PermissionDenied("您无权审核该公文。")
    if document.attribute != DisclosureAttribute.PROACTIVE and document.legal_basis == "":
        raise ValidationError("不公开的公文缺少法律依据,应予退文。")
    move(document, Status.CONFIDENTIALITY_REVIEW if document.attribute == DisclosureAttribute.PROACTIVE
         else Status.ACCEPTED, TRANSITIONS, what="公文")
    document.accepted_at = timezone.now()
    if not document.index_number:
        document.index_number = next_index_number(document.accepted_at)
    reason = "审核通过"
    if document.issued_in_city_name:
        assign_number(document, number_text or "")
        reason = f"审核通过,编发文字号{document.document_number}"
    save_with_history(document, by=by, reason=reason, fields=["status", "accepted_at", "index_number",
                                                             "number_prefix", "number_year", "number_serial",
                                                             "updated_at"])
    meet_clock(deadlines.CITY_OFFICE_REVIEW if document.goes_to_city_office else deadlines.UNIT_HEAD_REVIEW,
                document, by=by, note="审核通过")
    if document.attribute == DisclosureAttribute.PROACTIVE:
        publishing_unit = city_office() if document.goes_to_city_office else document.issuer
        start_clock(deadlines.CONFIDENTIALITY_REVIEW, document, publishing_unit, by=by,
                    subject=f"《{document.title}》保密审查")
        start_publication_clock(document, by=by)
    notices.accepted(document, by=by)
    return document


RETURN_REASONS = [
    ("missing-reason", "缺少不公开理由", "D2", 10),
    ("no-legal-basis", "不公开理由无法律依据", "D5", 20),
    ("attribute-unclear", "未提出或未明确公开属性", "D1", 30),
    ("missing-seal-review", "缺少本单位政务公开工作机构审查意见", "D3", 40),
    ("wrong-area", "五公开类别或主题分类不当", "D9", 50),
    ("format", "公文格式不规范", "", 60),
    ("content", "内容需要修改完善", "", 70),
    ("confidentiality", "保密审查未通过", "D7", 80),
]


def return_reasons_ensure() -> None:
    """The standard return reasons exist (the migration seeds them; this restores a flushed table)."""
    for code, label, rule_id, order in RETURN_REASONS:
        ReturnReason.objects.get_or_create(code=code, defaults={"label": label, "rule_id": rule_id,
                                                                "sort_order": order})
