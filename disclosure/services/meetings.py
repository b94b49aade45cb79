"""M6: a document the executive meeting adopts is issued within 7 (or 10) working days of the meeting."""

from __future__ import annotations

from datetime import date, datetime, time

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from tongchuan_portal.clock.models import DeadlineState
from tongchuan_portal.clock.registry import get_rule
from tongchuan_portal.clock.selectors import deadline_of
from tongchuan_portal.clock.services import deadline_cancel, fmt
from tongchuan_portal.clock.workdays import BEIJING, due_moment
from tongchuan_portal.core.validation import bounded_date
from tongchuan_portal.core.workflow import save_with_history

from .. import deadlines, permissions
from ..models import Document
from ._common import cancel_clock, city_office, lock, start_clock


@transaction.atomic
def document_record_meeting_adoption(*, document: Document, meeting: str, meeting_date: date,
                                     major_revisions: bool, by: User, confirm_overdue: bool = False,
                                     ended_at: datetime | None = None) -> Document:
    """M6: a document the executive meeting adopts is issued within 7 (or 10) working days of the meeting.

    Recorded by the city office while the document is with it and not yet issued
    (`permissions.can_record_meeting_adoption`). A meeting so long ago that the
    issue clock has already run out is recorded only when `confirm_overdue` says
    the person knows it will show as overdue at once.
    """
    document = lock(document)
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
    save_with_history(document, by=by, reason=f"登记会议审议通过:{meeting}({meeting_date:%Y-%m-%d})"
                      + (",印发时限已届满,经确认登记" if due.due_at <= now else ""),
                      fields=["adopted_by_meeting", "meeting_date", "major_revisions", "updated_at"])
    cancel_clock(other, document, by=by, reason="重大修改意见情况变更")
    current = deadline_of(document, rule, states=(DeadlineState.RUNNING, DeadlineState.PAUSED))
    if current is not None and current.started_at != ended_at:
        deadline_cancel(deadline=current, reason=f"会议日期更正为{meeting_date:%Y-%m-%d}", by=by)
    start_clock(rule, document, city_office(), by=by, at=ended_at, subject=f"《{document.title}》会后印发")
    return document
