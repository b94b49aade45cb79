"""What a case publishes (O4, O5) and the 保密审查 of what the 回应关切 column shows (D7)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from tongchuan_portal.clock.services import fmt
from tongchuan_portal.core import confidentiality
from tongchuan_portal.core.links import clean_web_url
from tongchuan_portal.core.models import Clearance
from tongchuan_portal.core.workflow import save_with_history
from tongchuan_portal.notifications.services import moment_key
from tongchuan_portal.units.models import Role, SpecialUnit
from tongchuan_portal.units.selectors import special_unit_id

from ..models import DISPOSITION_OUTPUT, CaseEvent, Channel, OpinionCase, Release
from ..permissions import Abilities, can_clear_release
from ._common import _choice, _event, _handling, _meet, _not_future, _release_rule, _text, _who

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@transaction.atomic
def release_record(*, case: OpinionCase, title: str, text: str, channel: str, released_at: datetime,
                   link: str = "", public: bool = True, outcome: bool = False, by: User) -> Release:
    """Record published information (O4/O5); the first one meets the case's release clock.

    `outcome=True` marks it as the output its disposition requires (O3). The
    record says what went out on its channel and when, so it meets the clock at
    `released_at`; the portal's own 回应关切 column shows it only after 保密审查
    (D7): `public=True` sends it to the confidentiality reviewers, and
    `release_clearance_decide` makes it public.
    """
    case = _handling(case, by)
    title = _text(title, "title", "请填写发布标题。")
    text = _text(text, "text", "请填写发布内容。")
    _choice(channel, Channel, "channel", "请选择发布渠道。")
    _not_future(released_at, "released_at", "发布时间")
    link = clean_web_url(link, field="link", message="链接须以 http:// 或 https:// 开头。")
    if outcome and not case.disposition:
        raise ValidationError({"outcome": "尚未研判处置方式,不能登记为处置结果公开。"})
    first = not case.releases.filter(kind=Release.Kind.FIRST).exists()
    release = Release(
        case=case, kind=Release.Kind.FIRST if first else Release.Kind.FOLLOW_UP,
        outcome_for=case.disposition if outcome else "", title=title, text=text, channel=channel,
        link=link, released_at=released_at, public=False, unit=case.responsible_unit,
        subject_area=case.subject_area, special_topic=case.special_topic, recorded_by=by,
        clearance=Clearance.PENDING if public else Clearance.NOT_ASKED, submitted_at=timezone.now() if public else None,
    )
    save_with_history(release, by=by, reason=f"登记{release.get_kind_display()}" + (",送保密审查" if public else ""))
    note = f"{_who(by)}登记{release.get_kind_display()}({release.get_channel_display()}):{title}"
    if outcome:
        note += f"。作为“{case.get_disposition_display()}”的{DISPOSITION_OUTPUT[case.disposition]}"
    met = _meet(case, _release_rule(case), by=by, at=released_at, what=title)
    if public:
        met += "。已送保密审查,审查通过后在“回应关切”栏目公开"
        _ask_clearance(release, by=by)
    _event(case, CaseEvent.Kind.RELEASE, by=by, at=released_at, text=note + met)
    return release


# --- 保密审查 of what the 回应关切 column shows (D7) ---------------------------------------------------


def release_shown_text(release: Release) -> str:
    """Everything the column's page shows of a release, as the confidentiality reviewer reads it (D7)."""
    lines = [release.title, "", release.text, "", f"发布渠道:{release.get_channel_display()}",
             f"发布时间:{fmt(release.released_at)}"]
    if release.link:
        lines.append(f"链接:{release.link}")
    return "\n".join(lines)


