"""The lifecycle of one deadline: start, pause, resume, extend, meet, cancel (CLOCK2, CLOCK5, CLOCK6).

Apps never touch Deadline rows: they call these, and the sweep moves what has come due.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tongchuan_portal.core.workflow import check_transition, save_with_history

from .. import workdays
from ..formatting import fmt
from ..models import DEADLINE_TRANSITIONS, Deadline, DeadlineExtension, DeadlinePause, DeadlineState, RuleKind
from ..registry import Rule, get_rule, rule_label
from ..selectors import CALENDAR_UNCONFIRMED_MESSAGE, calendar_unconfirmed_today, deadline_of

ONE_SECOND = timedelta(seconds=1)


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
    check_transition(DEADLINE_TRANSITIONS, deadline.state, new_state, what=f"时限“{deadline.subject}”")


def deadlines_changed(deadlines: list[Deadline]) -> None:
    """Tell each rule's app that these deadlines moved (`Rule.on_change`), one call per rule."""
    by_rule: dict[str, list[Deadline]] = {}
    for deadline in deadlines:
        by_rule.setdefault(deadline.rule, []).append(deadline)
    for code, rows in by_rule.items():
        hook = get_rule(code).on_change
        if hook is not None:
            hook(rows)


def _lock(deadline: Deadline) -> Deadline:
    return Deadline.objects.select_for_update().get(pk=deadline.pk)


@transaction.atomic
def deadline_start(*, rule: str, target, unit=None, subject: str = "", started_at: datetime | None = None,
                   days: int | None = None, by: User) -> Deadline:
    """Start a rule's clock on `target`; its due moment is computed and stored now (CLOCK2).

    A working-day clock is refused while today's year has no confirmed schedule: a database
    that was never seeded would otherwise count from weekends alone, silently (CLOCK1). A
    window running into an unconfirmed *later* year stays allowed and is marked provisional
    (CLOCK4). Hour clocks never read the calendar, so they start regardless — refusing an
    emergency-response clock would only lose it.

    `days` is the deadline's own length, for a rule that lets the office choose it within a range (a comment
    window of 7 working days or more): the deadline stores it, and its explanation says so (CLOCK6).
    """
    spec = get_rule(rule)
    if days is not None and not spec.allows_length(days):
        if spec.length_range is None:
            raise ValidationError(f"{spec.label}的期限由规定确定,不能另行设定。")
        raise ValidationError({"days": f"{spec.title}须为{spec.length_range[0]}至{spec.length_range[1]}个工作日。"})
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
        length_days=days,
        remaining_days=days or spec.days,
        remaining_time=spec.duration,
    )
    due = _compute_due(deadline)
    deadline.due_at, deadline.provisional = due.due_at, due.provisional
    deadline.next_action_at = _next_action_at(deadline, spec)
    save_with_history(deadline, by=by, reason=f"起算{rule_label(spec, days=days)},截止{fmt(deadline.due_at)}")
    deadlines_changed([deadline])
    return deadline


@transaction.atomic
def deadline_pause(*, deadline: Deadline, reason: str, by: User, at: datetime | None = None) -> Deadline:
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
    save_with_history(deadline, by=by, reason=f"暂停计时:{reason.strip()}",
                      fields=["remaining_days", "remaining_time", "state", "paused_at", "next_action_at"])
    deadlines_changed([deadline])
    return deadline


def _create_pause(deadline: Deadline, at: datetime, reason: str, by: User) -> DeadlinePause:
    pause = DeadlinePause(deadline=deadline, paused_at=at, reason=reason, paused_by=by)
    save_with_history(pause, by=by, reason="暂停计时")
    return pause


