"""Every write to interpretations: plans, materials, approval (审定), release with the document,
follow-ups, withdrawal, experts and reprints (I1–I11).

Disclosure never imports this module: it calls `check_submission` and
`publish_with_document` through the hooks registered in `apps.py`.
"""

from __future__ import annotations

from datetime import date, datetime

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from guardian.shortcuts import assign_perm, remove_perm

from disclosure.models import DisclosureAttribute, Document, Topic
from tongchuan_portal.clock.models import DeadlineState
from tongchuan_portal.clock.services import (
    deadline_meet,
    deadline_start,
    open_deadline_for,
)
from tongchuan_portal.core.history import save_with_history
from tongchuan_portal.core.links import is_web_url
from tongchuan_portal.core.validation import out_of_range
from tongchuan_portal.units.models import Unit
from tongchuan_portal.units.permissions import units_with_role
from tongchuan_portal.units.services import unit_group

from . import deadlines, notices, permissions
from .files import check_image
from .models import (
    FORM_MATERIALS,
    PLAN_TRANSITIONS,
    REPRINT_TRANSITIONS,
    TRANSITIONS,
    Expert,
    Focus,
    Interpretation,
    InterpretationPlan,
    InterpretationPlanGroupObjectPermission,
    MaterialKind,
    PlanForm,
    PlanStatus,
    QAPair,
    Reprint,
    ReprintNote,
    ReprintStatus,
    SourceLevel,
    Status,
)

PLAN_FIELDS = ["outline", "forms", "channels", "timing", "background", "data"]
MATERIAL_FIELDS = ["kind", "title", "summary", "focus", "body", "expert", "guests", "transcript", "media_url",
                   "image_alt", "table_caption", "table_text"]
MIN_ALT_CHARS = 10


# --- helpers ------------------------------------------------------------------------------


_save = save_with_history


def _move(obj, new_status: str, transitions: dict, labels) -> None:
    if new_status not in transitions[labels(obj.status)]:
        raise ValidationError(f"当前状态为“{labels(obj.status).label}”,不能变更为“{labels(new_status).label}”。")
    obj.status = new_status


def _lock_plan(plan: InterpretationPlan) -> InterpretationPlan:
    return InterpretationPlan.objects.select_for_update().select_related("document", "unit").get(pk=plan.pk)


def _lock_material(interpretation: Interpretation) -> Interpretation:
    return (Interpretation.objects.select_for_update(of=("self",))
            .select_related("document", "document__interpretation_plan").get(pk=interpretation.pk))


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


def _clean_text(value) -> str:
    return (value or "").strip()


# --- plans (I6) --------------------------------------------------------------------------------


def validate_plan(data: dict) -> dict[str, str]:
    errors = {}
    if not _clean_text(data.get("outline")):
        errors["outline"] = "请填写解读提纲。"
    forms = data.get("forms") or []
    if not forms:
        errors["forms"] = "请至少选择一种解读形式:网上图解、在线访谈、政策问答、专家解读、新闻发布或媒体专访。"
    elif any(f not in PlanForm.values for f in forms):
        errors["forms"] = "解读形式无效,请从列表中选择。"
    if not _clean_text(data.get("channels")):
        errors["channels"] = "请填写发布渠道,如政府网站、政务新媒体、新闻媒体。"
    if not _clean_text(data.get("timing")):
        errors["timing"] = "请填写时间安排,解读材料应与文件同步发布。"
    if not _clean_text(data.get("background")):
        errors["background"] = "请填写出台背景。"
    return errors


def _apply_plan(plan: InterpretationPlan, data: dict) -> None:
    for key in PLAN_FIELDS:
        if key in data:
            value = data[key]
            setattr(plan, key, [f for f in PlanForm.values if f in (value or [])] if key == "forms"
                    else _clean_text(value))


