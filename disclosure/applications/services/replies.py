"""答复 (A4; 条例第三十六、三十七条): one outcome per application, each with what the law requires, cleared by
保密审查 where it discloses anything (D7), then delivered (国办公开办函〔2016〕235号)."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from disclosure.files import check_upload, display_name
from disclosure.selectors import public_documents
from tongchuan_portal.clock import workdays
from tongchuan_portal.clock.models import DeadlineState
from tongchuan_portal.clock.selectors import deadline_of
from tongchuan_portal.clock.services import deadline_meet
from tongchuan_portal.core.confidentiality import clearance_decide, notify_unit, reviewer_ids, waiting_key
from tongchuan_portal.core.models import Clearance
from tongchuan_portal.core.workflow import save_with_history

from .. import deadlines, permissions
from ..models import Application, Delivery, NoticeKind, ReplyAttachment, Status, StepKind
from ..outcomes import GROUP_OF, Outcome, OutcomeGroup
from .common import deny, lock, save, step, tell_applicant, tell_handlers, today, transition
from .intake import _text, cancel_open

#: The article each ground rests on, offered to the handler (who may make it more precise).
LEGAL_BASIS = {
    Outcome.DISCLOSED: "《中华人民共和国政府信息公开条例》第三十六条第(二)项",
    Outcome.PARTLY_DISCLOSED: "《中华人民共和国政府信息公开条例》第三十七条",
    Outcome.SECRET: "《中华人民共和国政府信息公开条例》第十四条",
    Outcome.LAW_FORBIDS: "《中华人民共和国政府信息公开条例》第十四条",
    Outcome.THREE_SAFETIES: "《中华人民共和国政府信息公开条例》第十四条",
    Outcome.THIRD_PARTY: "《中华人民共和国政府信息公开条例》第十五条",
    Outcome.INTERNAL_AFFAIRS: "《中华人民共和国政府信息公开条例》第十六条第一款",
    Outcome.PROCESS_INFORMATION: "《中华人民共和国政府信息公开条例》第十六条第二款",
    Outcome.ENFORCEMENT_FILE: "《中华人民共和国政府信息公开条例》第十六条第二款",
    Outcome.INQUIRY_MATTER: "《中华人民共和国政府信息公开条例》第三十六条第(七)项",
    Outcome.NOT_HELD: "《中华人民共和国政府信息公开条例》第三十六条第(四)项、第(五)项",
    Outcome.NEEDS_CREATION: "《中华人民共和国政府信息公开条例》第三十八条",
    Outcome.STILL_UNCLEAR: "《中华人民共和国政府信息公开条例》第三十条",
    Outcome.PETITION: "《中华人民共和国政府信息公开条例》第三十九条第一款",
    Outcome.REPEATED: "《中华人民共和国政府信息公开条例》第三十六条第(六)项",
    Outcome.PUBLICATION: "《中华人民共和国政府信息公开条例》第三十九条第二款",
    Outcome.EXCESSIVE: "《中华人民共和国政府信息公开条例》第三十五条",
    Outcome.CONFIRMATION: "《中华人民共和国政府信息公开条例》第三十九条",
    Outcome.OTHER: "",
}
#: Set only by the sweep when the applicant's period runs out (A2, A5), never chosen by hand.
AUTOMATIC = (Outcome.NO_CORRECTION, Outcome.UNPAID)
DISCLOSING = (Outcome.DISCLOSED, Outcome.PARTLY_DISCLOSED)
MAX_ATTACHMENTS = 10


def default_remedies(unit) -> str:
    """救济途径 every reply names (行政复议法第二十条, 行政诉讼法第四十六条)."""
    government = "铜川市人民政府"
    return (f"如对本答复不服,可以自知道该行政行为之日起60日内向{government}申请行政复议,"
            "或者自知道该行政行为之日起6个月内向有管辖权的人民法院提起行政诉讼。")


def _check_outputs(application: Application, *, outcome: str, reply_text: str, withheld: str, legal_basis: str,
                   responsible_office: str, disclosed_document, attachments: list) -> None:
    """Each outcome requires what the law requires (A4); every missing part is named at once."""
    errors = {}
    if outcome in DISCLOSING and not attachments and disclosed_document is None \
            and not application.attachments.exists():
        errors["attachments"] = "予以公开或部分公开的,请上传所提供的信息,或选择已公开的文件。"
    if outcome == Outcome.PARTLY_DISCLOSED and not withheld:
        errors["withheld"] = "部分公开的,请写明不予公开的内容及其理由。"
    if GROUP_OF.get(outcome) in (OutcomeGroup.NOT_DISCLOSED, OutcomeGroup.NOT_PROCESSED) and not legal_basis:
        errors["legal_basis"] = "请写明不予公开或不予处理所依据的法律条款。"
    if outcome == Outcome.NOT_HELD and not responsible_office:
        errors["responsible_office"] = ("本机关不掌握的,请写明负责公开该信息的机关及其联系方式;"
                                        "无法确定的,请填写“经检索无法确定”。")
    if outcome == Outcome.OTHER and not reply_text:
        errors["reply_text"] = "其他处理的,请写明处理情况和理由。"
    if not reply_text and "reply_text" not in errors:
        errors["reply_text"] = "请填写答复内容。"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def reply_submit(*, application: Application, outcome: str, reply_text: str, remedies: str, withheld: str = "",
                 legal_basis: str = "", responsible_office: str = "", responsible_contact: str = "",
                 disclosed_document=None, attachments: list | None = None, by: User) -> Application:
    """Prepare the reply. One that discloses anything waits for 保密审查 of exactly that (D7); any other is sent."""
    application = lock(application)
    if not permissions.can_handle(by, application):
        deny()
    if application.status != Status.PROCESSING:
        raise ValidationError(f"该申请当前为“{application.get_status_display()}”,不能答复。")
    if application.reply_clearance == Clearance.PENDING:
        raise ValidationError("答复正在保密审查中,请等待审查结论。")
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": "请选择办理结果。"})
    if outcome in AUTOMATIC:
        raise ValidationError({"outcome": "逾期不补正、逾期不缴费的,由系统在期限届满时自动终止办理,不能手工选择。"})
    attachments = list(attachments or [])
    if len(attachments) > MAX_ATTACHMENTS:
        raise ValidationError({"attachments": f"附件最多{MAX_ATTACHMENTS}个。"})
    reply_text = _text(reply_text, field="reply_text", label="答复内容", max_chars=5000, required=False)
    withheld = _text(withheld, field="withheld", label="不予公开的内容及理由", max_chars=3000, required=False)
    legal_basis = _text(legal_basis, field="legal_basis", label="法律依据", max_chars=200, required=False)
    responsible_office = _text(responsible_office, field="responsible_office", label="负责公开的机关",
                               max_chars=100, required=False)
    responsible_contact = _text(responsible_contact, field="responsible_contact", label="该机关联系方式",
                                max_chars=100, required=False)
    remedies = _text(remedies, field="remedies", label="救济途径", max_chars=1000)
    if disclosed_document is not None and not public_documents().filter(pk=disclosed_document.pk).exists():
        raise ValidationError({"disclosed_document": "所选文件尚未公开,不能作为已公开的信息提供。"})
    if outcome not in DISCLOSING:
        disclosed_document = None
    checked = []
    for upload in attachments if outcome in DISCLOSING else []:
        try:
            kind, data, digest = check_upload(upload)
        except ValidationError as error:
            raise ValidationError({"attachments": error.messages}) from None
        checked.append((upload, kind, data, digest))
    _check_outputs(application, outcome=outcome, reply_text=reply_text, withheld=withheld, legal_basis=legal_basis,
                   responsible_office=responsible_office, disclosed_document=disclosed_document,
                   attachments=checked)
    if checked or outcome not in DISCLOSING:
        for old in application.attachments.all():
            old._history_user, old._change_reason = by, "重新准备答复,替换附件"
            old.delete()
    for upload, kind, data, digest in checked:
        from disclosure.files import CONTENT_TYPES

        row = ReplyAttachment(application=application, original_name=display_name(upload.name),
                              content_type=CONTENT_TYPES[kind], sha256=digest)
        row.file.save(f"{application.number}-{digest[:12]}.{kind}", ContentFile(data), save=False)
        save_with_history(row, by=by, reason="上传答复附件")
    application.reply_text, application.withheld, application.legal_basis = reply_text, withheld, legal_basis
    application.responsible_office, application.responsible_contact = responsible_office, responsible_contact
    application.disclosed_document, application.remedies = disclosed_document, remedies
    application.replied_by = by
    fields = ["reply_text", "withheld", "legal_basis", "responsible_office", "responsible_contact",
              "disclosed_document", "remedies", "replied_by", "proposed_outcome"]
    application.proposed_outcome = outcome
    if outcome in DISCLOSING:
        application.reply_clearance, application.reply_submitted_at = Clearance.PENDING, timezone.now()
        save(application, by=by, reason="答复报送保密审查", fields=[*fields, "reply_clearance", "reply_submitted_at"])
        step(application, StepKind.REPLY_SUBMITTED, by=by, public=False,
             text=f"拟{Outcome(outcome).label},答复及所提供的信息已报送保密审查。")
        notify_unit(reviewer_ids(application.unit_id), event_key=waiting_key("application", application,
                                                                               application.reply_submitted_at),
                    title=f"待保密审查:政府信息公开申请 {application.number} 的答复",
                    body="答复拟提供政府信息,发出前请进行保密审查。",
                    url=reverse("applications:clear_reply", args=[application.pk]), by=by)
        return application
    save(application, by=by, reason="准备答复", fields=fields)
    _send(application, by=by)
    return application


def shown_text(application: Application) -> str:
    """Exactly what the reply discloses, as the reviewer reads it (D7)."""
    parts = [f"办理结果:{Outcome(application.proposed_outcome).label}", f"答复内容:\n{application.reply_text}"]
    if application.withheld:
        parts.append(f"不予公开的内容及理由:\n{application.withheld}")
    if application.disclosed_document_id:
        parts.append(f"提供的已公开文件:{application.disclosed_document.title}")
    names = [a.original_name for a in application.attachments.all()]
    if names:
        parts.append("提供的附件:" + "、".join(names))
    return "\n\n".join(parts)


@transaction.atomic
def reply_clearance_decide(*, application: Application, cleared: bool, opinion: str, by: User) -> Application:
    """保密审查 of the reply (D7): cleared → the reply is sent; refused → back to the handler with the reason."""
    application = lock(application)
    if not permissions.can_clear_reply(by, application):
        deny("您不是该单位的保密审查员。")
    if application.reply_clearance != Clearance.PENDING or application.status != Status.PROCESSING:
        raise ValidationError("该答复不在待保密审查状态。")
    clearance_decide(item=application, unit_id=application.unit_id, cleared=cleared, opinion=opinion,
                     shown_title=f"政府信息公开申请 {application.number} 的答复", shown_text=shown_text(application),
                     by=by)
    if not cleared:
        application.reply_clearance = Clearance.REFUSED
        save(application, by=by, reason=f"答复未通过保密审查:{opinion}", fields=["reply_clearance"])
        step(application, StepKind.REPLY_REFUSED, by=by, public=False, text=f"保密审查意见:{opinion}")
        tell_handlers(application, event=f"reply_refused:{application.reply_submitted_at.timestamp():.0f}", by=by,
                      title=f"答复未通过保密审查 {application.number}", body=opinion)
        return application
    application.reply_clearance = Clearance.CLEARED
    save(application, by=by, reason="答复通过保密审查", fields=["reply_clearance"])
    _send(application, by=by)
    return application


def _send(application: Application, *, by: User) -> None:
    """The reply is given: the outcome is fixed, the clocks stop, the applicant is told (and served by e-mail)."""
    now = timezone.now()
    application.outcome = application.proposed_outcome
    application.replied_at, application.replied_on = now, workdays.beijing_date(now)
    transition(application, Status.REPLIED)
    fields = ["outcome", "replied_at", "replied_on", "status"]
    if application.delivery == Delivery.EMAIL and application.email:
        application.delivered_on, application.delivery_note = application.replied_on, "通过电子邮件发送"
        fields += ["delivered_on", "delivery_note"]
    save(application, by=by, reason=f"答复:{application.get_outcome_display()}", fields=fields)
    reply = deadline_of(application, deadlines.REPLY, states=(DeadlineState.RUNNING, DeadlineState.MISSED),
                        lock=True)
    if reply is not None:
        deadline_meet(deadline=reply, by=by, note="已答复")
    cancel_open(application, deadlines.CORRECTION_WINDOW, reason="已答复", by=by)
    step(application, StepKind.REPLIED, by=by, notice=NoticeKind.REPLY,
         text=f"办理结果:{application.get_outcome_display()}。")
    tell_applicant(application, subject="答复告知书",
                   body=f"{application.unit.name}已对您的申请作出答复(办理结果:{application.get_outcome_display()})。"
                        f"\n\n{application.reply_text}\n\n{application.remedies}")


@transaction.atomic
def reply_deliver(*, application: Application, delivered_on: date, note: str, by: User) -> Application:
    """送达: posting (交邮) or handing over, with its date — the day the reply counts as delivered."""
    application = lock(application)
    if not permissions.can_handle(by, application):
        deny()
    if application.status != Status.REPLIED:
        raise ValidationError("该申请尚未答复。")
    note = _text(note, field="note", label="送达情况", max_chars=200)
    if delivered_on is None or delivered_on > today() or delivered_on < application.replied_on:
        raise ValidationError({"delivered_on": "送达日期应在答复之日与今天之间。"})
    application.delivered_on, application.delivery_note = delivered_on, note
    save(application, by=by, reason=f"送达:{note}", fields=["delivered_on", "delivery_note"])
    step(application, StepKind.DELIVERED, by=by, text=f"{delivered_on:%Y-%m-%d} {note}")
    return application
