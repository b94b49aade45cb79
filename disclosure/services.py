"""Every write to documents: filing, sealed review, submission, return, acceptance,
confidentiality review, publication, withdrawal (D1–D7, D13, M6).

Rules live here so that the web forms, the admin, tasks and the shell all obey them.
"""

from __future__ import annotations

from datetime import date, datetime, time

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from guardian.shortcuts import assign_perm, remove_perm

from tongchuan_portal.clock.models import DeadlineState
from tongchuan_portal.clock.services import (
    deadline_cancel,
    deadline_meet,
    deadline_start,
    open_deadline_for,
)
from tongchuan_portal.clock.registry import get_rule
from tongchuan_portal.clock.services import fmt
from tongchuan_portal.clock.workdays import BEIJING, due_moment
from tongchuan_portal.core.history import save_with_history
from tongchuan_portal.core.validation import bounded_date, bounded_moment, out_of_range
from tongchuan_portal.units.models import Unit
from tongchuan_portal.units.directory import CITY_GOVERNMENT as CITY_GOVERNMENT_CODE
from tongchuan_portal.units.permissions import CITY_OFFICE_CODE
from tongchuan_portal.units.services import unit_group

from . import clearance, deadlines, notices, pagecache, permissions, search
from .files import check_upload, display_name
from .models import (
    TRANSITIONS,
    Attachment,
    ConfidentialityReview,
    DisclosureAttribute,
    Document,
    DocumentClass,
    DocumentKind,
    IndexSequence,
    IssuedInNameOf,
    ReturnNotice,
    ReturnReason,
    SealReview,
    Status,
    Validity,
)
from .text import clean_body, format_document_number, parse_document_number

DOCUMENT_FIELDS = [
    "title", "body", "issued_in_name_of", "kind", "area", "topic", "written_on", "attribute", "legal_basis",
    "attribute_reason", "source", "web_editor", "info_reviewer", "classification", "issued_on",
]
DATE_FIELDS = {"written_on", "issued_on"}


def _field_value(key: str, value):
    """A form's empty value as the model holds it: dates None, the classification 其他文件, text ''."""
    if key in DATE_FIELDS:
        return value or None
    if key == "classification":
        return value or DocumentClass.OTHER
    return value or ""


# --- helpers ------------------------------------------------------------------------------


_save = save_with_history


def _lock(document: Document) -> Document:
    return Document.objects.select_for_update().get(pk=document.pk)


def _move(document: Document, new_status: str) -> None:
    if new_status not in TRANSITIONS[Status(document.status)]:
        raise ValidationError(
            f"公文当前状态为“{document.get_status_display()}”,不能变更为“{Status(new_status).label}”。"
        )
    document.status = new_status


def _start_clock(rule: str, document: Document, unit: Unit, *, by, at: datetime | None = None, subject: str = ""):
    if open_deadline_for(document, rule) is None:
        deadline_start(rule=rule, target=document, unit=unit, subject=subject or f"《{document.title}》", by=by,
                       started_at=at)


def _meet_clock(rule: str, document: Document, *, by, note: str = "") -> None:
    deadline = open_deadline_for(document, rule)
    if deadline is None:
        deadline = document.deadlines.filter(rule=rule, state=DeadlineState.MISSED).first()
    if deadline is not None:
        deadline_meet(deadline=deadline, by=by, note=note)


def _cancel_clock(rule: str, document: Document, *, by, reason: str) -> None:
    deadline = open_deadline_for(document, rule) or document.deadlines.filter(
        rule=rule, state=DeadlineState.MISSED).first()
    if deadline is not None:
        deadline_cancel(deadline=deadline, reason=reason, by=by)


def city_office() -> Unit:
    return Unit.objects.get(code=CITY_OFFICE_CODE)


