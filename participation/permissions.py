"""Who may do what in public participation. Each condition on its own line (STYLE.md).

Staff act for the unit that owns the thing: the clerk (部门经办人) runs the work,
the unit head (单位主要负责人) may do the same and alone marks a draft decided.
The city office (市政府办公室审核员) routes messages between units. Public reading
needs none of this: what is published is public.
"""

from django.db.models import Q, QuerySet

from tongchuan_portal.units.models import Role, Unit, UnitKind
from tongchuan_portal.units.permissions import has_role, holds_role, is_city_office_reviewer, units_with_role

from tongchuan_portal.core.models import Clearance

from .models import CommentPeriod, DecisionDraft, DraftStatus, Meeting, MeetingKind, Message

STAFF_ROLES = (Role.Code.CLERK, Role.Code.UNIT_HEAD)


def is_participation_staff(user) -> bool:
    return holds_role(user, *STAFF_ROLES) or is_city_office_reviewer(user)


# --- drafts, periods, comments ----------------------------------------------------------


def can_create_draft(user, unit) -> bool:
    return has_role(user, unit, *STAFF_ROLES)


def can_manage_draft(user, draft: DecisionDraft) -> bool:
    """Edit, publish, moderate comments, group them, answer them, publish the adoption report."""
    return has_role(user, draft.unit_id, *STAFF_ROLES)


def can_decide_draft(user, draft: DecisionDraft) -> bool:
    return has_role(user, draft.unit_id, Role.Code.UNIT_HEAD)


def draft_visible_to(user) -> QuerySet[DecisionDraft]:
    return DecisionDraft.objects.filter(unit__in=units_with_role(user, *STAFF_ROLES))


# --- meetings ------------------------------------------------------------------------------


def can_create_meeting(user, unit) -> bool:
    return has_role(user, unit, *STAFF_ROLES)


def can_manage_meeting(user, meeting: Meeting) -> bool:
    """Plan, announce, add topics, decide registrations, mark attendance, record the outcome."""
    return has_role(user, meeting.unit_id, *STAFF_ROLES)


def meeting_visible_to(user) -> QuerySet[Meeting]:
    return Meeting.objects.filter(unit__in=units_with_role(user, *STAFF_ROLES))


GOVERNMENT_MEETING_KINDS = (MeetingKind.EXECUTIVE, MeetingKind.SPECIAL)
GOVERNMENT_KINDS = (UnitKind.GOVERNMENT, UnitKind.DISTRICT)


def _government_of(unit: Unit) -> Unit | None:
    """The people's government a unit's government meetings belong to: itself, or the one its office serves."""
    if unit.kind in GOVERNMENT_KINDS:
        return unit
    if unit.kind == UnitKind.GENERAL_OFFICE:
        return unit.parent
    return None


def drafts_for_agenda(meeting: Meeting) -> QuerySet[DecisionDraft]:
    """The decision drafts `meeting` may put on its agenda (M2, M5).

    A meeting takes its own unit's published or exempt drafts. A government's
    executive or special meeting, held by the government or its general office,
    also takes the drafts its own departments sent to that kind of meeting
    (依法不予公开 ones included: the meeting still decides them). Nothing else —
    another unit's draft is never offered, nor is one still being written.
    """
    return _agenda_scope(meeting).exclude(status=DraftStatus.DRAFTING)


def _agenda_scope(meeting: Meeting) -> QuerySet[DecisionDraft]:
    condition = Q(unit_id=meeting.unit_id)
    government = _government_of(meeting.unit) if meeting.kind in GOVERNMENT_MEETING_KINDS else None
    if government is not None:
        own_departments = Q(unit=government) | (Q(unit__parent=government) & ~Q(unit__kind__in=GOVERNMENT_KINDS))
        condition |= own_departments & Q(deciding_meeting_kind=meeting.kind)
    return DecisionDraft.objects.filter(condition)


def can_put_on_agenda(meeting: Meeting, draft: DecisionDraft) -> bool:
    """Whose draft it is and which meeting it was sent to; the service checks its status after."""
    return _agenda_scope(meeting).filter(pk=draft.pk).exists()


# --- evaluations ---------------------------------------------------------------------------


def can_manage_evaluation(user, unit) -> bool:
    return has_role(user, unit, *STAFF_ROLES)


# --- messages ------------------------------------------------------------------------------


def can_reply_message(user, message: Message) -> bool:
    """Reply, or mark invalid: the unit it is routed to."""
    return has_role(user, message.unit_id, *STAFF_ROLES)


def can_route_message(user, message: Message) -> bool:
    """Transfer to another unit: the unit that holds it, or the city office for any message."""
    if can_reply_message(user, message):
        return True
    return is_city_office_reviewer(user)


def message_visible_to(user) -> QuerySet[Message]:
    if is_city_office_reviewer(user):
        return Message.objects.all()
    return Message.objects.filter(unit__in=units_with_role(user, *STAFF_ROLES))


# --- 保密审查 (D7) ---------------------------------------------------------------------------
# Like a document, a draft and its adoption report are cleared by the confidentiality reviewers of
# the unit that publishes them: the drafting unit.


def can_clear_draft(user, draft: DecisionDraft) -> bool:
    return (
        draft.status == DraftStatus.CLEARANCE
        and has_role(user, draft.unit_id, Role.Code.CONFIDENTIALITY_REVIEWER)
    )


def can_clear_report(user, period: CommentPeriod) -> bool:
    return (
        period.report_clearance == Clearance.PENDING
        and has_role(user, period.draft.unit_id, Role.Code.CONFIDENTIALITY_REVIEWER)
    )
