"""Every write to units, roles, memberships, users and groups — the admin's included.

A membership is what gives access: the user joins the unit's auth group, and django-guardian grants
co-issued drafts and interpretation plans to that group. So every path that adds, changes, moves or
ends a membership goes through here and keeps the groups in step.
"""

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from tongchuan_portal.core.history import save_with_history

from .directory import UNITS
from .models import UNIT_GROUP_PREFIX, Membership, Role, Unit
from .permissions import can_administer

UNIT_FIELDS = ("name", "short_name", "issuer_code", "kind", "parent", "seal_image", "sort_order", "is_active")
CODE_IS_FIXED = "单位代码创建后不能修改:它是单位在单位名录、人员权限组和各项公开规则中的标识。如需更名,请修改全称或简称。"
UNIT_GROUP_IS_AUTOMATIC = "单位人员组由任职记录自动维护,不能直接加入、修改或删除;请在“任职”中增减人员。"

def _require(by, perm: str, action: str) -> None:
    if not can_administer(by, perm):
        raise PermissionDenied(f"您没有{action}的权限。")


def _labels(model, fields) -> str:
    return "、".join(str(model._meta.get_field(f).verbose_name) for f in fields)


@transaction.atomic
def roles_ensure() -> None:
    """Every role code has its row (idempotent; roles are reference data)."""
    for code, label in Role.Code.choices:
        Role.objects.get_or_create(code=code, defaults={"description": label})


@transaction.atomic
def role_update(*, role: Role, description: str, by) -> Role:
    """Only a role's description may change: its code is what the rules check."""
    _require(by, "units.change_role", "修改角色")
    role = Role.objects.select_for_update().get(pk=role.pk)
    description = (description or "").strip()
    if description != role.description:
        role.description = description
        save_with_history(role, by=by, reason="管理后台修改角色职责说明", fields=["description"])
    return role


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
    from .selectors import descendant_ids

    if unit.parent_id in descendant_ids(unit):
        raise ValidationError({"parent": "上级单位不能是本单位或其下属单位。"})


@transaction.atomic
def unit_create(*, code: str, data: dict, by) -> Unit:
    """A new unit, with its (empty) members' group ready for guardian grants."""
    _require(by, "units.add_unit", "新增单位")
    unit = Unit(code=(code or "").strip(), **{f: data[f] for f in UNIT_FIELDS if f in data})
    unit.full_clean()
    save_with_history(unit, by=by, reason="管理后台新增单位")
    unit_group(unit)
    return unit


@transaction.atomic
def unit_update(*, unit: Unit, data: dict, by) -> Unit:
    """Change a unit's names, kind, place in the tree, seal or order — never its code.

    The code names the unit's auth group (every guardian grant to the unit hangs on it), keys the unit
    directory that `load_units` re-applies on each release, appears in public addresses and picks out
    units the rules name (市政府办公室, the 19 departments of D10). Renaming means the full or short name.
    """
    _require(by, "units.change_unit", "修改单位")
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if "code" in data and data["code"] != unit.code:
        raise ValidationError({"code": CODE_IS_FIXED})
    changed = [f for f in UNIT_FIELDS if f in data and getattr(unit, f) != data[f]]
    for field in changed:
        setattr(unit, field, data[field])
    unit.full_clean()
    _check_parent(unit)
    if changed:
        save_with_history(unit, by=by, reason=f"管理后台修改单位:{_labels(Unit, changed)}", fields=changed)
    return unit


def _roles(codes) -> list[Role]:
    codes = set(codes)
    wanted = list(Role.objects.filter(code__in=codes))
    if len(wanted) != len(codes):
        raise ValidationError({"roles": f"未知角色:{'、'.join(sorted(codes - {r.code for r in wanted}))}"})
    return wanted


def _sync_group(user, unit: Unit) -> None:
    """The user is in the unit's group exactly while they hold a membership there."""
    group = unit_group(unit)
    if Membership.objects.filter(user=user, unit=unit).exists():
        group.user_set.add(user)
    else:
        group.user_set.remove(user)


