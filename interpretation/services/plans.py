"""解读方案 (I6): the drafting unit's plan, its approval (审定, I5) and the submission check (I5, I10)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from guardian.shortcuts import assign_perm, remove_perm

from disclosure.models import DisclosureAttribute, Document
from tongchuan_portal.core.workflow import move, save_with_history
from tongchuan_portal.units.models import Unit
from tongchuan_portal.units.services import unit_group

from .. import notices, permissions
from ..models import (
    FORM_MATERIALS,
    PLAN_TRANSITIONS,
    Interpretation,
    InterpretationPlan,
    InterpretationPlanGroupObjectPermission,
    PlanForm,
    PlanStatus,
    Status,
)
from ._common import clean_text, lock_plan
from .materials import approve_material, unapprove_material

if TYPE_CHECKING:
    from django.contrib.auth.models import User

PLAN_FIELDS = ["outline", "forms", "channels", "timing", "background", "data"]


def _sync_grants(plan: InterpretationPlan) -> None:
    """Lead unit: every permission; co-issuers: view and contribute (I2). Kept in step with the document."""
    wanted: dict[int, tuple[str, ...]] = {plan.unit_id: permissions.LEAD_PERMS}
    for unit in plan.document.co_issuers.all():
        wanted.setdefault(unit.pk, permissions.CO_ISSUER_PERMS)
    groups = {}
    for unit in Unit.objects.filter(pk__in=list(wanted)):
        group = unit_group(unit)
        groups[group.pk] = (group, wanted[unit.pk])
    held = set(InterpretationPlanGroupObjectPermission.objects.filter(content_object=plan)
               .values_list("group_id", "permission__codename"))
    stale = {gid for gid, codename in held if gid not in groups or codename not in groups[gid][1]}
    others = Group.objects.in_bulk([gid for gid in stale if gid not in groups])
    for group_id, codename in held:
        if group_id in stale and (group_id not in groups or codename not in groups[group_id][1]):
            group = groups[group_id][0] if group_id in groups else others[group_id]
            remove_perm(f"interpretation.{codename}", group, plan)
    for group_id, (group, perms) in groups.items():
        for codename in perms:
            if (group_id, codename) not in held:
                assign_perm(f"interpretation.{codename}", group, plan)


def validate_plan(data: dict) -> dict[str, str]:
    errors = {}
    if not clean_text(data.get("outline")):
        errors["outline"] = "请填写解读提纲。"
    forms = data.get("forms") or []
    if not forms:
        errors["forms"] = "请至少选择一种解读形式:网上图解、在线访谈、政策问答、专家解读、新闻发布或媒体专访。"
    elif any(f not in PlanForm.values for f in forms):
        errors["forms"] = "解读形式无效,请从列表中选择。"
    if not clean_text(data.get("channels")):
        errors["channels"] = "请填写发布渠道,如政府网站、政务新媒体、新闻媒体。"
    if not clean_text(data.get("timing")):
        errors["timing"] = "请填写时间安排,解读材料应与文件同步发布。"
    if not clean_text(data.get("background")):
        errors["background"] = "请填写出台背景。"
    return errors


def _apply_plan(plan: InterpretationPlan, data: dict) -> None:
    for key in PLAN_FIELDS:
        if key in data:
            value = data[key]
            setattr(plan, key, [f for f in PlanForm.values if f in (value or [])] if key == "forms"
                    else clean_text(value))


@transaction.atomic
def plan_create(*, document: Document, by: User, data: dict) -> InterpretationPlan:
    """The drafting unit's clerk prepares the plan together with the draft (谁起草、谁解读, I2, I4)."""
    document = Document.objects.select_for_update().get(pk=document.pk)
    if not permissions.can_create_plan(by, document):
        raise PermissionDenied("只有公文起草单位的经办人可以编制解读方案。")
    errors = validate_plan(data)
    if errors:
        raise ValidationError(errors)
    plan = InterpretationPlan(document=document, unit=document.issuer, created_by=by)
    _apply_plan(plan, data)
    save_with_history(plan, by=by, reason="编制解读方案")
    _sync_grants(plan)
    return plan


@transaction.atomic
def plan_update(*, plan: InterpretationPlan, by: User, data: dict) -> InterpretationPlan:
    plan = lock_plan(plan)
    if not permissions.can_edit_plan(by, plan):
        raise PermissionDenied("只有公文起草单位的经办人可以修改解读方案。")
    if plan.status != PlanStatus.DRAFT:
        raise ValidationError("解读方案已审定。如需修改,请先撤回审定。")
    errors = validate_plan(data)
    if errors:
        raise ValidationError(errors)
    _apply_plan(plan, data)
    save_with_history(plan, by=by, reason="修改解读方案")
    _sync_grants(plan)
    return plan


def coverage_problems(plan: InterpretationPlan, materials: list[Interpretation]) -> list[str]:
    """I7: each form the plan names needs a material of its kind."""
    kinds = {m.kind for m in materials}
    return [f"解读方案中的“{PlanForm(form).label}”尚无对应的解读材料。"
            for form in plan.forms if form in PlanForm.values and not (FORM_MATERIALS[PlanForm(form)] & kinds)]


