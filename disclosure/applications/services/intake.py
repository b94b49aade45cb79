"""Making an application and fixing its receipt date (A1; 条例第二十九、三十一条)."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from disclosure import search
from disclosure.files import check_upload, display_name
from disclosure.models import Document
from disclosure.selectors import public_documents
from tongchuan_portal.clock.services import deadline_cancel, deadline_meet, deadline_start, fmt

from .. import deadlines, identity, permissions
from tongchuan_portal.core.querycodes import new_query_code, query_code_digest
from ..models import (
    ApplicantType, Application, ApplicationSequence, Channel, IdType, Status, StepKind, NoticeKind,
)
from ..outcomes import ApplicantColumn
from .common import (
    clock, deny, lock, moment_of, normalized_description, save, step, system_user, tell_applicant, tell_handlers,
    today, transition,
)

PROOF_KINDS = {"pdf", "jpg", "png"}
MAX_DESCRIPTION = 3000

#: 第三十一条: whether the office must confirm receipt in the portal, per channel.
CONFIRMED_BY_OFFICE = (Channel.ONLINE,)


def _next_number(year: int) -> str:
    ApplicationSequence.objects.get_or_create(year=year)
    seq = ApplicationSequence.objects.select_for_update().get(year=year)
    seq.last += 1
    seq.save(update_fields=["last"])
    return f"YSQ-{year}-{seq.last:06d}"


def _text(value, *, field: str, label: str, max_chars: int, required: bool = True) -> str:
    text = (value or "").replace("\x00", "").strip()
    if required and not text:
        raise ValidationError({field: f"请填写{label}。"})
    if len(text) > max_chars:
        raise ValidationError({field: f"{label}不能超过{max_chars}字。"})
    return text


def applicant_fields(*, applicant_type: str, organisation_kind: str = "", name: str, work_unit: str = "",
                     id_type: str = "", id_number: str = "", credit_code: str = "", legal_representative: str = "",
                     contact_person: str = "", phone: str, address: str = "", postcode: str = "",
                     email: str = "") -> dict:
    """Check who applies (第二十九条(一)) and return the fields to store, with the annual report's column."""
    errors = {}
    if applicant_type not in ApplicantType.values:
        raise ValidationError({"applicant_type": "请选择申请人类型。"})
    values = dict(applicant_type=applicant_type, name=_text(name, field="name", label="姓名或名称", max_chars=100),
                  phone=_text(phone, field="phone", label="联系电话", max_chars=30),
                  address=_text(address, field="address", label="通讯地址", max_chars=200, required=False),
                  email=(email or "").strip(), work_unit="", id_type="", id_number="", credit_code="",
                  legal_representative="", contact_person="", organisation_kind="")
    postcode = (postcode or "").strip()
    if postcode and not (len(postcode) == 6 and postcode.isdigit()):
        errors["postcode"] = "邮政编码应为6位数字。"
    values["postcode"] = postcode
    if applicant_type == ApplicantType.PERSON:
        values["work_unit"] = _text(work_unit, field="work_unit", label="工作单位", max_chars=100, required=False)
        if id_type not in IdType.values:
            errors["id_type"] = "请选择证件类型。"
        number = identity.normalize(id_number)
        if not number:
            errors["id_number"] = "请填写证件号码。"
        elif id_type == IdType.RESIDENT_ID and (problem := identity.resident_id_error(number)):
            errors["id_number"] = problem
        elif len(number) > 40:
            errors["id_number"] = "证件号码过长,请核对。"
        values.update(id_type=id_type, id_number=number, applicant_column=ApplicantColumn.NATURAL_PERSON)
    else:
        if organisation_kind not in ApplicantColumn.values or organisation_kind == ApplicantColumn.NATURAL_PERSON:
            errors["organisation_kind"] = "请选择组织类别。"
        code = identity.normalize(credit_code)
        if not code:
            errors["credit_code"] = "请填写统一社会信用代码。"
        elif problem := identity.credit_code_error(code):
            errors["credit_code"] = problem
        values.update(
            organisation_kind=organisation_kind, credit_code=code, applicant_column=organisation_kind,
            legal_representative=_text(legal_representative, field="legal_representative", label="法定代表人",
                                       max_chars=40, required=False),
            contact_person=_text(contact_person, field="contact_person", label="联系人", max_chars=40),
        )
    if errors:
        raise ValidationError(errors)
    return values


