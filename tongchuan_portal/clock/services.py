"""Every write to the calendar and to deadlines (CLOCK1–CLOCK7).

Apps never touch Deadline rows: they call deadline_start / pause / resume /
extend / meet / cancel here, and the sweep moves what has come due.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from tongchuan_portal.core.history import save_with_history
from tongchuan_portal.notifications.models import Notification
from tongchuan_portal.notifications.services import Message, notifications_send

from . import calendar_seed, holidays, workdays
from .models import (
    DEADLINE_TRANSITIONS,
    CalendarChange,
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
from .selectors import CALENDAR_UNCONFIRMED_MESSAGE, calendar_unconfirmed_today

logger = logging.getLogger(__name__)

ONE_SECOND = timedelta(seconds=1)
logger = logging.getLogger(__name__)


def fmt(moment: datetime) -> str:
    """Times as the site shows them: YYYY-MM-DD HH:MM, Beijing time (CLOCK7)."""
    return moment.astimezone(workdays.BEIJING).strftime("%Y-%m-%d %H:%M")


# --- calendar -------------------------------------------------------------------


def _after_calendar_change(start: date, end: date, reason: str, *, by=None,
                           pattern_may_change: bool | None = None) -> CalendarChange:
    """Record that deadlines touching [start, end] must be recomputed, in the caller's transaction (CLOCK4).

    The row is the source of truth: the sweep processes it until done. The task
    queued on commit is only a fast path; a broker that is down or flushed costs a
    minute, never the recompute, and never fails the request that changed the calendar.

    A change to a published year since the 2024 revision can change the 调休 pattern the
    provisional years are predicted from, so it reaches every later year the calendar covers.
    """
    if pattern_may_change is None:
        pattern_may_change = CalendarYear.objects.filter(
            year__gte=holidays.REVISION_2024, year__in=range(start.year, end.year + 1), confirmed=True).exists()
    if pattern_may_change and end.year >= holidays.REVISION_2024:
        end = max(end, date(timezone.now().astimezone(workdays.BEIJING).year + workdays.YEARS_AHEAD, 12, 31))
    change = CalendarChange(start=start, end=end, reason=reason[:300], changed_by=by)
    save_with_history(change, by=by, reason="日历已变更,待重新计算受影响的时限")

    def run():
        workdays.invalidate()
        from .tasks import process_calendar_changes

        try:
            process_calendar_changes.apply_async(retry=False)
        except Exception:
            logger.warning("could not queue the recompute after “%s”; the next sweep does it", reason, exc_info=True)

    transaction.on_commit(run)
    return change


def _next_attempt_delay(attempts: int) -> timedelta:
    return min(timedelta(minutes=2 ** (attempts - 1)), timedelta(hours=1))


def calendar_changes_process(*, limit: int = 50, by=None) -> int:
    """Recompute the deadlines of each pending calendar change, oldest first, each once (CLOCK4).

    A change is claimed with SKIP LOCKED and marked done in the transaction of its
    recompute, so two workers never do one twice and a worker killed halfway leaves it
    pending. A failure is recorded on the row and retried with backoff; the other
    changes go ahead. Recomputing is idempotent, so a change processed late or after
    a later one gives the same due moments. Returns how many changes were done.
    """
    from tongchuan_portal.core.selectors import system_user

    by = by or system_user()
    done = 0
    for _ in range(limit):
        with transaction.atomic():
            now = timezone.now()
            change = (
                CalendarChange.objects.select_for_update(skip_locked=True)
                .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now), processed_at__isnull=True)
                .order_by("created_at", "id")
                .first()
            )
            if change is None:
                break
            change.attempts += 1
            try:
                with transaction.atomic():
                    deadlines_recompute(start=change.start, end=change.end, reason=change.reason, by=by)
            except Exception as exc:
                logger.exception("recompute after “%s” failed (attempt %s)", change.reason, change.attempts)
                change.last_error = f"{exc.__class__.__name__}: {exc}"[:2000]
                change.next_attempt_at = now + _next_attempt_delay(change.attempts)
                save_with_history(change, by=by, reason=f"重新计算时限失败(第{change.attempts}次),稍后重试",
                                  fields=["attempts", "last_error", "next_attempt_at"])
                continue
            change.processed_at, change.last_error, change.next_attempt_at = timezone.now(), "", None
            save_with_history(change, by=by, reason="已重新计算受影响的时限",
                              fields=["attempts", "processed_at", "last_error", "next_attempt_at"])
            done += 1
    return done


@transaction.atomic
def official_day_set(*, day: date, kind: str, name: str, source_notice: str = "", by) -> OfficialDay:
    """Enter or change one day of the official schedule; open deadlines it touches are recomputed."""
    official_day_check(day=day, kind=kind, name=name)
    row = OfficialDay.objects.select_for_update().filter(date=day).first()
    if row is None:
        row = OfficialDay(date=day)
        reason = f"录入{day:%Y-%m-%d}为{OfficialDay.Kind(kind).label}"
    elif (row.kind, row.name, row.source_notice) == (kind, name.strip(), source_notice):
        return row
    else:
        reason = f"修改{day:%Y-%m-%d}:{row.get_kind_display()}→{OfficialDay.Kind(kind).label}"
    row.kind, row.name, row.source_notice = kind, name.strip(), source_notice
    row._history_user, row._change_reason = by, reason
    row.save()
    _after_calendar_change(day, day, reason, by=by)
    return row


@transaction.atomic
def official_day_delete(*, day: date, by) -> None:
    row = OfficialDay.objects.select_for_update().filter(date=day).first()
    if row is None:
        return
    reason = f"删除{day:%Y-%m-%d}({row.name})"
    row._history_user, row._change_reason = by, reason
    row.delete()
    _after_calendar_change(day, day, reason, by=by)


@transaction.atomic
def calendar_year_set(*, year: int, confirmed: bool, source_notice: str, by) -> CalendarYear:
    """Confirm (or withdraw confirmation of) a year's schedule; deadlines in it are recomputed (CLOCK4)."""
    calendar_year_check(year=year, confirmed=confirmed, source_notice=source_notice)
    row, _ = CalendarYear.objects.select_for_update().get_or_create(year=year)
    if row.confirmed == confirmed and row.source_notice == source_notice.strip():
        return row
    row.confirmed, row.source_notice = confirmed, source_notice.strip()
    row.confirmed_at = timezone.now() if confirmed else None
    reason = f"确认{year}年放假安排:{row.source_notice}" if confirmed else f"撤回{year}年放假安排的确认"
    row._history_user, row._change_reason = by, reason
    row.save()
    _after_calendar_change(date(year, 1, 1), date(year, 12, 31), reason, by=by, pattern_may_change=True)
    return row