@transaction.atomic
def plan_create(*, document: Document, by, data: dict) -> InterpretationPlan:
    """The drafting unit's clerk prepares the plan together with the draft (谁起草、谁解读, I2, I4)."""
    document = Document.objects.select_for_update().get(pk=document.pk)
    if not permissions.can_create_plan(by, document):
        raise PermissionDenied("只有公文起草单位的经办人可以编制解读方案。")
    errors = validate_plan(data)
    if errors:
        raise ValidationError(errors)
    plan = InterpretationPlan(document=document, unit=document.issuer, created_by=by)
    _apply_plan(plan, data)
    _save(plan, by=by, reason="编制解读方案")
    _sync_grants(plan)
    return plan


@transaction.atomic
def plan_update(*, plan: InterpretationPlan, by, data: dict) -> InterpretationPlan:
    plan = _lock_plan(plan)
    if not permissions.can_edit_plan(by, plan):
        raise PermissionDenied("只有公文起草单位的经办人可以修改解读方案。")
    if plan.status != PlanStatus.DRAFT:
        raise ValidationError("解读方案已审定。如需修改,请先撤回审定。")
    errors = validate_plan(data)
    if errors:
        raise ValidationError(errors)
    _apply_plan(plan, data)
    _save(plan, by=by, reason="修改解读方案")
    _sync_grants(plan)
    return plan


def coverage_problems(plan: InterpretationPlan, materials: list[Interpretation]) -> list[str]:
    """I7: each form the plan names needs a material of its kind."""
    kinds = {m.kind for m in materials}
    return [f"解读方案中的“{PlanForm(form).label}”尚无对应的解读材料。"
            for form in plan.forms if form in PlanForm.values and not (FORM_MATERIALS[PlanForm(form)] & kinds)]


@transaction.atomic
def plan_request_approval(*, plan: InterpretationPlan, by) -> InterpretationPlan:
    """报负责人审定: the clerk says the plan and its materials are ready; the drafting unit's head is told."""
    plan = _lock_plan(plan)
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
    _save(plan, by=by, reason="报请单位主要负责人审定", fields=["approval_requested_at", "updated_at"])
    notices.plan_waiting(plan, by=by)
    return plan


@transaction.atomic
def plan_approve(*, plan: InterpretationPlan, by) -> InterpretationPlan:
    """审定 (I5): the drafting unit's principal head approves the plan and its materials in one recorded act."""
    plan = _lock_plan(plan)
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
    _move(plan, PlanStatus.APPROVED, PLAN_TRANSITIONS, PlanStatus)
    plan.approved_by, plan.approved_at = by, now
    _save(plan, by=by, reason="单位主要负责人审定解读方案", fields=["status", "approved_by", "approved_at",
                                                                   "updated_at"])
    for material in materials:
        if material.status == Status.DRAFT:
            _approve(material, by=by, at=now, reason="随解读方案一并审定")
    notices.plan_approved(plan, by=by)
    return plan


@transaction.atomic
def plan_reopen(*, plan: InterpretationPlan, by, reason: str) -> InterpretationPlan:
    """Take back an approval to revise the plan; unpublished materials need approving again."""
    if not reason or not reason.strip():
        raise ValidationError({"reason": "撤回审定必须说明理由。"})
    plan = _lock_plan(plan)
    if not permissions.can_reopen_plan(by, plan):
        raise PermissionDenied("只有起草单位可以在公文报送前撤回解读方案的审定。")
    _move(plan, PlanStatus.DRAFT, PLAN_TRANSITIONS, PlanStatus)
    plan.approved_by = plan.approved_at = plan.approval_requested_at = None
    _save(plan, by=by, reason=f"撤回审定:{reason.strip()}", fields=["status", "approved_by", "approved_at",
                                                                  "approval_requested_at", "updated_at"])
    for material in Interpretation.objects.select_for_update().filter(document=plan.document, status=Status.APPROVED):
        _unapprove(material, by=by, reason=f"解读方案撤回审定:{reason.strip()}")
    return plan