@transaction.atomic
def membership_grant(*, user, unit: Unit, roles: list[str], by, title: str = "") -> Membership:
    """Give `user` the `roles` in `unit` (added to any they already hold there)."""
    wanted = _roles(roles)
    membership = Membership.objects.select_for_update().filter(user=user, unit=unit).first()
    if membership is None:
        membership = Membership(user=user, unit=unit, title=title)
        save_with_history(membership, by=by, reason="新增任职")
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
    _sync_group(user, unit)


@transaction.atomic
def membership_save(*, by, user, unit: Unit, roles: list[str], title: str = "",
                    membership: Membership | None = None) -> Membership:
    """The admin's path: create a membership, or change one so that `user` holds exactly `roles` in `unit`.

    Changing the user or the unit of an existing row moves the person between unit groups, so access
    to co-issued drafts and interpretation plans follows at once (guardian grants are per unit group).
    """
    _require(by, "units.change_membership" if membership else "units.add_membership",
             "修改任职" if membership else "新增任职")
    wanted = _roles(roles)
    clash = Membership.objects.filter(user=user, unit=unit)
    if membership is not None:
        clash = clash.exclude(pk=membership.pk)
    if clash.exists():
        raise ValidationError({"unit": f"{user}已在{unit}任职,请直接修改那条任职记录。"})
    title = (title or "").strip()
    if membership is None:
        membership, before = Membership(user=user, unit=unit, title=title), None
        save_with_history(membership, by=by, reason=f"管理后台新增任职:{unit}")
        held = set()
    else:
        membership = Membership.objects.select_for_update().select_related("user", "unit").get(pk=membership.pk)
        before = (membership.user, membership.unit)
        held = set(membership.roles.all())
        changed = [f for f, v in (("user", user), ("unit", unit), ("title", title)) if getattr(membership, f) != v]
        if changed:
            membership.user, membership.unit, membership.title = user, unit, title
            reason = f"管理后台修改任职:{_labels(Membership, changed)}"
            if "unit" in changed:
                reason += f"(由{before[1]}调至{unit})"
            save_with_history(membership, by=by, reason=reason, fields=changed)
    added, removed = set(wanted) - held, held - set(wanted)
    if added or removed:
        membership._history_user = by
        parts = [f"授予角色:{'、'.join(str(r) for r in sorted(added, key=lambda r: r.pk))}" if added else "",
                 f"撤销角色:{'、'.join(str(r) for r in sorted(removed, key=lambda r: r.pk))}" if removed else ""]
        membership._change_reason = "管理后台" + ";".join(p for p in parts if p)
        membership.roles.set(wanted)
    if before is not None and before != (user, unit):
        _sync_group(*before)
    _sync_group(user, unit)
    return membership


@transaction.atomic
def membership_end(*, membership: Membership, by) -> None:
    """The admin ends a membership: the person leaves the unit's group and loses what it was granted."""
    _require(by, "units.delete_membership", "删除任职")
    membership = Membership.objects.select_for_update().select_related("user", "unit").get(pk=membership.pk)
    user, unit = membership.user, membership.unit
    membership._history_user, membership._change_reason = by, f"管理后台撤销任职:{unit}"
    membership.delete()
    _sync_group(user, unit)


def unit_group(unit: Unit) -> Group:
    """Every unit has an auth group of its members: guardian grants objects to a unit through it."""
    group, _ = Group.objects.get_or_create(name=unit.group_name)
    return group


def is_unit_group(group: Group) -> bool:
    return group.name.startswith(UNIT_GROUP_PREFIX)


def _group_grant_models():
    """django-guardian's group permission tables (the direct foreign-key ones and the generic one)."""
    from django.apps import apps
    from guardian.models import GroupObjectPermissionBase

    return [m for m in apps.get_models() if issubclass(m, GroupObjectPermissionBase)]