@transaction.atomic
def official_day_move(*, old_day: date, day: date, kind: str, name: str, source_notice: str = "",
                      by) -> OfficialDay:
    """Correct an entered day's date: the old day is deleted and the new one entered, each with history.

    Deadlines touching either date are recomputed. The new date must not be entered already.
    """
    if old_day == day:
        return official_day_set(day=day, kind=kind, name=name, source_notice=source_notice, by=by)
    official_day_check(day=day, kind=kind, name=name)
    if OfficialDay.objects.filter(date=day).exists():
        raise ValidationError({"date": f"{day:%Y-%m-%d}已录入,请直接修改该日。"})
    if not OfficialDay.objects.filter(date=old_day).exists():
        raise ValidationError(f"{old_day:%Y-%m-%d}已不在工作日历中,请刷新后重试。")
    official_day_delete(day=old_day, by=by)
    return official_day_set(day=day, kind=kind, name=name, source_notice=source_notice, by=by)


@dataclass
class NoticeImport:
    """What importing a notice did to the calendar (CLOCK4)."""

    year: int
    source: str
    created: list[date] = field(default_factory=list)
    changed: list[date] = field(default_factory=list)
    deleted: list[date] = field(default_factory=list)
    change: CalendarChange | None = None


def _notice(text: str):
    from .notice_parser import NoticeError, parse_notice

    try:
        return parse_notice(text)
    except NoticeError as error:
        raise ValidationError(f"{error.message}未能读通的一句:“{error.sentence}”" if error.sentence else error.message,
                              code="notice") from error


