"""Who acts next: active holders of a role in a unit, from the memberships (never usernames)."""

from tongchuan_portal.units.models import Membership, SpecialUnit


def role_holders(unit_ids, *roles: str) -> list[int]:
    """Ids of active users holding any of `roles` in any of the units (one query)."""
    if isinstance(unit_ids, int):
        unit_ids = [unit_ids]
    unit_ids = [u for u in unit_ids if u]
    if not unit_ids or not roles:
        return []
    rows = Membership.objects.filter(unit_id__in=unit_ids, user__is_active=True, roles__code__in=roles)
    return sorted(set(rows.values_list("user_id", flat=True)))


def city_office_role_holders(*roles: str) -> list[int]:
    """Active holders of `roles` in 市政府办公室."""
    rows = Membership.objects.filter(unit__special=SpecialUnit.CITY_OFFICE, user__is_active=True, roles__code__in=roles)
    return sorted(set(rows.values_list("user_id", flat=True)))
