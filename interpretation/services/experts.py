"""解读专家库 (I11): the experts a unit registers for 专家解读."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from disclosure.models import Topic
from tongchuan_portal.core.workflow import save_with_history
from tongchuan_portal.units.models import Unit
from tongchuan_portal.units.permissions import units_with_role

from .. import permissions
from ..models import Expert
from ._common import clean_text

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def _validate_expert(data: dict) -> dict[str, str]:
    errors = {}
    for key, message in (("name", "请填写专家姓名。"), ("title", "请填写职称或职务。"),
                         ("affiliation", "请填写工作单位。"), ("specialties", "请填写专业方向。")):
        if not clean_text(data.get(key)):
            errors[key] = message
    if data.get("sector") not in Topic.values:
        errors["sector"] = "请选择专家所属领域。"
    return errors


@transaction.atomic
def expert_create(*, by: User, unit: Unit, data: dict) -> Expert:
    if not permissions.can_manage_experts(by) or not units_with_role(by).filter(pk=unit.pk).exists():
        raise PermissionDenied("只有各单位经办人或负责人可以登记解读专家。")
    errors = _validate_expert(data)
    if errors:
        raise ValidationError(errors)
    expert = Expert(unit=unit, created_by=by, sector=data["sector"],
                    **{k: clean_text(data.get(k)) for k in ("name", "title", "affiliation", "specialties")})
    save_with_history(expert, by=by, reason="登记解读专家")
    return expert


@transaction.atomic
def expert_update(*, expert: Expert, by: User, data: dict) -> Expert:
    expert = Expert.objects.select_for_update().get(pk=expert.pk)
    if not units_with_role(by, "clerk", "unit_head").filter(pk=expert.unit_id).exists():
        raise PermissionDenied("只有登记该专家的单位可以修改专家信息。")
    errors = _validate_expert(data)
    if errors:
        raise ValidationError(errors)
    for key in ("name", "title", "affiliation", "specialties"):
        setattr(expert, key, clean_text(data.get(key)))
    expert.sector = data["sector"]
    if "is_active" in data:
        expert.is_active = bool(data["is_active"])
    save_with_history(expert, by=by, reason="修改解读专家信息")
    return expert