def validate_document(document: Document, *, number_text: str = "", for_submission: bool = False) -> dict:
    """The content rules (D1, D2, D4, D5), as {field: message}; empty when the document is fine."""
    errors: dict[str, str] = {}
    if not document.title.strip():
        errors["title"] = "请填写公文标题。"
    if not document.attribute:
        errors["attribute"] = (
            "以发文为目的的请示件必须提出公开属性建议。" if document.kind == DocumentKind.ISSUE_REQUEST
            else "请选择公开属性:主动公开、依申请公开或不予公开。")
    elif document.attribute != DisclosureAttribute.PROACTIVE:
        if not document.legal_basis:
            errors["legal_basis"] = "拟依申请公开或不予公开的,必须选择不公开的法律依据。"
        if not document.attribute_reason.strip():
            errors["attribute_reason"] = "拟依申请公开或不予公开的,必须附函说明不公开理由。"
    if document.kind == DocumentKind.CITY_POLICY_DRAFT and not document.attribute_reason.strip():
        errors.setdefault("attribute_reason", "市政府政策性文件代拟稿须对公开属性提出建议并说明理由。")
    if document.written_on and document.written_on > timezone.localdate():
        errors["written_on"] = "成文日期不能晚于今天。"
    elif out_of_range(document.written_on, label="成文日期"):
        errors["written_on"] = out_of_range(document.written_on, label="成文日期")
    if document.classification != DocumentClass.OTHER and not document.issued_on:
        errors["issued_on"] = f"{document.get_classification_display()}须填写制发日期(年度报告按制发日期统计)。"
    elif out_of_range(document.issued_on, label="制发日期"):
        errors["issued_on"] = out_of_range(document.issued_on, label="制发日期")
    if number_text.strip() and parse_document_number(number_text) is None:
        errors["document_number"] = "发文字号格式应为“机关代字〔年份〕序号号”,例如:铜政办发〔2016〕71号。"
    elif prefix_error := _number_prefix_error(document, number_text):
        errors["document_number"] = prefix_error
    if for_submission and not document.area:
        errors["area"] = "请选择五公开类别。"
    return errors


def issuing_body_for(document: Document) -> Unit:
    """D8: the city government or its office when the document is issued in their name, else the drafter."""
    code = {IssuedInNameOf.CITY_GOVERNMENT: CITY_GOVERNMENT_CODE,
            IssuedInNameOf.CITY_OFFICE: CITY_OFFICE_CODE}.get(document.issued_in_name_of)
    if code is None:
        return document.issuer
    return Unit.objects.filter(code=code).first() or document.issuer


def _apply_issuing_body(document: Document) -> None:
    """发文机构 and 发布机构 follow 发文名义; the drafting department stays the document's unit (起草单位)."""
    body = issuing_body_for(document)
    document.issued_by = document.publisher = body


def _apply_number(document: Document, number_text: str) -> None:
    """Own-name documents carry the number their unit gives; city-name ones get it at acceptance (D8).

    For a document in the city government's or its office's name the drafter's number is only a
    proposal until the city office assigns one; a number already assigned at acceptance stays.
    """
    parsed = parse_document_number(number_text) if number_text.strip() else None
    if document.issued_in_city_name:
        document.number_proposal = format_document_number(*parsed) if parsed else ""
        if document.accepted_at is None or document.number_serial is None:
            document.number_prefix, document.number_year, document.number_serial = "", None, None
        return
    document.number_proposal = ""
    if parsed:
        document.number_prefix, document.number_year, document.number_serial = parsed
    else:
        document.number_prefix, document.number_year, document.number_serial = "", None, None


def foreign_prefix_message(prefix: str, body: Unit) -> str:
    codes = "、".join(body.issuer_codes) or "(该单位尚未登记机关代字)"
    return f"机关代字“{prefix}”不属于发文机关{body.name},应使用{body.name}的机关代字:{codes}。"


def _number_prefix_error(document: Document, number_text: str) -> str:
    """D8: the 机关代字 of a 文号 (typed or proposed) belongs to the body in whose name it is issued."""
    parsed = parse_document_number(number_text) if number_text.strip() else None
    if parsed is None:
        return ""
    body = document.issuing_body
    if parsed[0] not in body.issuer_codes:
        return foreign_prefix_message(parsed[0], body)
    return ""


def _check_number_unique(document: Document) -> None:
    if document.number_serial is None:
        return
    clash = Document.objects.filter(
        number_prefix=document.number_prefix, number_year=document.number_year, number_serial=document.number_serial,
    ).exclude(pk=document.pk).first()
    if clash is not None:
        raise ValidationError({"document_number": f"发文字号{document.document_number}已被《{clash.title}》使用。"})


def _set_co_issuers(document: Document, co_issuers: list[Unit], *, by) -> None:
    """Co-issuers (联合发文) see the joint draft through a guardian permission on their unit group."""
    wanted = {u.pk: u for u in co_issuers if u.pk != document.issuer_id}
    current = {u.pk: u for u in document.co_issuers.all()}
    document._history_user, document._change_reason = by, "调整联合发文机构"
    for pk, unit in current.items():
        if pk not in wanted:
            remove_perm("disclosure.view_document", unit_group(unit), document)
    for unit in wanted.values():
        assign_perm("disclosure.view_document", unit_group(unit), document)
    if set(wanted) != set(current):
        document.co_issuers.set(list(wanted.values()))
        document.co_issuer_names = "、".join(u.name for u in sorted(wanted.values(), key=lambda u: u.sort_order))
        _save(document, by=by, reason="调整联合发文机构", fields=["co_issuer_names"])