def _ask_clearance(release: Release, *, by: User) -> None:
    office_id = special_unit_id(SpecialUnit.CITY_OFFICE)
    confidentiality.notify_unit(
        confidentiality.reviewer_ids(release.unit_id, office_id), by=by,
        url=reverse("opinion:release_clearance", args=[release.pk]),
        event_key=confidentiality.waiting_key("release", release, release.submitted_at),
        title=f"【待保密审查】舆情回应《{release.title}》",
        body=f"{release.unit.name}登记的舆情回应拟在“回应关切”栏目公开,请进行保密审查。")


def _tell_handlers(release: Release, *, title: str, body: str, by: User) -> None:
    ids = confidentiality.unit_member_ids(release.unit_id, Role.Code.OPINION_OFFICER) + [release.recorded_by_id]
    confidentiality.notify_unit(sorted(set(ids)), by=by, url=release.case.get_absolute_url(), title=title, body=body,
                                event_key=f"opinion.release_decided:{release.pk}:{release.clearance}:"
                                          f"{moment_key(release.submitted_at)}")


@transaction.atomic
def release_clearance_decide(*, release: Release, cleared: bool, opinion: str, by: User) -> Release:
    """保密审查 of a release (D7): cleared, it appears in 回应关切; refused, it goes back to the unit."""
    release = Release.objects.select_for_update().select_related("case", "unit").get(pk=release.pk)
    if not can_clear_release(by, release):
        raise PermissionDenied("您无权对该舆情回应进行保密审查。")
    now = timezone.now()
    decision = confidentiality.clearance_decide(item=release, unit_id=release.unit_id, cleared=cleared, opinion=opinion,
                                     shown_title=release.title, shown_text=release_shown_text(release), by=by, at=now)
    if not cleared:
        release.clearance = Clearance.REFUSED
        save_with_history(release, by=by, reason=f"保密审查未通过,退回修改:{decision.opinion}", fields=["clearance"])
        _event(release.case, CaseEvent.Kind.CLEARANCE, by=by, at=now,
               text=f"“{release.title}”保密审查未通过,未在“回应关切”栏目公开。审查意见:{decision.opinion}")
        _tell_handlers(release, by=by, title=f"【保密审查未通过】舆情回应《{release.title}》",
                       body=f"审查意见:{decision.opinion}。请修改后重新送审。")
        return release
    release.clearance, release.cleared_at, release.public = Clearance.CLEARED, now, True
    save_with_history(release, by=by, reason="保密审查通过,在“回应关切”栏目公开", fields=["clearance", "cleared_at", "public"])
    _event(release.case, CaseEvent.Kind.CLEARANCE, by=by, at=now,
           text=f"“{release.title}”保密审查通过,已在“回应关切”栏目公开。")
    _tell_handlers(release, by=by, title=f"【保密审查通过】舆情回应《{release.title}》",
                   body="已在“回应关切”栏目公开。")
    return release


@transaction.atomic
def release_resubmit(*, release: Release, title: str, text: str, link: str = "", by: User) -> Release:
    """A refused release, revised by the responsible unit, goes back to 保密审查 (D7)."""
    release = Release.objects.select_for_update().select_related("case", "unit").get(pk=release.pk)
    if not Abilities(by, release.case).handler:
        raise PermissionDenied("只有责任单位或市政府办公室的舆情工作人员可以修改该发布。")
    if release.clearance != Clearance.REFUSED:
        raise ValidationError("只有保密审查未通过的发布才能修改后重新送审。")
    release.title = _text(title, "title", "请填写发布标题。")
    release.text = _text(text, "text", "请填写发布内容。")
    release.link = clean_web_url(link, field="link", message="链接须以 http:// 或 https:// 开头。")
    release.clearance, release.submitted_at = Clearance.PENDING, timezone.now()
    save_with_history(release, by=by, reason="修改后重新送保密审查",
          fields=["title", "text", "link", "clearance", "submitted_at"])
    _event(release.case, CaseEvent.Kind.CLEARANCE, by=by,
           text=f"{_who(by)}修改“{release.title}”后重新送保密审查。")
    _ask_clearance(release, by=by)
    return release
