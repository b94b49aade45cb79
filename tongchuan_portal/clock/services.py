"""Every write to the calendar and to deadlines (CLOCK1–CLOCK7).

Apps never touch Deadline rows: they call deadline_start / pause / resume /
extend / meet / cancel here, and the sweep moves what has come due.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from tongchuan_portal.core.history import save_with_history
from tongchuan_portal.core.validation import bounded_date, bounded_year
from tongchuan_portal.notifications.models import Notification
from tongchuan_portal.notifications.services import Message, notifications_send

from . import workdays
from .models import (
    DEADLINE_TRANSITIONS,
    CalendarYear,
    Deadline,
    DeadlineExtension,
    DeadlinePause,
    DeadlineSignal,
    DeadlineState,
    OfficialDay,
    RuleKind,
)
from .registry import CITY_OFFICE, OWNERS, PROPAGANDA, UNIT_HEAD, Rule, get_rule

ONE_SECOND = timedelta(seconds=1)


def fmt(moment: datetime) -> str:
    """Times as the site shows them: YYYY-MM-DD HH:MM, Beijing time (CLOCK7)."""
    return moment.astimezone(workdays.BEIJING).strftime("%Y-%m-%d %H:%M")


# --- calendar -------------------------------------------------------------------


def _after_calendar_change(start: date, end: date, reason: str) -> None:
    def run():
        workdays.invalidate()
        from .tasks import recompute_deadlines

        recompute_deadlines.delay(start.isoformat(), end.isoformat(), reason)

    transaction.on_commit(run)


@transaction.atomic
def official_day_set(*, day: date, kind: str, name: str, source_notice: str = "", by) -> OfficialDay:
    """Enter or change one day of the official schedule; open deadlines it touches are recomputed."""
    if kind not in OfficialDay.Kind.values:
        raise ValidationError({"kind": "类型只能是法定节假日或调休上班。"})
    if not name.strip():
        raise ValidationError({"name": "请填写节日名称。"})
    bounded_date(day, field="date", label="日期")
    row = OfficialDay.objects.select_for_update().filter(date=day).first()
    if row is None:
        row = OfficialDay(date=day)
        reason = f"录入{day:%Y-%m-%d}为{OfficialDay.Kind(kind).label}"
    elif (row.kind, row.name, row.source_notice) == (kind, name, source_notice):
        return row
    else:
        reason = f"修改{day:%Y-%m-%d}:{row.get_kind_display()}→{OfficialDay.Kind(kind).label}"
    row.kind, row.name, row.source_notice = kind, name.strip(), source_notice
    row._history_user, row._change_reason = by, reason
    row.save()
    _after_calendar_change(day, day, reason)
    return row


@transaction.atomic
def official_day_delete(*, day: date, by) -> None:
    row = OfficialDay.objects.select_for_update().filter(date=day).first()
    if row is None:
        return
    reason = f"删除{day:%Y-%m-%d}({row.name})"
    row._history_user, row._change_reason = by, reason
    row.delete()
    _after_calendar_change(day, day, reason)


@transaction.atomic
def calendar_year_set(*, year: int, confirmed: bool, source_notice: str, by) -> CalendarYear:
    """Confirm (or withdraw confirmation of) a year's schedule; deadlines in it are recomputed (CLOCK4)."""
    if confirmed and not source_notice.strip():
        raise ValidationError({"source_notice": "确认年度放假安排时,请填写国务院办公厅通知的文号或标题。"})
    bounded_year(year, field="year")
    row, _ = CalendarYear.objects.select_for_update().get_or_create(year=year)
    if row.confirmed == confirmed and row.source_notice == source_notice.strip():
        return row
    row.confirmed, row.source_notice = confirmed, source_notice.strip()
    row.confirmed_at = timezone.now() if confirmed else None
    reason = f"确认{year}年放假安排:{row.source_notice}" if confirmed else f"撤回{year}年放假安排的确认"
    row._history_user, row._change_reason = by, reason
    row.save()
    _after_calendar_change(date(year, 1, 1), date(year, 12, 31), reason)
    return row