# --- filing ---------------------------------------------------------------------------------


@transaction.atomic
def document_create(*, by, issuer: Unit, data: dict, number_text: str = "", co_issuers=(), files=()) -> Document:
    """A clerk files a new draft for their unit (D1, D2 checked already at the draft)."""
    if not permissions.can_file_for(by, issuer):
        raise PermissionDenied("您不是该单位的经办人,不能为其起草公文。")
    document = Document(issuer=issuer, publisher=issuer, created_by=by,
                        **{k: _field_value(k, data.get(k)) for k in DOCUMENT_FIELDS})
    document.body = clean_body(document.body)
    _apply_issuing_body(document)
    document.source = document.source or document.issuing_body.name
    _apply_number(document, number_text)
    errors = validate_document(document, number_text=number_text)
    if errors:
        raise ValidationError(errors)
    _check_number_unique(document)
    _save(document, by=by, reason="起草公文")
    _set_co_issuers(document, list(co_issuers), by=by)
    search.reindex([document])
    for uploaded in files:
        attachment_add(document=document, uploaded=uploaded, by=by)
    return document


@transaction.atomic
def document_update(*, document: Document, by, data: dict, number_text: str = "", co_issuers=None,
                    files=()) -> Document:
    """Edit a draft or a returned document (修改); every version stays in the history (D6)."""
    document = _lock(document)
    if not permissions.can_edit(by, document):
        raise PermissionDenied("只有本单位经办人可以修改草稿或被退回的公文。")
    for key in DOCUMENT_FIELDS:
        if key in data:
            setattr(document, key, _field_value(key, data[key]))
    document.body = clean_body(document.body)
    _apply_issuing_body(document)
    _apply_number(document, number_text)
    errors = validate_document(document, number_text=number_text)
    if errors:
        raise ValidationError(errors)
    _check_number_unique(document)
    _save(document, by=by, reason="修改公文")
    if co_issuers is not None:
        _set_co_issuers(document, list(co_issuers), by=by)
    search.reindex([document])
    for uploaded in files:
        attachment_add(document=document, uploaded=uploaded, by=by)
    return document


@transaction.atomic
def attachment_add(*, document: Document, uploaded, by) -> Attachment:
    if not permissions.can_edit(by, document):
        raise PermissionDenied("只有本单位经办人可以为草稿添加附件。")
    kind, data, digest = check_upload(uploaded)
    attachment = Attachment(document=document, original_name=display_name(uploaded.name), file_type=kind, size=len(data),
                            sha256=digest, uploaded_by=by, uploaded_at=timezone.now())
    attachment.file.save("upload", ContentFile(data), save=False)
    _save(attachment, by=by, reason=f"上传附件:{attachment.original_name}")
    return attachment


@transaction.atomic
def attachment_remove(*, attachment: Attachment, by) -> None:
    if not permissions.can_edit(by, attachment.document):
        raise PermissionDenied("只有本单位经办人可以删除草稿的附件。")
    document = _lock(attachment.document)
    attachment._history_user, attachment._change_reason = by, f"删除附件:{attachment.original_name}"
    attachment.delete()
    # The document's own history says so too: that is where an auditor reads the document's story.
    _save(document, by=by, reason=f"删除附件:{attachment.original_name}", fields=["updated_at"])


# --- D3: the transparency office's sealed review ---------------------------------------------------


@transaction.atomic
def seal_review_request(*, document: Document, by) -> SealReview:
    """Send a non-public policy document to its own unit's transparency office (D3)."""
    document = _lock(document)
    if not permissions.can_edit(by, document):
        raise PermissionDenied("只有本单位经办人可以申请公开属性审查。")
    if not document.needs_sealed_review:
        raise ValidationError("只有拟不公开(依申请公开或不予公开)的政策性文件需要送本单位政务公开工作机构审查。")
    errors = validate_document(document)
    if errors:
        raise ValidationError(errors)
    _move(document, Status.SEAL_REVIEW)
    review = SealReview(document=document, unit=document.issuer, requested_by=by, requested_at=timezone.now(),
                        attribute=document.attribute, legal_basis=document.legal_basis,
                        attribute_reason=document.attribute_reason)
    _save(review, by=by, reason="申请公开属性审查")
    _save(document, by=by, reason="送本单位政务公开工作机构审查", fields=["status", "updated_at"])
    _start_clock(deadlines.SEAL_REVIEW, document, document.issuer, by=by,
                 subject=f"《{document.title}》公开属性审查")
    notices.seal_review_requested(review, by=by)
    return review


