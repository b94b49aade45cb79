from django.db.models import Q, QuerySet

from tongchuan_portal.units.permissions import is_city_office_reviewer, units_with_role

from .models import Deadline


def visible_to(user) -> QuerySet[Deadline]:
    """Deadlines a staff member may see: their own units', or all of them for the city office."""
    if not getattr(user, "is_authenticated", False):
        return Deadline.objects.none()
    if is_city_office_reviewer(user):
        return Deadline.objects.all()
    return Deadline.objects.filter(Q(unit__in=units_with_role(user)))
