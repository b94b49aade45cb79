from django.db.models import Q, QuerySet

from tongchuan_portal.units.models import SpecialUnit
from tongchuan_portal.units.permissions import holds_role, is_city_office_reviewer, units_with_role

from .models import Deadline
from .registry import PROPAGANDA, all_rules


def visible_to(user) -> QuerySet[Deadline]:
    """Deadlines a staff member may see: their own units', or all of them for the city office."""
    if not getattr(user, "is_authenticated", False):
        return Deadline.objects.none()
    if is_city_office_reviewer(user):
        return Deadline.objects.all()
    condition = Q(unit__in=units_with_role(user))
    if holds_role(user, special=SpecialUnit.PROPAGANDA):
        # The propaganda department is told of missed O4 clocks (registry.PROPAGANDA); it may open them.
        rules = [r.code for r in all_rules() if any(PROPAGANDA in e.targets for e in r.escalations)]
        escalated = Deadline.objects.filter(rule__in=rules, signals__tier__startswith="escalate").values("pk")
        condition |= Q(pk__in=escalated)
    return Deadline.objects.filter(condition)