@transaction.atomic
def seal_review_decide(*, review: SealReview, agreed: bool, opinion: str, by) -> SealReview:
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
    _save(review, by=by, reason=f"审查结论:{review.get_decision_display()}")
    document = _lock(review.document)
    previous = document.returns.filter(resubmitted_at__isnull=True).exists()
    _move(document, Status.RETURNED if previous else Status.DRAFT)
    _save(document, by=by, reason=f"公开属性审查完成:{review.get_decision_display()}", fields=["status", "updated_at"])
    _meet_clock(deadlines.SEAL_REVIEW, document, by=by)
    notices.seal_review_decided(review, by=by)
    return review


def sealed_review_for(document: Document) -> SealReview | None:
    """The agreed review that covers the document as it stands now, if any (D3)."""
    for review in document.seal_reviews.all():
        if review.covers(document):
            return review
    return None


# --- submission, return, acceptance -------------------------------------------------------------


@transaction.atomic
def document_submit(*, document: Document, by) -> Document:
    """报批: to the city office for city-government documents and 请示件, to the unit head otherwise."""
    document = _lock(document)
    if not permissions.can_edit(by, document):
        raise PermissionDenied("只有本单位经办人可以报送公文。")
    errors = validate_document(document, for_submission=True)
    if errors:
        raise ValidationError(errors)
    if document.needs_sealed_review and sealed_review_for(document) is None:
        raise ValidationError(
            "拟不公开的政策性文件,报批前须先送本单位政务公开工作机构审查,审查意见加盖单位公章后随文报批。"
        )
    from .hooks import run_submission_checks

    run_submission_checks(document)
    resubmission = document.status == Status.RETURNED
    _move(document, Status.SUBMITTED)
    document.submitted_at = timezone.now()
    _save(document, by=by, reason="重新报送" if resubmission else "报送审核", fields=["status", "submitted_at", "updated_at"])
    if resubmission:
        now = timezone.now()
        for notice in document.returns.filter(resubmitted_at__isnull=True):
            notice.resubmitted_at = now
            _save(notice, by=by, reason="修改后重新报送", fields=["resubmitted_at"])
    reviewer_unit = city_office() if document.goes_to_city_office else document.issuer
    rule = deadlines.CITY_OFFICE_REVIEW if document.goes_to_city_office else deadlines.UNIT_HEAD_REVIEW
    _start_clock(rule, document, reviewer_unit, by=by, subject=f"《{document.title}》报送审核")
    notices.submitted(document, by=by, resubmission=resubmission)
    return document


@transaction.atomic
def document_return(*, document: Document, by, reasons: list[str], note: str = "") -> ReturnNotice:
    """退文 (D5, D6): who, when and why are recorded; the filer sees the reasons and revises."""
    document = _lock(document)
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
    _move(document, Status.RETURNED)
    notice = ReturnNotice(document=document, stage=stage, unit=document.issuer, note=note.strip(), returned_by=by,
                          returned_at=timezone.now())
    _save(notice, by=by, reason="退文")
    notice.reasons.set(reason_rows)
    labels = "、".join(r.label for r in reason_rows) or note.strip()
    _save(document, by=by, reason=f"退文:{labels}", fields=["status", "updated_at"])
    _meet_clock(rule, document, by=by, note="已退文")
    notices.returned(document, notice, by=by, reasons=labels)
    return notice