def _merge_group(old: Group, into: Group) -> None:
    for model in _group_grant_models():
        key = [f.attname for f in model._meta.concrete_fields if not f.primary_key and f.name != "group"]
        held = set(model.objects.filter(group=into).values_list(*key))
        doubles = [pk for pk, *row in model.objects.filter(group=old).values_list("pk", *key) if tuple(row) in held]
        model.objects.filter(pk__in=doubles).delete()
        model.objects.filter(group=old).update(group=into)  # grant rows keep no history of their own
    into.user_set.add(*old.user_set.all())  # then the membership sync below decides who stays
    old.delete()


@transaction.atomic
def unit_groups_sync() -> tuple[int, int]:
    """Repair what raw admin saves left behind; returns (groups recovered, people added or removed).

    Before the admin went through `membership_save`, a membership saved there did not join the unit's
    group and one deleted there did not leave it; and a unit whose code was edited left its grants on
    a group named after the old code. Idempotent; `load_units` runs it on every release.
    """
    units = list(Unit.objects.all())
    current_codes = {u.code for u in units}
    recovered = 0
    for unit in units:
        old_codes = set(unit.history.exclude(code=unit.code).values_list("code", flat=True)) - current_codes
        for old in Group.objects.filter(name__in=[f"{UNIT_GROUP_PREFIX}{c}" for c in old_codes]):
            target = Group.objects.filter(name=unit.group_name).first()
            if target is None:
                old.name = unit.group_name
                old.save(update_fields=["name"])
            else:
                _merge_group(old, target)
            recovered += 1
    moved = 0
    members: dict[int, set[int]] = {}
    for unit_id, user_id in Membership.objects.values_list("unit_id", "user_id"):
        members.setdefault(unit_id, set()).add(user_id)
    for unit in units:
        group = unit_group(unit)
        wanted, held = members.get(unit.pk, set()), set(group.user_set.values_list("pk", flat=True))
        if wanted - held:
            group.user_set.add(*(wanted - held))
        if held - wanted:
            group.user_set.remove(*(held - wanted))
        moved += len(wanted ^ held)
    return recovered, moved


# --- users and groups (the admin's auth pages) -------------------------------------------------


@transaction.atomic
def user_save(*, user, by, created: bool, groups=None, permissions=None):
    """Save a user edited in the admin, with history; unit groups stay what the memberships say.

    `groups` are the other auth groups chosen in the admin (staff rights); a unit group there is refused,
    because only a membership may put someone in it.
    """
    _require(by, "auth.add_user" if created else "auth.change_user", "新增用户" if created else "修改用户")
    if groups is not None and any(is_unit_group(g) for g in groups):
        raise ValidationError({"groups": UNIT_GROUP_IS_AUTOMATIC})
    save_with_history(user, by=by, reason="管理后台新增用户" if created else "管理后台修改用户")
    if groups is not None:
        unit_groups = [unit_group(m.unit) for m in Membership.objects.filter(user=user).select_related("unit")]
        user.groups.set([*groups, *unit_groups])
    if permissions is not None:
        user.user_permissions.set(permissions)
    return user


@transaction.atomic
def user_password_set(*, user, by):
    """Record a password set (or password login turned off) in the admin, with who did it."""
    _require(by, "auth.change_user", "重设密码")
    reason = "管理后台重设密码" if user.has_usable_password() else "管理后台停用密码登录"
    save_with_history(user, by=by, reason=reason, fields=["password"])
    return user


@transaction.atomic
def group_save(*, group: Group, by, created: bool, permissions=None) -> Group:
    """Staff groups (admin rights) only: unit groups belong to the memberships."""
    _require(by, "auth.add_group" if created else "auth.change_group", "新增用户组" if created else "修改用户组")
    stored = None if created else Group.objects.select_for_update().get(pk=group.pk)
    if is_unit_group(group) or (stored is not None and is_unit_group(stored)):
        raise ValidationError({"name": UNIT_GROUP_IS_AUTOMATIC})
    group.save()
    if permissions is not None:
        group.permissions.set(permissions)
    return group


@transaction.atomic
def group_delete(*, group: Group, by) -> None:
    _require(by, "auth.delete_group", "删除用户组")
    if is_unit_group(group):
        raise ValidationError(UNIT_GROUP_IS_AUTOMATIC)
    group.delete()