def match_document(*, document_number: str = "", index_number: str = "") -> Document | None:
    """The document a 文号 or 索引号 names, parsed as the column's search parses it: a published one first,
    else an accepted document of the platform (an 依申请公开 one, say) for the handler and the self-check."""
    index_number = (index_number or "").strip()
    if index_number:
        found = public_documents().filter(index_number=index_number).first()
        if found is not None:
            return found
        found = Document.objects.filter(index_number=index_number).exclude(status="draft").first()
        if found is not None:
            return found
    form = search.number_form(document_number or "")
    # Only a full 文号 (机关代字, year and serial) names one document; "71号" alone is a search, not a match.
    if form is not None and any(key == "number_prefix" for key, _ in form.q.children):
        found = public_documents().filter(form.q).first()
        if found is not None:
            return found
        return Document.objects.filter(form.q).exclude(status="draft").first()
    return None


def _request_fields(*, description: str, document_number: str, index_number: str, carrier: str,
                    delivery: str) -> dict:
    from ..models import Carrier, Delivery

    errors = {}
    if carrier not in Carrier.values:
        errors["carrier"] = "请选择信息的载体形式。"
    if delivery not in Delivery.values:
        errors["delivery"] = "请选择获取信息的方式。"
    if errors:
        raise ValidationError(errors)
    description = _text(description, field="description", label="所需信息的内容描述", max_chars=MAX_DESCRIPTION)
    document_number = _text(document_number, field="document_number", label="文号", max_chars=60, required=False)
    index_number = _text(index_number, field="index_number", label="索引号", max_chars=40, required=False)
    return dict(description=description, document_number=document_number, index_number=index_number,
                carrier=carrier, delivery=delivery, description_key=normalized_description(description),
                matched_document=match_document(document_number=document_number, index_number=index_number))


def _attach_proof(application: Application, proof) -> None:
    kind, data, _digest = check_upload(proof)
    if kind not in PROOF_KINDS:
        raise ValidationError({"identity_proof": "身份证明只能上传 PDF、JPG 或 PNG 文件。"})
    name = display_name(proof.name)
    application.identity_proof.save(f"{application.number}.{kind}", ContentFile(data), save=False)
    application.identity_proof_name = name


def _check_proof(proof) -> None:
    try:
        kind, _data, _digest = check_upload(proof)
    except ValidationError as error:
        raise ValidationError({"identity_proof": error.messages}) from None
    if kind not in PROOF_KINDS:
        raise ValidationError({"identity_proof": "身份证明只能上传 PDF、JPG 或 PNG 文件。"})
    proof.seek(0)


@transaction.atomic
def application_submit(*, unit, applicant: dict, request: dict, identity_proof, by=None) -> tuple[Application, str]:
    """网上申请 (A1): the application waits for the office's confirmation, which fixes its receipt date (第三十一条).

    Returns the application and its 查询码 (shown once; only its digest is stored).
    """
    if unit is None or not unit.is_active:
        raise ValidationError({"unit": "请选择受理申请的机关。"})
    fields = {**applicant_fields(**applicant), **_request_fields(**request)}
    if identity_proof is None:
        raise ValidationError({"identity_proof": "请上传身份证明(身份证件或营业执照等的照片或扫描件)。"})
    _check_proof(identity_proof)
    now = timezone.now()
    code = new_query_code()
    application = Application(number=_next_number(now.astimezone(timezone.get_current_timezone()).year),
                              query_code_hash=query_code_digest(code), unit=unit, first_unit=unit,
                              channel=Channel.ONLINE, submitted_at=now, status=Status.SUBMITTED, **fields)
    _attach_proof(application, identity_proof)
    by = by if getattr(by, "is_authenticated", False) else None
    save(application, by=by, reason="网上提交政府信息公开申请", fields=None)
    step(application, StepKind.SUBMITTED, by=by, text=f"通过网上申请提交,受理机关:{unit.name}。")
    deadline_start(rule=deadlines.CONFIRM, target=application, unit=unit, subject=f"确认收到申请 {application.number}",
                   started_at=now, by=by or system_user())
    tell_handlers(application, event="submitted", title=f"新的政府信息公开申请 {application.number}",
                  body="网上申请已提交,请核对后确认收到。", by=by)
    tell_applicant(application, subject="申请已提交",
                   body=f"您向{unit.name}提交的政府信息公开申请已提交,待受理机关确认收到。")
    return application, code


