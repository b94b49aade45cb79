"""Who may see and handle opinion cases.

Access follows from memberships and the case's responsible unit, which the city
office can change; deriving it at query time keeps it right after a reassignment
without copying permissions onto each case.

- see: opinion officers and the unit head of the responsible unit; every member
  of the city office (市政府办公室, which coordinates) and of the propaganda
  department (市委宣传部, which is told of every case);
- record a new case: any opinion officer of any unit (the case is then routed, O1);
- handle (triage, release, press conference, transfer, feedback, close): opinion
  officers of the responsible unit and of the city office, while the case is open;
- reassign: the city office's reviewers, opinion officers and head;
- clear a release for the 回应关切 column (保密审查, D7): confidentiality reviewers of the
  release's unit, as for a document, or of the city office, which coordinates every case (O1).
"""

from django.db.models import QuerySet

from tongchuan_portal.core.models import Clearance
from tongchuan_portal.units.models import Role, SpecialUnit
from tongchuan_portal.units.permissions import has_role, holds_role, roles_by_unit, units_with_role
from tongchuan_portal.units.selectors import special_unit_id

from .models import CaseStatus, OpinionCase, Release

SEE_ROLES = (Role.Code.OPINION_OFFICER, Role.Code.UNIT_HEAD)
REASSIGN_ROLES = {Role.Code.CITY_OFFICE_REVIEWER, Role.Code.OPINION_OFFICER, Role.Code.UNIT_HEAD}


def _authenticated(user) -> bool:
    return getattr(user, "is_authenticated", False)


def sees_every_case(user) -> bool:
    """Members of the city office and of the propaganda department see all cases."""
    if not _authenticated(user):
        return False
    return holds_role(user, special=SpecialUnit.CITY_OFFICE) or holds_role(user, special=SpecialUnit.PROPAGANDA)


def visible_to(user) -> QuerySet[OpinionCase]:
    if not _authenticated(user):
        return OpinionCase.objects.none()
    if sees_every_case(user):
        return OpinionCase.objects.all()
    return OpinionCase.objects.filter(responsible_unit__in=units_with_role(user, *SEE_ROLES))


def can_see_dashboard(user) -> bool:
    if not _authenticated(user):
        return False
    return sees_every_case(user) or holds_role(user, *SEE_ROLES)


def can_record(user) -> bool:
    return holds_role(user, Role.Code.OPINION_OFFICER)


class Abilities:
    """What one user may do on one case, from the user's memberships (two queries)."""

    def __init__(self, user, case: OpinionCase):
        roles = roles_by_unit(user) if _authenticated(user) else {}
        own = roles.get(case.responsible_unit_id, set())
        office_id = special_unit_id(SpecialUnit.CITY_OFFICE) if roles else None
        office = roles.get(office_id, set())
        is_open = case.status == CaseStatus.OPEN
        # Role-based powers, then the same gated on the case still being open.
        self.handler = Role.Code.OPINION_OFFICER in own or Role.Code.OPINION_OFFICER in office
        self.reassigner = bool(REASSIGN_ROLES & office)
        self.handle = is_open and self.handler
        self.reassign = is_open and self.reassigner


def can_clear_release(user, release: Release) -> bool:
    """保密审查 of a release waiting for the 回应关切 column (D7)."""
    if release.clearance != Clearance.PENDING:
        return False
    return (
        has_role(user, release.unit_id, Role.Code.CONFIDENTIALITY_REVIEWER)
        or holds_role(user, Role.Code.CONFIDENTIALITY_REVIEWER, special=SpecialUnit.CITY_OFFICE)
    )

