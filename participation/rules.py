"""The clocks of public participation, registered with the one deadline engine.

- M2: the comment window. A Rule has a fixed length, so there is one rule per
  allowed length (7 … COMMENT_WINDOW_MAX_DAYS working days); the period stores
  the same due moment as `closes_at`. When it falls due the on-due action
  closes the window and starts the adoption-report clock. A window is not an
  obligation of anyone, so it has no reminders or escalations.
- M3/P3: publish the adoption report within N working days after the close.
- P5: reply to a message within N working days, per channel.
"""

from datetime import timedelta

from tongchuan_portal.clock.models import RuleKind
from tongchuan_portal.clock.registry import CITY_OFFICE, OWNERS, UNIT_HEAD, Escalation, Rule, register

from . import conf

ADOPTION_REPORT = "participation.adoption_report"
REPLY = {"netizen": "participation.reply.netizen", "leader_mailbox": "participation.reply.leader_mailbox"}


def window_rule(days: int) -> str:
    return f"participation.comment_window.{days}"


def _close_windows(deadlines):
    from .services import comment_windows_close_due

    comment_windows_close_due(deadlines)


def register_all() -> None:
    for days in range(conf.COMMENT_WINDOW_MIN_DAYS, conf.COMMENT_WINDOW_MAX_DAYS + 1):
        register(Rule(
            code=window_rule(days), rule_id="M2", title="决策草案征求意见期", source="铜政办发〔2016〕71号",
            kind=RuleKind.WORKING_DAYS, days=days,
            escalations=(), on_due=_close_windows,
            description="征求意见期届满时自动截止,并开始计算采纳情况公布时限。",
        ))
    register(Rule(
        code=ADOPTION_REPORT, rule_id="M3", title="公布意见采纳情况时限", source="铜政办发〔2016〕71号", kind=RuleKind.WORKING_DAYS,
        days=conf.adoption_report_days(), reminders=(timedelta(days=2),),
        escalations=(Escalation(timedelta(0), (OWNERS, UNIT_HEAD)), Escalation(timedelta(days=3), (CITY_OFFICE,))),
        owner_roles=("clerk",),
        description="征求意见截止后,起草单位须在规定工作日内公布意见采纳情况。",
    ))
    for channel, code in REPLY.items():
        label = "网民留言" if channel == "netizen" else "领导信箱来信"
        register(Rule(
            code=code, rule_id="P5", title=f"答复{label}时限", source="铜政办发〔2016〕71号", kind=RuleKind.WORKING_DAYS,
            days=conf.reply_days(channel), reminders=(timedelta(days=1),),
            escalations=(Escalation(timedelta(0), (OWNERS, UNIT_HEAD)), Escalation(timedelta(days=2), (CITY_OFFICE,))),
            owner_roles=("clerk",),
            description=f"{label}须在规定工作日内答复。",
        ))
