"""年度自查 (D12): each year a unit reviews its non-public items and its most-applied-for
items, and keeps, converts to 主动公开, or publishes each — with a reason."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from tongchuan_portal.core.workflow import move, save_with_history
from tongchuan_portal.units.models import Unit

from .. import deadlines, permissions
from ..hooks import repeated_requests
from ..models import TRANSITIONS, DisclosureAttribute, Document, SelfCheck, SelfCheckItem, Status
from ._common import city_office, lock, start_clock, start_publication_clock

# Applications (依申请公开) plug in here: provider(unit, year) -> [(document, count), ...].
_most_applied_providers: list[Callable] = []


def register_most_applied_provider(provider: Callable) -> None:
    """Let another app (applications) add its most-applied-for items to every unit's self-check."""
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
def self_check_open(*, unit, year: int, by: User) -> SelfCheck | None:
    """Open the unit's self-check for `year` with every item to review; None when nothing to check."""
    existing = SelfCheck.objects.filter(unit=unit, year=year).first()
    if existing is not None:
        return existing
    candidates = _candidates(unit, year)
    if not candidates and not repeated_requests(unit, year):
        return None
    check = SelfCheck(unit=unit, year=year, opened_at=timezone.now())
    save_with_history(check, by=by, reason=f"开始{year}年度自查")
    bulk_create_with_history(
        [SelfCheckItem(self_check=check, document=d, source=s, application_count=n) for d, s, n in candidates],
        SelfCheckItem, default_user=by, default_change_reason="列入年度自查")
    return check


def self_checks_open_year(*, by: User, year: int | None = None) -> int:
    """Open this year's self-check for every unit with items to review (the yearly beat task)."""
    year = year or timezone.localdate().year
    units = Unit.objects.filter(documents__status=Status.ACCEPTED).distinct()
    return sum(1 for unit in units if self_check_open(unit=unit, year=year, by=by))


@transaction.atomic
def self_check_decide(*, item: SelfCheckItem, decision: str, reason: str, by: User) -> SelfCheckItem:
    """Decide one item. Converting or publishing sends the document through confidentiality review (D7)."""
    item = SelfCheckItem.objects.select_for_update().select_related("self_check", "document").get(pk=item.pk)
    if not permissions.can_decide_self_check(by, item.self_check):
        raise PermissionDenied("只有本单位政务公开工作机构或负责人可以作出自查结论。")
    if decision not in (SelfCheckItem.Decision.KEEP, SelfCheckItem.Decision.CONVERT, SelfCheckItem.Decision.PUBLISH):
        raise ValidationError({"decision": "请选择自查结论:维持、转为主动公开或予以公开。"})
    if not reason or not reason.strip():
        raise ValidationError({"reason": "自查结论必须说明理由。"})
    if item.decision != SelfCheckItem.Decision.PENDING:
        raise ValidationError("该事项已作出自查结论。")
    item.decision, item.reason, item.decided_by, item.decided_at = decision, reason.strip(), by, timezone.now()
    save_with_history(item, by=by, reason=f"自查结论:{item.get_decision_display()}")
    if decision != SelfCheckItem.Decision.KEEP:
        _open_up(item.document, by=by, reason=f"年度自查{item.get_decision_display()}:{reason.strip()}")
    return item


def _open_up(document: Document, *, by: User, reason: str) -> None:
    document = lock(document)
    document.attribute = DisclosureAttribute.PROACTIVE
    move(document, Status.CONFIDENTIALITY_REVIEW, TRANSITIONS, what="公文")
    save_with_history(document, by=by, reason=reason, fields=["attribute", "status", "updated_at"])
    unit = city_office() if document.goes_to_city_office else document.issuer
    start_clock(deadlines.CONFIDENTIALITY_REVIEW, document, unit, by=by, subject=f"《{document.title}》保密审查")
    start_publication_clock(document, by=by, formed_at=timezone.now())  # D13: "formed or changed"


@transaction.atomic
def self_check_complete(*, check: SelfCheck, summary: str, by: User) -> SelfCheck:
    """完成自查: every item has its decision; the summary goes on the unit's public catalog page (D12)."""
    check = SelfCheck.objects.select_for_update().get(pk=check.pk)
    if not permissions.can_decide_self_check(by, check):
        raise PermissionDenied("只有本单位政务公开工作机构或负责人可以完成自查。")
    if check.items.filter(decision=SelfCheckItem.Decision.PENDING).exists():
        raise ValidationError("还有事项未作出自查结论。")
    check.completed_at, check.summary = timezone.now(), summary.strip()
    save_with_history(check, by=by, reason="完成年度自查")
    return check
