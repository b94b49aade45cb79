"""The opinion clocks (O4, O5), registered with the one deadline engine in `OpinionConfig.ready()`.

All three count wall-clock hours from the moment the opinion was first seen
(`first_seen_at`), not from its registration, so registering late buys no time; holidays
and nights count like any other hour. Reminders go to the responsible unit's
opinion officers before the end — `OPINION_REMINDER_MINUTES` (a list of minutes
before the due moment, default 60) changes them — and a miss is escalated at
once to the officers, the unit head, the city office and the propaganda
department.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings

from tongchuan_portal.clock.models import RuleKind
from tongchuan_portal.clock.registry import CITY_OFFICE, OWNERS, PROPAGANDA, UNIT_HEAD, Escalation, Rule, register

FIRST_RELEASE = "opinion.first_release"
PRESS_CONFERENCE = "opinion.press_conference"
RESPONSE = "opinion.response"
RULES = (FIRST_RELEASE, PRESS_CONFERENCE, RESPONSE)

OWNER_ROLES = ("opinion_officer",)
ESCALATE_TO = (Escalation(timedelta(0), (OWNERS, UNIT_HEAD, CITY_OFFICE, PROPAGANDA)),)


def reminders() -> tuple[timedelta, ...]:
    minutes = getattr(settings, "OPINION_REMINDER_MINUTES", (60,))
    return tuple(sorted((timedelta(minutes=int(m)) for m in minutes), reverse=True))


def record_missed(deadlines) -> None:
    """On-due action: the miss enters each case's timeline (the sweep has escalated it)."""
    from .services import events_clock_missed

    events_clock_missed(deadlines)


def record_changed(deadlines) -> None:
    """On-change action: the dashboard's stored order follows the cases' clocks."""
    from .services import cases_next_due_refresh

    cases_next_due_refresh(deadlines)


def register_rules() -> None:
    common = {"kind": RuleKind.HOURS, "reminders": reminders(), "escalations": ESCALATE_TO,
              "owner_roles": OWNER_ROLES, "on_due": record_missed,
              "on_change": record_changed, "tags": ("opinion",)}
    register(Rule(code=FIRST_RELEASE, rule_id="O4", title="首次权威信息发布时限", source="国办发〔2016〕80号",
                  duration=timedelta(hours=5),
                  description="Ⅰ级、Ⅱ级突发事件最迟5小时内发布权威信息。", **common))
    register(Rule(code=PRESS_CONFERENCE, rule_id="O4", title="召开新闻发布会时限", source="国办发〔2016〕80号",
                  duration=timedelta(hours=24),
                  description="Ⅰ级、Ⅱ级突发事件最迟24小时内举行新闻发布会。", **common))
    register(Rule(code=RESPONSE, rule_id="O5", title="舆情回应时限", source="国办发〔2016〕61号", duration=timedelta(hours=48),
                  description="政务舆情热点48小时内予以回应。", **common))
