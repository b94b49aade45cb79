"""主动公开目录 (D10): a unit's transparency office keeps its catalog and publishes it."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from tongchuan_portal.core.workflow import delete_with_history, save_with_history

from .. import permissions
from ..models import Catalog, CatalogEntry, Document, FiveDisclosure, Topic
from ..selectors import public_documents

ENTRY_FIELDS = ("area", "subject", "content", "time_limit", "channel", "topic")


def _catalog(unit) -> Catalog:
    catalog, _ = Catalog.objects.select_for_update().get_or_create(unit=unit)
    return catalog


@transaction.atomic
def catalog_entry_save(*, unit, data: dict, by: User, entry: CatalogEntry | None = None,
                       document_ids: list[int] = ()) -> CatalogEntry:
    """Add or change an entry; only published items of the unit may be linked to it (a link to anything
    else would put a draft, a withheld or another unit's item on the public catalog page)."""
    perm = "disclosure.add_catalogentry" if entry is None else "disclosure.change_catalogentry"
    if not permissions.can_edit_catalog(by, unit, perm):
        raise PermissionDenied("只有本单位政务公开工作机构可以编制主动公开目录。")
    errors = {}
    if data.get("area") not in FiveDisclosure.values:
        errors["area"] = "请选择五公开类别。"
    for field, label in (("subject", "公开主体"), ("content", "公开内容"), ("time_limit", "公开时限"), ("channel", "公开方式")):
        if not (data.get(field) or "").strip():
            errors[field] = f"请填写{label}。"
    if data.get("topic") and data["topic"] not in Topic.values:
        errors["topic"] = "请选择有效的主题分类。"
    if document_ids:
        wanted = set(document_ids)
        allowed = {d.pk: d for d in public_documents().filter(issuer=unit, pk__in=list(wanted))}
        if wanted - set(allowed):
            refused = Document.objects.filter(pk__in=list(wanted - set(allowed)))[:5]
            titles = "、".join(f"《{d.title}》" for d in refused) or "所选信息"
            errors["documents"] = f"目录条目只能关联本单位已公开的信息,{titles}不符合。"
    if errors:
        raise ValidationError(errors)
    catalog = _catalog(unit)
    if entry is None:
        entry = CatalogEntry(catalog=catalog)
    else:
        entry = CatalogEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.catalog_id != catalog.pk:
        raise PermissionDenied("不能修改其他单位的目录。")
    for field in ENTRY_FIELDS:
        setattr(entry, field, (data.get(field) or "").strip())
    if data.get("sort_order") is not None:
        entry.sort_order = data["sort_order"]
    entry.full_clean()
    save_with_history(entry, by=by, reason="编制主动公开目录条目")
    if document_ids is not None:
        entry.documents.set(list(public_documents().filter(issuer=unit, pk__in=list(document_ids))))
    save_with_history(catalog, by=by, reason="目录动态更新")
    return entry


@transaction.atomic
def catalog_entry_delete(*, entry: CatalogEntry, by: User) -> None:
    """Take an entry out of the catalog; the catalog's history shows the update (D10: updated dynamically)."""
    entry = CatalogEntry.objects.select_for_update().select_related("catalog__unit").get(pk=entry.pk)
    catalog = entry.catalog
    if not permissions.can_edit_catalog(by, catalog.unit, "disclosure.delete_catalogentry"):
        raise PermissionDenied("只有本单位政务公开工作机构可以编制主动公开目录。")
    delete_with_history(entry, by=by, reason="删除主动公开目录条目")
    save_with_history(catalog, by=by, reason="目录动态更新")


@transaction.atomic
def catalog_publish(*, unit, by: User) -> Catalog:
    """公布: the unit's catalog goes public once it has entries (D10)."""
    if not permissions.can_manage_catalog(by, unit):
        raise PermissionDenied("只有本单位政务公开工作机构可以公布主动公开目录。")
    catalog = _catalog(unit)
    if not catalog.entries.exists():
        raise ValidationError("目录还没有条目,不能公布。")
    if catalog.published_at is None:
        catalog.published_at = timezone.now()
        save_with_history(catalog, by=by, reason="公布主动公开目录")
    return catalog
