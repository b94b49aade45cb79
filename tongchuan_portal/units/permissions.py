"""Who may act for which unit. Every app asks these helpers; nothing reads the UI.

A user's power comes from memberships (user × unit × roles). Superusers are
auditors in the admin, not actors in a unit's workflow, so they get no role here.
"""

from collections import defaultdict

from django.db.models import QuerySet
from guardian.shortcuts import get_objects_for_user

from .models import Membership, Role, SpecialUnit, Unit

#: Bumped in this process by every change to a membership, its roles, a role or a unit
#: (signals connected in units/apps.py), so a user object never answers from roles read before the change.
_roles_version = 0


def roles_changed(**kwargs) -> None:
    global _roles_version
    _roles_version += 1


def _held(user) -> frozenset[tuple[int, str, str | None]]:
    """The user's (unit id, unit's special mark, role code) rows, read once per user object.

    A request asks several role questions (the menu, the view, its sections); each used to be an
    EXISTS query. The rows are kept on the user object — one request's or one task's — and dropped
    when anything they came from changes in this process.
    """
    memo = getattr(user, "_portal_roles", None)
    if memo is not None and memo[0] == _roles_version:
        return memo[1]
    version = _roles_version
    rows = frozenset(Membership.objects.filter(user=user).values_list("unit_id", "unit__special", "roles__code"))
    user._portal_roles = (version, rows)
    return rows


def holds_role(user, *roles: str, special: str | None = None) -> bool:
    """True when `user` holds one of `roles` (any membership when none are given) in some unit,
    or only in the unit marked `special` (the city office, the propaganda department…)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return any((not roles or code in roles) and (special is None or mark == special)
               for _unit_id, mark, code in _held(user))


def units_with_role(user, *roles: str) -> QuerySet[Unit]:
    """Units where `user` holds any of `roles` (all their roles when none are given)."""
    if not getattr(user, "is_authenticated", False):
        return Unit.objects.none()
    memberships = Membership.objects.filter(user=user)
    if roles:
        memberships = memberships.filter(roles__code__in=roles)
    return Unit.objects.filter(pk__in=memberships.values("unit_id"))


def unit_ids_with_role(user, *roles: str) -> list[int]:
    """The ids of the units where `user` holds any of `roles` (any membership when none are given), from
    the rows `holds_role` reads once per request: for the read side (queues, lists) where a subquery per
    section cost more to compile than to run. Writes ask the database (`units_with_role`)."""
    if not getattr(user, "is_authenticated", False):
        return []
    return sorted({unit_id for unit_id, _mark, code in _held(user) if not roles or code in roles})


def has_role(user, unit: Unit | int, *roles: str) -> bool:
    """True when `user` holds one of `roles` in exactly `unit` (not its parent or children)."""
    if not getattr(user, "is_authenticated", False) or not roles:
        return False
    unit_id = unit.pk if isinstance(unit, Unit) else unit
    return Membership.objects.filter(user=user, unit_id=unit_id, roles__code__in=roles).exists()


def roles_by_unit(user) -> dict[int, set[str]]:
    """{unit_id: {role codes}} for the user, in one query — for loops and templates."""
    result: dict[int, set[str]] = defaultdict(set)
    if not getattr(user, "is_authenticated", False):
        return {}
    rows = Membership.objects.filter(user=user).values_list("unit_id", "roles__code")
    for unit_id, code in rows:
        result[unit_id]  # a membership with no roles still counts as belonging
        if code:
            result[unit_id].add(code)
    return dict(result)


def is_city_office_reviewer(user) -> bool:
    """The city office (市政府办公室) reviews submissions from every unit (D5, D6)."""
    return holds_role(user, Role.Code.CITY_OFFICE_REVIEWER, special=SpecialUnit.CITY_OFFICE)


def can_administer(user, perm: str) -> bool:
    """The admin's writers: active staff holding the Django model permission `perm` (superusers hold all).

    This is the admin's own right to keep reference data (units, memberships, catalogs, guides…); it gives
    no role in any unit's workflow.
    """
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_staff
                and user.has_perm(perm))


def objects_for_user(user, perm: str, queryset: QuerySet) -> QuerySet:
    """Objects in `queryset` on which `user` holds the guardian object permission `perm`.

    Pass a narrowed queryset (STYLE.md): guardian then joins only those rows.
    Global (model-level) permissions do not count: access is per object.
    """
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    return get_objects_for_user(
        user, perm, klass=queryset, accept_global_perms=False, with_superuser=False
    )
