"""The one way a workflow moves (STYLE.md): the transition check and save-with-history, for every app.

Every status is a ``TextChoices`` with an explicit map of allowed next statuses beside it; a service locks the
row, calls :func:`move`, then :func:`save_with_history` with who acted and why, so the audit trail says it.
"""

from __future__ import annotations

from collections.abc import Mapping, Iterable

from django.core.exceptions import ValidationError
from django.db import models


def _label(choices: type[models.TextChoices], value: str) -> str:
    try:
        return choices(value).label
    except ValueError:
        return str(value)


def check_transition(transitions: Mapping, current: str, new: str, *, what: str = "") -> None:
    """Refuse a move the map does not allow, in the office's words ("草案当前为“…”,不能改为“…”。")."""
    choices = type(next(iter(transitions)))
    allowed: Iterable = transitions.get(choices(current), ()) if current in choices.values else ()
    if new not in allowed:
        raise ValidationError(
            f"{what}当前为“{_label(choices, current)}”,不能改为“{_label(choices, new)}”。",
            code="invalid_transition",
        )


def move(obj: models.Model, new: str, transitions: Mapping, *, what: str = "", field: str = "status") -> None:
    """Check the transition on ``obj.<field>`` and set it (the caller saves, with history)."""
    check_transition(transitions, getattr(obj, field), new, what=what)
    setattr(obj, field, new)


def record(obj: models.Model, *, by, reason: str) -> None:
    """Say who acts and why on the next save of ``obj`` (simple-history's ``_history_user``/``_change_reason``)."""
    obj._history_user, obj._change_reason = by, reason


def save_with_history(obj: models.Model, *, by, reason: str, fields: list[str] | None = None) -> None:
    """Save ``obj`` (only ``fields`` when given) with who acted and why in its history."""
    record(obj, by=by, reason=reason)
    obj.save(update_fields=fields)


def delete_with_history(obj: models.Model, *, by, reason: str) -> None:
    """Delete ``obj``; the history keeps the deleted row with who deleted it and why."""
    record(obj, by=by, reason=reason)
    obj.delete()
