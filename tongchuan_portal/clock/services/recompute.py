"""Recomputing open deadlines after a calendar change, each change once (CLOCK4)."""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from tongchuan_portal.core.workflow import save_with_history
from tongchuan_portal.notifications.models import Notification
from tongchuan_portal.notifications.services import Message, notifications_send

from .. import workdays
from ..formatting import fmt
from ..models import CalendarChange, Deadline, DeadlineSignal, DeadlineState, RuleKind
from ..registry import OWNERS, UNIT_HEAD, get_rule
from .deadlines import _check_transition, _compute_due, _due_epoch, _next_action_at, deadlines_changed
from .sweep import _recipients, _targets

logger = logging.getLogger(__name__)


def _next_attempt_delay(attempts: int) -> timedelta:
    return min(timedelta(minutes=2 ** (attempts - 1)), timedelta(hours=1))


def calendar_changes_process(*, limit: int = 50, by: User | None = None) -> int:
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


def deadlines_recompute(*, start: date, end: date, reason: str, batch_size: int = 500, by: User | None = None,
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
                save_with_history(row, by=by, fields=fields,
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
                deadlines_changed(moved)
                changed += len(moved)
    return changed


def _carry_over_signals(sent: list[str], old_epoch: int, new_epoch: int) -> list[str]:
    """A deadline still missed after a move keeps its miss and the escalations already sent."""
    suffix = f"@{old_epoch}"
    carried = [t[: -len(suffix)] + f"@{new_epoch}" for t in sent
               if t.endswith(suffix) and (t.startswith("missed@") or t.startswith("escalate:"))]
    return [*sent, *(t for t in carried if t not in sent)]
