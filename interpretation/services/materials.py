"""解读材料 (I3, I7, I11): what a lead or co-issuing unit's clerk prepares along the plan, and its approval."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from tongchuan_portal.core.links import is_web_url
from tongchuan_portal.core.workflow import delete_with_history, move, save_with_history

from .. import notices, permissions
from ..files import check_image
from ..models import (
    TRANSITIONS,
    Expert,
    Focus,
    Interpretation,
    InterpretationPlan,
    MaterialKind,
    QAPair,
    Status,
)
from ._common import clean_text, lock_material, lock_plan

if TYPE_CHECKING:
    from django.contrib.auth.models import User

MATERIAL_FIELDS = ["kind", "title", "summary", "focus", "body", "expert", "guests", "transcript", "media_url",
                   "image_alt", "table_caption", "table_text"]
MIN_ALT_CHARS = 10


def validate_material(data: dict, *, qa_pairs, has_image: bool) -> dict[str, str]:
    """The per-kind content rules, as {field: message}."""
    errors: dict[str, str] = {}
    kind = data.get("kind")
    if kind not in MaterialKind.values:
        return {"kind": "请选择解读材料类型。"}
    if not clean_text(data.get("title")):
        errors["title"] = "请填写标题。"
    if any(f not in Focus.values for f in data.get("focus") or []):
        errors["focus"] = "解读要点无效,请从列表中选择。"
    body = clean_text(data.get("body"))
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
        elif any(not clean_text(q) or not clean_text(a) for q, a in pairs):
            errors["qa_pairs"] = "每一组问答都须同时填写问题和回答。"
    if kind == MaterialKind.GRAPHIC:
        if not has_image:
            errors["image"] = "请上传图解图片(PNG 或 JPEG)。"
        if len(clean_text(data.get("image_alt"))) < MIN_ALT_CHARS:
            errors["image_alt"] = (f"请用不少于{MIN_ALT_CHARS}个字完整描述图解内容,供视障读者使用读屏软件阅读"
                                   "(图片文字说明为必填)。")
    if kind == MaterialKind.INTERVIEW:
        if not clean_text(data.get("guests")):
            errors["guests"] = "请填写访谈嘉宾。"
        if not clean_text(data.get("transcript")):
            errors["transcript"] = "请填写访谈文字实录。"
    if kind == MaterialKind.MEDIA:
        if not clean_text(data.get("media_url")):
            errors["media_url"] = "请填写音频或视频的链接。"
        if not clean_text(data.get("transcript")):
            errors["transcript"] = "音视频解读须附文字实录,供听障读者阅读。"
    if kind == MaterialKind.DATA:
        if not clean_text(data.get("table_caption")):
            errors["table_caption"] = "请填写表格标题。"
        rows = [line for line in (data.get("table_text") or "").splitlines() if line.strip()]
        if len(rows) < 2:
            errors["table_text"] = "数据表至少需要表头和一行数据。"
        else:
            widths = {len(line.split("\t" if "\t" in line else ",")) for line in rows}
            if len(widths) != 1:
                errors["table_text"] = "数据表每一行的单元格数量须与表头一致。"
    media_url = clean_text(data.get("media_url"))
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
            setattr(material, key, clean_text(value))


def _store_image(material: Interpretation, uploaded) -> None:
    kind, data = check_image(uploaded)
    material.image_type = kind
    material.image.save("graphic", ContentFile(data), save=False)


def _set_pairs(material: Interpretation, pairs, *, by: User) -> None:
    for old in list(material.qa_pairs.all()):
        delete_with_history(old, by=by, reason="修改政策问答")
    for position, (question, answer) in enumerate(pairs, start=1):
        pair = QAPair(interpretation=material, position=position, question=clean_text(question),
                      answer=clean_text(answer))
        save_with_history(pair, by=by, reason="填写政策问答")


@transaction.atomic
def material_create(*, plan: InterpretationPlan, by: User, data: dict, qa_pairs=(),
                    image=None) -> Interpretation:
    """A lead-unit or co-issuer clerk adds a material following the plan (I2, I3, I7)."""
    plan = lock_plan(plan)
    if not permissions.can_contribute(by, plan):
        raise PermissionDenied("只有起草单位或联合发文单位的经办人可以提供解读材料。")
    pairs = [(q, a) for q, a in qa_pairs if clean_text(q) or clean_text(a)]
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
    save_with_history(material, by=by, reason=reason)
    if material.kind == MaterialKind.QA:
        _set_pairs(material, pairs, by=by)
    return material


@transaction.atomic
def material_update(*, interpretation: Interpretation, by: User, data: dict, qa_pairs=None,
                    image=None) -> Interpretation:
    """Edit a material before it is published; an approved one needs approving again."""
    material = lock_material(interpretation)
    if not permissions.can_edit_material(by, material):
        raise PermissionDenied("您不能修改该解读材料。")
    data = {**data, "kind": material.kind}  # the kind follows the plan's form; it is not changed afterwards
    pairs = None if qa_pairs is None else [(q, a) for q, a in qa_pairs if clean_text(q) or clean_text(a)]
    current_pairs = pairs if pairs is not None else [(p.question, p.answer) for p in material.qa_pairs.all()]
    errors = validate_material(data, qa_pairs=current_pairs, has_image=image is not None or bool(material.image))
    if errors:
        raise ValidationError(errors)
    if material.status == Status.APPROVED:
        unapprove_material(material, by=by, reason="修改已审定的解读材料,须重新审定")
    _apply_material(material, data)
    if image is not None and material.kind == MaterialKind.GRAPHIC:
        _store_image(material, image)
    save_with_history(material, by=by, reason="修改解读材料")
    if pairs is not None and material.kind == MaterialKind.QA:
        _set_pairs(material, pairs, by=by)
    return material


@transaction.atomic
def material_delete(*, interpretation: Interpretation, by: User) -> None:
    material = lock_material(interpretation)
    if material.status != Status.DRAFT or not permissions.can_edit_material(by, material):
        raise PermissionDenied("只能删除尚未审定的解读材料草稿。")
    delete_with_history(material, by=by, reason="删除解读材料草稿")


def approve_material(material: Interpretation, *, by: User, at: datetime, reason: str) -> None:
    move(material, Status.APPROVED, TRANSITIONS, what="解读材料")
    material.approved_by, material.approved_at = by, at
    save_with_history(material, by=by, reason=reason, fields=["status", "approved_by", "approved_at", "updated_at"])


def unapprove_material(material: Interpretation, *, by: User, reason: str) -> None:
    move(material, Status.DRAFT, TRANSITIONS, what="解读材料")
    material.approved_by = material.approved_at = None
    save_with_history(material, by=by, reason=reason, fields=["status", "approved_by", "approved_at", "updated_at"])


@transaction.atomic
def material_approve(*, interpretation: Interpretation, by: User) -> Interpretation:
    """审定 one material added after the plan was approved (e.g. a follow-up, I9)."""
    material = lock_material(interpretation)
    if not permissions.can_approve_material(by, material):
        raise PermissionDenied("只有公文起草单位的主要负责人可以在解读方案审定后审定解读材料。")
    approve_material(material, by=by, at=timezone.now(), reason="单位主要负责人审定解读材料")
    notices.follow_up_waiting(material, by=by)
    return material