# --- materials (I3, I7, I11) -------------------------------------------------------------------


def validate_material(data: dict, *, qa_pairs, has_image: bool) -> dict[str, str]:
    """The per-kind content rules, as {field: message}."""
    errors: dict[str, str] = {}
    kind = data.get("kind")
    if kind not in MaterialKind.values:
        return {"kind": "请选择解读材料类型。"}
    if not _clean_text(data.get("title")):
        errors["title"] = "请填写标题。"
    if any(f not in Focus.values for f in data.get("focus") or []):
        errors["focus"] = "解读要点无效,请从列表中选择。"
    body = _clean_text(data.get("body"))
    if kind in (MaterialKind.ARTICLE, MaterialKind.PRESS_RELEASE, MaterialKind.EXPERT) and not body:
        errors["body"] = "请填写解读正文。"
    if kind == MaterialKind.EXPERT:
        expert = data.get("expert")
        if expert is None:
            errors["expert"] = "专家解读须从解读专家库中选择专家。"
        elif not Expert.objects.filter(pk=expert.pk, is_active=True).exists():
            errors["expert"] = "该专家已不在专家库中,请另选专家。"
    if kind == MaterialKind.QA:
        pairs = list(qa_pairs or [])
        if not pairs:
            errors["qa_pairs"] = "政策问答至少需要一组问题和回答。"
        elif any(not _clean_text(q) or not _clean_text(a) for q, a in pairs):
            errors["qa_pairs"] = "每一组问答都须同时填写问题和回答。"
    if kind == MaterialKind.GRAPHIC:
        if not has_image:
            errors["image"] = "请上传图解图片(PNG 或 JPEG)。"
        if len(_clean_text(data.get("image_alt"))) < MIN_ALT_CHARS:
            errors["image_alt"] = (f"请用不少于{MIN_ALT_CHARS}个字完整描述图解内容,供视障读者使用读屏软件阅读"
                                   "(图片文字说明为必填)。")
    if kind == MaterialKind.INTERVIEW:
        if not _clean_text(data.get("guests")):
            errors["guests"] = "请填写访谈嘉宾。"
        if not _clean_text(data.get("transcript")):
            errors["transcript"] = "请填写访谈文字实录。"
    if kind == MaterialKind.MEDIA:
        if not _clean_text(data.get("media_url")):
            errors["media_url"] = "请填写音频或视频的链接。"
        if not _clean_text(data.get("transcript")):
            errors["transcript"] = "音视频解读须附文字实录,供听障读者阅读。"
    if kind == MaterialKind.DATA:
        if not _clean_text(data.get("table_caption")):
            errors["table_caption"] = "请填写表格标题。"
        rows = [line for line in (data.get("table_text") or "").splitlines() if line.strip()]
        if len(rows) < 2:
            errors["table_text"] = "数据表至少需要表头和一行数据。"
        else:
            widths = {len(line.split("\t" if "\t" in line else ",")) for line in rows}
            if len(widths) != 1:
                errors["table_text"] = "数据表每一行的单元格数量须与表头一致。"
    media_url = _clean_text(data.get("media_url"))
    if media_url and not is_web_url(media_url):
        errors["media_url"] = "链接须以 http:// 或 https:// 开头。"
    return errors


def _apply_material(material: Interpretation, data: dict) -> None:
    for key in MATERIAL_FIELDS:
        if key not in data:
            continue
        value = data[key]
        if key == "expert":
            material.expert = value if material.kind == MaterialKind.EXPERT else None
        elif key == "focus":
            material.focus = [f for f in Focus.values if f in (value or [])]
        elif key == "table_text":
            material.table_text = "\n".join(line.rstrip() for line in (value or "").splitlines() if line.strip())
        else:
            setattr(material, key, _clean_text(value))


def _store_image(material: Interpretation, uploaded) -> None:
    kind, data = check_image(uploaded)
    material.image_type = kind
    material.image.save("graphic", ContentFile(data), save=False)


