"""Reads across cases, clocks and releases, each in a constant number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import F, Prefetch, QuerySet
from django.db.models.functions import TruncMinute
from django.utils import timezone

from tongchuan_portal.clock.models import Deadline, DeadlineSignal, DeadlineState
from tongchuan_portal.clock.registry import get_rule
from tongchuan_portal.core.confidentiality import QueueRow, refusal_counts
from tongchuan_portal.core.models import Clearance
from tongchuan_portal.units.models import Role, SpecialUnit, Unit, UnitKind
from tongchuan_portal.units.permissions import holds_role, unit_ids_with_role
from tongchuan_portal.core.periods import year_span

from .models import CaseEvent, CaseStatus, OpinionCase, Release
from .permissions import visible_to
from tongchuan_portal.core.cached_urls import id_url

# A clock is "about to run out" in its last quarter (75 minutes of 5 hours, 12 of 48).
SOON_FRACTION = 4


def duration_words(delta: timedelta) -> str:
    seconds = abs(int(delta.total_seconds()))
    days, rem = divmod(seconds, 86400)
    hours, rem = divmod(rem, 3600)
    minutes = rem // 60
    return (f"{days}天" if days else "") + (f"{hours}小时" if hours or days else "") + f"{minutes}分"


@dataclass
class Clock:
    """One case clock as the dashboard shows it: words first, colour only as a help."""

    deadline: Deadline
    title: str
    rule_id: str
    length: str
    level: str  # normal / soon / overdue / met / met_late — the badge's CSS class suffix
    label: str  # 计时中 / 即将到期 / 已逾期 / 按时完成 / 逾期完成
    words: str  # 剩余…, 已超期…, 用时…
    escalated_at: datetime | None

    @property
    def running(self) -> bool:
        return self.deadline.state in (DeadlineState.RUNNING, DeadlineState.MISSED)


def _clock(deadline: Deadline, now: datetime) -> Clock:
    rule = get_rule(deadline.rule)
    escalations = [s.sent_at for s in deadline.signals.all() if s.tier.startswith("escalate:")]
    escalated_at = min(escalations) if escalations else None
    if deadline.state == DeadlineState.MET:
        late = deadline.met_at > deadline.due_at
        used = duration_words(deadline.met_at - deadline.started_at)
        level, label = ("met_late", "逾期完成") if late else ("met", "按时完成")
        words = (f"超期{duration_words(deadline.met_at - deadline.due_at)}后完成" if late else "已完成") + f",用时{used}"
    elif deadline.state == DeadlineState.MISSED or deadline.due_at < now:
        level, label, words = "overdue", "已逾期", f"已超期{duration_words(now - deadline.due_at)}"
    else:
        left = deadline.due_at - now
        soon = left <= (rule.duration or timedelta(0)) / SOON_FRACTION
        level, label = ("soon", "即将到期") if soon else ("normal", "计时中")
        words = f"剩余{duration_words(left)}"
    return Clock(deadline, rule.label, rule.rule_id, rule.length_text, level, label, words, escalated_at)


def clocks_for(cases: list[OpinionCase], now: datetime | None = None) -> dict[int, list[Clock]]:
    """Every case's clocks (not the cancelled ones), in two queries whatever the number of cases."""
    now = now or timezone.now()
    ids = [c.pk for c in cases]
    if not ids:
        return {}
    rows = (
        Deadline.objects.filter(content_type=ContentType.objects.get_for_model(OpinionCase), object_id__in=ids)
        .exclude(state=DeadlineState.CANCELLED)
        .prefetch_related(Prefetch("signals", queryset=DeadlineSignal.objects.order_by("sent_at")))
        .order_by("started_at", "due_at", "pk")
    )
    result: dict[int, list[Clock]] = defaultdict(list)
    for deadline in rows:
        result[deadline.object_id].append(_clock(deadline, now))
    return dict(result)


@dataclass
class DashboardFilters:
    status: str = CaseStatus.OPEN  # "open", "closed" or "all"
    level: str = ""
    unit: int | None = None
    category: str = ""


def cases_for_dashboard(user, filters: DashboardFilters) -> QuerySet[OpinionCase]:
    """Cases the user may see, the most pressing open clock first (the stored `next_due_at`, indexed)."""
    rows = visible_to(user)
    if filters.status in (CaseStatus.OPEN, CaseStatus.CLOSED):
        rows = rows.filter(status=filters.status)
    if filters.level:
        rows = rows.filter(level=filters.level)
    if filters.unit:
        rows = rows.filter(responsible_unit_id=filters.unit)
    if filters.category:
        rows = rows.filter(category=filters.category)
    return (
        rows.select_related("responsible_unit")
        .prefetch_related(Prefetch("districts", queryset=Unit.objects.order_by("sort_order")))
        .order_by(F("next_due_at").asc(nulls_last=True), "-recorded_at", "-pk")
    )


