"""Filing a document: drafting, editing, attachments, co-issuers, importing the city's earlier ones (D1, D2, D4–D6, D8)."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from guardian.shortcuts import assign_perm, remove_perm

from tongchuan_portal.clock.workdays import BEIJING
from tongchuan_portal.core.validation import out_of_range
from tongchuan_portal.core.workflow import delete_with_history, record, save_with_history
from tongchuan_portal.units.models import SpecialUnit, Unit
from tongchuan_portal.units.services import unit_group

from .. import pagecache, permissions, search
from ..files import check_upload, display_name
from ..models import Attachment, DisclosureAttribute, Document, DocumentClass, DocumentKind, IndexSequence, IssuedInNameOf, Status
from ..text import clean_body, parse_document_number
from ._common import DOCUMENT_FIELDS, field_value, lock
from .numbers import apply_number, check_number_unique, number_prefix_error


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
    elif prefix_error := number_prefix_error(document, number_text):
        errors["document_number"] = prefix_error
    if for_submission and not document.area:
        errors["area"] = "请选择五公开类别。"
    return errors


def issuing_body_for(document: Document) -> Unit:
    """D8: the city government or its office when the document is issued in their name, else the drafter."""
    special = {IssuedInNameOf.CITY_GOVERNMENT: SpecialUnit.CITY_GOVERNMENT,
               IssuedInNameOf.CITY_OFFICE: SpecialUnit.CITY_OFFICE}.get(document.issued_in_name_of)
    if special is None:
        return document.issuer
    return Unit.objects.filter(special=special).first() or document.issuer


def _apply_issuing_body(document: Document) -> None:
    """发文机构 and 发布机构 follow 发文名义; the drafting department stays the document's unit (起草单位)."""
    body = issuing_body_for(document)
    document.issued_by = document.publisher = body


def _set_co_issuers(document: Document, co_issuers: list[Unit], *, by: User) -> None:
    """Co-issuers (联合发文) see the joint draft through a guardian permission on their unit group."""
    wanted = {u.pk: u for u in co_issuers if u.pk != document.issuer_id}
    current = {u.pk: u for u in document.co_issuers.all()}
    record(document, by=by, reason="调整联合发文机构")
    for pk, unit in current.items():
        if pk not in wanted:
            remove_perm("disclosure.view_document", unit_group(unit), document)
    for unit in wanted.values():
        assign_perm("disclosure.view_document", unit_group(unit), document)
    if set(wanted) != set(current):
        document.co_issuers.set(list(wanted.values()))
        document.co_issuer_names = "、".join(u.name for u in sorted(wanted.values(), key=lambda u: u.sort_order))
        save_with_history(document, by=by, reason="调整联合发文机构", fields=["co_issuer_names"])


def _numbered_save(document: Document, *, number_text: str, by: User, reason: str) -> None:
    """Number the draft as typed (D8), refuse it with every content error at once, else save it with history."""
    apply_number(document, number_text)
    errors = validate_document(document, number_text=number_text)
    if errors:
        raise ValidationError(errors)
    check_number_unique(document)
    save_with_history(document, by=by, reason=reason)


def _after_edit(document: Document, *, files, by: User) -> None:
    search.reindex([document])
    for uploaded in files:
        attachment_add(document=document, uploaded=uploaded, by=by)


@transaction.atomic
def document_create(*, by: User, issuer: Unit, data: dict, number_text: str = "", co_issuers=(), files=()) -> Document:
    """A clerk files a new draft for their unit (D1, D2 checked already at the draft)."""
    if not permissions.can_file_for(by, issuer):
        raise PermissionDenied("您不是该单位的经办人,不能为其起草公文。")
    document = Document(issuer=issuer, publisher=issuer, created_by=by,
                        **{k: field_value(k, data.get(k)) for k in DOCUMENT_FIELDS})
    document.body = clean_body(document.body)
    _apply_issuing_body(document)
    document.source = document.source or document.issuing_body.name
    _numbered_save(document, number_text=number_text, by=by, reason="起草公文")
    _set_co_issuers(document, list(co_issuers), by=by)
    _after_edit(document, files=files, by=by)
    return document


