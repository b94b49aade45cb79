"""Opinion cases for tests, always through the real services."""

from datetime import datetime

from django.utils import timezone

from opinion.models import Category, Channel, IncidentLevel, Scope, Source, SubjectArea
from opinion.services import case_record, release_clearance_decide, release_record
from tongchuan_portal.clock.workdays import BEIJING
from tongchuan_portal.units.models import Role
from tests.units.factories import UserFactory, member


def bj(*args) -> datetime:
    return datetime(*args, tzinfo=BEIJING)


def officer(unit, username=None, *roles):
    """An opinion officer (and any further roles) of `unit`."""
    user = UserFactory(username=username or f"officer_{unit.code}")
    member(user, unit, Role.Code.OPINION_OFFICER, *roles)
    return user


def record(by, *, title="网传某路段塌陷", level=IncidentLevel.NONE, scope=Scope.CITY, area=SubjectArea.TRANSPORT,
           districts=(), at=None, **extra):
    values = {
        "title": title, "source": Source.ONLINE_POST, "summary": "网民发帖称道路出现塌陷,转发量较大。",
        "first_seen_at": (at or timezone.now()), "category": Category.PUBLIC_INTEREST, "level": level,
        "scope": scope, "subject_area": area, "districts": districts, "at": at,
    }
    values.update(extra)
    return case_record(by=by, **values)


def release(case, by, *, at=None, title="权威发布", outcome=False, public=True, clear=True):
    """A release; a public one is also cleared by 保密审查 (D7) unless `clear=False`, so it reaches the column."""
    made = release_record(case=case, by=by, title=title, text="经核实,情况如下……", channel=Channel.WEIBO,
                          released_at=at or timezone.now(), link="https://weibo.com/tongchuan/1", outcome=outcome,
                          public=public)
    if public and clear:
        made = release_clearance_decide(release=made, cleared=True, opinion="", by=secrecy(made.unit))
    return made


def secrecy(unit):
    """The unit's confidentiality reviewer (保密审查员), made on first use."""
    from tongchuan_portal.units.models import Membership

    row = Membership.objects.filter(unit=unit, roles__code=Role.Code.CONFIDENTIALITY_REVIEWER).select_related(
        "user").first()
    if row is not None:
        return row.user
    user = UserFactory(username=f"secrecy_{unit.code}")
    member(user, unit, Role.Code.CONFIDENTIALITY_REVIEWER)
    return user