# chinesecalendar names its holidays in English.
HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


@transaction.atomic
def calendar_load_from_package(*, by) -> tuple[int, list[int]]:
    """Seed every year the `chinesecalendar` package has published (CLOCK1); idempotent.

    Returns (days created, years confirmed now). Days already entered are left
    alone: the admin's word wins over the package's.
    """
    import chinese_calendar

    existing = set(OfficialDay.objects.values_list("date", flat=True))
    rows = []
    for source, kind in ((chinese_calendar.holidays, OfficialDay.Kind.HOLIDAY),
                         (chinese_calendar.workdays, OfficialDay.Kind.MAKEUP_WORKDAY)):
        for day, english in source.items():
            if day in existing:
                continue
            rows.append(OfficialDay(date=day, kind=kind, name=HOLIDAY_NAMES.get(english, english),
                                    source_notice=f"国务院办公厅关于{day.year}年部分节假日安排的通知"))
    if rows:
        bulk_create_with_history(rows, OfficialDay, default_user=by, default_change_reason="从 chinesecalendar 载入放假安排")
    years = sorted({d.year for d in chinese_calendar.holidays})
    known = set(CalendarYear.objects.filter(confirmed=True).values_list("year", flat=True))
    confirmed_now = []
    for year in years:
        if year in known:
            continue
        row, _ = CalendarYear.objects.get_or_create(year=year)
        row.confirmed, row.confirmed_at = True, timezone.now()
        row.source_notice = f"国务院办公厅关于{year}年部分节假日安排的通知"
        row._history_user, row._change_reason = by, "从 chinesecalendar 载入并确认"
        row.save()
        confirmed_now.append(year)
    if rows or confirmed_now:
        transaction.on_commit(workdays.invalidate)
    return len(rows), confirmed_now


# --- computing due moments --------------------------------------------------------------


def _compute_due(deadline: Deadline) -> workdays.DueMoment:
    if deadline.kind == RuleKind.WORKING_DAYS:
        return workdays.due_moment(started_at=deadline.basis_at, days=deadline.remaining_days)
    return workdays.due_moment(started_at=deadline.basis_at, duration=deadline.remaining_time)


def _due_epoch(deadline: Deadline) -> int:
    return int(deadline.due_at.timestamp())


@dataclass(frozen=True)
class _Step:
    at: datetime
    tier: str
    what: str  # "remind" | "missed" | "escalate"
    index: int = 0


def _steps(deadline: Deadline, rule: Rule) -> list[_Step]:
    """What the sweep must still do for this deadline, each keyed to the current due moment."""
    epoch = _due_epoch(deadline)
    steps = []
    if deadline.state == DeadlineState.RUNNING:
        for offset in rule.reminders:
            steps.append(_Step(deadline.due_at - offset, f"remind:{int(offset.total_seconds())}@{epoch}", "remind"))
        steps.append(_Step(deadline.due_at + ONE_SECOND, f"missed@{epoch}", "missed"))
    if deadline.state in (DeadlineState.RUNNING, DeadlineState.MISSED):
        for i, esc in enumerate(rule.escalations):
            at = max(deadline.due_at + esc.after, deadline.due_at + ONE_SECOND)
            steps.append(_Step(at, f"escalate:{i}@{epoch}", "escalate", i))
    sent = set(deadline.signals_sent)
    return [s for s in steps if s.tier not in sent]


def _next_action_at(deadline: Deadline, rule: Rule) -> datetime | None:
    steps = _steps(deadline, rule)
    return min((s.at for s in steps), default=None)


def _check_transition(deadline: Deadline, new_state: str) -> None:
    if new_state not in DEADLINE_TRANSITIONS[DeadlineState(deadline.state)]:
        raise ValidationError(
            f"时限“{deadline.subject}”当前为{deadline.get_state_display()},不能改为{DeadlineState(new_state).label}。"
        )