def _set_pairs(material: Interpretation, pairs, *, by) -> None:
    for old in list(material.qa_pairs.all()):
        old._history_user, old._change_reason = by, "修改政策问答"
        old.delete()
    for position, (question, answer) in enumerate(pairs, start=1):
        pair = QAPair(interpretation=material, position=position, question=_clean_text(question),
                      answer=_clean_text(answer))
        _save(pair, by=by, reason="填写政策问答")


@transaction.atomic
def material_create(*, plan: InterpretationPlan, by, data: dict, qa_pairs=(), image=None) -> Interpretation:
    """A lead-unit or co-issuer clerk adds a material following the plan (I2, I3, I7)."""
    plan = _lock_plan(plan)
    if not permissions.can_contribute(by, plan):
        raise PermissionDenied("只有起草单位或联合发文单位的经办人可以提供解读材料。")
    pairs = [(q, a) for q, a in qa_pairs if _clean_text(q) or _clean_text(a)]
    errors = validate_material(data, qa_pairs=pairs, has_image=image is not None)
    if errors:
        raise ValidationError(errors)
    contributor = permissions.units_holding(by, plan, permissions.CONTRIBUTE, "clerk")[0]
    material = Interpretation(document=plan.document, unit=plan.unit, contributor=contributor, created_by=by,
                              kind=data["kind"])
    _apply_material(material, data)
    if material.kind == MaterialKind.GRAPHIC:
        _store_image(material, image)
    reason = "提供解读材料" if contributor.pk == plan.unit_id else f"联合发文单位{contributor.short_name}提供解读材料"
    _save(material, by=by, reason=reason)
    if material.kind == MaterialKind.QA:
        _set_pairs(material, pairs, by=by)
    return material


@transaction.atomic
def material_update(*, interpretation: Interpretation, by, data: dict, qa_pairs=None, image=None) -> Interpretation:
    """Edit a material before it is published; an approved one needs approving again."""
    material = _lock_material(interpretation)
    if not permissions.can_edit_material(by, material):
        raise PermissionDenied("您不能修改该解读材料。")
    data = {**data, "kind": material.kind}  # the kind follows the plan's form; it is not changed afterwards
    pairs = None if qa_pairs is None else [(q, a) for q, a in qa_pairs if _clean_text(q) or _clean_text(a)]
    current_pairs = pairs if pairs is not None else [(p.question, p.answer) for p in material.qa_pairs.all()]
    errors = validate_material(data, qa_pairs=current_pairs, has_image=image is not None or bool(material.image))
    if errors:
        raise ValidationError(errors)
    if material.status == Status.APPROVED:
        _unapprove(material, by=by, reason="修改已审定的解读材料,须重新审定")
    _apply_material(material, data)
    if image is not None and material.kind == MaterialKind.GRAPHIC:
        _store_image(material, image)
    _save(material, by=by, reason="修改解读材料")
    if pairs is not None and material.kind == MaterialKind.QA:
        _set_pairs(material, pairs, by=by)
    return material


@transaction.atomic
def material_delete(*, interpretation: Interpretation, by) -> None:
    material = _lock_material(interpretation)
    if material.status != Status.DRAFT or not permissions.can_edit_material(by, material):
        raise PermissionDenied("只能删除尚未审定的解读材料草稿。")
    material._history_user, material._change_reason = by, "删除解读材料草稿"
    material.delete()


def _approve(material: Interpretation, *, by, at: datetime, reason: str) -> None:
    _move(material, Status.APPROVED, TRANSITIONS, Status)
    material.approved_by, material.approved_at = by, at
    _save(material, by=by, reason=reason, fields=["status", "approved_by", "approved_at", "updated_at"])


def _unapprove(material: Interpretation, *, by, reason: str) -> None:
    _move(material, Status.DRAFT, TRANSITIONS, Status)
    material.approved_by = material.approved_at = None
    _save(material, by=by, reason=reason, fields=["status", "approved_by", "approved_at", "updated_at"])