@transaction.atomic
def deadline_resume(*, deadline: Deadline, by: User, reason: str = "", at: datetime | None = None) -> Deadline:
    """Restart the clock; the remaining days count from the day after the resume (CLOCK5, CLOCK7)."""
    deadline = _lock(deadline)
    if deadline.state != DeadlineState.PAUSED:  # MISSED → RUNNING is the recompute's alone (CLOCK4)
        raise ValidationError(f"时限“{deadline.subject}”当前为{deadline.get_state_display()},没有暂停,无需恢复计时。")
    at = at or timezone.now()
    if at < deadline.paused_at:
        raise ValidationError("恢复时间不能早于暂停时间。")
    pause = deadline.pauses.select_for_update().get(resumed_at__isnull=True)
    pause.resumed_at, pause.resumed_by, pause.resume_reason = at, by, reason.strip()
    save_with_history(pause, by=by, reason="恢复计时", fields=["resumed_at", "resumed_by", "resume_reason"])
    old_due = deadline.due_at
    deadline.basis_at, deadline.state, deadline.paused_at = at, DeadlineState.RUNNING, None
    due = _compute_due(deadline)
    deadline.due_at, deadline.provisional = due.due_at, due.provisional
    deadline.next_action_at = _next_action_at(deadline, get_rule(deadline.rule))
    save_with_history(deadline, by=by, reason=f"恢复计时,截止时间由{fmt(old_due)}调整为{fmt(deadline.due_at)}",
                      fields=["basis_at", "state", "paused_at", "due_at", "provisional", "next_action_at"])
    for extension in deadline.extensions.select_for_update().filter(new_due_at__isnull=True).order_by("pk"):
        extension.new_due_at = deadline.due_at
        save_with_history(extension, by=by, fields=["new_due_at"],
                          reason=f"暂停期间批准的延期:恢复计时后算得新截止时间{fmt(deadline.due_at)}")
    deadlines_changed([deadline])
    return deadline


@transaction.atomic
def deadline_extend(*, deadline: Deadline, reason: str, by: User, days: int | None = None,
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
    save_with_history(extension, by=by, reason="延长期限")
    save_with_history(deadline, by=by, reason=f"延长期限:{reason.strip()};{moved}",
                      fields=["remaining_days", "remaining_time", "due_at", "provisional", "next_action_at",
                              "extensions_used"])
    deadlines_changed([deadline])
    return deadline


def _remaining_text(deadline: Deadline) -> str:
    if deadline.kind == RuleKind.WORKING_DAYS:
        return f"{deadline.remaining_days}个工作日"
    minutes = int(deadline.remaining_time.total_seconds()) // 60
    return f"{minutes // 60}小时{minutes % 60}分"


@transaction.atomic
def deadline_meet(*, deadline: Deadline, by: User, at: datetime | None = None, note: str = "") -> Deadline:
    """The guarded act was done: stop the clock (late if it had already been missed)."""
    deadline = _lock(deadline)
    _check_transition(deadline, DeadlineState.MET)
    deadline.met_at = at or timezone.now()
    deadline.state, deadline.next_action_at, deadline.action_retry_at = DeadlineState.MET, None, None
    late = deadline.met_at > deadline.due_at
    save_with_history(deadline, by=by, reason=("逾期办结" if late else "按时办结") + (f":{note}" if note else ""),
                      fields=["met_at", "state", "next_action_at", "action_retry_at"])
    deadlines_changed([deadline])
    return deadline


@transaction.atomic
def deadline_cancel(*, deadline: Deadline, reason: str, by: User) -> Deadline:
    if not reason or not reason.strip():
        raise ValidationError({"reason": "撤销时限必须说明原因。"})
    deadline = _lock(deadline)
    _check_transition(deadline, DeadlineState.CANCELLED)
    now = timezone.now()
    for pause in deadline.pauses.select_for_update().filter(resumed_at__isnull=True):
        pause.resumed_at, pause.resumed_by, pause.resume_reason = now, by, f"时限撤销:{reason.strip()}"[:300]
        save_with_history(pause, by=by, reason="时限撤销,暂停随之结束",
                          fields=["resumed_at", "resumed_by", "resume_reason"])
    deadline.state, deadline.cancelled_at, deadline.next_action_at = DeadlineState.CANCELLED, now, None
    deadline.action_retry_at = None
    save_with_history(deadline, by=by, reason=f"撤销:{reason.strip()}",
                      fields=["state", "cancelled_at", "next_action_at", "action_retry_at"])
    deadlines_changed([deadline])
    return deadline


def open_deadline_for(target, rule: str) -> Deadline | None:
    """The running or paused clock of `rule` on `target`, if any (the one selector, `deadline_of`)."""
    return deadline_of(target, rule, states=(DeadlineState.RUNNING, DeadlineState.PAUSED))
