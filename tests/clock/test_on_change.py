"""A rule's change hook (`Rule.on_change`): told of every move of a deadline's due moment or open state,
so an app can keep a stored sort key (the opinion dashboard's next due moment) in step (CLOCK2, CLOCK5)."""

from datetime import date, datetime

import pytest

from tongchuan_portal.clock.models import RuleKind
from tongchuan_portal.clock.registry import Rule, register
from tongchuan_portal.clock.services import (
    deadline_cancel,
    deadline_extend,
    deadline_meet,
    deadline_pause,
    deadline_resume,
    deadline_start,
    deadlines_recompute,
    deadlines_sweep,
    official_day_set,
)
from tongchuan_portal.clock.workdays import BEIJING
from tongchuan_portal.core.selectors import system_user
from tests.units.factories import UnitFactory

pytestmark = pytest.mark.usefixtures("calendar")

TOLD: list[tuple[str, ...]] = []


def _told(deadlines):
    TOLD.append(tuple(f"{d.pk}:{d.state}:{int(d.due_at.timestamp())}" for d in deadlines))


WATCHED = register(Rule(
    code="test.watched", rule_id="TEST8", title="测试变动通知时限", source="测试依据", kind=RuleKind.WORKING_DAYS,
    days=5, escalations=(), pausable=True, max_extensions=1, max_extension_days=5, on_change=_told,
))


@pytest.fixture
def unit(db):
    TOLD.clear()
    return UnitFactory(code="watch-test")


@pytest.fixture
def other_unit(db):
    return UnitFactory(code="watch-test-2")


def bj(*args):
    return datetime(*args, tzinfo=BEIJING)


def _start(unit, at):
    return deadline_start(rule=WATCHED.code, target=unit, unit=unit, subject="测试事项", started_at=at, by=system_user())


def test_CLOCK5_every_lifecycle_step_tells_the_rule_once_with_the_row_as_stored(unit, other_unit):
    by = system_user()
    deadline = _start(unit, bj(2026, 6, 1, 9))
    assert TOLD == [(f"{deadline.pk}:running:{int(deadline.due_at.timestamp())}",)]
    deadline = deadline_pause(deadline=deadline, reason="等待补正", by=by, at=bj(2026, 6, 2, 10))
    deadline = deadline_resume(deadline=deadline, by=by, at=bj(2026, 6, 4, 10))
    deadline = deadline_extend(deadline=deadline, reason="情况复杂", by=by, days=3)
    deadline = deadline_meet(deadline=deadline, by=by, at=bj(2026, 6, 5, 10))
    assert [told[0].split(":")[1] for told in TOLD] == ["running", "paused", "running", "running", "met"]
    assert TOLD[3] != TOLD[2]  # the extension moved the due moment, and the hook saw the new one
    other = _start(other_unit, bj(2026, 6, 1, 9))
    deadline_cancel(deadline=other, reason="登记错误", by=by)
    assert TOLD[-1] == (f"{other.pk}:cancelled:{int(other.due_at.timestamp())}",) and len(TOLD) == 7


def test_CLOCK4_a_recompute_tells_the_rule_of_the_moved_deadlines_only(unit, other_unit):
    moved, kept = _start(unit, bj(2026, 6, 1, 9)), _start(other_unit, bj(2026, 5, 4, 9))  # kept: due before 06-03
    TOLD.clear()
    official_day_set(day=date(2026, 6, 3), kind="holiday", name="测试假日", by=system_user())
    assert deadlines_recompute(start=date(2026, 6, 3), end=date(2026, 6, 3), reason="测试调整") == 1
    (told,) = TOLD
    assert told[0].startswith(f"{moved.pk}:running:") and not any(t.startswith(f"{kept.pk}:") for t in told)


def test_CLOCK5_the_sweep_marking_a_miss_does_not_call_the_hook(unit):
    """A missed clock stays open with the same due moment: nothing an app keeps from it changes."""
    _start(unit, bj(2026, 6, 1, 9))
    TOLD.clear()
    assert deadlines_sweep(now=bj(2026, 7, 1)).missed == 1
    assert TOLD == []