_save = save_with_history


def _lock(deadline: Deadline) -> Deadline:
    return Deadline.objects.select_for_update().get(pk=deadline.pk)


# --- lifecycle -------------------------------------------------------------------


@transaction.atomic
def deadline_start(*, rule: str, target, unit=None, subject: str = "", started_at: datetime | None = None,
                   by) -> Deadline:
    """Start a rule's clock on `target`; its due moment is computed and stored now (CLOCK2)."""
    spec = get_rule(rule)
    started_at = started_at or timezone.now()
    deadline = Deadline(
        content_type=ContentType.objects.get_for_model(target),
        object_id=target.pk,
        subject=(subject or str(target))[:300],
        rule=spec.code,
        rule_id=spec.rule_id,
        kind=spec.kind,
        unit=unit,
        started_at=started_at,
        basis_at=started_at,
        remaining_days=spec.days,
        remaining_time=spec.duration,
    )
    due = _compute_due(deadline)
    deadline.due_at, deadline.provisional = due.due_at, due.provisional
    deadline.next_action_at = _next_action_at(deadline, spec)
    deadline._history_user = by
    deadline._change_reason = f"起算{spec.title}({spec.rule_id},{spec.length_text}),截止{fmt(deadline.due_at)}"
    deadline.save()
    return deadline


@transaction.atomic
def deadline_pause(*, deadline: Deadline, reason: str, by, at: datetime | None = None) -> Deadline:
    """Stop the clock (CLOCK5); what remains is kept and counted again from the resume."""
    if not reason or not reason.strip():
        raise ValidationError({"reason": "暂停计时必须说明原因。"})
    deadline = _lock(deadline)
    spec = get_rule(deadline.rule)
    if not spec.pausable:
        raise ValidationError(f"{spec.title}({spec.rule_id})不允许暂停计时。")
    _check_transition(deadline, DeadlineState.PAUSED)
    at = at or timezone.now()
    if at < deadline.basis_at:
        raise ValidationError("暂停时间不能早于本段起算时间。")
    if deadline.kind == RuleKind.WORKING_DAYS:
        used = workdays.working_days_between(workdays.beijing_date(deadline.basis_at), workdays.beijing_date(at))
        deadline.remaining_days = max(deadline.remaining_days - used, 0)
    else:
        deadline.remaining_time = max(deadline.due_at - at, timedelta(0))
    deadline.state, deadline.paused_at, deadline.next_action_at = DeadlineState.PAUSED, at, None
    _create_pause(deadline, at, reason.strip(), by)
    _save(deadline, by=by, reason=f"暂停计时:{reason.strip()}",
          fields=["remaining_days", "remaining_time", "state", "paused_at", "next_action_at"])
    return deadline


def _create_pause(deadline: Deadline, at: datetime, reason: str, by) -> DeadlinePause:
    pause = DeadlinePause(deadline=deadline, paused_at=at, reason=reason, paused_by=by)
    pause._history_user, pause._change_reason = by, "暂停计时"
    pause.save()
    return pause


@transaction.atomic
def deadline_resume(*, deadline: Deadline, by, reason: str = "", at: datetime | None = None) -> Deadline:
    """Restart the clock; the remaining days count from the day after the resume (CLOCK5, CLOCK7)."""
    deadline = _lock(deadline)
    _check_transition(deadline, DeadlineState.RUNNING)
    at = at or timezone.now()
    if at < deadline.paused_at:
        raise ValidationError("恢复时间不能早于暂停时间。")
    pause = deadline.pauses.select_for_update().get(resumed_at__isnull=True)
    pause.resumed_at, pause.resumed_by, pause.resume_reason = at, by, reason.strip()
    pause._history_user, pause._change_reason = by, "恢复计时"
    pause.save(update_fields=["resumed_at", "resumed_by", "resume_reason"])
    old_due = deadline.due_at
    deadline.basis_at, deadline.state, deadline.paused_at = at, DeadlineState.RUNNING, None
    due = _compute_due(deadline)
    deadline.due_at, deadline.provisional = due.due_at, due.provisional
    deadline.next_action_at = _next_action_at(deadline, get_rule(deadline.rule))
    _save(deadline, by=by, reason=f"恢复计时,截止时间由{fmt(old_due)}调整为{fmt(deadline.due_at)}",
          fields=["basis_at", "state", "paused_at", "due_at", "provisional", "next_action_at"])
    return deadline