@transaction.atomic
def material_approve(*, interpretation: Interpretation, by) -> Interpretation:
    """审定 one material added after the plan was approved (e.g. a follow-up, I9)."""
    material = _lock_material(interpretation)
    if not permissions.can_approve_material(by, material):
        raise PermissionDenied("只有公文起草单位的主要负责人可以在解读方案审定后审定解读材料。")
    _approve(material, by=by, at=timezone.now(), reason="单位主要负责人审定解读材料")
    notices.follow_up_waiting(material, by=by)
    return material


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


# --- I4, I8: release with the document; I9: follow-ups -------------------------------------------------


def _next_round(document: Document) -> int:
    last = document.interpretations.filter(round__isnull=False).aggregate(last=Max("round"))["last"]
    return (last or 0) + 1


def _release(materials: list[Interpretation], *, by, at: datetime, round_number: int, reason: str) -> None:
    from disclosure.pagecache import bump_public_version

    bump_public_version()  # the document's public page lists its interpretations
    for material in materials:
        _move(material, Status.PUBLISHED, TRANSITIONS, Status)
        material.published_at, material.published_by, material.round = at, by, round_number
        _save(material, by=by, reason=reason, fields=["status", "published_at", "published_by", "round",
                                                      "updated_at"])


def _follow_up_clock(plan: InterpretationPlan, *, by, started_at: datetime, round_number: int) -> None:
    """I9: the first release starts the follow-up clock; a follow-up release meets it."""
    if round_number == 1:
        if open_deadline_for(plan, deadlines.FOLLOW_UP) is None:
            deadline_start(rule=deadlines.FOLLOW_UP, target=plan, unit=plan.unit, by=by, started_at=started_at,
                           subject=f"《{plan.document.title}》跟踪解读")
        return
    deadline = open_deadline_for(plan, deadlines.FOLLOW_UP) or plan.deadlines.filter(
        rule=deadlines.FOLLOW_UP, state=DeadlineState.MISSED).first()
    if deadline is not None:
        deadline_meet(deadline=deadline, by=by, at=started_at, note=f"已发布第{round_number}次解读")


def _to_release(plan: InterpretationPlan | None, document: Document, *, lock: bool = False) -> list[Interpretation]:
    """What goes public with the document: the approved materials of an approved plan (I4, I8)."""
    if plan is None or plan.status != PlanStatus.APPROVED:
        return []
    qs = Interpretation.objects.filter(document=document, status=Status.APPROVED)
    if lock:
        return list(qs.select_for_update().order_by("pk"))
    return list(qs.select_related("expert").prefetch_related("qa_pairs").order_by("pk"))


def material_digest(material: Interpretation) -> str:
    """The content the public will see of one material: text, Q&A, image and its alternative text, links."""
    from disclosure.clearance import digest_of

    return digest_of(material.kind, material.title, material.summary, material.focus, material.body,
                     material.expert_id, material.guests, material.transcript, material.media_url,
                     material.image.name, material.image_alt, material.table_caption, material.table_text,
                     [(p.position, p.question, p.answer) for p in material.qa_pairs.all()])


def clearance_section(document: Document):
    """Registered with `disclosure.hooks`: the materials the document's publication releases (D7, I8),
    for 保密审查 to see and its clearance to record, one item per material with its version."""
    from disclosure.clearance import ClearanceItem, ClearanceSection, _latest_history_ids

    plan = InterpretationPlan.objects.filter(document=document).first()
    materials = _to_release(plan, document)
    if not materials:
        return None
    versions = _latest_history_ids(Interpretation, [m.pk for m in materials])
    items = [ClearanceItem(kind="interpretation", pk=m.pk, label=f"解读材料《{m.title}》({m.get_kind_display()})",
                           digest=material_digest(m), history_id=versions.get(m.pk)) for m in materials]
    return ClearanceSection(title="随文发布的政策解读", template="interpretation/_clearance.html", items=items,
                            context={"materials": materials, "plan": plan})


