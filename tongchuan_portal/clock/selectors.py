from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from . import workdays
from tongchuan_portal.units.permissions import is_city_office_reviewer

from .models import CalendarYear, Deadline, DeadlineExtension, DeadlinePause, DeadlineState, RuleKind
from .permissions import visible_to
from .registry import get_rule

DUE_SOON = timedelta(days=3)

CALENDAR_UNCONFIRMED_MESSAGE = (
    "工作日历尚未确认{year}年的放假安排,不能按工作日起算法定时限。"
    "请管理员在“工作日历与时限 → 日历年度”中录入并确认{year}年的放假安排(或运行 manage.py load_calendar)后再办理。"
)


def calendar_unconfirmed_today(now: datetime | None = None) -> int | None:
    """Today's year (Beijing time) when its official schedule is not confirmed, else None (CLOCK1).

    One indexed query, read from the database rather than a process's calendar snapshot,
    so /healthz and deadline_start see a confirmation the moment it commits.
    """
    year = (now or timezone.now()).astimezone(workdays.BEIJING).year
    if CalendarYear.objects.filter(year=year, confirmed=True).exists():
        return None
    return year


def deadlines_with_failed_action(user) -> QuerySet[Deadline]:
    """Open deadlines whose on-due action failed and waits for a retry — the city office's to watch (CLOCK3)."""
    if not is_city_office_reviewer(user):
        return Deadline.objects.none()
    return (
        visible_to(user)
        .filter(action_retry_at__isnull=False, state__in=[DeadlineState.RUNNING, DeadlineState.MISSED])
        .select_related("unit")
        .order_by("action_retry_at", "pk")
    )


def deadlines_for_user(user) -> QuerySet[Deadline]:
    """我的时限: open deadlines the user can see, soonest first, with what the page shows loaded."""
    return (
        visible_to(user)
        .filter(state__in=[DeadlineState.RUNNING, DeadlineState.PAUSED, DeadlineState.MISSED])
        .select_related("unit")
        .prefetch_related(
            Prefetch("pauses", queryset=DeadlinePause.objects.select_related("paused_by", "resumed_by")),
            Prefetch("extensions", queryset=DeadlineExtension.objects.select_related("extended_by")),
        )
        .order_by("due_at", "pk")
    )


@dataclass
class Explanation:
    """How a due moment was computed (CLOCK6): start, rule, days skipped, pauses, extensions."""

    deadline: Deadline
    rule_title: str
    rule_length: str
    basis_date: object
    count: workdays.DayCount | None
    remaining_text: str

    @property
    def resumed(self) -> bool:
        return self.deadline.basis_at != self.deadline.started_at


def explain(deadline: Deadline) -> Explanation:
    try:
        rule = get_rule(deadline.rule)
        title, length = rule.label, rule.length_text
    except LookupError:
        title, length = deadline.rule, ""
    count = None
    if deadline.kind == RuleKind.WORKING_DAYS:
        remaining_text = f"{deadline.remaining_days}个工作日"
        if deadline.state != DeadlineState.PAUSED:
            count = workdays.count_days(workdays.beijing_date(deadline.basis_at), deadline.remaining_days)
    else:
        seconds = int(deadline.remaining_time.total_seconds())
        remaining_text = f"{seconds // 3600}小时{seconds % 3600 // 60}分" if seconds >= 60 else f"{seconds}秒"
    return Explanation(deadline, title, length, workdays.beijing_date(deadline.basis_at), count, remaining_text)


def urgency(deadline: Deadline, now: datetime | None = None) -> str:
    """overdue / soon / normal / paused — for colour and for the words beside it."""
    now = now or timezone.now()
    if deadline.state == DeadlineState.PAUSED:
        return "paused"
    if deadline.state == DeadlineState.MISSED or deadline.due_at < now:
        return "overdue"
    if deadline.due_at - now <= DUE_SOON:
        return "soon"
    return "normal"
