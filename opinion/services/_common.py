"""Helpers the opinion services share: input checks, the case lock, the timeline, who is told, the clocks."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils import timezone

from tongchuan_portal.clock.models import Deadline, DeadlineState
from tongchuan_portal.clock.registry import get_rule
from tongchuan_portal.clock.selectors import deadline_of
from tongchuan_portal.clock.services import deadline_meet
from tongchuan_portal.core.validation import bounded_moment
from tongchuan_portal.core.workflow import save_with_history
from tongchuan_portal.notifications.services import notify_event
from tongchuan_portal.units.models import Membership, Role, SpecialUnit, Unit, UnitKind

from .. import deadlines as rules
from ..models import CaseEvent, CaseStatus, OpinionCase
from ..permissions import Abilities

if TYPE_CHECKING:
    from django.contrib.auth.models import User

FUTURE_TOLERANCE = timedelta(minutes=5)
# O4/O5 run from when the opinion was first seen; a sighting older than this is a typing error, not a case.
FIRST_SEEN_MAX_AGE = timedelta(days=30)
ASSIGNABLE_KINDS = (UnitKind.GENERAL_OFFICE, UnitKind.CITY_DEPARTMENT, UnitKind.DISTRICT, UnitKind.DISTRICT_DEPARTMENT)


def _text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


def _choice(value: str, choices, field: str, message: str) -> str:
    if value not in choices.values:
        raise ValidationError({field: message})
    return value


def _not_future(moment: datetime | None, field: str, label: str) -> datetime:
    if moment is None:
        raise ValidationError({field: f"请填写{label}。"})
    bounded_moment(moment, field=field, label=label)
    if moment > timezone.now() + FUTURE_TOLERANCE:
        raise ValidationError({field: f"{label}不能晚于当前时间。"})
    return moment


def _first_seen(moment: datetime | None, recorded_at: datetime) -> datetime:
    """O4/O5 clocks start when the opinion was first seen, so registering late buys no time."""
    _not_future(moment, "first_seen_at", "首次发现时间")
    if moment > recorded_at + FUTURE_TOLERANCE:
        raise ValidationError({"first_seen_at": "首次发现时间不能晚于登记时间。"})
    if moment < recorded_at - FIRST_SEEN_MAX_AGE:
        raise ValidationError({"first_seen_at": f"首次发现时间不能早于登记前{FIRST_SEEN_MAX_AGE.days}天,请核对。"})
    return moment


def _lock(case: OpinionCase) -> OpinionCase:
    return OpinionCase.objects.select_for_update().select_related("responsible_unit").get(pk=case.pk)


def _require_open(case: OpinionCase) -> None:
    if case.status != CaseStatus.OPEN:
        raise ValidationError("该舆情已办结,不能再办理。")


def _event(case: OpinionCase, kind: str, *, by: User, text: str, at: datetime | None = None) -> CaseEvent:
    event = CaseEvent(case=case, kind=kind, actor=by, text=text, at=at or timezone.now())
    save_with_history(event, by=by, reason=f"处置记录:{CaseEvent.Kind(kind).label}")
    return event


def _who(user) -> str:
    return user.get_full_name() or user.username


def _case_deadlines(case: OpinionCase, *states: str) -> list[Deadline]:
    rows = Deadline.objects.filter(content_type=ContentType.objects.get_for_model(OpinionCase), object_id=case.pk)
    if states:
        rows = rows.filter(state__in=states)
    return list(rows.order_by("started_at", "pk"))


def _recipients(*units: Unit, exclude=None) -> list[int]:
    """Opinion officers of `units`, the city office's reviewers and officers, every propaganda member."""
    rows = Membership.objects.filter(user__is_active=True).filter(
        Q(unit__in=units, roles__code=Role.Code.OPINION_OFFICER)
        | Q(unit__special=SpecialUnit.CITY_OFFICE,
            roles__code__in=[Role.Code.CITY_OFFICE_REVIEWER, Role.Code.OPINION_OFFICER])
        | Q(unit__special=SpecialUnit.PROPAGANDA)
    )
    ids = set(rows.values_list("user_id", flat=True))
    if exclude is not None:
        ids.discard(exclude.pk)
    return sorted(ids)


def _inform(case: OpinionCase, *units: Unit, event: CaseEvent, title: str, body: str, by: User) -> None:
    """Tell the units' officers, the city office and propaganda: once per recorded step (its CaseEvent)."""
    notify_event(f"opinion.{event.kind}:{event.pk}", _recipients(*units, exclude=by), title=title, body=body,
                 url=case.get_absolute_url(), by=by)


def _clock_rules(case: OpinionCase) -> tuple[str, ...]:
    return (rules.FIRST_RELEASE, rules.PRESS_CONFERENCE) if case.is_major else (rules.RESPONSE,)


def _release_rule(case: OpinionCase) -> str:
    return rules.FIRST_RELEASE if case.is_major else rules.RESPONSE


def _handling(case: OpinionCase, by: User) -> OpinionCase:
    case = _lock(case)
    if not Abilities(by, case).handler:
        raise PermissionDenied("只有责任单位或市政府办公室的舆情工作人员可以办理该舆情。")
    _require_open(case)
    return case


def _meet(case: OpinionCase, rule: str, *, by: User, at: datetime, what: str) -> str:
    """Meet the case's open clock of `rule`, if any; returns the words for the timeline."""
    deadline = deadline_of(case, rule, states=(DeadlineState.RUNNING, DeadlineState.MISSED))
    if deadline is None:
        return ""
    deadline = deadline_meet(deadline=deadline, by=by, at=at, note=what)
    late = "(逾期完成)" if deadline.met_at > deadline.due_at else "(按时完成)"
    return f"。{get_rule(rule).label}已办结{late}"