@transaction.atomic
def calendar_notice_import(*, text: str, by) -> NoticeImport:
    """Enter a year's schedule from the State Council's notice as pasted, all or nothing (CLOCK4).

    The notice is read whole before anything is written: a sentence it cannot read refuses the
    notice (naming it) and enters nothing. The year's days become exactly the notice's — days
    entered earlier that the notice does not list are deleted — each with history naming the
    notice; the year is confirmed; and one calendar change recomputes the open deadlines of the
    year, whose history then names the notice.
    """
    notice = _notice(text)
    calendar_year_check(year=notice.year, confirmed=True, source_notice=notice.source)
    for day in notice.days:
        official_day_check(day=day.date, kind=day.kind, name=day.name)
    listed = {day.date: day for day in notice.days}
    rows = {row.date: row for row in OfficialDay.objects.select_for_update().filter(
        Q(date__year=notice.year) | Q(date__in=list(listed)))}
    result = NoticeImport(year=notice.year, source=notice.source)
    for day, row in sorted(rows.items()):
        if day.year == notice.year and day not in listed:
            row._history_user, row._change_reason = by, f"按{notice.title},{day:%Y-%m-%d}不在放假安排中,删除"
            row.delete()
            result.deleted.append(day)
    for day, entry in sorted(listed.items()):
        row = rows.get(day)
        if row is not None and (row.kind, row.name, row.source_notice) == (entry.kind, entry.name, notice.source):
            continue
        label = OfficialDay.Kind(entry.kind).label
        if row is None:
            row, reason = OfficialDay(date=day), f"按{notice.title}录入{day:%Y-%m-%d}为{label}"
            result.created.append(day)
        else:
            reason = f"按{notice.title}修改{day:%Y-%m-%d}:{row.get_kind_display()}→{label}"
            result.changed.append(day)
        row.kind, row.name, row.source_notice = entry.kind, entry.name, notice.source
        save_with_history(row, by=by, reason=reason)
    year = CalendarYear.objects.select_for_update().filter(year=notice.year).first() or CalendarYear(year=notice.year)
    if not year.confirmed or year.source_notice != notice.source:
        year.confirmed, year.source_notice, year.confirmed_at = True, notice.source, timezone.now()
        save_with_history(year, by=by, reason=f"导入{notice.title}并确认{notice.year}年放假安排")
    elif not (result.created or result.changed or result.deleted):
        return result  # the same notice again: nothing to recompute
    first = min([date(notice.year, 1, 1), *listed])
    result.change = _after_calendar_change(first, date(notice.year, 12, 31), f"导入{notice.title}", by=by,
                                           pattern_may_change=True)
    return result


def calendar_notice_read(text: str):
    """The notice's days without writing anything, for the admin's preview; refusals as ValidationError."""
    return _notice(text)


# The schedule is published a year ahead; a day further out is a typing error.
OFFICIAL_DAY_YEARS_AHEAD = 2


def official_day_check(*, day: date, kind: str, name: str) -> None:
    """The checks of official_day_set, callable on their own so forms can show them (no writes)."""
    errors = {}
    last_year = timezone.now().astimezone(workdays.BEIJING).year + OFFICIAL_DAY_YEARS_AHEAD
    if not workdays.FIRST_YEAR <= day.year <= last_year:
        errors["date"] = f"日期须在{workdays.FIRST_YEAR}年至{last_year}年之间。"
    if kind not in OfficialDay.Kind.values:
        errors["kind"] = "类型只能是法定节假日或调休上班。"
    if not name.strip():
        errors["name"] = "请填写节日名称。"
    if errors:
        raise ValidationError(errors)