@transaction.atomic
def deadline_extend(*, deadline: Deadline, reason: str, by, days: int | None = None,
                    duration: timedelta | None = None, at: datetime | None = None) -> Deadline:
    """Extend as far as the rule allows, with a reason and the approving user (CLOCK5, A3)."""
    if not reason or not reason.strip():
        raise ValidationError({"reason": "延长期限必须说明理由。"})
    deadline = _lock(deadline)
    spec = get_rule(deadline.rule)
    if spec.max_extensions <= 0:
        raise ValidationError(f"{spec.title}({spec.rule_id})不允许延长期限。")
    if deadline.extensions_used >= spec.max_extensions:
        raise ValidationError(f"{spec.title}({spec.rule_id})最多延长{spec.max_extensions}次,已用完。")
    if deadline.state not in (DeadlineState.RUNNING, DeadlineState.PAUSED):
        raise ValidationError(f"时限已{deadline.get_state_display()},不能延长。")
    if deadline.kind == RuleKind.WORKING_DAYS:
        if not days or days <= 0 or duration is not None:
            raise ValidationError({"days": "请填写延长的工作日数。"})
        if spec.max_extension_days is not None and days > spec.max_extension_days:
            raise ValidationError({"days": f"最多延长{spec.max_extension_days}个工作日。"})
        deadline.remaining_days += days
    else:
        if not duration or duration <= timedelta(0) or days is not None:
            raise ValidationError({"duration": "请填写延长的时长。"})
        if spec.max_extension_duration is not None and duration > spec.max_extension_duration:
            raise ValidationError({"duration": "超过该规则允许的最长延期。"})
        deadline.remaining_time += duration
    old_due = deadline.due_at
    if deadline.state == DeadlineState.RUNNING:
        due = _compute_due(deadline)
        deadline.due_at, deadline.provisional = due.due_at, due.provisional
        deadline.next_action_at = _next_action_at(deadline, spec)
    deadline.extensions_used += 1
    extension = DeadlineExtension(
        deadline=deadline, days=days, duration=duration, reason=reason.strip(), previous_due_at=old_due,
        new_due_at=deadline.due_at, extended_by=by, extended_at=at or timezone.now(),
    )
    extension._history_user, extension._change_reason = by, "延长期限"
    extension.save()
    _save(deadline, by=by, reason=f"延长期限:{reason.strip()};截止时间由{fmt(old_due)}调整为{fmt(deadline.due_at)}",
          fields=["remaining_days", "remaining_time", "due_at", "provisional", "next_action_at", "extensions_used"])
    return deadline


@transaction.atomic
def deadline_meet(*, deadline: Deadline, by, at: datetime | None = None, note: str = "") -> Deadline:
    """The guarded act was done: stop the clock (late if it had already been missed)."""
    deadline = _lock(deadline)
    _check_transition(deadline, DeadlineState.MET)
    deadline.met_at = at or timezone.now()
    deadline.state, deadline.next_action_at = DeadlineState.MET, None
    late = deadline.met_at > deadline.due_at
    _save(deadline, by=by, reason=("逾期办结" if late else "按时办结") + (f":{note}" if note else ""),
          fields=["met_at", "state", "next_action_at"])
    return deadline