@transaction.atomic
def application_register(*, unit, channel: str, received_on: date | None = None, applicant: dict, request: dict,
                         identity_proof=None, by: User) -> tuple[Application, str]:
    """登记 (第二十九条): staff record an application handed in, posted, faxed, e-mailed or made orally.

    The receipt date (第三十一条): in person or orally — the day it is made; by post — the day the office signs
    for it; by fax or e-mail — the day the office confirms it, which registering it is. The date may lie in the
    past (registered late), never in the future.
    """
    if not permissions.can_register(by, unit):
        deny()
    if channel not in Channel.values or channel == Channel.ONLINE:
        raise ValidationError({"channel": "请选择申请方式(当面、邮寄、传真、电子邮件或口头)。"})
    received_on = received_on or today()
    if received_on > today():
        raise ValidationError({"received_on": "收到申请的日期不能晚于今天。"})
    fields = {**applicant_fields(**applicant), **_request_fields(**request)}
    if identity_proof is not None:
        _check_proof(identity_proof)
    now = timezone.now()
    code = new_query_code()
    application = Application(number=_next_number(now.astimezone(timezone.get_current_timezone()).year),
                              query_code_hash=query_code_digest(code), unit=unit, first_unit=unit, channel=channel,
                              registered_by=by, submitted_at=now, status=Status.SUBMITTED, **fields)
    if identity_proof is not None:
        _attach_proof(application, identity_proof)
    save(application, by=by, reason=f"登记政府信息公开申请({application.get_channel_display()})", fields=None)
    step(application, StepKind.REGISTERED, by=by, text=f"以{application.get_channel_display()}方式提出,由工作人员登记。")
    _receive(application, received_on, by=by)
    return application, code


def _receive(application: Application, received_on: date, *, by: User) -> None:
    """Fix the receipt date and start the clocks it starts: the correction window and the reply period."""
    application.received_on = received_on
    application.confirmed_at, application.confirmed_by = timezone.now(), by
    transition(application, Status.PROCESSING)
    save(application, by=by, reason=f"收到申请之日为{received_on:%Y-%m-%d}(条例第三十一条)",
         fields=["received_on", "confirmed_at", "confirmed_by", "status"])
    started = moment_of(received_on)
    subject = f"政府信息公开申请 {application.number}"
    deadline_start(rule=deadlines.CORRECTION_WINDOW, target=application, unit=application.unit,
                   subject=f"补正告知 {application.number}", started_at=started, by=by)
    reply = deadline_start(rule=deadlines.REPLY, target=application, unit=application.unit, subject=subject,
                           started_at=started, by=by)
    step(application, StepKind.CONFIRMED, by=by, notice=NoticeKind.RECEIPT,
         text=f"收到申请之日:{received_on:%Y-%m-%d}。答复期限:{fmt(reply.due_at)}前(自收到申请之日起20个工作日)。")
    tell_applicant(application, subject="接收回执",
                   body=f"{application.unit.name}已于{received_on:%Y年%m月%d日}收到您的政府信息公开申请,"
                        f"将于{fmt(reply.due_at)}前作出答复。")


@transaction.atomic
def application_confirm(*, application: Application, by: User) -> Application:
    """确认收到 (第三十一条): the office confirms an online application; that day is its receipt date."""
    application = lock(application)
    if not permissions.can_handle(by, application):
        deny()
    if application.status != Status.SUBMITTED:
        raise ValidationError("该申请已确认收到,无需重复确认。")
    pending = clock(application, deadlines.CONFIRM)
    _receive(application, today(), by=by)
    if pending is not None:
        deadline_meet(deadline=pending, by=by, note="已确认收到")
    return application


@transaction.atomic
def application_transfer(*, application: Application, unit, reason: str, by: User) -> Application:
    """转办: the application was sent to the wrong unit of the platform; the receipt date does not change."""
    from tongchuan_portal.core.workflow import save_with_history

    application = lock(application)
    if not permissions.can_handle(by, application):
        deny()
    if not application.is_open:
        raise ValidationError("该申请已答复,不能转交。")
    reason = _text(reason, field="reason", label="转交理由", max_chars=300)
    if unit is None or unit.pk == application.unit_id or not unit.is_active:
        raise ValidationError({"unit": "请选择另一个办理单位。"})
    old = application.unit
    application.unit = unit
    save(application, by=by, reason=f"由{old.name}转交{unit.name}办理:{reason}", fields=["unit"])
    from tongchuan_portal.clock.models import Deadline
    from django.contrib.contenttypes.models import ContentType

    for row in Deadline.objects.select_for_update().filter(
            content_type=ContentType.objects.get_for_model(Application), object_id=application.pk,
            state__in=["running", "paused", "missed"]):
        row.unit = unit
        save_with_history(row, by=by, reason=f"申请转交{unit.name}办理,时限随之转交", fields=["unit"])
    step(application, StepKind.TRANSFERRED, by=by, text=f"由{old.name}转交{unit.name}办理。收到申请之日不变。")
    tell_handlers(application, event=f"transferred:{unit.pk}", title=f"转交的政府信息公开申请 {application.number}",
                  body=f"{old.name}转来:{reason}", by=by)
    tell_applicant(application, subject="申请已转交", body=f"您的申请已由{old.name}转交{unit.name}办理,收到申请之日不变。")
    return application


def cancel_open(application: Application, rule: str, *, reason: str, by: User) -> None:
    row = clock(application, rule)
    if row is not None:
        deadline_cancel(deadline=row, reason=reason, by=by)