def assignable_units() -> QuerySet[Unit]:
    """Units that can answer for a case: the city office, city departments, districts and their departments."""
    return Unit.objects.filter(
        is_active=True,
        kind__in=[UnitKind.GENERAL_OFFICE, UnitKind.CITY_DEPARTMENT, UnitKind.DISTRICT, UnitKind.DISTRICT_DEPARTMENT],
    ).order_by("sort_order", "code")


def districts() -> QuerySet[Unit]:
    return Unit.objects.filter(is_active=True, kind=UnitKind.DISTRICT).order_by("sort_order")


def case_for_user(user, pk: int) -> OpinionCase:
    """One case with everything its page shows; DoesNotExist for a case the user may not see."""
    return (
        visible_to(user)
        .select_related("responsible_unit", "recorded_by")
        .prefetch_related(
            Prefetch("districts", queryset=Unit.objects.order_by("sort_order")),
            Prefetch("releases", queryset=Release.objects.select_related("recorded_by").order_by("released_at", "pk")),
            "press_conferences__recorded_by",
            "transfers__recorded_by",
            "feedback__recorded_by",
            # By the minute shown, then in the order recorded: a release entered as 16:47 sorts after the
            # case recorded at 16:47:30 it answers.
            Prefetch("events", queryset=CaseEvent.objects.select_related("actor").order_by(TruncMinute("at"), "pk")),
        )
        .get(pk=pk)
    )


# --- the public 回应关切 column -----------------------------------------------------------------


@dataclass
class ColumnFilters:
    year: int | None = None
    month: int | None = None
    area: str = ""
    topic: str = ""
    units: list[int] | None = None  # a unit section's scope (W1); None: the whole city


def releases_public(filters: ColumnFilters) -> QuerySet[Release]:
    """Published responses, newest first; every filter uses one of the partial indexes on `public`."""
    rows = Release.objects.filter(public=True)
    if filters.year:
        # A range on released_at (Beijing calendar), so the index serves it.
        start, end = year_span(filters.year, filters.month)
        rows = rows.filter(released_at__gte=start, released_at__lt=end)
    if filters.area:
        rows = rows.filter(subject_area=filters.area)
    if filters.topic:
        rows = rows.filter(special_topic=filters.topic)
    if filters.units is not None:
        rows = rows.filter(unit_id__in=filters.units)
    return rows.select_related("unit").order_by("-released_at", "-id")


def release_years() -> list[int]:
    return [d.year for d in Release.objects.filter(public=True).dates("released_at", "year", order="DESC")]


def release_public(pk: int) -> Release:
    return Release.objects.select_related("unit").get(pk=pk, public=True)


# --- 保密审查 (D7) -------------------------------------------------------------------------------


def releases_awaiting_clearance(user) -> QuerySet[Release]:
    """Releases the user may clear for the 回应关切 column (D7), oldest first: those of the units the user
    reviews for, and every one for the city office's reviewers (see `permissions.can_clear_release`)."""
    rows = Release.objects.filter(clearance=Clearance.PENDING)
    if not holds_role(user, Role.Code.CONFIDENTIALITY_REVIEWER, special=SpecialUnit.CITY_OFFICE):
        rows = rows.filter(unit_id__in=unit_ids_with_role(user, Role.Code.CONFIDENTIALITY_REVIEWER))
    return rows.select_related("unit", "case").order_by("submitted_at", "pk")


def queue_section(user) -> dict | None:
    """The 舆情回应 rows of the one 保密审查 queue — three queries whatever their number."""
    if not holds_role(user, Role.Code.CONFIDENTIALITY_REVIEWER):
        return None
    releases = list(releases_awaiting_clearance(user)[:200])
    refusals = refusal_counts(Release, [r.pk for r in releases])
    rows = [QueueRow(title=r.title, kind=f"舆情回应({r.case.title})", unit=r.unit.short_name, since=r.submitted_at,
                     url=id_url("opinion:release_clearance", r.pk), refusals=refusals.get(r.pk, 0))
            for r in releases]
    return {"key": "opinion", "title": "舆情回应(回应关切栏目)", "rows": rows,
            "empty": "目前没有待保密审查的舆情回应。"}


def release_for_clearance(user, pk: int) -> Release:
    """One waiting release the user may clear; DoesNotExist (a 404) otherwise."""
    return releases_awaiting_clearance(user).get(pk=pk)