@transaction.atomic
def deadline_cancel(*, deadline: Deadline, reason: str, by) -> Deadline:
    if not reason or not reason.strip():
        raise ValidationError({"reason": "撤销时限必须说明原因。"})
    deadline = _lock(deadline)
    _check_transition(deadline, DeadlineState.CANCELLED)
    if deadline.state == DeadlineState.PAUSED:
        deadline.pauses.filter(resumed_at__isnull=True).update(resumed_at=timezone.now())
    deadline.state, deadline.cancelled_at, deadline.next_action_at = DeadlineState.CANCELLED, timezone.now(), None
    _save(deadline, by=by, reason=f"撤销:{reason.strip()}", fields=["state", "cancelled_at", "next_action_at"])
    return deadline


def open_deadline_for(target, rule: str) -> Deadline | None:
    """The running or paused clock of `rule` on `target`, if any."""
    return (
        Deadline.objects.filter(
            content_type=ContentType.objects.get_for_model(target), object_id=target.pk, rule=rule,
            state__in=[DeadlineState.RUNNING, DeadlineState.PAUSED],
        ).first()
    )


# --- enforcement --------------------------------------------------------------------------


@dataclass
class SweepResult:
    batches: int = 0
    deadlines: int = 0
    missed: int = 0
    reminders: int = 0
    escalations: int = 0
    notifications: int = 0
    by_rule: dict[str, int] = field(default_factory=lambda: defaultdict(int))


def _recipients(deadlines: list[Deadline], rules: dict[str, Rule]) -> dict:
    """Who hears about each unit's deadlines, in three queries for the whole batch."""
    from tongchuan_portal.units.models import Membership, Role
    from tongchuan_portal.units.permissions import CITY_OFFICE_CODE

    unit_ids = {d.unit_id for d in deadlines if d.unit_id}
    by_unit_role: dict[tuple[int, str], set[int]] = defaultdict(set)
    for user_id, unit_id, code in Membership.objects.filter(unit_id__in=unit_ids, user__is_active=True).values_list(
        "user_id", "unit_id", "roles__code"
    ):
        if code:
            by_unit_role[(unit_id, code)].add(user_id)
    city_office = set(
        Membership.objects.filter(
            unit__code=CITY_OFFICE_CODE, roles__code=Role.Code.CITY_OFFICE_REVIEWER, user__is_active=True
        ).values_list("user_id", flat=True)
    )
    propaganda = set(
        Membership.objects.filter(unit__code="swxcb", user__is_active=True).values_list("user_id", flat=True)
    )
    return {"by_unit_role": by_unit_role, CITY_OFFICE: city_office, PROPAGANDA: propaganda}


def _targets(deadline: Deadline, rule: Rule, names: tuple[str, ...], people: dict) -> set[int]:
    users: set[int] = set()
    for name in names:
        if name == OWNERS:
            for role in rule.owner_roles:
                users |= people["by_unit_role"].get((deadline.unit_id, role), set())
        elif name == UNIT_HEAD:
            users |= people["by_unit_role"].get((deadline.unit_id, "unit_head"), set())
        else:
            users |= people.get(name, set())
    return users


def _bulk_update(rows: list[Deadline], fields: list[str], *, by, reason: str) -> None:
    """Write many deadlines and their history in a constant number of statements.

    Django's bulk_update builds one CASE per field per row, which costs seconds at
    10,000 rows; on PostgreSQL one UPDATE … FROM (VALUES …) does the same in
    milliseconds. History is written in bulk either way (STYLE.md).
    """
    from django.db import connection

    if connection.vendor != "postgresql":
        Deadline.objects.bulk_update(rows, fields, batch_size=500)
    else:
        from psycopg2.extras import Json, execute_values

        casts = {"state": "text", "missed_at": "timestamptz", "signals_sent": "jsonb", "next_action_at": "timestamptz",
                 "due_at": "timestamptz", "provisional": "boolean"}
        columns = ", ".join(f"{f} = v.{f}::{casts[f]}" for f in fields)
        sql = f"UPDATE {Deadline._meta.db_table} AS d SET {columns} FROM (VALUES %s) AS v(id, {', '.join(fields)}) " \
              "WHERE d.id = v.id"
        values = [
            (row.pk, *[Json(getattr(row, f)) if f == "signals_sent" else getattr(row, f) for f in fields])
            for row in rows
        ]
        with connection.cursor() as cursor:
            execute_values(cursor.cursor if hasattr(cursor, "cursor") else cursor, sql, values, page_size=1000)
    Deadline.history.bulk_history_create(rows, update=True, default_user=by, default_change_reason=reason,
                                         batch_size=1000)