def review_section(document: Document) -> dict | None:
    """Registered with `disclosure.integrations`: the plan and materials the reviewer of a submission sees,
    or their absence (缺少解读方案或解读材料 is a return reason, I5)."""
    plan = InterpretationPlan.objects.select_related("approved_by").filter(document=document).first()
    materials = list(Interpretation.objects.filter(document=document).exclude(status=Status.WITHDRAWN)
                     .select_related("expert", "contributor", "approved_by").prefetch_related("qa_pairs")
                     .order_by("round", "pk")) if plan is not None else []
    required = needs_interpretation(document)
    if plan is None and not required:
        return None
    if plan is None:
        problems = ["尚未编制解读方案。"]
    else:
        approved = [m for m in materials if m.status in (Status.APPROVED, Status.PUBLISHED)]
        problems = [] if plan.status == PlanStatus.APPROVED else ["解读方案尚未经本单位主要负责人审定。"]
        problems += coverage_problems(plan, approved) if approved else ["尚无经审定的解读材料。"]
    return {"template": "interpretation/_review.html", "plan": plan, "materials": materials,
            "problems": problems if required else [], "required": required}


@transaction.atomic
def publish_with_document(document: Document, *, by) -> list[Interpretation]:
    """Registered with `disclosure.hooks`: runs inside the publishing transaction (I4, I8).

    The approved materials become public in the same transaction and with the same timestamp as
    the document; the follow-up clock starts (I9).
    """
    plan = InterpretationPlan.objects.select_for_update().filter(document=document).first()
    materials = _to_release(plan, document, lock=True)
    if not materials:
        return []
    round_number = _next_round(document)
    _release(materials, by=by, at=document.published_at, round_number=round_number,
             reason="随公文同步发布")
    _follow_up_clock(plan, by=by, started_at=document.published_at, round_number=round_number)
    return materials


@transaction.atomic
def follow_up_publish(*, document: Document, by) -> list[Interpretation]:
    """I9: release the approved follow-up materials of a public document as its next round, after the
    publishing unit's confidentiality review (D7)."""
    plan = InterpretationPlan.objects.select_for_update().filter(document=document).first()
    if plan is None:
        raise ValidationError("该公文没有解读方案。")
    if not permissions.can_publish_follow_up(by, document):
        raise PermissionDenied("只有发布单位的保密审查人员可以在公文公开后发布跟踪解读。")
    materials = list(Interpretation.objects.select_for_update().filter(document=document, status=Status.APPROVED)
                     .order_by("pk"))
    if not materials:
        raise ValidationError("没有待发布的已审定解读材料。")
    now = timezone.now()
    round_number = _next_round(document)
    label = "首次解读" if round_number == 1 else f"第{round_number}次跟踪解读"
    _release(materials, by=by, at=now, round_number=round_number, reason=f"保密审查通过,发布{label}")
    _follow_up_clock(plan, by=by, started_at=now, round_number=round_number)
    return materials


@transaction.atomic
def interpretation_withdraw(*, interpretation: Interpretation, by, reason: str) -> Interpretation:
    if not reason or not reason.strip():
        raise ValidationError({"reason": "撤回必须说明理由。"})
    material = _lock_material(interpretation)
    if not permissions.can_withdraw(by, material):
        raise PermissionDenied("只有起草单位主要负责人可以撤回已发布的解读。")
    _move(material, Status.WITHDRAWN, TRANSITIONS, Status)
    from disclosure.pagecache import bump_public_version

    bump_public_version()
    material.withdrawn_at = timezone.now()
    _save(material, by=by, reason=f"撤回:{reason.strip()}", fields=["status", "withdrawn_at", "updated_at"])
    return material


# --- experts (I11) -----------------------------------------------------------------------------


