"""The calendar-date rule kind: a due date the rule itself fixes, not counted in working days (A6, CLOCK6).

The annual report (条例第四十九、五十条) is due by 31 January (departments) or 31 March (governments) of the year
after the one it reports on, whatever the calendar: the date is neither counted from a start nor moved by
holidays. Such a deadline is stored like every other (CLOCK2) — due at the end of that day, Beijing time
(CLOCK7) — and the one sweep reminds and escalates it (CLOCK3); it has no working days or duration to
recompute, pause or extend, so a calendar change never touches it.

Kept apart from `services` (which other work is splitting into a package) in functions of its own; the rest
of the engine needs only the kind and the rule's `due_month_day`.
"""

from __future__ import annotations

from datetime import date, datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from . import workdays
from .models import Deadline, RuleKind
from .registry import Rule, get_rule


def due_date_for_period(rule: Rule, period_year: int) -> date:
    """The day the rule fixes for `period_year`'s obligation, e.g. 2026-01-31 for the 2025 report."""
    if rule.kind != RuleKind.CALENDAR_DATE:
        raise ValueError(f"{rule.code} is not a calendar-date rule")
    month, day = rule.due_month_day
    return date(period_year + rule.years_after_period, month, day)


def due_moment_for_period(rule: Rule, period_year: int) -> datetime:
    """The close of that day in Beijing time (CLOCK7)."""
    return workdays.end_of_day(due_date_for_period(rule, period_year))


@transaction.atomic
def deadline_start_for_period(*, rule: str, target, period_year: int, unit=None, subject: str = "",
                              started_at: datetime | None = None, by) -> Deadline:
    """Start a calendar-date rule's clock on `target` for `period_year`; the fixed due moment is stored now.

    The one open deadline per target and rule (the engine's constraint) makes a second start a no-op:
    the running one is returned.
    """
    spec = get_rule(rule)
    if spec.kind != RuleKind.CALENDAR_DATE:
        raise ValueError(f"{rule} is not a calendar-date rule; start it with services.deadline_start")
    content_type = ContentType.objects.get_for_model(target)
    existing = Deadline.objects.filter(content_type=content_type, object_id=target.pk, rule=spec.code,
                                       state__in=["running", "paused"]).first()
    if existing is not None:
        return existing
    started_at = started_at or timezone.now()
    due_at = due_moment_for_period(spec, period_year)
    if due_at <= started_at:
        raise ValidationError(f"{spec.label}的截止日期{due_at.astimezone(workdays.BEIJING):%Y-%m-%d}已过,"
                              "不能再起算。")
    from .formatting import fmt
    from .services.deadlines import _next_action_at

    deadline = Deadline(
        content_type=content_type, object_id=target.pk, subject=(subject or str(target))[:300],
        rule=spec.code, rule_id=spec.rule_id, kind=spec.kind, unit=unit,
        started_at=started_at, basis_at=started_at, due_at=due_at, provisional=False,
    )
    deadline.next_action_at = _next_action_at(deadline, spec)
    deadline._history_user = by
    deadline._change_reason = f"起算{spec.label},截止{fmt(due_at)}"
    deadline.save()
    return deadline


def explanation_text(deadline: Deadline) -> str:
    """CLOCK6 for a calendar-date deadline: where the date comes from, and that nothing moves it."""
    try:
        rule = get_rule(deadline.rule)
    except LookupError:
        return f"截止日期由规定直接确定,至 {deadline.due_at.astimezone(workdays.BEIJING):%Y-%m-%d %H:%M} 截止。"
    month, day = rule.due_month_day
    due = deadline.due_at.astimezone(workdays.BEIJING)
    source = f"依{rule.source}," if rule.source else ""
    return (f"{source}须于每年{month}月{day}日前完成上一年度事项:截止日期由规定直接确定,不按工作日推算,"
            f"节假日不顺延;本次至 {due:%Y-%m-%d}({workdays_weekday(due.date())})23:59 截止。")


def workdays_weekday(day: date) -> str:
    return "星期" + "一二三四五六日"[day.weekday()]
