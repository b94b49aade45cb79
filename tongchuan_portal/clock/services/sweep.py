"""The sweep: reminders, misses, escalations and on-due actions of what has come due, each once (CLOCK3)."""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tongchuan_portal.core.workflow import save_with_history
from tongchuan_portal.notifications.models import Notification
from tongchuan_portal.notifications.services import Message, notifications_send

from ..formatting import fmt
from ..models import Deadline, DeadlineSignal, DeadlineState
from ..registry import CITY_OFFICE, OWNERS, PROPAGANDA, UNIT_HEAD, Rule, get_rule
from .deadlines import _next_action_at, _Step, _steps

logger = logging.getLogger(__name__)


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
    from tongchuan_portal.units.models import Membership, Role, SpecialUnit

    unit_ids = {d.unit_id for d in deadlines if d.unit_id}
    by_unit_role: dict[tuple[int, str], set[int]] = defaultdict(set)
    for user_id, unit_id, code in Membership.objects.filter(unit_id__in=unit_ids, user__is_active=True).values_list(
        "user_id", "unit_id", "roles__code"
    ):
        if code:
            by_unit_role[(unit_id, code)].add(user_id)
    city_office = set(
        Membership.objects.filter(
            unit__special=SpecialUnit.CITY_OFFICE, roles__code=Role.Code.CITY_OFFICE_REVIEWER, user__is_active=True
        ).values_list("user_id", flat=True)
    )
    propaganda = set(
        Membership.objects.filter(unit__special=SpecialUnit.PROPAGANDA, user__is_active=True).values_list("user_id", flat=True)
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


def _bulk_update(rows: list[Deadline], fields: list[str], *, by: User, reason: str) -> None:
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


def _sweep_batch(now: datetime, batch_size: int, by: User, result: SweepResult) -> int:
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


def _run_on_due(row: Deadline, rule: Rule, *, now: datetime, by: User, result: SweepResult) -> None:
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
            save_with_history(fresh, by=by, fields=["action_error", "action_attempts", "action_retry_at", "next_action_at"],
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
    save_with_history(fresh, by=by, fields=["action_error", "action_retry_at", "next_action_at"],
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
                    by: User | None = None) -> SweepResult:
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