def _validate_expert(data: dict) -> dict[str, str]:
    errors = {}
    for key, message in (("name", "请填写专家姓名。"), ("title", "请填写职称或职务。"),
                         ("affiliation", "请填写工作单位。"), ("specialties", "请填写专业方向。")):
        if not _clean_text(data.get(key)):
            errors[key] = message
    if data.get("sector") not in Topic.values:
        errors["sector"] = "请选择专家所属领域。"
    return errors


@transaction.atomic
def expert_create(*, by, unit: Unit, data: dict) -> Expert:
    if not permissions.can_manage_experts(by) or not units_with_role(by).filter(pk=unit.pk).exists():
        raise PermissionDenied("只有各单位经办人或负责人可以登记解读专家。")
    errors = _validate_expert(data)
    if errors:
        raise ValidationError(errors)
    expert = Expert(unit=unit, created_by=by, sector=data["sector"],
                    **{k: _clean_text(data.get(k)) for k in ("name", "title", "affiliation", "specialties")})
    _save(expert, by=by, reason="登记解读专家")
    return expert


@transaction.atomic
def expert_update(*, expert: Expert, by, data: dict) -> Expert:
    expert = Expert.objects.select_for_update().get(pk=expert.pk)
    if not units_with_role(by, "clerk", "unit_head").filter(pk=expert.unit_id).exists():
        raise PermissionDenied("只有登记该专家的单位可以修改专家信息。")
    errors = _validate_expert(data)
    if errors:
        raise ValidationError(errors)
    for key in ("name", "title", "affiliation", "specialties"):
        setattr(expert, key, _clean_text(data.get(key)))
    expert.sector = data["sector"]
    if "is_active" in data:
        expert.is_active = bool(data["is_active"])
    _save(expert, by=by, reason="修改解读专家信息")
    return expert


# --- reprints (I1) ------------------------------------------------------------------------------


def _validate_reprint(data: dict) -> dict[str, str]:
    errors = {}
    if not _clean_text(data.get("title")):
        errors["title"] = "请填写标题。"
    if not _clean_text(data.get("source")):
        errors["source"] = "请填写来源,如“中国政府网”“陕西省人民政府”。"
    if data.get("source_level") not in SourceLevel.values:
        errors["source_level"] = "请选择层级:中央、省级或行业主管部门。"
    url = _clean_text(data.get("original_url"))
    if not is_web_url(url):
        errors["original_url"] = "请填写以 http:// 或 https:// 开头的原文链接。"
    original_date = data.get("original_date")
    if not isinstance(original_date, date):
        errors["original_date"] = "请填写原文发布日期。"
    elif original_date > timezone.localdate():
        errors["original_date"] = "原文发布日期不能晚于今天。"
    elif out_of_range(original_date, label="原文发布日期"):
        errors["original_date"] = out_of_range(original_date, label="原文发布日期")
    if not _clean_text(data.get("body")):
        errors["body"] = "请填写转载正文。"
    return errors


REPRINT_FIELDS = ["title", "source", "source_level", "original_url", "original_number", "original_date", "body"]


def _apply_reprint(reprint: Reprint, data: dict) -> None:
    for key in REPRINT_FIELDS:
        value = data.get(key)
        setattr(reprint, key, value if key == "original_date" else _clean_text(value))


@transaction.atomic
def reprint_create(*, by, unit: Unit, data: dict) -> Reprint:
    """转载 (I1): a clerk reprints a central or provincial policy with where it came from."""
    if not permissions.can_file_reprint(by, unit):
        raise PermissionDenied("只有本单位经办人可以转载政策文件。")
    errors = _validate_reprint(data)
    if errors:
        raise ValidationError(errors)
    reprint = Reprint(unit=unit, created_by=by)
    _apply_reprint(reprint, data)
    _save(reprint, by=by, reason="转载政策文件")
    return reprint


