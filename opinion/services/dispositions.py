"""What a disposition records besides releases (O3, O4): the press conference, the transfer of a false
rumour's clues, the feedback to whoever raised the matter."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tongchuan_portal.core.validation import bounded_date
from tongchuan_portal.core.workflow import save_with_history

from .. import deadlines as rules
from ..models import CaseEvent, ClueTransfer, Disposition, Feedback, OpinionCase, PressConference
from ._common import _choice, _event, _handling, _meet, _not_future, _text, _who

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@transaction.atomic
def press_conference_record(*, case: OpinionCase, held_at: datetime, place: str, speakers: str,
                            summary: str = "", by: User) -> PressConference:
    """Record a press conference; it meets the 24-hour clock of a Ⅰ/Ⅱ emergency (O4)."""
    case = _handling(case, by)
    _not_future(held_at, "held_at", "召开时间")
    place = _text(place, "place", "请填写发布会地点。")
    speakers = _text(speakers, "speakers", "请填写发布人。")
    conference = PressConference(case=case, held_at=held_at, place=place, speakers=speakers,
                                 summary=(summary or "").strip(), recorded_by=by)
    save_with_history(conference, by=by, reason="登记新闻发布会")
    met = _meet(case, rules.PRESS_CONFERENCE, by=by, at=held_at, what="新闻发布会")
    _event(case, CaseEvent.Kind.PRESS_CONFERENCE, by=by, at=held_at,
           text=f"{_who(by)}登记新闻发布会:{place},发布人{speakers}{met}")
    return conference


@transaction.atomic
def transfer_record(*, case: OpinionCase, transferred_on: date, receiving_body: str, reference: str,
                    note: str = "", by: User) -> ClueTransfer:
    """线索移交 — false information's clues go to the police or the cyberspace authority (O3)."""
    case = _handling(case, by)
    if case.disposition != Disposition.FALSE_INFO:
        raise ValidationError("只有研判为虚假信息的舆情才需移交线索。")
    if transferred_on is None:
        raise ValidationError({"transferred_on": "请填写移交日期。"})
    if transferred_on > timezone.localdate():
        raise ValidationError({"transferred_on": "移交日期不能晚于今天。"})
    bounded_date(transferred_on, field="transferred_on", label="移交日期")
    _choice(receiving_body, ClueTransfer.Body, "receiving_body", "请选择接收机关。")
    reference = _text(reference, "reference", "请填写移交文号或编号。")
    transfer = ClueTransfer(case=case, transferred_on=transferred_on, receiving_body=receiving_body,
                            reference=reference, note=(note or "").strip(), recorded_by=by)
    save_with_history(transfer, by=by, reason="登记线索移交")
    _event(case, CaseEvent.Kind.TRANSFER, by=by,
           text=f"{_who(by)}登记线索移交:{transferred_on:%Y-%m-%d}移交{transfer.get_receiving_body_display()},"
                f"编号{reference}。")
    return transfer


@transaction.atomic
def feedback_record(*, case: OpinionCase, channel: str, recipient: str, content: str, sent_at: datetime,
                    by: User) -> Feedback:
    """Record the feedback to whoever raised the matter: letter, e-mail or reply post (O3)."""
    case = _handling(case, by)
    _choice(channel, Feedback.Channel, "channel", "请选择反馈方式。")
    recipient = _text(recipient, "recipient", "请填写反馈对象。")
    content = _text(content, "content", "请填写反馈内容。")
    _not_future(sent_at, "sent_at", "反馈时间")
    feedback = Feedback(case=case, channel=channel, recipient=recipient, content=content, sent_at=sent_at,
                        recorded_by=by)
    save_with_history(feedback, by=by, reason="登记处置反馈")
    _event(case, CaseEvent.Kind.FEEDBACK, by=by, at=sent_at,
           text=f"{_who(by)}登记反馈:以{feedback.get_channel_display()}答复{recipient}。")
    return feedback
