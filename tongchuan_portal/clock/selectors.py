from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from . import workdays
from tongchuan_portal.units.permissions import is_city_office_reviewer

from .models import CalendarYear, Deadline, DeadlineExtension, DeadlinePause, DeadlineState, RuleKind
from .permissions import visible_to
from .registry import get_rule, rule_label

DUE_SOON = timedelta(days=3)

#: The states in which a deadline still concerns the people handling its target.
OPEN_STATES = (DeadlineState.RUNNING, DeadlineState.PAUSED, DeadlineState.MISSED)


def open_deadlines_prefetch(relation: str = "deadlines", to_attr: str = "open_deadlines") -> Prefetch:
    """Prefetch a target's open deadlines (running, paused, missed), soonest first, onto ``to_attr``."""
    return Prefetch(relation, queryset=Deadline.objects.filter(state__in=OPEN_STATES).order_by("due_at", "pk"),
                    to_attr=to_attr)


def deadline_of(target, rule: str, *, states=(DeadlineState.RUNNING, DeadlineState.PAUSED, DeadlineState.MISSED),
                lock: bool = False) -> Deadline | None:
    """The deadline of ``rule`` on ``target`` in one of ``states`` (the running one first), or None.

    Lock it (``select_for_update``) when the caller is about to move it.
    """
    from django.contrib.contenttypes.models import ContentType

    qs = Deadline.objects.filter(content_type=ContentType.objects.get_for_model(target), object_id=target.pk,
                                 rule=rule, state__in=list(states))
    if lock:
        qs = qs.select_for_update()
    order = {state: i for i, state in enumerate(OPEN_STATES)}
    rows = sorted(qs.order_by("-started_at", "-pk")[:5], key=lambda d: order.get(d.state, len(order)))
    return rows[0] if rows else None

CALENDAR_UNCONFIRMED_MESSAGE = (
    "工作日历尚未确认{year}年的放假安排,不能按工作日起算法定时限。"
    "请管理员在“工作日历与时限 → 日历年度 → 导入国务院通知”中粘贴{year}年的放假安排通知并确认"
    "(或运行 manage.py load_calendar)后再办理。"
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


#: What an explanation lists besides the deadline's own row: its pauses and extensions, with who.
EXPLANATION_PREFETCH = (
    Prefetch("pauses", queryset=DeadlinePause.objects.select_related("paused_by", "resumed_by")),
    Prefetch("extensions", queryset=DeadlineExtension.objects.select_related("extended_by")),
)


def deadlines_for_user(user) -> QuerySet[Deadline]:
    """我的时限: open deadlines the user can see, soonest first, with the unit loaded (the explanations
    fetch their pauses and extensions only for rows not already rendered: `clock.explained`)."""
    return (
        visible_to(user)
        .filter(state__in=[DeadlineState.RUNNING, DeadlineState.PAUSED, DeadlineState.MISSED])
        .select_related("unit")
        .order_by("due_at", "pk")
    )


@dataclass
class Explanation:
    """How a due moment was computed (CLOCK6): start, rule, days skipped, pauses, extensions."""

    deadline: Deadline
    rule_title: str
    rule_length: str
    # Said when the deadline carries its own length, chosen by the office within the rule's range (CLOCK6).
    length_note: str
    basis_date: object
    count: workdays.DayCount | None
    remaining_text: str
    fixed_text: str = ""  # a calendar-date rule's own explanation (calendar_dates.explanation_text)

    @property
    def resumed(self) -> bool:
        return self.deadline.basis_at != self.deadline.started_at


def rule_texts(deadline: Deadline) -> tuple[str, str, str]:
    """The rule's title, its length and, where the office chose the length, how (CLOCK6)."""
    try:
        rule = get_rule(deadline.rule)
    except LookupError:
        return deadline.rule, "", ""
    note = ""
    if deadline.length_days is not None and rule.length_range is not None:
        low, high = rule.length_range
        note = f"由办理单位在{low}至{high}个工作日内确定为{deadline.length_days}个工作日"
    return rule_label(rule, days=deadline.length_days), rule.length_text_for(deadline.length_days), note


def explain(deadline: Deadline) -> Explanation:
    title, length, note = rule_texts(deadline)
    count = None
    if deadline.kind == RuleKind.CALENDAR_DATE:
        from .calendar_dates import explanation_text

        return Explanation(deadline, title, length, note, workdays.beijing_date(deadline.basis_at), None, "",
                           fixed_text=explanation_text(deadline))
    if deadline.kind == RuleKind.WORKING_DAYS:
        remaining_text = f"{deadline.remaining_days}个工作日"
        if deadline.state != DeadlineState.PAUSED:
            count = workdays.count_days(workdays.beijing_date(deadline.basis_at), deadline.remaining_days)
    else:
        seconds = int(deadline.remaining_time.total_seconds())
        remaining_text = f"{seconds // 3600}小时{seconds % 3600 // 60}分" if seconds >= 60 else f"{seconds}秒"
    return Explanation(deadline, title, length, note, workdays.beijing_date(deadline.basis_at), count, remaining_text)


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


@dataclass(frozen=True)
class NoticePreviewRow:
    """One day of a pasted notice beside what the calendar holds for it now (CLOCK4)."""

    date: object
    kind_label: str
    name: str
    sentence: str
    status: str  # 新增 | 修改 | 不变 | 删除
    current: str = ""


def calendar_notice_preview(notice) -> list[NoticePreviewRow]:
    """What importing `notice` would do, day by day, including the entered days it would delete. One query."""
    from .models import OfficialDay

    listed = {day.date for day in notice.days}
    existing = {row.date: row for row in OfficialDay.objects.filter(
        Q(date__year=notice.year) | Q(date__in=list(listed)))}
    rows = []
    for day in notice.days:
        label = OfficialDay.Kind(day.kind).label
        row = existing.get(day.date)
        if row is None:
            status, current = "新增", ""
        elif (row.kind, row.name, row.source_notice) == (day.kind, day.name, notice.source):
            status, current = "不变", str(row)
        else:
            status, current = "修改", f"{row.get_kind_display()}·{row.name}"
        rows.append(NoticePreviewRow(day.date, label, day.name, day.sentence, status, current))
    for date_, row in sorted(existing.items()):
        if date_.year == notice.year and date_ not in listed:
            rows.append(NoticePreviewRow(date_, row.get_kind_display(), row.name, "通知未列此日", "删除",
                                         f"{row.get_kind_display()}·{row.name}"))
    return sorted(rows, key=lambda r: r.date)
