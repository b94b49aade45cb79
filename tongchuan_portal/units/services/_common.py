"""What every units service shares: the admin's right check and field labels for history reasons."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied

from ..permissions import can_administer


def require(by: User, perm: str, action: str) -> None:
    if not can_administer(by, perm):
        raise PermissionDenied(f"您没有{action}的权限。")


def labels(model, fields) -> str:
    return "、".join(str(model._meta.get_field(f).verbose_name) for f in fields)
