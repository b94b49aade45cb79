"""Who may do what to a report (A6, D7). Every condition on its own line; the services ask these."""

from tongchuan_portal.units.models import Role
from tongchuan_portal.units.permissions import has_role, is_city_office_reviewer

from .selectors import covered_unit_ids

STAFF_ROLES = (Role.Code.CLERK, Role.Code.TRANSPARENCY_OFFICE)


def _in_covered(user, report, *roles) -> bool:
    return any(has_role(user, unit_id, *roles) for unit_id in covered_unit_ids(report.unit))


def can_view(user, report) -> bool:
    """The report's own units (every role) and the city office, which sees every unit's."""
    return _in_covered(user, report, *Role.Code.values) or is_city_office_reviewer(user)


def can_edit(user, report) -> bool:
    """A clerk or the transparency office of the report's units fills entered rows and sections."""
    return _in_covered(user, report, *STAFF_ROLES)


def can_approve(user, report) -> bool:
    """单位主要负责人 approves (审定) the report; the city government's is compiled by 市政府办公室, whose head
    may approve it too (条例第五十条: the 主管部门 compiles the government's report)."""
    return _in_covered(user, report, Role.Code.UNIT_HEAD)


def can_clear(user, report) -> bool:
    """保密审查 by a confidentiality reviewer of the report's units (D7)."""
    return _in_covered(user, report, Role.Code.CONFIDENTIALITY_REVIEWER)


def can_record_appeal(user, unit) -> bool:
    return has_role(user, unit, *STAFF_ROLES)


def can_see_city_summary(user) -> bool:
    return is_city_office_reviewer(user)