@transaction.atomic
def reprint_update(*, reprint: Reprint, by, data: dict) -> Reprint:
    reprint = Reprint.objects.select_for_update().get(pk=reprint.pk)
    if not permissions.can_edit_reprint(by, reprint):
        raise PermissionDenied("只有本单位经办人可以修改未发布的转载。")
    errors = _validate_reprint(data)
    if errors:
        raise ValidationError(errors)
    _apply_reprint(reprint, data)
    _save(reprint, by=by, reason="修改转载")
    return reprint


@transaction.atomic
def reprint_publish(*, reprint: Reprint, by) -> Reprint:
    """The unit's confidentiality reviewer clears and publishes the reprint (D7)."""
    reprint = Reprint.objects.select_for_update().get(pk=reprint.pk)
    if not permissions.can_publish_reprint(by, reprint):
        raise PermissionDenied("只有本单位保密审查人员可以审查并发布转载。")
    _move(reprint, ReprintStatus.PUBLISHED, REPRINT_TRANSITIONS, ReprintStatus)
    reprint.published_at, reprint.published_by = timezone.now(), by
    _save(reprint, by=by, reason="保密审查通过,发布转载", fields=["status", "published_at", "published_by",
                                                              "updated_at"])
    return reprint


@transaction.atomic
def reprint_withdraw(*, reprint: Reprint, by, reason: str) -> Reprint:
    if not reason or not reason.strip():
        raise ValidationError({"reason": "撤回必须说明理由。"})
    reprint = Reprint.objects.select_for_update().get(pk=reprint.pk)
    if not permissions.can_withdraw_reprint(by, reprint):
        raise PermissionDenied("只有本单位负责人可以撤回已发布的转载。")
    _move(reprint, ReprintStatus.WITHDRAWN, REPRINT_TRANSITIONS, ReprintStatus)
    _save(reprint, by=by, reason=f"撤回:{reason.strip()}", fields=["status", "updated_at"])
    return reprint


@transaction.atomic
def reprint_note_add(*, reprint: Reprint, by, noted_on: date, body: str) -> ReprintNote:
    """贯彻落实情况 (I1): a dated note on how the unit implements the reprinted policy."""
    reprint = Reprint.objects.select_for_update().get(pk=reprint.pk)
    if not permissions.can_note_reprint(by, reprint):
        raise PermissionDenied("只有本单位可以为已发布的转载填报贯彻落实情况。")
    errors = {}
    if not isinstance(noted_on, date):
        errors["noted_on"] = "请填写日期。"
    elif noted_on > timezone.localdate():
        errors["noted_on"] = "日期不能晚于今天。"
    elif out_of_range(noted_on, label="日期"):
        errors["noted_on"] = out_of_range(noted_on, label="日期")
    if not _clean_text(body):
        errors["body"] = "请填写贯彻落实情况。"
    if errors:
        raise ValidationError(errors)
    note = ReprintNote(reprint=reprint, noted_on=noted_on, body=_clean_text(body), created_by=by)
    _save(note, by=by, reason="填报贯彻落实情况")
    return note



# --- reference data -----------------------------------------------------------------------------

RETURN_REASON_CODE = "missing-interpretation"


def return_reason_ensure():
    """The I5 return reason (also created by migration 0002; tests that flush tables call this)."""
    from disclosure.models import ReturnReason

    reason, _ = ReturnReason.objects.get_or_create(
        code=RETURN_REASON_CODE, defaults={"label": "缺少解读方案或解读材料", "rule_id": "I5", "sort_order": 45})
    return reason


def stop_follow_up_on_withdrawal(document: Document, *, by, reason: str) -> None:
    """A withdrawn document needs no follow-up interpretation: its I9 clock is cancelled."""
    from tongchuan_portal.clock.services import deadline_cancel

    plan = InterpretationPlan.objects.filter(document=document).first()
    if plan is None:
        return
    deadline = open_deadline_for(plan, deadlines.FOLLOW_UP)
    if deadline is not None:
        deadline_cancel(deadline=deadline, reason=f"原文已撤回:{reason}", by=by)