@transaction.atomic
def document_update(*, document: Document, by: User, data: dict, number_text: str = "", co_issuers=None,
                    files=()) -> Document:
    """Edit a draft or a returned document (修改); every version stays in the history (D6)."""
    document = lock(document)
    if not permissions.can_edit(by, document):
        raise PermissionDenied("只有本单位经办人可以修改草稿或被退回的公文。")
    for key in DOCUMENT_FIELDS:
        if key in data:
            setattr(document, key, field_value(key, data[key]))
    document.body = clean_body(document.body)
    _apply_issuing_body(document)
    _numbered_save(document, number_text=number_text, by=by, reason="修改公文")
    if co_issuers is not None:
        _set_co_issuers(document, list(co_issuers), by=by)
    _after_edit(document, files=files, by=by)
    return document


@transaction.atomic
def attachment_add(*, document: Document, uploaded, by: User) -> Attachment:
    if not permissions.can_edit(by, document):
        raise PermissionDenied("只有本单位经办人可以为草稿添加附件。")
    kind, data, digest = check_upload(uploaded)
    attachment = Attachment(document=document, original_name=display_name(uploaded.name), file_type=kind, size=len(data),
                            sha256=digest, uploaded_by=by, uploaded_at=timezone.now())
    attachment.file.save("upload", ContentFile(data), save=False)
    save_with_history(attachment, by=by, reason=f"上传附件:{attachment.original_name}")
    return attachment


@transaction.atomic
def attachment_remove(*, attachment: Attachment, by: User) -> None:
    if not permissions.can_edit(by, attachment.document):
        raise PermissionDenied("只有本单位经办人可以删除草稿的附件。")
    document = lock(attachment.document)
    delete_with_history(attachment, by=by, reason=f"删除附件:{attachment.original_name}")
    # The document's own history says so too: that is where an auditor reads the document's story.
    save_with_history(document, by=by, reason=f"删除附件:{attachment.original_name}", fields=["updated_at"])


@transaction.atomic
def document_import_published(*, by: User, issuer: Unit, data: dict, number_text: str, published_at: datetime,
                              index_number: str, files=()) -> Document:
    """Bring in a document the city published before this portal existed (e.g. the seed notice).

    It was cleared and published then; we record it as such, with the import in its history.
    """
    document = Document(issuer=issuer, publisher=issuer, created_by=by,
                        **{k: field_value(k, data.get(k)) for k in DOCUMENT_FIELDS})
    document.body = clean_body(document.body)
    _apply_issuing_body(document)
    document.accepted_at = published_at  # its number was given when the city issued it
    apply_number(document, number_text)
    if document.issued_in_city_name and document.number_proposal:
        document.number_prefix, document.number_year, document.number_serial = parse_document_number(
            document.number_proposal)
    errors = validate_document(document, number_text=number_text)
    if errors:
        raise ValidationError(errors)
    check_number_unique(document)
    document.status, document.index_number = Status.PUBLISHED, index_number
    document.submitted_at = document.accepted_at = document.confidentiality_cleared_at = published_at
    document.published_at = published_at
    save_with_history(document, by=by, reason="导入已发布的历史公文")
    pagecache.bump_public_version()
    search.reindex([document])
    for uploaded in files:
        kind, data_bytes, digest = check_upload(uploaded)
        attachment = Attachment(document=document, original_name=display_name(uploaded.name), file_type=kind,
                                size=len(data_bytes), sha256=digest, uploaded_by=by, uploaded_at=published_at)
        attachment.file.save("upload", ContentFile(data_bytes), save=False)
        save_with_history(attachment, by=by, reason="导入历史附件")
    year = published_at.astimezone(BEIJING).year
    serial = int(index_number.rsplit("-", 1)[-1]) if index_number.rsplit("-", 1)[-1].isdigit() else 0
    sequence, _ = IndexSequence.objects.select_for_update().get_or_create(year=year)
    if serial > sequence.last:
        sequence.last = serial
        sequence.save(update_fields=["last"])
    return document
