"""Participation objects made through the real services, so tests see what production sees."""

from datetime import datetime

from participation import services
from participation.models import Area, MeetingKind


def draft(world, *, title="铜川市城市公共交通票价调整方案(征求意见稿)", unit=None, by=None, **overrides):
    fields = dict(
        text="第一条 为规范公共交通票价……\n第二条 普通线路票价调整为1.5元。\n第三条 老年人免费乘车。",
        basis="《中华人民共和国价格法》第二十三条;《陕西省定价目录》。",
        area=Area.TRAFFIC, deciding_meeting_kind=MeetingKind.EXECUTIVE,
    )
    fields.update(overrides)
    return services.draft_create(unit=unit or world.fgw, title=title, by=by or world.clerk, **fields)


def published(world, *, working_days=7, opens_at: datetime | None = None, **kwargs):
    """A draft sent to 保密审查 and cleared by its unit's confidentiality reviewer (D7), so it is public."""
    d = draft(world, **kwargs)
    services.draft_publish(draft=d, working_days=working_days, opens_at=opens_at, by=kwargs.get("by") or world.clerk)
    services.draft_clearance_decide(draft=d, cleared=True, opinion="", by=secrecy(d.unit))
    d.refresh_from_db()
    return d, d.periods.get()


def secrecy(unit):
    """The unit's confidentiality reviewer (保密审查员), made on first use."""
    from tests.units.factories import UserFactory, member
    from tongchuan_portal.units.models import Membership, Role

    row = Membership.objects.filter(unit=unit, roles__code=Role.Code.CONFIDENTIALITY_REVIEWER).select_related(
        "user").first()
    if row is not None:
        return row.user
    user = UserFactory(username=f"secrecy_{unit.code}")
    member(user, unit, Role.Code.CONFIDENTIALITY_REVIEWER)
    return user


def report_published(period, *, summary="采纳情况如下。", by):
    """Send the adoption report to 保密审查 and have it cleared (D7), so it is public."""
    services.adoption_report_publish(period=period, summary=summary, by=by)
    return services.adoption_report_clearance_decide(period=period, cleared=True, opinion="",
                                                     by=secrecy(period.draft.unit))


def comment(period, body="建议保留学生优惠票。", **kwargs):
    return services.comment_submit(period=period, body=body, **kwargs)


def meeting(world, *, kind=MeetingKind.EXECUTIVE, starts_at, unit=None, by=None, **overrides):
    fields = dict(title="市政府第十二次常务会议", place="市行政中心第一会议室", is_public=True, publish_text=True,
                  invite_public_reps=True, invite_media=True, attendance_quota=5)
    fields.update(overrides)
    return services.meeting_create(unit=unit or world.fgw, kind=kind, starts_at=starts_at, by=by or world.clerk,
                                   **fields)


def message(world, *, channel="netizen", unit=None, consent=True, **overrides):
    fields = dict(category="consult", title="公交票价何时调整?", body="请问新票价从哪天开始执行?",
                  contact="13800000000", name="张三")
    fields.update(overrides)
    return services.message_submit(channel=channel, unit=unit, consent_to_publish=consent, **fields)
