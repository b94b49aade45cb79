"""Short deadline rules for tests, registered in every test process and test worker."""

import os
import time
from datetime import timedelta
from pathlib import Path

from tongchuan_portal.clock.models import RuleKind
from tongchuan_portal.clock.registry import CITY_OFFICE, OWNERS, PROPAGANDA, UNIT_HEAD, Escalation, Rule, register


def record_due(deadlines):
    """On-due action that leaves a trace per deadline, so tests can count how often it ran."""
    from django.core.cache import cache

    for deadline in deadlines:
        cache.incr(f"test:on-due:{deadline.pk}", 1) if cache.get(f"test:on-due:{deadline.pk}") else cache.set(
            f"test:on-due:{deadline.pk}", 1, 600)


def slow_due(deadlines):
    """On-due action that lingers, so a test can kill the worker in the middle of a sweep."""
    marker = os.environ.get("TEST_SWEEP_MARKER")
    if marker:
        Path(marker).write_text("in sweep")
    time.sleep(float(os.environ.get("TEST_SWEEP_SLEEP", "0")))
    record_due(deadlines)


def failing_due(deadlines):
    """On-due action that writes, then fails while `test:fail-due:<pk>` is set (a broken integration)."""
    from django.core.cache import cache

    from tongchuan_portal.clock.models import DeadlineSignal

    for deadline in deadlines:
        DeadlineSignal.objects.create(deadline_id=deadline.pk, tier="test:failing-action-wrote",
                                      sent_at=deadline.due_at)
        if cache.get(f"test:fail-due:{deadline.pk}"):
            raise RuntimeError("对接系统无响应(测试)")
    record_due(deadlines)


SHORT = register(Rule(
    code="test.short", rule_id="TEST1", title="测试短时限", kind=RuleKind.HOURS,
    duration=timedelta(seconds=3), reminders=(timedelta(seconds=2),),
    escalations=(Escalation(timedelta(0), (OWNERS, UNIT_HEAD)), Escalation(timedelta(seconds=2), (CITY_OFFICE,))),
    on_due=record_due,
))
SLOW = register(Rule(
    code="test.slow", rule_id="TEST2", title="测试慢处理时限", kind=RuleKind.HOURS,
    duration=timedelta(seconds=1), escalations=(Escalation(timedelta(0), (OWNERS,)),), on_due=slow_due,
))
DAYS = register(Rule(
    code="test.days", rule_id="TEST3", title="测试工作日时限", kind=RuleKind.WORKING_DAYS, days=7,
    reminders=(timedelta(days=1),),
    escalations=(Escalation(timedelta(0), (OWNERS, UNIT_HEAD)), Escalation(timedelta(days=1), (CITY_OFFICE,))),
    pausable=True, max_extensions=1, max_extension_days=20,
))
HOURS = register(Rule(
    code="test.hours", rule_id="TEST4", title="测试小时时限", kind=RuleKind.HOURS, duration=timedelta(hours=5),
    reminders=(timedelta(hours=1),),
    escalations=(Escalation(timedelta(0), (OWNERS, UNIT_HEAD, CITY_OFFICE, PROPAGANDA)),),
    pausable=True,
))
FAILING = register(Rule(
    code="test.failing", rule_id="TEST5", title="测试到期处理故障时限", kind=RuleKind.HOURS,
    duration=timedelta(seconds=3), escalations=(Escalation(timedelta(0), (OWNERS,)),), on_due=failing_due,
))
