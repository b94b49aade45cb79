from django.contrib.auth.models import Group
from django.db import transaction

from .directory import UNITS
from .models import Membership, Role, Unit


def _save_with_history(obj, *, by, reason: str, update_fields=None) -> None:
    obj._history_user = by
    obj._change_reason = reason
    obj.save(update_fields=update_fields)


@transaction.atomic
def roles_ensure() -> None:
    """Every role code has its row (idempotent; roles are reference data)."""
    for code, label in Role.Code.choices:
        Role.objects.get_or_create(code=code, defaults={"description": label})


@transaction.atomic
def units_load_directory(*, by) -> tuple[int, int]:
    """Create or update Tongchuan's units from `directory.UNITS`; returns (created, updated).

    Idempotent: running it again changes nothing and writes no history.
    """
    roles_ensure()
    existing = {u.code: u for u in Unit.objects.all()}
    created = updated = 0
    for order, (code, name, short_name, issuer_code, kind, parent_code) in enumerate(UNITS, start=1):
        parent = existing[parent_code] if parent_code else None
        values = {
            "name": name,
            "short_name": short_name,
            "issuer_code": issuer_code,
            "kind": kind,
            "parent": parent,
            "sort_order": order * 10,
        }
        unit = existing.get(code)
        if unit is None:
            unit = Unit(code=code, **values)
            _save_with_history(unit, by=by, reason="载入铜川市单位名录")
            existing[code] = unit
            created += 1
            continue
        changed = [f for f, v in values.items() if getattr(unit, f) != v]
        if changed:
            for field in changed:
                setattr(unit, field, values[field])
            _save_with_history(unit, by=by, reason="更新铜川市单位名录", update_fields=changed)
            updated += 1
    return created, updated


@transaction.atomic
def membership_grant(*, user, unit: Unit, roles: list[str], by, title: str = "") -> Membership:
    """Give `user` the `roles` in `unit` (added to any they already hold there)."""
    membership = Membership.objects.select_for_update().filter(user=user, unit=unit).first()
    if membership is None:
        membership = Membership(user=user, unit=unit, title=title)
        _save_with_history(membership, by=by, reason="新增任职")
    wanted = list(Role.objects.filter(code__in=roles))
    if len(wanted) != len(set(roles)):
        raise ValueError(f"未知角色:{sorted(set(roles) - {r.code for r in wanted})}")
    unit_group(unit).user_set.add(user)
    membership._history_user = by
    membership._change_reason = f"授予角色:{'、'.join(r.get_code_display() for r in wanted)}"
    membership.roles.add(*wanted)
    return membership


@transaction.atomic
def membership_revoke(*, user, unit: Unit, roles: list[str] | None = None, by) -> None:
    """Take `roles` away from `user` in `unit`; with no roles, end the membership."""
    membership = Membership.objects.select_for_update().filter(user=user, unit=unit).first()
    if membership is None:
        return
    membership._history_user = by
    if roles:
        membership._change_reason = "撤销角色"
        membership.roles.remove(*Role.objects.filter(code__in=roles))
        return
    membership._change_reason = "撤销任职"
    membership.delete()
    unit_group(unit).user_set.remove(user)


def unit_group(unit: Unit) -> Group:
    """Every unit has an auth group of its members: guardian grants objects to a unit through it."""
    group, _ = Group.objects.get_or_create(name=unit.group_name)
    return group
