"""The disclosure app's clocks, registered with the one deadline engine (D13, M6) — and the review-turnaround
clocks, which no rule requires: the office sets their length in the settings (``DISCLOSURE_*_DAYS``), so their
codes say what they are (``review.turnaround.*``), their rule ID is ``TURNAROUND`` (not a RULES.md ID) and
people read them as "…办理时限(本平台设定,…)"."""

from datetime import timedelta

from django.conf import settings

from tongchuan_portal.clock.models import RuleKind
from tongchuan_portal.clock.registry import CITY_OFFICE, OWNERS, PLATFORM, UNIT_HEAD, Escalation, Rule, register

PUBLISH_WITHIN_20 = "disclosure.publish_within_20"
ISSUE_AFTER_MEETING = "disclosure.issue_after_meeting"
ISSUE_AFTER_MEETING_MAJOR = "disclosure.issue_after_meeting_major"
SEAL_REVIEW = "review.turnaround.seal_review"
UNIT_HEAD_REVIEW = "review.turnaround.unit_head"
CITY_OFFICE_REVIEW = "review.turnaround.city_office"
CONFIDENTIALITY_REVIEW = "review.turnaround.confidentiality"

#: The rule ID of a clock no rule requires (the platform's own turnaround target).
TURNAROUND = "TURNAROUND"

DAY = timedelta(days=1)


def register_rules() -> None:
    register(Rule(
        code=PUBLISH_WITHIN_20, rule_id="D13", title="主动公开时限", source="条例第二十六条", kind=RuleKind.WORKING_DAYS,
        days=20, reminders=(3 * DAY, DAY), owner_roles=("clerk", "confidentiality_reviewer"),
        escalations=(Escalation(timedelta(0), (OWNERS, UNIT_HEAD)), Escalation(DAY, (CITY_OFFICE,))),
        description="条例第二十六条:属于主动公开范围的政府信息,应当自形成或者变更之日起20个工作日内予以公开。",
    ))
    register(Rule(
        code=ISSUE_AFTER_MEETING, rule_id="M6", title="常务会议通过后印发时限", source="铜政办发〔2016〕71号", kind=RuleKind.WORKING_DAYS,
        days=7, reminders=(2 * DAY,), owner_roles=("clerk", "city_office_reviewer"),
        escalations=(Escalation(timedelta(0), (OWNERS, UNIT_HEAD)), Escalation(DAY, (CITY_OFFICE,))),
    ))
    register(Rule(
        code=ISSUE_AFTER_MEETING_MAJOR, rule_id="M6", title="有重大修改意见的印发时限", source="铜政办发〔2016〕71号",
        kind=RuleKind.WORKING_DAYS, days=10, reminders=(2 * DAY,), owner_roles=("clerk", "city_office_reviewer"),
        escalations=(Escalation(timedelta(0), (OWNERS, UNIT_HEAD)), Escalation(DAY, (CITY_OFFICE,))),
    ))
    register(Rule(
        code=SEAL_REVIEW, rule_id=TURNAROUND, title="公开属性审查办理时限", source=PLATFORM,
        kind=RuleKind.WORKING_DAYS, days=settings.DISCLOSURE_SEAL_REVIEW_DAYS, reminders=(DAY,), owner_roles=("transparency_office",),
        escalations=(Escalation(timedelta(0), (OWNERS, UNIT_HEAD)),),
    ))
    register(Rule(
        code=UNIT_HEAD_REVIEW, rule_id=TURNAROUND, title="单位负责人审核办理时限", source=PLATFORM,
        kind=RuleKind.WORKING_DAYS, days=settings.DISCLOSURE_REVIEW_DAYS, reminders=(DAY,), owner_roles=("unit_head",),
        escalations=(Escalation(timedelta(0), (OWNERS,)),),
    ))
    register(Rule(
        code=CITY_OFFICE_REVIEW, rule_id=TURNAROUND, title="报送审核办理时限", source=PLATFORM,
        kind=RuleKind.WORKING_DAYS, days=settings.DISCLOSURE_REVIEW_DAYS, reminders=(DAY,), owner_roles=("city_office_reviewer",),
        escalations=(Escalation(timedelta(0), (OWNERS, UNIT_HEAD)),),
    ))
    register(Rule(
        code=CONFIDENTIALITY_REVIEW, rule_id=TURNAROUND, title="保密审查办理时限", source=PLATFORM,
        kind=RuleKind.WORKING_DAYS, days=settings.DISCLOSURE_CONFIDENTIALITY_DAYS, reminders=(DAY,), owner_roles=("confidentiality_reviewer",),
        escalations=(Escalation(timedelta(0), (OWNERS, UNIT_HEAD)),),
    ))
