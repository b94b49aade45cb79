"""Units (单位) and roles: the directory load and the admin's edits, with the code fixed at creation."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction

from tongchuan_portal.core.history import save_with_history

from ..directory import SPECIAL_UNITS, UNITS, issuer_codes_for
from ..models import Role, Unit
from ._common import labels, require
from .memberships import unit_group

UNIT_FIELDS = ("name", "short_name", "issuer_code", "other_issuer_codes", "kind", "parent", "seal_image", "sort_order", "is_active")
CODE_IS_FIXED = "单位代码创建后不能修改:它是单位在单位名录、人员权限组和各项公开规则中的标识。如需更名,请修改全称或简称。"


@transaction.atomic
def roles_ensure() -> None:
    """Every role code has its row (idempotent; roles are reference data)."""
    for code, label in Role.Code.choices:
        Role.objects.get_or_create(code=code, defaults={"description": label})


@transaction.atomic
def role_update(*, role: Role, description: str, by: User) -> Role:
    """Only a role's description may change: its code is what the rules check."""
    require(by, "units.change_role", "修改角色")
    role = Role.objects.select_for_update().get(pk=role.pk)
    description = (description or "").strip()
    if description != role.description:
        role.description = description
        save_with_history(role, by=by, reason="管理后台修改角色职责说明", fields=["description"])
    return role


@transaction.atomic
def units_load_directory(*, by: User) -> tuple[int, int]:
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
            "other_issuer_codes": issuer_codes_for(issuer_code),
            "kind": kind,
            "special": SPECIAL_UNITS.get(code, ""),
            "parent": parent,
            "sort_order": order * 10,
        }
        unit = existing.get(code)
        if unit is None:
            unit = Unit(code=code, **values)
            save_with_history(unit, by=by, reason="载入铜川市单位名录")
            existing[code] = unit
            created += 1
            continue
        changed = [f for f, v in values.items() if getattr(unit, f) != v]
        if changed:
            for field in changed:
                setattr(unit, field, values[field])
            save_with_history(unit, by=by, reason="更新铜川市单位名录", fields=changed)
            updated += 1
    return created, updated


def _check_parent(unit: Unit) -> None:
    if unit.parent_id is None or unit.pk is None:
        return
    from ..selectors import descendant_ids

    if unit.parent_id in descendant_ids(unit):
        raise ValidationError({"parent": "上级单位不能是本单位或其下属单位。"})


@transaction.atomic
def unit_create(*, code: str, data: dict, by: User) -> Unit:
    """A new unit, with its (empty) members' group ready for guardian grants."""
    require(by, "units.add_unit", "新增单位")
    unit = Unit(code=(code or "").strip(), **{f: data[f] for f in UNIT_FIELDS if f in data})
    unit.full_clean()
    save_with_history(unit, by=by, reason="管理后台新增单位")
    unit_group(unit)
    return unit


@transaction.atomic
def unit_update(*, unit: Unit, data: dict, by: User) -> Unit:
    """Change a unit's names, kind, place in the tree, seal or order — never its code.

    The code names the unit's auth group (every guardian grant to the unit hangs on it), keys the unit
    directory that `load_units` re-applies on each release, appears in public addresses and picks out
    units the rules name (市政府办公室, the 19 departments of D10). Renaming means the full or short name.
    """
    require(by, "units.change_unit", "修改单位")
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if "code" in data and data["code"] != unit.code:
        raise ValidationError({"code": CODE_IS_FIXED})
    changed = [f for f in UNIT_FIELDS if f in data and getattr(unit, f) != data[f]]
    for field in changed:
        setattr(unit, field, data[field])
    unit.full_clean()
    _check_parent(unit)
    if changed:
        save_with_history(unit, by=by, reason=f"管理后台修改单位:{labels(Unit, changed)}", fields=changed)
    return unit
