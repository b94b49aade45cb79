"""The interpretation app's clock, registered with the one deadline engine (I9)."""

from datetime import timedelta

from django.conf import settings

from tongchuan_portal.clock.models import RuleKind
from tongchuan_portal.clock.registry import CITY_OFFICE, OWNERS, UNIT_HEAD, Escalation, Rule, register

FOLLOW_UP = "interpretation.follow_up"

DAY = timedelta(days=1)


def follow_up_days() -> int:
    """I9: working days after publication by which the drafting unit reviews implementation and
    publishes a follow-up interpretation (60 working days ≈ three months; configurable)."""
    return getattr(settings, "INTERPRETATION_FOLLOW_UP_DAYS", 60)


def register_rules() -> None:
    register(Rule(
        code=FOLLOW_UP, rule_id="I9", title="跟踪解读时限", source="铜政办发〔2016〕71号", kind=RuleKind.WORKING_DAYS,
        days=follow_up_days(), reminders=(10 * DAY, 3 * DAY), owner_roles=("clerk",),
        escalations=(Escalation(timedelta(0), (OWNERS, UNIT_HEAD)), Escalation(5 * DAY, (CITY_OFFICE,))),
        description="政策公布后,起草单位应跟踪政策执行情况,分阶段、持续做好解读,发布跟踪解读材料。",
    ))