def _digest(recipient_id: int, level: str, items: list[tuple[Deadline, str, str]]) -> Message:
    """One message per person per level per sweep batch: a single item is named, many are listed."""
    if len(items) == 1:
        deadline, title, body = items[0]
        return Message(recipient_id=recipient_id, title=title, body=body, url=f"/deadlines/{deadline.pk}/", level=level)
    label = Notification.Level(level).label
    names = "、".join(f"“{d.subject}”" for d, _, _ in items[:10]) + (f"等{len(items)}项" if len(items) > 10 else "")
    return Message(recipient_id=recipient_id, title=f"【{label}】{len(items)}项时限需要办理",
                   body=f"{names}。请在“我的时限”中查看截止时间和办理情况。", url="/deadlines/", level=level)


def _sweep_batch(now: datetime, batch_size: int, by, result: SweepResult) -> int:
    rows = list(
        Deadline.objects.select_for_update(skip_locked=True)
        .filter(next_action_at__lte=now, state__in=[DeadlineState.RUNNING, DeadlineState.MISSED])
        .order_by("next_action_at")[:batch_size]
    )
    if not rows:
        return 0
    rules = {}
    for row in rows:
        if row.rule not in rules:
            rules[row.rule] = get_rule(row.rule)
    people = _recipients(rows, rules)
    signals: list[DeadlineSignal] = []
    inboxes: dict[tuple[int, str], list[tuple[Deadline, str, str]]] = defaultdict(list)
    newly_missed: dict[str, list[Deadline]] = defaultdict(list)

    for row in rows:
        rule = rules[row.rule]
        for step in sorted(_steps(row, rule), key=lambda s: s.at):
            if step.at > now:
                break
            row.signals_sent = [*row.signals_sent, step.tier]
            if step.what == "remind" and row.due_at < now:
                continue  # after an outage: too late to remind, the miss is what matters
            if step.what == "missed":
                row.state, row.missed_at = DeadlineState.MISSED, now
                newly_missed[row.rule].append(row)
                result.missed += 1
                continue  # the first escalation tells people
            title, body, level, names = _message_for(row, rule, step)
            signals.append(DeadlineSignal(deadline=row, tier=step.tier, sent_at=now))
            for user_id in _targets(row, rule, names, people):
                inboxes[(user_id, level)].append((row, title, body))
            if step.what == "remind":
                result.reminders += 1
            else:
                result.escalations += 1
        row.next_action_at = _next_action_at(row, rule)
        result.by_rule[row.rule] += 1

    _bulk_update(rows, ["state", "missed_at", "signals_sent", "next_action_at"], by=by,
                 reason="时限巡检:提醒、逾期与督办")
    # The ledger's unique (deadline, tier) makes a double send impossible, even past the row lock.
    DeadlineSignal.objects.bulk_create(signals, batch_size=1000)
    messages = [_digest(user_id, level, items) for (user_id, level), items in sorted(inboxes.items())]
    notifications_send(messages, by=by)
    result.notifications += len(messages)
    for code, missed in newly_missed.items():
        if rules[code].on_due:
            rules[code].on_due(missed)
    result.deadlines += len(rows)
    return len(rows)


