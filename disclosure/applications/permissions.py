"""Who may do what with applications (A1–A5). Each condition on its own line (STYLE.md).

The receiving unit's handlers (部门经办人, 政务公开工作机构) run an application; its 政府信息公开工作机构负责人
alone approves an extension (第三十三条); its 保密审查员 clears what a reply discloses (D7); its unit head may
read. The city office (市政府办公室审核员) supervises every unit: it sees every application with personal data
masked and may mark one 督办. Anyone else gets nothing (the views answer 404). Applicants act through their
number and 查询码, never through an account.
"""

from django.db.models import QuerySet

from tongchuan_portal.units.models import Role
from tongchuan_portal.units.permissions import (
    has_role, holds_role, is_city_office_reviewer, unit_ids_with_role, units_with_role,
)

from .models import Application, Status

HANDLER_ROLES = (Role.Code.CLERK, Role.Code.TRANSPARENCY_OFFICE)
READER_ROLES = (*HANDLER_ROLES, Role.Code.UNIT_HEAD, Role.Code.DISCLOSURE_OFFICE_HEAD)


def handled_by(user) -> QuerySet[Application]:
    """Applications of the units where the user handles or reads applications (full personal data)."""
    return Application.objects.filter(unit__in=units_with_role(user, *READER_ROLES))


def visible_to(user) -> QuerySet[Application]:
    """Every application the user may open: the unit's own, and all of them for the city office."""
    if is_city_office_reviewer(user):
        return Application.objects.all()
    return handled_by(user)


def is_applications_staff(user) -> bool:
    return holds_role(user, *READER_ROLES) or is_city_office_reviewer(user)


def can_handle(user, application: Application) -> bool:
    """Confirm, ask for a correction, consult, charge, reply, deliver, transfer."""
    return has_role(user, application.unit_id, *HANDLER_ROLES)


def can_register(user, unit) -> bool:
    """Record an application handed in, posted, faxed, e-mailed or made orally (第二十九条)."""
    return has_role(user, unit, *HANDLER_ROLES)


def can_approve_extension(user, application: Application) -> bool:
    return has_role(user, application.unit_id, Role.Code.DISCLOSURE_OFFICE_HEAD)


def can_see_personal_data(user, application: Application) -> bool:
    """The unit's own people see the applicant in full (and each view is logged); the city office sees it masked."""
    return has_role(user, application.unit_id, *READER_ROLES)


def can_clear_reply(user, application: Application) -> bool:
    return has_role(user, application.unit_id, Role.Code.CONFIDENTIALITY_REVIEWER)


def replies_awaiting_clearance(user) -> QuerySet[Application]:
    from tongchuan_portal.core.models import Clearance

    return Application.objects.filter(unit_id__in=unit_ids_with_role(user, Role.Code.CONFIDENTIALITY_REVIEWER),
                                      reply_clearance=Clearance.PENDING, status=Status.PROCESSING)


def can_supervise(user) -> bool:
    return is_city_office_reviewer(user)