@transaction.atomic
def document_accept(*, document: Document, by, number_text: str | None = None) -> Document:
    """Accept a submission: a 主动公开 document goes on to confidentiality review; the D13 clock starts.

    A document in the city government's or its office's name gets its 发文字号 here (D8): the one the
    reviewer confirms (`number_text`, e.g. the drafter's proposal), or the next free number of the
    issuing body's main 机关代字 for this year.
    """
    document = _lock(document)
    if not permissions.can_review_submission(by, document):
        raise PermissionDenied("您无权审核该公文。")
    if document.attribute != DisclosureAttribute.PROACTIVE and document.legal_basis == "":
        raise ValidationError("不公开的公文缺少法律依据,应予退文。")
    _move(document, Status.CONFIDENTIALITY_REVIEW if document.attribute == DisclosureAttribute.PROACTIVE
          else Status.ACCEPTED)
    document.accepted_at = timezone.now()
    if not document.index_number:
        document.index_number = next_index_number(document.accepted_at)
    reason = "审核通过"
    if document.issued_in_city_name:
        _assign_number(document, number_text or "")
        reason = f"审核通过,编发文字号{document.document_number}"
    _save(document, by=by, reason=reason, fields=["status", "accepted_at", "index_number", "number_prefix",
                                                  "number_year", "number_serial", "updated_at"])
    _meet_clock(deadlines.CITY_OFFICE_REVIEW if document.goes_to_city_office else deadlines.UNIT_HEAD_REVIEW,
                document, by=by, note="审核通过")
    if document.attribute == DisclosureAttribute.PROACTIVE:
        publishing_unit = city_office() if document.goes_to_city_office else document.issuer
        _start_clock(deadlines.CONFIDENTIALITY_REVIEW, document, publishing_unit, by=by,
                     subject=f"《{document.title}》保密审查")
        start_publication_clock(document, by=by)
    notices.accepted(document, by=by)
    return document


def _assign_number(document: Document, number_text: str) -> None:
    """D8: the issuing office gives the number; its 机关代字 must be the issuing body's, the number free."""
    body = document.issuing_body
    if not number_text.strip() and document.number_serial is not None and document.number_prefix in body.issuer_codes:
        return  # given at an earlier acceptance (the document came back from 保密审查)
    text = number_text.strip() or document.number_proposal
    if text:
        parsed = parse_document_number(text)
        if parsed is None:
            raise ValidationError({"document_number": "发文字号格式应为“机关代字〔年份〕序号号”,例如:铜政办发〔2016〕71号。"})
        if parsed[0] not in body.issuer_codes:
            raise ValidationError({"document_number": foreign_prefix_message(parsed[0], body)})
        document.number_prefix, document.number_year, document.number_serial = parsed
        if number_text.strip() or not _number_taken(document):
            _check_number_unique(document)
            return
    prefix = parsed[0] if text else body.issuer_code
    if not prefix:
        raise ValidationError({"document_number": f"{body.name}尚未登记机关代字,请在单位名录中补充后再审核通过。"})
    year = document.accepted_at.astimezone(BEIJING).year
    document.number_prefix, document.number_year = prefix, year
    document.number_serial = next_free_serial(prefix, year)


def _number_taken(document: Document) -> bool:
    return Document.objects.filter(number_prefix=document.number_prefix, number_year=document.number_year,
                                   number_serial=document.number_serial).exclude(pk=document.pk).exists()


def next_free_serial(prefix: str, year: int) -> int:
    """The next unused 序号 of a 机关代字 and year; a transaction lock keeps two acceptances apart."""
    from django.db import connection
    from django.db.models import Max

    if connection.vendor == "postgresql":  # SQLite (the local stack) serialises writers anyway
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"document-number:{prefix}:{year}"])
    last = Document.objects.filter(number_prefix=prefix, number_year=year).aggregate(last=Max("number_serial"))
    return (last["last"] or 0) + 1


def suggested_number(document: Document) -> str:
    """What the review form offers the city office: the drafter's proposal if it is still free, else the
    next free number of the issuing body's main 机关代字 (D8)."""
    body = document.issuing_body
    parsed = parse_document_number(document.number_proposal) if document.number_proposal else None
    if parsed and parsed[0] in body.issuer_codes and not Document.objects.filter(
            number_prefix=parsed[0], number_year=parsed[1], number_serial=parsed[2]).exclude(pk=document.pk).exists():
        return document.number_proposal
    if document.document_number:
        return document.document_number
    if not body.issuer_code:
        return ""
    from django.db.models import Max

    year = timezone.localdate().year
    last = Document.objects.filter(number_prefix=body.issuer_code, number_year=year).aggregate(
        last=Max("number_serial"))["last"]
    return format_document_number(body.issuer_code, year, (last or 0) + 1)


def start_publication_clock(document: Document, *, by, formed_at: datetime | None = None) -> None:
    """D13: 主动公开 information is published within 20 working days of being formed (成文) or changed."""
    if formed_at is None:
        formed_on = document.written_on or timezone.localdate()
        formed_at = datetime.combine(formed_on, time(12, 0), tzinfo=BEIJING)
    _start_clock(deadlines.PUBLISH_WITHIN_20, document, document.issuer, by=by, at=formed_at,
                 subject=f"《{document.title}》主动公开")


