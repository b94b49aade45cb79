"""Reads for the annual report: who reports for whom, the numbers from documents, applications and appeal
records (each through its owner's selector), the public list and the city-wide summary (A6)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from disclosure.selectors import document_counts_for_annual_report
from tongchuan_portal.units.models import SpecialUnit, Unit, UnitKind
from tongchuan_portal.units.permissions import units_with_role
from tongchuan_portal.units.selectors import special_unit_id

from . import tables
from .models import SECTION_FIELDS, AppealRecord, Report, ReportSnapshot

logger = logging.getLogger(__name__)

GOVERNMENT_KINDS = (UnitKind.GOVERNMENT, UnitKind.DISTRICT)


def is_government(unit: Unit) -> bool:
    """The city and each district government report by 31 March; every department by 31 January
    (条例第四十九、五十条)."""
    return unit.kind in GOVERNMENT_KINDS


def covered_unit_ids(unit: Unit) -> list[int]:
    """Whose records a unit's report counts: the city government's covers 市政府 and 市政府办公室."""
    if unit.special == SpecialUnit.CITY_GOVERNMENT:
        office = special_unit_id(SpecialUnit.CITY_OFFICE)
        return [unit.pk] + ([office] if office else [])
    return [unit.pk]


def reporting_units() -> QuerySet[Unit]:
    """Every unit that publishes a report: not 市政府办公室 (in the city government's) nor party organs
    (not subject to the 条例)."""
    return (Unit.objects.filter(is_active=True).exclude(kind=UnitKind.PARTY_ORGAN)
            .exclude(special=SpecialUnit.CITY_OFFICE).order_by("sort_order", "code"))


# --- the sources ------------------------------------------------------------------------------------


def application_rows(*, unit_ids: list[int], year: int) -> list:
    """feat13's rows for table 三 (one query), or none while the applications app is not installed."""
    try:
        from disclosure.applications.selectors import applications_for_annual_report
    except ImportError:
        return []
    return list(applications_for_annual_report(unit_ids=unit_ids, year=year))


def fees_collected(*, unit_ids: list[int], year: int) -> Decimal:
    """信息处理费 actually collected in the year, in 元 (section 六), from the fee records."""
    try:
        from disclosure.applications.selectors import fees_collected as collected
    except ImportError:
        return Decimal("0")
    return Decimal(collected(unit_ids=unit_ids, year=year) or 0)


def appeal_records(*, unit_ids: list[int], year: int) -> list[AppealRecord]:
    return list(AppealRecord.objects.filter(unit_id__in=unit_ids, filed_on__year=year)
                .only("kind", "filed_on", "result", "decided_on"))


def compute(report: Report) -> dict:
    """Every number and section of the report as it stands now (a draft is recomputed on every view)."""
    unit_ids = covered_unit_ids(report.unit)
    table2 = {
        **document_counts_for_annual_report(unit_ids=unit_ids, year=report.year),
        "licensing": report.licensing_count, "penalty": report.penalty_count,
        "enforcement": report.enforcement_count,
        "fees_wan": None if report.fees_amount_wan is None else str(report.fees_amount_wan),
    }
    table3 = tables.table3_from_rows(application_rows(unit_ids=unit_ids, year=report.year), report.year)
    data = {
        "unit": report.unit.name, "year": report.year, "computed_at": timezone.now().isoformat(),
        "table2": table2, "table3": table3,
        "table4": tables.table4_from_records(appeal_records(unit_ids=unit_ids, year=report.year), report.year),
        "fees_collected": str(fees_collected(unit_ids=unit_ids, year=report.year).quantize(Decimal("0.01"))),
        "sections": {name: getattr(report, name) for name in SECTION_FIELDS},
    }
    return data


def checks(data: dict) -> list[tables.CheckFailure]:
    return tables.check_table3(data["table3"])


def missing_entries(report: Report) -> list[str]:
    """What the unit still has to fill in before the head can approve (labels, in the form's words)."""
    missing = [Report._meta.get_field(f).verbose_name for f in ("licensing_count", "penalty_count",
                                                                 "enforcement_count", "fees_amount_wan")
               if getattr(report, f) is None]
    if not report.overview_general.strip():
        missing.append(Report._meta.get_field("overview_general").verbose_name)
    return missing


# --- staff ---------------------------------------------------------------------------------------------


def reporting_unit_ids(unit_ids) -> set[int]:
    """The units whose reports people of `unit_ids` work on: their own, and the city government's for the
    city office (it compiles it)."""
    unit_ids = set(unit_ids)
    office = special_unit_id(SpecialUnit.CITY_OFFICE)
    if office in unit_ids:
        government = special_unit_id(SpecialUnit.CITY_GOVERNMENT)
        if government:
            unit_ids.add(government)
    return unit_ids


def reports_for_user(user) -> QuerySet[Report]:
    """The reports of the units the user works for (their own, and the city government's for the office)."""
    unit_ids = reporting_unit_ids(units_with_role(user).values_list("pk", flat=True))
    return Report.objects.filter(unit_id__in=unit_ids).select_related("unit").order_by("-year", "unit__sort_order")


def appeals_for_user(user, *, unit_ids) -> QuerySet[AppealRecord]:
    return AppealRecord.objects.filter(unit_id__in=unit_ids).select_related("unit", "entered_by")


# --- public ----------------------------------------------------------------------------------------------


def latest_snapshot_prefetch() -> Prefetch:
    return Prefetch("snapshots", queryset=ReportSnapshot.objects.order_by("-version"), to_attr="versions")


def published_reports(*, year: int | None = None, unit_code: str = "") -> QuerySet[Report]:
    """The public 年报 list: published reports, newest year first, by the unit order (indexed filters)."""
    qs = Report.objects.filter(published_version__gt=0).select_related("unit")
    if year:
        qs = qs.filter(year=year)
    if unit_code:
        qs = qs.filter(unit__code=unit_code)
    return qs.order_by("-year", "unit__sort_order", "pk")


def published_years() -> list[int]:
    return list(Report.objects.filter(published_version__gt=0).values_list("year", flat=True)
                .distinct().order_by("-year"))


def public_report(unit_code: str, year: int) -> Report:
    """A published report with its versions (newest first); DoesNotExist otherwise."""
    return (Report.objects.filter(published_version__gt=0, unit__code=unit_code, year=year)
            .select_related("unit").prefetch_related(latest_snapshot_prefetch()).get())


@dataclass
class SummaryRow:
    unit: Unit
    received: int = 0
    answered: int = 0
    carried_forward: int = 0
    on_time: int = 0
    overdue: int = 0
    outcomes: dict | None = None
    published: bool = False

    @property
    def on_time_rate(self) -> float | None:
        done = self.on_time + self.overdue
        return None if not done else self.on_time / done


def _summary_rows(*, unit_ids: list[int], year: int) -> list:
    """The contract's rows with the handling unit loaded too, still one query (the summary groups by unit)."""
    try:
        from disclosure.applications.selectors import applications_for_annual_report
    except ImportError:
        return []
    rows = applications_for_annual_report(unit_ids=unit_ids, year=year)
    return list(rows.only("pk", "unit_id", "applicant_column", "received_on", "replied_on", "outcome"))


def _reply_timeliness(year: int) -> dict[int, tuple[int, int]]:
    """{unit id: (on time, overdue)} for application replies due in the year, from the reply clocks (A3)."""
    from tongchuan_portal.clock.models import Deadline, DeadlineState

    try:
        from disclosure.applications.deadlines import REPLY
    except ImportError:
        return {}
    rows = (Deadline.objects.filter(rule=REPLY, due_at__year=year)
            .exclude(state=DeadlineState.CANCELLED)
            .values("unit_id")
            .annotate(on_time=Count("pk", filter=Q(state=DeadlineState.MET, missed_at__isnull=True)),
                      overdue=Count("pk", filter=Q(missed_at__isnull=False))))
    return {r["unit_id"]: (r["on_time"], r["overdue"]) for r in rows}


def city_summary(year: int) -> list[SummaryRow]:
    """The city office's figure across all units (A6): received, answered, on time, overdue, outcomes.

    A constant number of queries: one for the units, one for the application rows of all of them, one for
    the reply clocks, one for which reports are published.
    """
    units = list(reporting_units())
    rows = {u.pk: SummaryRow(unit=u, outcomes={g: 0 for g in tables.OUTCOME_GROUP_CODES}) for u in units}
    office = special_unit_id(SpecialUnit.CITY_OFFICE)
    government = special_unit_id(SpecialUnit.CITY_GOVERNMENT)
    owner = {u.pk: u.pk for u in units}
    if office and government:
        owner[office] = government
    start, end = date(year, 1, 1), date(year, 12, 31)
    for app in _summary_rows(unit_ids=list(owner), year=year):
        row = rows.get(owner.get(app.unit_id))
        if row is None:
            continue
        if app.received_on and start <= app.received_on <= end:
            row.received += 1
        if app.replied_on and start <= app.replied_on <= end:
            row.answered += 1
            row.outcomes[tables.group_of(app.outcome)] += 1
        elif not app.replied_on or app.replied_on > end:
            row.carried_forward += 1
    for unit_id, (on_time, overdue) in _reply_timeliness(year).items():
        row = rows.get(owner.get(unit_id))
        if row is not None:
            row.on_time += on_time
            row.overdue += overdue
    for unit_id in Report.objects.filter(year=year, published_version__gt=0).values_list("unit_id", flat=True):
        if unit_id in rows:
            rows[unit_id].published = True
    return [rows[u.pk] for u in units]


def summary_two_years(year: int) -> tuple[list[SummaryRow], list[SummaryRow]]:
    return city_summary(year), city_summary(year - 1)