def _message_for(row: Deadline, rule: Rule, step: _Step):
    due = fmt(row.due_at)
    if step.what == "remind":
        return (f"【即将到期】{row.subject}", f"{rule.title}({rule.rule_id})将于{due}到期,请及时办理。",
                Notification.Level.REMINDER, (OWNERS,))
    escalation = rule.escalations[step.index]
    level = Notification.Level.OVERDUE if step.index == 0 else Notification.Level.ESCALATION
    label = "已逾期" if step.index == 0 else "逾期督办"
    return (f"【{label}】{row.subject}", f"{rule.title}({rule.rule_id})已于{due}到期,尚未办结。请立即办理并说明情况。",
            level, escalation.targets)


def deadlines_sweep(*, now: datetime | None = None, batch_size: int = 500, max_batches: int | None = None,
                    by=None) -> SweepResult:
    """Move every deadline that has come due, once (CLOCK3).

    Each batch is one transaction over rows claimed with SKIP LOCKED, so two
    sweeps running together split the work, a sweep killed halfway rolls back
    and loses nothing, and a sweep after hours of downtime catches up.
    """
    from tongchuan_portal.core.selectors import system_user

    by = by or system_user()
    result = SweepResult()
    while max_batches is None or result.batches < max_batches:
        current = now or timezone.now()
        with transaction.atomic():
            if not _sweep_batch(current, batch_size, by, result):
                break
        result.batches += 1
    return result


# --- recomputation after a calendar change (CLOCK4) ------------------------------------------


def deadlines_recompute(*, start: date, end: date, reason: str, batch_size: int = 500, by=None) -> int:
    """Recompute running day-counted deadlines whose window touches [start, end]; notify owners of moves."""
    from tongchuan_portal.core.selectors import system_user

    by = by or system_user()
    workdays.reset_local_cache()
    window_start = workdays.end_of_day(start - timedelta(days=1))
    window_end = workdays.end_of_day(end)
    changed = 0
    last_id = 0
    while True:
        with transaction.atomic():
            rows = list(
                Deadline.objects.select_for_update()
                .filter(state=DeadlineState.RUNNING, kind=RuleKind.WORKING_DAYS, pk__gt=last_id,
                        basis_at__lte=window_end, due_at__gt=window_start)
                .order_by("pk")[:batch_size]
            )
            if not rows:
                break
            last_id = rows[-1].pk
            moved, messages = [], []
            rules = {r.rule: get_rule(r.rule) for r in rows}
            for row in rows:
                due = _compute_due(row)
                if due.due_at == row.due_at and due.provisional == row.provisional:
                    continue
                old = row.due_at
                row.due_at, row.provisional = due.due_at, due.provisional
                row.next_action_at = _next_action_at(row, rules[row.rule])
                _save(row, by=by, fields=["due_at", "provisional", "next_action_at"],
                      reason=f"{reason}:截止时间由{fmt(old)}调整为{fmt(row.due_at)}"
                      + ("(仍为暂定)" if row.provisional else ""))
                moved.append(row)
            if moved:
                people = _recipients(moved, rules)
                signals = [DeadlineSignal(deadline=row, tier=f"recomputed@{_due_epoch(row)}:{int(row.provisional)}",
                                          sent_at=timezone.now()) for row in moved]
                created = DeadlineSignal.objects.bulk_create(signals)
                for row, signal in zip(moved, created):
                    for user_id in sorted(_targets(row, rules[row.rule], (OWNERS, UNIT_HEAD), people)):
                        messages.append(Message(
                            recipient_id=user_id, title=f"【时限调整】{row.subject}",
                            body=f"{reason}。{rules[row.rule].title}({row.rule_id})的截止时间调整为{fmt(row.due_at)}"
                                 + ("(暂定)。" if row.provisional else "。"),
                            url=f"/deadlines/{row.pk}/", level=Notification.Level.INFO, signal_id=signal.pk))
                notifications_send(messages, by=by)
                changed += len(moved)
    return changed