def calendar_year_check(*, year: int, confirmed: bool, source_notice: str) -> None:
    """The checks of calendar_year_set, callable on their own so forms can show them (no writes)."""
    last_year = timezone.now().astimezone(workdays.BEIJING).year + OFFICIAL_DAY_YEARS_AHEAD
    if not workdays.FIRST_YEAR <= year <= last_year:
        raise ValidationError({"year": f"年份须在{workdays.FIRST_YEAR}年至{last_year}年之间。"})
    if confirmed and not source_notice.strip():
        raise ValidationError({"source_notice": "确认年度放假安排时,请填写国务院办公厅通知的文号或标题。"})


@transaction.atomic
def calendar_load_from_package(*, by) -> tuple[int, list[int]]:
    """Seed every year the `chinesecalendar` package has published (CLOCK1); idempotent.

    Returns (days created, years confirmed now). The data migration 0003 applies the
    same plan (`calendar_seed.package_plan`) when a database is migrated.
    """
    days, years = calendar_seed.package_plan(
        existing_days=set(OfficialDay.objects.values_list("date", flat=True)),
        confirmed_years=set(CalendarYear.objects.filter(confirmed=True).values_list("year", flat=True)),
    )
    rows = [OfficialDay(date=d.date, kind=d.kind, name=d.name, source_notice=d.source_notice) for d in days]
    if rows:
        bulk_create_with_history(rows, OfficialDay, default_user=by, default_change_reason=calendar_seed.DAYS_REASON)
    for year in years:
        row, _ = CalendarYear.objects.get_or_create(year=year)
        row.confirmed, row.confirmed_at = True, timezone.now()
        row.source_notice = calendar_seed.source_notice(year)
        row._history_user, row._change_reason = by, calendar_seed.YEAR_REASON
        row.save()
    if rows or years:
        transaction.on_commit(workdays.invalidate)
    return len(rows), years


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
    """The sweep's next look at this row: its next step, or the retry of a failed on-due action."""
    moments = [s.at for s in _steps(deadline, rule)]
    if deadline.action_retry_at is not None and deadline.state == DeadlineState.MISSED:
        moments.append(deadline.action_retry_at)
    return min(moments, default=None)


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
    """Start a rule's clock on `target`; its due moment is computed and stored now (CLOCK2).

    A working-day clock is refused while today's year has no confirmed schedule: a database
    that was never seeded would otherwise count from weekends alone, silently (CLOCK1). A
    window running into an unconfirmed *later* year stays allowed and is marked provisional
    (CLOCK4). Hour clocks never read the calendar, so they start regardless — refusing an
    emergency-response clock would only lose it.
    """
    spec = get_rule(rule)
    if spec.kind == RuleKind.WORKING_DAYS:
        year = calendar_unconfirmed_today()
        if year is not None:
            raise ValidationError(CALENDAR_UNCONFIRMED_MESSAGE.format(year=year))
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
    deadline._change_reason = f"起算{spec.label},截止{fmt(deadline.due_at)}"
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
        raise ValidationError(f"{spec.label}不允许暂停计时。")
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
    if deadline.state != DeadlineState.PAUSED:  # MISSED → RUNNING is the recompute's alone (CLOCK4)
        raise ValidationError(f"时限“{deadline.subject}”当前为{deadline.get_state_display()},没有暂停,无需恢复计时。")
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
    for extension in deadline.extensions.select_for_update().filter(new_due_at__isnull=True).order_by("pk"):
        extension.new_due_at = deadline.due_at
        _save(extension, by=by, fields=["new_due_at"],
              reason=f"暂停期间批准的延期:恢复计时后算得新截止时间{fmt(deadline.due_at)}")
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
        raise ValidationError(f"{spec.label}不允许延长期限。")
    if deadline.extensions_used >= spec.max_extensions:
        raise ValidationError(f"{spec.label}最多延长{spec.max_extensions}次,已用完。")
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
        new_due, moved = deadline.due_at, f"截止时间由{fmt(old_due)}调整为{fmt(deadline.due_at)}"
    else:
        # Paused: what remains grows now; the due moment exists only once the clock resumes.
        new_due, moved = None, f"计时暂停中,尚余{_remaining_text(deadline)},恢复计时后重新计算截止时间"
    deadline.extensions_used += 1
    extension = DeadlineExtension(
        deadline=deadline, days=days, duration=duration, reason=reason.strip(), previous_due_at=old_due,
        new_due_at=new_due, extended_by=by, extended_at=at or timezone.now(),
    )
    extension._history_user, extension._change_reason = by, "延长期限"
    extension.save()
    _save(deadline, by=by, reason=f"延长期限:{reason.strip()};{moved}",
          fields=["remaining_days", "remaining_time", "due_at", "provisional", "next_action_at", "extensions_used"])
    return deadline


