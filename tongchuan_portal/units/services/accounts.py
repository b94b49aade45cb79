"""Users and auth groups edited in the admin: saved with history; unit groups stay the memberships'."""

from __future__ import annotations

from django.contrib.auth.models import Group, User
from django.core.exceptions import ValidationError
from django.db import transaction

from tongchuan_portal.core.history import save_with_history

from ..models import Membership
from ._common import require
from .memberships import is_unit_group, unit_group

UNIT_GROUP_IS_AUTOMATIC = "单位人员组由任职记录自动维护,不能直接加入、修改或删除;请在“任职”中增减人员。"


@transaction.atomic
def user_save(*, user, by: User, created: bool, groups=None, permissions=None):
    """Save a user edited in the admin, with history; unit groups stay what the memberships say.

    `groups` are the other auth groups chosen in the admin (staff rights); a unit group there is refused,
    because only a membership may put someone in it.
    """
    require(by, "auth.add_user" if created else "auth.change_user", "新增用户" if created else "修改用户")
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
def user_password_set(*, user, by: User):
    """Record a password set (or password login turned off) in the admin, with who did it."""
    require(by, "auth.change_user", "重设密码")
    reason = "管理后台重设密码" if user.has_usable_password() else "管理后台停用密码登录"
    save_with_history(user, by=by, reason=reason, fields=["password"])
    return user


@transaction.atomic
def group_save(*, group: Group, by: User, created: bool, permissions=None) -> Group:
    """Staff groups (admin rights) only: unit groups belong to the memberships."""
    require(by, "auth.add_group" if created else "auth.change_group", "新增用户组" if created else "修改用户组")
    stored = None if created else Group.objects.select_for_update().get(pk=group.pk)
    if is_unit_group(group) or (stored is not None and is_unit_group(stored)):
        raise ValidationError({"name": UNIT_GROUP_IS_AUTOMATIC})
    group.save()
    if permissions is not None:
        group.permissions.set(permissions)
    return group


@transaction.atomic
def group_delete(*, group: Group, by: User) -> None:
    require(by, "auth.delete_group", "删除用户组")
    if is_unit_group(group):
        raise ValidationError(UNIT_GROUP_IS_AUTOMATIC)
    group.delete()
