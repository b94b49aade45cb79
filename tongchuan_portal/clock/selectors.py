from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from . import workdays
from .models import Deadline, DeadlineExtension, DeadlinePause, DeadlineState, RuleKind
from .permissions import visible_to
from .registry import get_rule

DUE_SOON = timedelta(days=3)


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
        title, length = rule.title, rule.length_text
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