def next_index_number(moment: datetime) -> str:
    """索引号 TCXXGK-<year>-<six digits>: one city-wide running number per year, like the seed's page."""
    year = moment.astimezone(BEIJING).year
    sequence, _ = IndexSequence.objects.select_for_update().get_or_create(year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"TCXXGK-{year}-{sequence.last:06d}"


# --- D7 and publication --------------------------------------------------------------------------


CHANGED_WHILE_REVIEWED = "审查期间待发布的内容有变更,请重新查看全部内容后再作审查结论。"


@transaction.atomic
def confidentiality_decide(*, document: Document, cleared: bool, opinion: str, by,
                           publish_at: datetime | None = None, reasons: list[str] = (),
                           seen: str | None = None) -> Document:
    """保密审查 (D7): cleared items are published now or at `publish_at`; others go back to the filer.

    A clearance covers every item its publication releases — the document, its attachments and the
    interpretation materials — and records each with its version and content digest. `seen` is the
    digest of what the reviewer's page showed: when the items changed since, nothing is decided.
    """
    document = _lock(document)
    if not permissions.can_confidentiality_review(by, document):
        raise PermissionDenied("您无权对该公文进行保密审查。")
    if document.status != Status.CONFIDENTIALITY_REVIEW:
        raise ValidationError(f"公文当前状态为“{document.get_status_display()}”,不在保密审查环节。")
    if not cleared:
        if not opinion.strip():
            raise ValidationError({"opinion": "保密审查未通过的,请填写审查意见。"})
        review = ConfidentialityReview(document=document, cleared=False, opinion=opinion.strip(), reviewer=by,
                                       reviewed_at=timezone.now())
        _save(review, by=by, reason="保密审查未通过")
        document_return(document=document, by=by, reasons=list(reasons) or ["confidentiality"], note=opinion)
        return Document.objects.get(pk=document.pk)
    items = clearance.clearance_items(document)
    covered_digest = clearance.combined_digest(items)
    if seen is not None and seen != covered_digest:
        raise ValidationError(CHANGED_WHILE_REVIEWED)
    now = timezone.now()
    bounded_moment(publish_at, field="publish_at", label="定时发布时间")
    if publish_at is not None and publish_at <= now:
        publish_at = None
    review = ConfidentialityReview(document=document, cleared=True, opinion=opinion.strip(), reviewer=by,
                                   reviewed_at=now, covered_items=[i.record() for i in items],
                                   covered_digest=covered_digest)
    _save(review, by=by, reason=f"保密审查通过:{'、'.join(i.label for i in items)}")
    document.confidentiality_cleared_at = now
    document.info_reviewer = document.info_reviewer or (by.get_full_name() or by.username)
    if publish_at is None:
        _publish(document, by=by, at=now)
    else:
        pagecache.bump_public_version()
        _move(document, Status.SCHEDULED)
        document.publish_at = document.published_at = publish_at
        _save(document, by=by, reason=f"保密审查通过,定时发布:{publish_at.astimezone(BEIJING):%Y-%m-%d %H:%M}",
              fields=["status", "publish_at", "published_at", "confidentiality_cleared_at", "info_reviewer",
                      "updated_at"])
    _meet_clock(deadlines.CONFIDENTIALITY_REVIEW, document, by=by)
    notices.cleared(document, review, by=by)
    return document


def clearance_problems(document: Document) -> list[str]:
    """What publishing now would release that the last clearance did not cover as it is (D7)."""
    review = document.confidentiality_reviews.filter(cleared=True).order_by("-reviewed_at", "-pk").first()
    if review is None:
        return ["尚未通过保密审查"]
    return clearance.changed_since(review, document)


def _publish(document: Document, *, by, at: datetime) -> None:
    problems = clearance_problems(document)
    if problems:
        raise ValidationError(f"{'；'.join(problems)},须重新进行保密审查后才能发布。")
    pagecache.bump_public_version()
    _move(document, Status.PUBLISHED)
    document.published_at = document.publish_at or at
    _save(document, by=by, reason="发布", fields=["status", "published_at", "publish_at", "confidentiality_cleared_at",
                                                 "info_reviewer", "updated_at"])
    _meet_clock(deadlines.PUBLISH_WITHIN_20, document, by=by, note="已发布")
    _meet_clock(deadlines.ISSUE_AFTER_MEETING, document, by=by, note="已印发")
    _meet_clock(deadlines.ISSUE_AFTER_MEETING_MAJOR, document, by=by, note="已印发")
    from .hooks import run_publication_hooks

    run_publication_hooks(document, by=by)


def documents_publish_scheduled(*, now: datetime | None = None, by) -> int:
    """Move scheduled documents whose moment has come to 已发布 (the public pages already show them)."""
    now = now or timezone.now()
    done = 0
    while True:
        with transaction.atomic():
            batch = list(Document.objects.select_for_update(skip_locked=True)
                         .filter(status=Status.SCHEDULED, publish_at__lte=now).order_by("publish_at")[:200])
            for document in batch:
                if problems := clearance_problems(document):
                    _clearance_lapsed(document, by=by, problems=problems)
                    continue
                _publish(document, by=by, at=document.publish_at)
            done += len(batch)
        if len(batch) < 200:
            return done


def _clearance_lapsed(document: Document, *, by, problems: list[str]) -> None:
    """A scheduled item changed after its clearance: it goes back to 保密审查 instead of going public."""
    lapsed = document.confidentiality_reviews.filter(cleared=True).order_by("-reviewed_at", "-pk").first()
    pagecache.bump_public_version()
    _move(document, Status.CONFIDENTIALITY_REVIEW)
    document.confidentiality_cleared_at = document.publish_at = document.published_at = None
    _save(document, by=by, reason=f"定时发布前发现{'；'.join(problems)},退回重新保密审查",
          fields=["status", "confidentiality_cleared_at", "publish_at", "published_at", "updated_at"])
    publishing_unit = city_office() if document.goes_to_city_office else document.issuer
    _start_clock(deadlines.CONFIDENTIALITY_REVIEW, document, publishing_unit, by=by,
                 subject=f"《{document.title}》保密审查")
    notices.clearance_lapsed(document, lapsed, by=by, problems=problems)


@transaction.atomic
def document_withdraw(*, document: Document, reason: str, by) -> Document:
    """撤回: take a published document off the public site, with a reason."""
    if not reason or not reason.strip():
        raise ValidationError({"reason": "撤回必须说明理由。"})
    document = _lock(document)
    if not permissions.can_withdraw(by, document):
        raise PermissionDenied("只有发文单位负责人或市政府办公室可以撤回已发布的公文。")
    _move(document, Status.WITHDRAWN)
    pagecache.bump_public_version()
    document.withdrawn_at = timezone.now()
    _save(document, by=by, reason=f"撤回:{reason.strip()}", fields=["status", "withdrawn_at", "updated_at"])
    for rule in (deadlines.PUBLISH_WITHIN_20, deadlines.ISSUE_AFTER_MEETING, deadlines.ISSUE_AFTER_MEETING_MAJOR):
        _cancel_clock(rule, document, by=by, reason="公文已撤回")
    from .hooks import run_withdrawal_hooks

    run_withdrawal_hooks(document, by=by, reason=reason.strip())
    return document


@transaction.atomic
def document_change_validity(*, document: Document, validity: str, on: date, reason: str, by,
                             repealed_by: Document | None = None) -> Document:
    """公文时效: mark a published document 失效 or 废止 (with the repealing document), reason required."""
    if not reason or not reason.strip():
        raise ValidationError({"reason": "变更公文时效必须说明理由。"})
    if validity not in Validity.values:
        raise ValidationError({"validity": "公文时效只能是有效、失效或废止。"})
    if validity == Validity.REPEALED and repealed_by is None:
        raise ValidationError({"repealed_by": "废止的公文须注明废止它的文件。"})
    document = _lock(document)
    if not permissions.can_withdraw(by, document):
        raise PermissionDenied("只有发文单位负责人或市政府办公室可以变更公文时效。")
    bounded_date(on, field="on", label="时效变更日期")
    document.validity, document.validity_changed_on, document.repealed_by = validity, on, repealed_by
    pagecache.bump_public_version()
    _save(document, by=by, reason=f"公文时效变更为{Validity(validity).label}:{reason.strip()}",
          fields=["validity", "validity_changed_on", "repealed_by", "updated_at"])
    return document


# --- M6 -------------------------------------------------------------------------------------------


@transaction.atomic
def document_record_meeting_adoption(*, document: Document, meeting: str, meeting_date: date,
                                     major_revisions: bool, by, confirm_overdue: bool = False,
                                     ended_at: datetime | None = None) -> Document:
    """M6: a document the executive meeting adopts is issued within 7 (or 10) working days of the meeting.

    Recorded by the city office while the document is with it and not yet issued
    (`permissions.can_record_meeting_adoption`). A meeting so long ago that the
    issue clock has already run out is recorded only when `confirm_overdue` says
    the person knows it will show as overdue at once.
    """
    document = _lock(document)
    if not permissions.records_meetings_for(by, document):
        raise PermissionDenied("常务会议审议情况由市政府办公室的审核员、负责人或经办人登记,"
                               "且只适用于报市政府(办公室)印发的公文。")
    if not permissions.can_record_meeting_adoption(by, document):
        raise ValidationError(f"公文当前状态为“{document.get_status_display()}”,不能登记会议审议通过:"
                              "只有已报送市政府办公室、尚未印发的公文才能登记。")
    meeting = (meeting or "").strip()
    if not meeting:
        raise ValidationError({"meeting": "请填写审议通过的会议名称,如“市政府第X次常务会议”。"})
    if meeting_date > timezone.localdate():
        raise ValidationError({"meeting_date": "会议日期不能晚于今天。"})
    bounded_date(meeting_date, field="meeting_date", label="会议日期")
    rule = deadlines.ISSUE_AFTER_MEETING_MAJOR if major_revisions else deadlines.ISSUE_AFTER_MEETING
    other = deadlines.ISSUE_AFTER_MEETING if major_revisions else deadlines.ISSUE_AFTER_MEETING_MAJOR
    ended_at = ended_at or datetime.combine(meeting_date, time(18, 0), tzinfo=BEIJING)
    due, now = due_moment(started_at=ended_at, days=get_rule(rule).days), timezone.now()
    if due.due_at <= now and not confirm_overdue:
        raise ValidationError({"confirm_overdue": (
            f"按会议日期{meeting_date:%Y-%m-%d}计算,印发时限已于{fmt(due.due_at)}届满,登记后将立即显示为超期。"
            "如会议日期无误,请勾选“确认按会议日期登记”后再提交。")})
    document.adopted_by_meeting, document.meeting_date = meeting, meeting_date
    document.major_revisions = major_revisions
    _save(document, by=by, reason=f"登记会议审议通过:{meeting}({meeting_date:%Y-%m-%d})"
          + (",印发时限已届满,经确认登记" if due.due_at <= now else ""),
          fields=["adopted_by_meeting", "meeting_date", "major_revisions", "updated_at"])
    _cancel_clock(other, document, by=by, reason="重大修改意见情况变更")
    current = open_deadline_for(document, rule)
    if current is not None and current.started_at != ended_at:
        deadline_cancel(deadline=current, reason=f"会议日期更正为{meeting_date:%Y-%m-%d}", by=by)
    _start_clock(rule, document, city_office(), by=by, at=ended_at, subject=f"《{document.title}》会后印发")
    return document


def unit_groups_for(units) -> list[Group]:
    return [unit_group(u) for u in units]


@transaction.atomic
def document_import_published(*, by, issuer: Unit, data: dict, number_text: str, published_at: datetime,
                              index_number: str, files=()) -> Document:
    """Bring in a document the city published before this portal existed (e.g. the seed notice).

    It was cleared and published then; we record it as such, with the import in its history.
    """
    document = Document(issuer=issuer, publisher=issuer, created_by=by,
                        **{k: _field_value(k, data.get(k)) for k in DOCUMENT_FIELDS})
    document.body = clean_body(document.body)
    _apply_issuing_body(document)
    document.accepted_at = published_at  # its number was given when the city issued it
    _apply_number(document, number_text)
    if document.issued_in_city_name and document.number_proposal:
        document.number_prefix, document.number_year, document.number_serial = parse_document_number(
            document.number_proposal)
    errors = validate_document(document, number_text=number_text)
    if errors:
        raise ValidationError(errors)
    _check_number_unique(document)
    document.status, document.index_number = Status.PUBLISHED, index_number
    document.submitted_at = document.accepted_at = document.confidentiality_cleared_at = published_at
    document.published_at = published_at
    _save(document, by=by, reason="导入已发布的历史公文")
    pagecache.bump_public_version()
    search.reindex([document])
    for uploaded in files:
        kind, data_bytes, digest = check_upload(uploaded)
        attachment = Attachment(document=document, original_name=display_name(uploaded.name), file_type=kind,
                                size=len(data_bytes), sha256=digest, uploaded_by=by, uploaded_at=published_at)
        attachment.file.save("upload", ContentFile(data_bytes), save=False)
        _save(attachment, by=by, reason="导入历史附件")
    year = published_at.astimezone(BEIJING).year
    serial = int(index_number.rsplit("-", 1)[-1]) if index_number.rsplit("-", 1)[-1].isdigit() else 0
    sequence, _ = IndexSequence.objects.select_for_update().get_or_create(year=year)
    if serial > sequence.last:
        sequence.last = serial
        sequence.save(update_fields=["last"])
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
