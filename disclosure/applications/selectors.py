"""Reads across applications (STYLE.md): lists with what their pages show loaded, and the annual report's rows."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum

from .models import Application, Fee


def applications_for_annual_report(*, unit_ids: list[int], year: int) -> QuerySet[Application]:
    """Every application of the units that concerns `year`'s table 三 (A6), in one query.

    Received on or before 31 December of `year`, and not replied before 1 January of `year`: the rows the annual
    report counts as 本年新收 / 上年结转 / 本年度办理结果 / 结转下年度. Rows carry `applicant_column`,
    `received_on`, `replied_on` and `outcome` only.
    """
    return (
        Application.objects.filter(unit_id__in=list(unit_ids), received_on__isnull=False,
                                   received_on__lte=date(year, 12, 31))
        .filter(Q(replied_on__isnull=True) | Q(replied_on__gte=date(year, 1, 1)))
        .only("pk", "applicant_column", "received_on", "replied_on", "outcome")
        .order_by("pk")
    )


def fees_collected(*, unit_ids: list[int], year: int) -> Decimal:
    """信息处理费 actually paid in `year` (元), for table 六 of the annual report."""
    total = Fee.objects.filter(application__unit_id__in=list(unit_ids), paid_on__gte=date(year, 1, 1),
                              paid_on__lte=date(year, 12, 31)).aggregate(
        total=Sum("amount"))["total"]
    return total if total is not None else Decimal("0")
