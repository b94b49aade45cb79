"""年度自查 (D12): each year a unit reviews its non-public items and its most-applied-for
items, and keeps, converts to 主动公开, or publishes each — with a reason."""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from tongchuan_portal.units.models import Role
from tongchuan_portal.units.permissions import has_role

from . import deadlines
from .models import DisclosureAttribute, Document, SelfCheck, SelfCheckItem, Status

# Applications (依申请公开) plug in here: provider(unit, year) -> [(document, count), ...].
_most_applied_providers: list[Callable] = []


def register_most_applied_provider(provider: Callable) -> None:
    if provider not in _most_applied_providers:
        _most_applied_providers.append(provider)


def _candidates(unit, year):
    items = {}
    for document in Document.objects.filter(issuer=unit, status=Status.ACCEPTED).exclude(
            attribute=DisclosureAttribute.PROACTIVE):
        source = (SelfCheckItem.Source.NOT_PUBLIC if document.attribute == DisclosureAttribute.NOT_PUBLIC
                  else SelfCheckItem.Source.ON_REQUEST)
        items[document.pk] = (document, source, 0)
    for provider in _most_applied_providers:
        for document, count in provider(unit, year):
            items[document.pk] = (document, SelfCheckItem.Source.MOST_APPLIED, count)
    return list(items.values())


@transaction.atomic
def self_check_open(*, unit, year: int, by) -> SelfCheck | None:
    """Open the unit's self-check for `year` with every item to review; None when nothing to check."""
    existing = SelfCheck.objects.filter(unit=unit, year=year).first()
    if existing is not None:
        return existing
    candidates = _candidates(unit, year)
    if not candidates:
        return None
    check = SelfCheck(unit=unit, year=year, opened_at=timezone.now())
    check._history_user, check._change_reason = by, f"开始{year}年度自查"
    check.save()
    bulk_create_with_history(
        [SelfCheckItem(self_check=check, document=d, source=s, application_count=n) for d, s, n in candidates],
        SelfCheckItem, default_user=by, default_change_reason="列入年度自查")
    return check


def self_checks_open_year(*, by, year: int | None = None) -> int:
    from tongchuan_portal.units.models import Unit

    year = year or timezone.localdate().year
    units = Unit.objects.filter(documents__status=Status.ACCEPTED).distinct()
    return sum(1 for unit in units if self_check_open(unit=unit, year=year, by=by))


def can_decide(user, check: SelfCheck) -> bool:
    return check.completed_at is None and (
        has_role(user, check.unit_id, Role.Code.TRANSPARENCY_OFFICE)
        or has_role(user, check.unit_id, Role.Code.UNIT_HEAD)
    )


@transaction.atomic
def self_check_decide(*, item: SelfCheckItem, decision: str, reason: str, by) -> SelfCheckItem:
    """Decide one item. Converting or publishing sends the document through confidentiality review (D7)."""
    item = SelfCheckItem.objects.select_for_update().select_related("self_check", "document").get(pk=item.pk)
    if not can_decide(by, item.self_check):
        raise PermissionDenied("只有本单位政务公开工作机构或负责人可以作出自查结论。")
    if decision not in (SelfCheckItem.Decision.KEEP, SelfCheckItem.Decision.CONVERT, SelfCheckItem.Decision.PUBLISH):
        raise ValidationError({"decision": "请选择自查结论:维持、转为主动公开或予以公开。"})
    if not reason or not reason.strip():
        raise ValidationError({"reason": "自查结论必须说明理由。"})
    if item.decision != SelfCheckItem.Decision.PENDING:
        raise ValidationError("该事项已作出自查结论。")
    item.decision, item.reason, item.decided_by, item.decided_at = decision, reason.strip(), by, timezone.now()
    item._history_user, item._change_reason = by, f"自查结论:{item.get_decision_display()}"
    item.save()
    if decision != SelfCheckItem.Decision.KEEP:
        _open_up(item.document, by=by, reason=f"年度自查{item.get_decision_display()}:{reason.strip()}")
    return item


def _open_up(document: Document, *, by, reason: str) -> None:
    from .services import _lock, _move, _save, _start_clock, city_office, start_publication_clock

    document = _lock(document)
    document.attribute = DisclosureAttribute.PROACTIVE
    _move(document, Status.CONFIDENTIALITY_REVIEW)
    _save(document, by=by, reason=reason, fields=["attribute", "status", "updated_at"])
    unit = city_office() if document.goes_to_city_office else document.issuer
    _start_clock(deadlines.CONFIDENTIALITY_REVIEW, document, unit, by=by, subject=f"《{document.title}》保密审查")
    start_publication_clock(document, by=by, formed_at=timezone.now())  # D13: "formed or changed"


@transaction.atomic
def self_check_complete(*, check: SelfCheck, summary: str, by) -> SelfCheck:
    check = SelfCheck.objects.select_for_update().get(pk=check.pk)
    if not can_decide(by, check):
        raise PermissionDenied("只有本单位政务公开工作机构或负责人可以完成自查。")
    if check.items.filter(decision=SelfCheckItem.Decision.PENDING).exists():
        raise ValidationError("还有事项未作出自查结论。")
    check.completed_at, check.summary = timezone.now(), summary.strip()
    check._history_user, check._change_reason = by, "完成年度自查"
    check.save()
    return check
