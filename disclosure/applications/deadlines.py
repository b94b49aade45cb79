"""The applications' clocks, registered with the one deadline engine (A1, A2, A3, A5; CLOCK5).

- 确认收到 (A1): an online or faxed application waits for the office's confirmation (第31条); the handlers
  are reminded after one working day, the city office after two.
- 补正告知期限 (A2): a correction may be asked for only within 7 working days of receipt (第30条).
- 补正期限 (A2): the applicant's period to correct, set by the handler (a reasonable period, 15 by default);
  none in time → 其他处理·1.
- 答复期限 (A3): 20 working days from receipt (or from the corrected application), paused while a third party
  is consulted or a fee waits, extended once by at most 20 working days with the disclosure office head's
  approval (第33条).
- 第三方意见期限 (A3): the third party's 15 working days (第32条); when they pass the reply clock resumes.
- 缴费期限 (A5): 20 working days to pay (国办函〔2020〕109号); unpaid → 其他处理·2. Whether this period lies
  outside the reply period is not settled by the texts (marked unverified in the reference); it is treated as
  a pause of the reply clock, as the issue says.
"""

from datetime import timedelta

from tongchuan_portal.clock.models import RuleKind
from tongchuan_portal.clock.registry import CITY_OFFICE, OWNERS, UNIT_HEAD, Escalation, Rule, register

CONFIRM = "applications.confirm"
CORRECTION_WINDOW = "applications.correction_window"
CORRECTION = "applications.correction"
REPLY = "applications.reply"
CONSULTATION = "applications.consultation"
FEE = "applications.fee"

DAY = timedelta(days=1)
HANDLERS = ("clerk", "transparency_office")

CORRECTION_WINDOW_DAYS = 7
REPLY_DAYS = 20
EXTENSION_MAX_DAYS = 20
CONSULTATION_DAYS = 15
FEE_DAYS = 20
#: The correction periods a handler may set (working days); 15 is the default.
CORRECTION_PERIODS = (5, 10, 15, 20, 30)
CORRECTION_DEFAULT_DAYS = 15


def _correction_due(deadlines):
    from . import services

    services.applications_close_uncorrected(deadlines)


def _consultation_due(deadlines):
    from . import services

    services.consultations_lapse(deadlines)


def _fee_due(deadlines):
    from . import services

    services.applications_close_unpaid(deadlines)


def _window_due(deadlines):
    from . import services

    services.correction_windows_close(deadlines)


def register_rules() -> None:
    escalate = (Escalation(timedelta(0), (OWNERS, UNIT_HEAD)), Escalation(DAY, (CITY_OFFICE,)))
    register(Rule(
        code=CONFIRM, rule_id="A1", title="确认收到申请", source="条例第三十一条", kind=RuleKind.WORKING_DAYS,
        days=1, owner_roles=HANDLERS, escalations=(Escalation(timedelta(0), (OWNERS,)), Escalation(DAY, (CITY_OFFICE,))),
        description="通过互联网渠道或者政府信息公开工作机构的传真提交申请的,以双方确认之日为收到申请之日。",
    ))
    register(Rule(
        code=CORRECTION_WINDOW, rule_id="A2", title="补正告知期限", source="条例第三十条", kind=RuleKind.WORKING_DAYS,
        days=CORRECTION_WINDOW_DAYS, owner_roles=HANDLERS, escalations=(), on_due=_window_due,
        description="申请内容不明确的,应当自收到申请之日起7个工作日内一次性告知申请人作出补正。",
    ))
    # One rule for every correction period: each deadline carries the length the handler set (CLOCK2).
    register(Rule(
        code=CORRECTION, rule_id="A2", title="补正期限", source="条例第三十条", kind=RuleKind.WORKING_DAYS,
        days=CORRECTION_DEFAULT_DAYS, length_range=(min(CORRECTION_PERIODS), max(CORRECTION_PERIODS)),
        owner_roles=HANDLERS, escalations=(), on_due=_correction_due,
        description="申请人无正当理由逾期不补正的,视为放弃申请,行政机关不再处理该政府信息公开申请。",
    ))
    register(Rule(
        code=REPLY, rule_id="A3", title="答复期限", source="条例第三十三条", kind=RuleKind.WORKING_DAYS,
        days=REPLY_DAYS, reminders=(5 * DAY, DAY), owner_roles=HANDLERS, escalations=escalate,
        pausable=True, max_extensions=1, max_extension_days=EXTENSION_MAX_DAYS,
        description="不能当场答复的,应当自收到申请之日起20个工作日内予以答复;需要延长答复期限的,应当经政府信息"
                    "公开工作机构负责人同意并告知申请人,延长的期限最长不得超过20个工作日。征求第三方意见所需时间"
                    "不计算在前款规定的期限内。",
    ))
    register(Rule(
        code=CONSULTATION, rule_id="A3", title="第三方意见期限", source="条例第三十二条", kind=RuleKind.WORKING_DAYS,
        days=CONSULTATION_DAYS, reminders=(3 * DAY,), owner_roles=HANDLERS, escalations=(), on_due=_consultation_due,
        description="第三方应当自收到征求意见书之日起15个工作日内提出意见;逾期未提出意见的,由行政机关依照条例规定决定。",
    ))
    register(Rule(
        code=FEE, rule_id="A5", title="缴费期限", source="国办函〔2020〕109号", kind=RuleKind.WORKING_DAYS,
        days=FEE_DAYS, owner_roles=HANDLERS, escalations=(), on_due=_fee_due,
        description="申请人应当自收到收费通知之日起20个工作日内缴纳费用;逾期未缴纳的,视为放弃申请。",
    ))
