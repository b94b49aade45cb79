"""The clocks of public participation, registered with the one deadline engine, and their lengths.

- M2: the comment window. The office chooses its length (at least COMMENT_WINDOW_MIN_DAYS working days,
  at most COMMENT_WINDOW_MAX_DAYS): one rule, each window's deadline carrying its own length
  (`Deadline.length_days`); the period stores the same due moment as `closes_at`. When it falls due the
  on-due action closes the window and starts the adoption-report clock. A window is not an obligation of
  anyone, so it has no reminders or escalations. Rows written before the one rule hold
  `participation.comment_window.<days>`; those codes stay resolvable (migration 0005 of the clock moved the
  open rows onto the one rule).
- M3/P3: publish the adoption report within N working days after the close.
- P5: reply to a message within N working days, per channel.

The numbers the law leaves to the city are Django settings (with the defaults below), so the office can
change them without a release.
"""

from datetime import timedelta

from django.conf import settings

from tongchuan_portal.clock.models import RuleKind
from tongchuan_portal.clock.registry import (
    CITY_OFFICE,
    OWNERS,
    UNIT_HEAD,
    Escalation,
    Rule,
    register,
    register_legacy,
)

# M2: the shortest and longest comment window the service accepts, in working days.
COMMENT_WINDOW_MIN_DAYS = 7
COMMENT_WINDOW_MAX_DAYS = getattr(settings, "PARTICIPATION_COMMENT_WINDOW_MAX_DAYS", 60)

COMMENT_WINDOW = "participation.comment_window"
ADOPTION_REPORT = "participation.adoption_report"
REPLY = {"netizen": "participation.reply.netizen", "leader_mailbox": "participation.reply.leader_mailbox"}


def legacy_window_rule(days: int) -> str:
    """The per-length code a window's deadline had before the one rule (still resolvable)."""
    return f"{COMMENT_WINDOW}.{days}"


def adoption_report_days() -> int:
    """M3/P3: working days after the window closes to publish the adoption report."""
    return getattr(settings, "PARTICIPATION_ADOPTION_REPORT_DAYS", 10)


def reply_days(channel: str) -> int:
    """P5: working days to reply, per channel (网民留言, 领导信箱)."""
    defaults = {"netizen": 5, "leader_mailbox": 5}
    return getattr(settings, "PARTICIPATION_REPLY_DAYS", {}).get(channel, defaults[channel])


def _close_windows(deadlines):
    from .services import comment_windows_close_due

    comment_windows_close_due(deadlines)


def register_rules() -> None:
    register(Rule(
        code=COMMENT_WINDOW, rule_id="M2", title="决策草案征求意见期", source="铜政办发〔2016〕71号",
        kind=RuleKind.WORKING_DAYS, days=COMMENT_WINDOW_MIN_DAYS,
        length_range=(COMMENT_WINDOW_MIN_DAYS, COMMENT_WINDOW_MAX_DAYS),
        escalations=(), on_due=_close_windows,
        description="征求意见期由起草单位确定(不少于7个工作日),届满时自动截止,并开始计算采纳情况公布时限。",
    ))
    for days in range(COMMENT_WINDOW_MIN_DAYS, COMMENT_WINDOW_MAX_DAYS + 1):
        register_legacy(legacy_window_rule(days), COMMENT_WINDOW)
    register(Rule(
        code=ADOPTION_REPORT, rule_id="M3", title="公布意见采纳情况时限", source="铜政办发〔2016〕71号", kind=RuleKind.WORKING_DAYS,
        days=adoption_report_days(), reminders=(timedelta(days=2),),
        escalations=(Escalation(timedelta(0), (OWNERS, UNIT_HEAD)), Escalation(timedelta(days=3), (CITY_OFFICE,))),
        owner_roles=("clerk",),
        description="征求意见截止后,起草单位须在规定工作日内公布意见采纳情况。",
    ))
    for channel, code in REPLY.items():
        label = "网民留言" if channel == "netizen" else "领导信箱来信"
        register(Rule(
            code=code, rule_id="P5", title=f"答复{label}时限", source="铜政办发〔2016〕71号", kind=RuleKind.WORKING_DAYS,
            days=reply_days(channel), reminders=(timedelta(days=1),),
            escalations=(Escalation(timedelta(0), (OWNERS, UNIT_HEAD)), Escalation(timedelta(days=2), (CITY_OFFICE,))),
            owner_roles=("clerk",),
            description=f"{label}须在规定工作日内答复。",
        ))
