"""转载 (I1): central and provincial policies a unit reprints with their source, and how it implements them."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from tongchuan_portal.core.links import is_web_url
from tongchuan_portal.core.validation import out_of_range
from tongchuan_portal.core.workflow import move, save_with_history
from tongchuan_portal.units.models import Unit

from .. import permissions
from ..models import REPRINT_TRANSITIONS, Reprint, ReprintNote, ReprintStatus, SourceLevel
from ._common import clean_text

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def _past_date_problem(value, *, label: str) -> str:
    """What is wrong with a date that must have happened (a source's publication, a dated note), or ""."""
    if not isinstance(value, date):
        return f"请填写{label}。"
    if value > timezone.localdate():
        return f"{label}不能晚于今天。"
    return out_of_range(value, label=label)


def _validate_reprint(data: dict) -> dict[str, str]:
    errors = {}
    if not clean_text(data.get("title")):
        errors["title"] = "请填写标题。"
    if not clean_text(data.get("source")):
        errors["source"] = "请填写来源,如“中国政府网”“陕西省人民政府”。"
    if data.get("source_level") not in SourceLevel.values:
        errors["source_level"] = "请选择层级:中央、省级或行业主管部门。"
    url = clean_text(data.get("original_url"))
    if not is_web_url(url):
        errors["original_url"] = "请填写以 http:// 或 https:// 开头的原文链接。"
    if problem := _past_date_problem(data.get("original_date"), label="原文发布日期"):
        errors["original_date"] = problem
    if not clean_text(data.get("body")):
        errors["body"] = "请填写转载正文。"
    return errors


REPRINT_FIELDS = ["title", "source", "source_level", "original_url", "original_number", "original_date", "body"]


def _apply_reprint(reprint: Reprint, data: dict) -> None:
    for key in REPRINT_FIELDS:
        value = data.get(key)
        setattr(reprint, key, value if key == "original_date" else clean_text(value))


@transaction.atomic
def reprint_create(*, by: User, unit: Unit, data: dict) -> Reprint:
    """转载 (I1): a clerk reprints a central or provincial policy with where it came from."""
    if not permissions.can_file_reprint(by, unit):
        raise PermissionDenied("只有本单位经办人可以转载政策文件。")
    errors = _validate_reprint(data)
    if errors:
        raise ValidationError(errors)
    reprint = Reprint(unit=unit, created_by=by)
    _apply_reprint(reprint, data)
    save_with_history(reprint, by=by, reason="转载政策文件")
    return reprint


@transaction.atomic
def reprint_update(*, reprint: Reprint, by: User, data: dict) -> Reprint:
    reprint = Reprint.objects.select_for_update().get(pk=reprint.pk)
    if not permissions.can_edit_reprint(by, reprint):
        raise PermissionDenied("只有本单位经办人可以修改未发布的转载。")
    errors = _validate_reprint(data)
    if errors:
        raise ValidationError(errors)
    _apply_reprint(reprint, data)
    save_with_history(reprint, by=by, reason="修改转载")
    return reprint


@transaction.atomic
def reprint_publish(*, reprint: Reprint, by: User) -> Reprint:
    """The unit's confidentiality reviewer clears and publishes the reprint (D7)."""
    reprint = Reprint.objects.select_for_update().get(pk=reprint.pk)
    if not permissions.can_publish_reprint(by, reprint):
        raise PermissionDenied("只有本单位保密审查人员可以审查并发布转载。")
    move(reprint, ReprintStatus.PUBLISHED, REPRINT_TRANSITIONS, what="转载")
    reprint.published_at, reprint.published_by = timezone.now(), by
    save_with_history(reprint, by=by, reason="保密审查通过,发布转载",
                      fields=["status", "published_at", "published_by", "updated_at"])
    return reprint


@transaction.atomic
def reprint_withdraw(*, reprint: Reprint, by: User, reason: str) -> Reprint:
    if not reason or not reason.strip():
        raise ValidationError({"reason": "撤回必须说明理由。"})
    reprint = Reprint.objects.select_for_update().get(pk=reprint.pk)
    if not permissions.can_withdraw_reprint(by, reprint):
        raise PermissionDenied("只有本单位负责人可以撤回已发布的转载。")
    move(reprint, ReprintStatus.WITHDRAWN, REPRINT_TRANSITIONS, what="转载")
    save_with_history(reprint, by=by, reason=f"撤回:{reason.strip()}", fields=["status", "updated_at"])
    return reprint


@transaction.atomic
def reprint_note_add(*, reprint: Reprint, by: User, noted_on: date, body: str) -> ReprintNote:
    """贯彻落实情况 (I1): a dated note on how the unit implements the reprinted policy."""
    reprint = Reprint.objects.select_for_update().get(pk=reprint.pk)
    if not permissions.can_note_reprint(by, reprint):
        raise PermissionDenied("只有本单位可以为已发布的转载填报贯彻落实情况。")
    errors = {}
    if problem := _past_date_problem(noted_on, label="日期"):
        errors["noted_on"] = problem
    if not clean_text(body):
        errors["body"] = "请填写贯彻落实情况。"
    if errors:
        raise ValidationError(errors)
    note = ReprintNote(reprint=reprint, noted_on=noted_on, body=clean_text(body), created_by=by)
    save_with_history(note, by=by, reason="填报贯彻落实情况")
    return note
