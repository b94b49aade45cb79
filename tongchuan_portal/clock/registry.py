"""The one registry of deadline rules. Apps register theirs in AppConfig.ready().

A rule says how long a clock runs (working days or wall-clock time), when to
remind before the due moment, whom to escalate to after it, what happens when
it falls due, and whether and how far it may be extended.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from .models import RuleKind

# Escalation targets: who, in or above the responsible unit, hears about a miss.
OWNERS = "owners"  # the responsible unit's members in the rule's owner roles
UNIT_HEAD = "unit_head"  # 单位主要负责人 of the responsible unit
CITY_OFFICE = "city_office"  # 市政府办公室 reviewers
PROPAGANDA = "propaganda"  # 市委宣传部 (O4)


@dataclass(frozen=True)
class Escalation:
    after: timedelta  # after the due moment
    targets: tuple[str, ...]


@dataclass(frozen=True)
class Rule:
    code: str  # unique key, e.g. "participation.comment_window"
    rule_id: str  # RULES.md ID, e.g. "M2"
    title: str  # the office's name for the obligation, e.g. "征求意见期"
    kind: str  # RuleKind
    days: int | None = None
    # Where the law lets the office choose the length (a comment window of at least 7 working days), each
    # deadline carries its own (`Deadline.length_days`) within this range, and `days` is the shortest.
    length_range: tuple[int, int] | None = None
    duration: timedelta | None = None
    reminders: tuple[timedelta, ...] = ()  # before the due moment
    escalations: tuple[Escalation, ...] = (Escalation(timedelta(0), (OWNERS, UNIT_HEAD)),)
    owner_roles: tuple[str, ...] = ("clerk",)
    on_due: Callable[[list], None] | None = None  # receives the batch of deadlines that just fell due
    # Receives deadlines whose due moment or open state just changed (started, paused, resumed, extended,
    # met, cancelled, recomputed), inside the same transaction: an app keeps a stored sort key with it.
    on_change: Callable[[list], None] | None = None
    pausable: bool = False
    max_extensions: int = 0
    max_extension_days: int | None = None
    max_extension_duration: timedelta | None = None
    description: str = ""
    tags: tuple[str, ...] = field(default_factory=tuple)
    # Where the obligation comes from, as the office cites it: "条例第二十六条", "铜政办发〔2016〕71号";
    # PLATFORM for turnaround clocks no rule requires.
    source: str = ""
    # RuleKind.CALENDAR_DATE only: the (month, day) the rule fixes, in the year `years_after_period` after
    # the period the deadline is for (the 2025 annual report is due 31 January 2026). See calendar_dates.
    due_month_day: tuple[int, int] | None = None
    years_after_period: int = 1

    def __post_init__(self):
        if self.kind == RuleKind.WORKING_DAYS and (self.days is None or self.duration is not None):
            raise ValueError(f"{self.code}: a working-day rule needs days and no duration")
        if self.kind == RuleKind.HOURS and (self.duration is None or self.days is not None):
            raise ValueError(f"{self.code}: an hour rule needs a duration and no days")
        if (self.kind == RuleKind.CALENDAR_DATE) != (self.due_month_day is not None) or (
                self.kind == RuleKind.CALENDAR_DATE and (self.days is not None or self.duration is not None)):
            raise ValueError(f"{self.code}: a calendar-date rule needs due_month_day and neither days nor duration")
        if self.length_range is not None and (self.kind != RuleKind.WORKING_DAYS
                                              or not 0 < self.length_range[0] <= self.length_range[1]):
            raise ValueError(f"{self.code}: a length range is a working-day range (shortest, longest)")

    @property
    def label(self) -> str:
        """What a person reads: "主动公开时限(条例第二十六条,20个工作日)" — never the rule ID."""
        return rule_label(self)

    @property
    def length_text(self) -> str:
        return self.length_text_for()

    def allows_length(self, days: int) -> bool:
        """Whether a deadline of this rule may carry `days` as its own length (CLOCK2)."""
        return self.length_range is not None and self.length_range[0] <= days <= self.length_range[1]

    def length_text_for(self, days: int | None = None) -> str:
        """The length as people read it: the deadline's own when it carries one, else the rule's (or its range)."""
        if self.kind == RuleKind.CALENDAR_DATE:
            month, day = self.due_month_day
            return f"{month}月{day}日前"
        if self.kind == RuleKind.WORKING_DAYS:
            if days is None and self.length_range is not None:
                return f"{self.length_range[0]}至{self.length_range[1]}个工作日"
            return f"{days or self.days}个工作日"
        hours = self.duration.total_seconds() / 3600
        return f"{hours:g}小时" if hours >= 1 else f"{self.duration.total_seconds():g}秒"


PLATFORM = "本平台设定"
REVIEW_TURNAROUND = "审核办理时限"


def rule_label(rule: Rule, *, length: bool = True, days: int | None = None) -> str:
    """The one way a rule is named to people: its Chinese name, then its legal source (and length).

    Rule IDs (D13, M6…) stay in code, tests and the admin's filter; pages, messages, history
    reasons and notifications use this. `days` is a deadline's own length where the rule lets it carry one.
    """
    inside = [part for part in (rule.source, rule.length_text_for(days) if length else "") if part]
    return f"{rule.title}({','.join(inside)})" if inside else rule.title


def label_for(code: str, *, length: bool = True, days: int | None = None) -> str:
    """`rule_label` for a rule code; an unknown (retired) code reads 时限."""
    try:
        return rule_label(get_rule(code), length=length, days=days)
    except LookupError:
        return "时限"


_rules: dict[str, Rule] = {}
# Codes stored rows may still hold, each read as the rule that replaced it (e.g. the per-length window rules).
_legacy: dict[str, str] = {}


def register(rule: Rule) -> Rule:
    existing = _rules.get(rule.code)
    if existing is not None and existing != rule:
        raise ValueError(f"deadline rule {rule.code} registered twice with different definitions")
    _rules[rule.code] = rule
    return rule


def register_legacy(old: str, code: str) -> None:
    """Keep a retired rule code resolvable (history rows keep the code they were written with)."""
    _legacy[old] = code


def unregister(code: str) -> None:
    _rules.pop(code, None)


def get_rule(code: str) -> Rule:
    try:
        return _rules[_legacy.get(code, code)]
    except KeyError:
        raise LookupError(f"unknown deadline rule {code!r}") from None


def all_rules() -> list[Rule]:
    return sorted(_rules.values(), key=lambda r: (r.rule_id, r.code))


def registered_codes() -> set[str]:
    return set(_rules)
