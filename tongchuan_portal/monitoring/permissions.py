"""Who sees which findings (W2): a unit's staff their own units', the city office every unit's."""

from django.db.models import QuerySet

from tongchuan_portal.units.models import Unit
from tongchuan_portal.units.permissions import units_with_role


def sees_all(user) -> bool:
    from disclosure.permissions import is_city_office_staff

    return is_city_office_staff(user)


def visible_units(user) -> QuerySet[Unit]:
    if sees_all(user):
        return Unit.objects.filter(is_active=True)
    return units_with_role(user)


def can_see_monitoring(user) -> bool:
    return visible_units(user).exists()