def _remaining_text(deadline: Deadline) -> str:
    if deadline.kind == RuleKind.WORKING_DAYS:
        return f"{deadline.remaining_days}个工作日"
    minutes = int(deadline.remaining_time.total_seconds()) // 60
    return f"{minutes // 60}小时{minutes % 60}分"


@transaction.atomic
def deadline_meet(*, deadline: Deadline, by, at: datetime | None = None, note: str = "") -> Deadline:
    """The guarded act was done: stop the clock (late if it had already been missed)."""
    deadline = _lock(deadline)
    _check_transition(deadline, DeadlineState.MET)
    deadline.met_at = at or timezone.now()
    deadline.state, deadline.next_action_at, deadline.action_retry_at = DeadlineState.MET, None, None
    late = deadline.met_at > deadline.due_at
    _save(deadline, by=by, reason=("逾期办结" if late else "按时办结") + (f":{note}" if note else ""),
          fields=["met_at", "state", "next_action_at", "action_retry_at"])
    return deadline


@transaction.atomic
def deadline_cancel(*, deadline: Deadline, reason: str, by) -> Deadline:
    if not reason or not reason.strip():
        raise ValidationError({"reason": "撤销时限必须说明原因。"})
    deadline = _lock(deadline)
    _check_transition(deadline, DeadlineState.CANCELLED)
    now = timezone.now()
    for pause in deadline.pauses.select_for_update().filter(resumed_at__isnull=True):
        pause.resumed_at, pause.resumed_by, pause.resume_reason = now, by, f"时限撤销:{reason.strip()}"[:300]
        _save(pause, by=by, reason="时限撤销,暂停随之结束", fields=["resumed_at", "resumed_by", "resume_reason"])
    deadline.state, deadline.cancelled_at, deadline.next_action_at = DeadlineState.CANCELLED, now, None
    deadline.action_retry_at = None
    _save(deadline, by=by, reason=f"撤销:{reason.strip()}",
          fields=["state", "cancelled_at", "next_action_at", "action_retry_at"])
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
    action_failures: int = 0
    action_retries: int = 0  # failed on-due actions that succeeded this time
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
    actions: list[Deadline] = []  # on-due actions to run: the newly missed, then the retries due

    for row in rows:
        rule = rules[row.rule]
        retry_due = row.action_retry_at is not None and row.action_retry_at <= now
        for step in sorted(_steps(row, rule), key=lambda s: s.at):
            if step.at > now:
                break
            row.signals_sent = [*row.signals_sent, step.tier]
            if step.what == "remind" and row.due_at < now:
                continue  # after an outage: too late to remind, the miss is what matters
            if step.what == "missed":
                row.state, row.missed_at = DeadlineState.MISSED, now
                actions.append(row)
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
        if retry_due and row.state == DeadlineState.MISSED:
            actions.append(row)
        row.next_action_at = _next_action_at(row, rule)
        result.by_rule[row.rule] += 1

    _bulk_update(rows, ["state", "missed_at", "signals_sent", "next_action_at"], by=by,
                 reason="时限巡检:提醒、逾期与督办")
    # The ledger's unique (deadline, tier) makes a double send impossible, even past the row lock.
    DeadlineSignal.objects.bulk_create(signals, batch_size=1000)
    messages = [_digest(user_id, level, items) for (user_id, level), items in sorted(inboxes.items())]
    notifications_send(messages, by=by)
    result.notifications += len(messages)
    for row in actions:
        _run_on_due(row, rules[row.rule], now=now, by=by, result=result)
    result.deadlines += len(rows)
    return len(rows)


