"""Memberships (任职) and the unit groups they keep in step.

A membership is what gives access: the user joins the unit's auth group, and django-guardian grants
co-issued drafts and interpretation plans to that group. So every path that adds, changes, moves or
ends a membership goes through here.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, User
from django.core.exceptions import ValidationError
from django.db import transaction

from tongchuan_portal.core.workflow import delete_with_history, record, save_with_history

from ..models import UNIT_GROUP_PREFIX, Membership, Role, Unit
from ._common import labels, require


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
def membership_grant(*, user, unit: Unit, roles: list[str], by: User, title: str = "") -> Membership:
    """Give `user` the `roles` in `unit` (added to any they already hold there)."""
    wanted = _roles(roles)
    membership = Membership.objects.select_for_update().filter(user=user, unit=unit).first()
    if membership is None:
        membership = Membership(user=user, unit=unit, title=title)
        save_with_history(membership, by=by, reason="新增任职")
    unit_group(unit).user_set.add(user)
    record(membership, by=by, reason=f"授予角色:{'、'.join(r.get_code_display() for r in wanted)}")
    membership.roles.add(*wanted)
    return membership


@transaction.atomic
def membership_revoke(*, user, unit: Unit, roles: list[str] | None = None, by: User) -> None:
    """Take `roles` away from `user` in `unit`; with no roles, end the membership."""
    membership = Membership.objects.select_for_update().filter(user=user, unit=unit).first()
    if membership is None:
        return
    if roles:
        record(membership, by=by, reason="撤销角色")
        membership.roles.remove(*Role.objects.filter(code__in=roles))
        return
    delete_with_history(membership, by=by, reason="撤销任职")
    _sync_group(user, unit)


@transaction.atomic
def membership_save(*, by: User, user, unit: Unit, roles: list[str], title: str = "",
                    membership: Membership | None = None) -> Membership:
    """The admin's path: create a membership, or change one so that `user` holds exactly `roles` in `unit`.

    Changing the user or the unit of an existing row moves the person between unit groups, so access
    to co-issued drafts and interpretation plans follows at once (guardian grants are per unit group).
    """
    require(by, "units.change_membership" if membership else "units.add_membership",
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
            reason = f"管理后台修改任职:{labels(Membership, changed)}"
            if "unit" in changed:
                reason += f"(由{before[1]}调至{unit})"
            save_with_history(membership, by=by, reason=reason, fields=changed)
    added, removed = set(wanted) - held, held - set(wanted)
    if added or removed:
        parts = [f"授予角色:{'、'.join(str(r) for r in sorted(added, key=lambda r: r.pk))}" if added else "",
                 f"撤销角色:{'、'.join(str(r) for r in sorted(removed, key=lambda r: r.pk))}" if removed else ""]
        record(membership, by=by, reason="管理后台" + ";".join(p for p in parts if p))
        membership.roles.set(wanted)
    if before is not None and before != (user, unit):
        _sync_group(*before)
    _sync_group(user, unit)
    return membership


@transaction.atomic
def membership_end(*, membership: Membership, by: User) -> None:
    """The admin ends a membership: the person leaves the unit's group and loses what it was granted."""
    require(by, "units.delete_membership", "删除任职")
    membership = Membership.objects.select_for_update().select_related("user", "unit").get(pk=membership.pk)
    user, unit = membership.user, membership.unit
    delete_with_history(membership, by=by, reason=f"管理后台撤销任职:{unit}")
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
