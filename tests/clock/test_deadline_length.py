"""A deadline that carries its own length where its rule lets the office choose one (CLOCK2, CLOCK6, M2)."""

from datetime import date, datetime

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from tongchuan_portal.clock import workdays
from tongchuan_portal.clock.models import Deadline, RuleKind
from tongchuan_portal.clock.registry import Rule, get_rule, label_for, register
from tongchuan_portal.clock.selectors import explain
from tongchuan_portal.clock.services import deadline_start
from tongchuan_portal.clock.workdays import BEIJING
from tongchuan_portal.core.selectors import system_user
from tests.units.factories import UnitFactory

pytestmark = pytest.mark.usefixtures("calendar")

RANGED = register(Rule(
    code="test.ranged", rule_id="TEST9", title="测试可定长度时限", source="测试依据", kind=RuleKind.WORKING_DAYS,
    days=7, length_range=(7, 30), escalations=(),
))
START = datetime(2026, 6, 1, 9, 30, tzinfo=BEIJING)


@pytest.fixture
def unit(db):
    return UnitFactory(code="len-test")


def _start(unit, **kwargs):
    return deadline_start(rule=kwargs.pop("rule", RANGED.code), target=unit, unit=unit, subject="测试事项",
                          started_at=START, by=system_user(), **kwargs)


def test_CLOCK2_a_deadline_carries_the_length_the_office_chose_and_is_due_by_it(unit):
    deadline = Deadline.objects.get(pk=_start(unit, days=12).pk)
    due_day = workdays.add_working_days(date(2026, 6, 1), 12)
    assert (deadline.rule, deadline.length_days, deadline.remaining_days) == ("test.ranged", 12, 12)
    assert deadline.due_at == workdays.end_of_day(due_day)
    assert due_day > workdays.add_working_days(date(2026, 6, 1), 7)  # not the rule's shortest
    assert deadline.history.last().history_change_reason.startswith("起算测试可定长度时限(测试依据,12个工作日)")


def test_CLOCK2_without_a_chosen_length_the_rule_default_applies(unit):
    deadline = _start(unit)
    assert deadline.length_days is None and deadline.remaining_days == 7
    assert deadline.due_at == workdays.end_of_day(workdays.add_working_days(date(2026, 6, 1), 7))


@pytest.mark.parametrize("days", [6, 31, 0])
def test_CLOCK2_a_length_outside_the_rules_range_is_refused_and_nothing_starts(unit, days):
    with pytest.raises(ValidationError) as refused:
        _start(unit, days=days)
    assert refused.value.message_dict == {"days": ["测试可定长度时限须为7至30个工作日。"]}
    assert not Deadline.objects.filter(object_id=unit.pk, rule=RANGED.code).exists()


def test_CLOCK2_a_rule_of_fixed_length_refuses_a_chosen_length(unit):
    with pytest.raises(ValidationError, match="不能另行设定"):
        _start(unit, rule="test.days", days=9)
    assert not Deadline.objects.filter(object_id=unit.pk, rule="test.days").exists()


def test_CLOCK6_the_explanation_says_the_office_chose_the_length(unit):
    explanation = explain(_start(unit, days=12))
    assert explanation.rule_title == "测试可定长度时限(测试依据,12个工作日)"
    assert explanation.length_note == "由办理单位在7至30个工作日内确定为12个工作日"
    assert explanation.count.days == 12
    assert explain(_start(unit, rule="test.days")).length_note == ""


def test_CLOCK6_a_ranged_rule_without_a_deadline_reads_as_its_range():
    assert label_for(RANGED.code) == "测试可定长度时限(测试依据,7至30个工作日)"
    assert label_for(RANGED.code, days=9) == "测试可定长度时限(测试依据,9个工作日)"


def test_M2_one_window_rule_and_the_old_per_length_codes_still_resolve():
    window = get_rule("participation.comment_window")
    assert window.length_range == (7, 60) and window.rule_id == "M2"
    assert get_rule("participation.comment_window.30") is window
    with pytest.raises(LookupError):
        get_rule("participation.comment_window.61")


def test_M2_the_data_migration_moves_stored_windows_onto_the_one_rule(unit):
    import importlib

    migration = importlib.import_module("tongchuan_portal.clock.migrations.0005_deadline_length_days")
    old = _start(unit, rule="test.days")
    Deadline.objects.filter(pk=old.pk).update(rule="participation.comment_window.9")
    other = _start(UnitFactory(code="len-other"), days=8)
    migration.one_window_rule(apps, None)
    moved, untouched = Deadline.objects.get(pk=old.pk), Deadline.objects.get(pk=other.pk)
    assert (moved.rule, moved.length_days) == ("participation.comment_window", 9)
    assert (untouched.rule, untouched.length_days) == ("test.ranged", 8)
    migration.per_length_rules(apps, None)
    moved.refresh_from_db()
    assert (moved.rule, moved.length_days) == ("participation.comment_window.9", None)
    assert moved.due_at == old.due_at  # the due moment is not touched