# A failed on-due action is tried again after 1, 2, 4 … minutes, then every hour until it succeeds.
ACTION_RETRY_FIRST = timedelta(minutes=1)
ACTION_RETRY_MAX = timedelta(hours=1)


def action_retry_delay(attempts: int) -> timedelta:
    """How long the sweep waits before trying a failed on-due action again (`attempts` ≥ 1)."""
    return min(ACTION_RETRY_FIRST * 2 ** min(max(attempts - 1, 0), 16), ACTION_RETRY_MAX)


def _error_text(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return ";".join(exc.messages)
    return f"{exc.__class__.__name__}:{exc}"[:1000]


def _run_on_due(row: Deadline, rule: Rule, *, now: datetime, by, result: SweepResult) -> None:
    """Run one deadline's on-due action in its own savepoint (CLOCK3).

    A failure rolls back that action alone: it is recorded on the deadline with a retry
    moment and the rest of the batch goes on. The action may change the row itself (a
    comment window closes by meeting its own clock), so outcomes are written to a fresh copy.
    """
    retry = row.action_retry_at is not None
    if rule.on_due is not None:
        try:
            with transaction.atomic():
                rule.on_due([row])
        except Exception as exc:  # any failure is recorded and retried; it must not stall the sweep
            logger.exception("on-due action of deadline %s (%s) failed", row.pk, row.rule)
            fresh = Deadline.objects.get(pk=row.pk)
            fresh.action_attempts += 1
            fresh.action_error = _error_text(exc)
            fresh.action_retry_at = now + action_retry_delay(fresh.action_attempts)
            fresh.next_action_at = _next_action_at(fresh, rule)
            _save(fresh, by=by, fields=["action_error", "action_attempts", "action_retry_at", "next_action_at"],
                  reason=f"到期自动处理未完成(第{fresh.action_attempts}次):{fresh.action_error};"
                         f"将于{fmt(fresh.action_retry_at)}后重试")
            result.action_failures += 1
            return
    if not retry:
        return
    fresh = Deadline.objects.get(pk=row.pk)
    attempts = fresh.action_attempts
    fresh.action_error, fresh.action_retry_at = "", None
    fresh.next_action_at = _next_action_at(fresh, rule)
    _save(fresh, by=by, fields=["action_error", "action_retry_at", "next_action_at"],
          reason=f"到期自动处理重试成功(此前未完成{attempts}次)" if rule.on_due else "该规则已无到期自动处理,不再重试")
    result.action_retries += 1


def _message_for(row: Deadline, rule: Rule, step: _Step):
    due = fmt(row.due_at)
    if step.what == "remind":
        return (f"【即将到期】{row.subject}", f"{rule.label}将于{due}到期,请及时办理。",
                Notification.Level.REMINDER, (OWNERS,))
    escalation = rule.escalations[step.index]
    level = Notification.Level.OVERDUE if step.index == 0 else Notification.Level.ESCALATION
    label = "已逾期" if step.index == 0 else "逾期督办"
    return (f"【{label}】{row.subject}", f"{rule.label}已于{due}到期,尚未办结。请立即办理并说明情况。",
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


def deadlines_recompute(*, start: date, end: date, reason: str, batch_size: int = 500, by=None,
                        now: datetime | None = None) -> int:
    """Recompute open day-counted deadlines whose window touches [start, end]; notify owners of moves (CLOCK4).

    Missed deadlines are open too: one whose new due moment has not passed goes back to
    running (its reminders and escalations keyed to the new due moment); one still past
    due keeps the miss and the escalations already sent.
    """
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
                .filter(state__in=[DeadlineState.RUNNING, DeadlineState.MISSED], kind=RuleKind.WORKING_DAYS,
                        pk__gt=last_id, basis_at__lte=window_end, due_at__gt=window_start)
                .order_by("pk")[:batch_size]
            )
            if not rows:
                break
            last_id = rows[-1].pk
            current = now or timezone.now()
            moved, reopened, messages = [], set(), []
            rules = {r.rule: get_rule(r.rule) for r in rows}
            for row in rows:
                due = _compute_due(row)
                if due.due_at == row.due_at and due.provisional == row.provisional:
                    continue
                old, old_epoch = row.due_at, _due_epoch(row)
                row.due_at, row.provisional = due.due_at, due.provisional
                fields = ["due_at", "provisional", "next_action_at"]
                note = ""
                if row.state == DeadlineState.MISSED and row.due_at >= current:
                    _check_transition(row, DeadlineState.RUNNING)
                    row.state, row.missed_at, row.action_retry_at = DeadlineState.RUNNING, None, None
                    fields += ["state", "missed_at", "action_retry_at"]
                    note = ";新的截止时间未到,恢复计时"
                    reopened.add(row.pk)
                elif row.state == DeadlineState.MISSED:
                    row.signals_sent = _carry_over_signals(row.signals_sent, old_epoch, _due_epoch(row))
                    fields.append("signals_sent")
                row.next_action_at = _next_action_at(row, rules[row.rule])
                _save(row, by=by, fields=fields,
                      reason=f"{reason}:截止时间由{fmt(old)}调整为{fmt(row.due_at)}"
                      + ("(仍为暂定)" if row.provisional else "") + note)
                moved.append(row)
            if moved:
                people = _recipients(moved, rules)
                # Numbered per deadline: entering, deleting and re-entering a day moves it back and
                # forth between the same due moments, and each move is its own notice.
                done = dict(
                    DeadlineSignal.objects.filter(deadline__in=moved, tier__startswith="recomputed")
                    .values("deadline").annotate(n=Count("pk")).values_list("deadline", "n")
                )
                signals = [DeadlineSignal(
                    deadline=row, tier=f"recomputed:{done.get(row.pk, 0) + 1}@{_due_epoch(row)}:{int(row.provisional)}",
                    sent_at=timezone.now()) for row in moved]
                created = DeadlineSignal.objects.bulk_create(signals)
                for row, signal in zip(moved, created):
                    for user_id in sorted(_targets(row, rules[row.rule], (OWNERS, UNIT_HEAD), people)):
                        messages.append(Message(
                            recipient_id=user_id, title=f"【时限调整】{row.subject}",
                            body=f"{reason}。{rules[row.rule].label}的截止时间调整为{fmt(row.due_at)}"
                                 + ("(暂定)" if row.provisional else "")
                                 + (",不再按逾期处理,恢复计时。" if row.pk in reopened else "。"),
                            url=f"/deadlines/{row.pk}/", level=Notification.Level.INFO, signal_id=signal.pk))
                notifications_send(messages, by=by)
                changed += len(moved)
    return changed


def _carry_over_signals(sent: list[str], old_epoch: int, new_epoch: int) -> list[str]:
    """A deadline still missed after a move keeps its miss and the escalations already sent."""
    suffix = f"@{old_epoch}"
    carried = [t[: -len(suffix)] + f"@{new_epoch}" for t in sent
               if t.endswith(suffix) and (t.startswith("missed@") or t.startswith("escalate:"))]
    return [*sent, *(t for t in carried if t not in sent)]