@transaction.atomic
def plan_request_approval(*, plan: InterpretationPlan, by: User) -> InterpretationPlan:
    """报负责人审定: the clerk says the plan and its materials are ready; the drafting unit's head is told."""
    plan = lock_plan(plan)
    if not permissions.can_edit_plan(by, plan):
        raise PermissionDenied("只有公文起草单位的经办人可以报请审定解读方案。")
    if plan.status != PlanStatus.DRAFT:
        raise ValidationError("解读方案已审定,无需再报请审定。")
    materials = list(plan.document.interpretations.filter(
        status__in=[Status.DRAFT, Status.APPROVED, Status.PUBLISHED]))
    if not materials:
        raise ValidationError("尚无解读材料。请先按解读方案准备解读材料,再报请审定。")
    problems = coverage_problems(plan, materials)
    if problems:
        raise ValidationError(problems)
    plan.approval_requested_at = timezone.now()
    save_with_history(plan, by=by, reason="报请单位主要负责人审定", fields=["approval_requested_at", "updated_at"])
    notices.plan_waiting(plan, by=by)
    return plan


@transaction.atomic
def plan_approve(*, plan: InterpretationPlan, by: User) -> InterpretationPlan:
    """审定 (I5): the drafting unit's principal head approves the plan and its materials in one recorded act."""
    plan = lock_plan(plan)
    if not permissions.can_approve_plan(by, plan):
        raise PermissionDenied("只有公文起草单位的主要负责人可以审定解读方案和解读材料。")
    materials = list(Interpretation.objects.select_for_update().filter(
        document=plan.document, status__in=[Status.DRAFT, Status.APPROVED]).prefetch_related("qa_pairs"))
    if not materials and not plan.document.interpretations.filter(status=Status.PUBLISHED).exists():
        raise ValidationError("尚无解读材料。请先按解读方案准备解读材料,再报请审定。")
    problems = coverage_problems(plan, materials + list(plan.document.interpretations.filter(
        status=Status.PUBLISHED)))
    if problems:
        raise ValidationError(problems)
    now = timezone.now()
    move(plan, PlanStatus.APPROVED, PLAN_TRANSITIONS, what="解读方案")
    plan.approved_by, plan.approved_at = by, now
    save_with_history(plan, by=by, reason="单位主要负责人审定解读方案",
                      fields=["status", "approved_by", "approved_at", "updated_at"])
    for material in materials:
        if material.status == Status.DRAFT:
            approve_material(material, by=by, at=now, reason="随解读方案一并审定")
    notices.plan_approved(plan, by=by)
    return plan


@transaction.atomic
def plan_reopen(*, plan: InterpretationPlan, by: User, reason: str) -> InterpretationPlan:
    """Take back an approval to revise the plan; unpublished materials need approving again."""
    if not reason or not reason.strip():
        raise ValidationError({"reason": "撤回审定必须说明理由。"})
    plan = lock_plan(plan)
    if not permissions.can_reopen_plan(by, plan):
        raise PermissionDenied("只有起草单位可以在公文报送前撤回解读方案的审定。")
    move(plan, PlanStatus.DRAFT, PLAN_TRANSITIONS, what="解读方案")
    plan.approved_by = plan.approved_at = plan.approval_requested_at = None
    save_with_history(plan, by=by, reason=f"撤回审定:{reason.strip()}",
                      fields=["status", "approved_by", "approved_at", "approval_requested_at", "updated_at"])
    for material in Interpretation.objects.select_for_update().filter(document=plan.document, status=Status.APPROVED):
        unapprove_material(material, by=by, reason=f"解读方案撤回审定:{reason.strip()}")
    return plan


# --- I5, I10: the submission check -----------------------------------------------------------------


def needs_interpretation(document: Document) -> bool:
    """Policy documents proposed for 主动公开 are interpreted when they are released (I4, I5, I10).

    A document that will not be published has nothing to release an interpretation with.
    """
    return document.is_policy and document.attribute == DisclosureAttribute.PROACTIVE


def readiness_problems(document: Document) -> list[str]:
    plan = InterpretationPlan.objects.filter(document=document).first()
    if plan is None:
        return ["尚未编制解读方案。"]
    problems = []
    if plan.status != PlanStatus.APPROVED:
        problems.append("解读方案尚未经本单位主要负责人审定。")
    approved = list(document.interpretations.filter(status__in=[Status.APPROVED, Status.PUBLISHED]))
    if not approved:
        problems.append("尚无经审定的解读材料。")
    else:
        problems += coverage_problems(plan, approved)
    return problems


def check_submission(document: Document) -> None:
    """Registered with `disclosure.hooks`: refuse to submit a policy document without an approved
    plan and materials — for issue in the city government's or its office's name (I5), or in the
    unit's own name, where they are signed together with the document (I10)."""
    if not needs_interpretation(document):
        return
    problems = readiness_problems(document)
    if not problems:
        return
    if document.goes_to_city_office:
        lead = "以市政府或市政府办公室名义印发的政策性文件,报送时须附经本单位主要负责人审定的解读方案和解读材料。"
    else:
        lead = "本单位政策性文件的解读方案和解读材料须与文件一并审签。"
    from django.urls import reverse

    where = ValidationError("请在“政策解读”中编制解读方案、准备解读材料并报本单位主要负责人审定。", code="link",
                            params={"link": reverse("interpretation:document", args=[document.pk]),
                                    "link_text": "前往政策解读"})
    raise ValidationError([lead, *problems, where])
