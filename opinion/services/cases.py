"""Recording and routing a case (O1, O4, O5), its triage and closing (O3), and the sweep's on-due action.

Recording a case routes it (O1), tells the city office and the propaganda
department, and starts its clocks (O4: 5-hour first release and 24-hour press
conference for Ⅰ/Ⅱ; O5: 48-hour response otherwise), counted from when the
opinion was first seen. A case closes only with its disposition's published
output, and false information only with a transfer record (O3).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from tongchuan_portal.clock.models import DUE_STATES, Deadline, DeadlineState
from tongchuan_portal.clock.registry import get_rule
from tongchuan_portal.clock.services import deadline_cancel, deadline_start, fmt
from tongchuan_portal.core.links import clean_web_urls
from tongchuan_portal.core.workflow import check_transition, record, save_with_history
from tongchuan_portal.units.models import Unit

from ..models import (
    CASE_TRANSITIONS,
    DISPOSITION_OUTPUT,
    CaseEvent,
    CaseStatus,
    Category,
    Disposition,
    IncidentLevel,
    OpinionCase,
    Scope,
    Source,
    SpecialTopic,
    SubjectArea,
)
from ..permissions import Abilities, can_record
from ..routing import route
from ._common import (
    ASSIGNABLE_KINDS,
    _case_deadlines,
    _choice,
    _clock_rules,
    _event,
    _first_seen,
    _handling,
    _inform,
    _lock,
    _require_open,
    _text,
    _who,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@transaction.atomic
def case_record(*, by: User, title: str, source: str, summary: str, first_seen_at: datetime, category: str, level: str,
                scope: str, subject_area: str, districts=(), special_topic: str = SpecialTopic.NONE,
                links: str = "", captured_text: str = "", at: datetime | None = None) -> OpinionCase:
    """Record a case: route it (O1), inform the city office and propaganda, start its clocks (O4/O5)."""
    if not can_record(by):
        raise PermissionDenied("只有舆情工作人员可以登记舆情。")
    title = _text(title, "title", "请填写舆情标题。")
    summary = _text(summary, "summary", "请填写舆情概要。")
    _choice(source, Source, "source", "请选择舆情来源。")
    _choice(category, Category, "category", "请选择关注类别。")
    _choice(level, IncidentLevel, "level", "请选择事件等级。")
    _choice(scope, Scope, "scope", "请选择涉及范围。")
    _choice(subject_area, SubjectArea, "subject_area", "请选择所属领域。")
    _choice(special_topic, SpecialTopic, "special_topic", "请选择专项主题。")
    links = clean_web_urls(links, field="links", message="链接须以 http:// 或 https:// 开头:{}")
    districts = list(districts)
    routed = route(scope=scope, subject_area=subject_area, districts=districts)
    recorded_at = at or timezone.now()
    _first_seen(first_seen_at, recorded_at)

    case = OpinionCase(
        title=title, source=source, links=links, captured_text=(captured_text or "").strip(),
        summary=summary, first_seen_at=first_seen_at, category=category, special_topic=special_topic, level=level,
        scope=scope, subject_area=subject_area, responsible_unit=routed.unit, recorded_at=recorded_at,
        recorded_by=by,
    )
    save_with_history(case, by=by, reason=f"登记舆情,交{routed.unit.short_name}办理")
    if districts:
        record(case, by=by, reason="登记涉及区县")
        case.districts.set(districts)

    clocks = []
    for code in _clock_rules(case):
        deadline = deadline_start(rule=code, target=case, unit=routed.unit, subject=f"舆情:{title}",
                                  started_at=first_seen_at, by=by)
        clocks.append(f"{get_rule(code).title}须于{fmt(deadline.due_at)}前完成")
    _event(case, CaseEvent.Kind.RECORDED, by=by, at=recorded_at,
           text=f"{_who(by)}登记舆情({case.get_level_display()},{case.get_category_display()}),"
                f"首次发现于{fmt(first_seen_at)},时限自首次发现时起算。")
    event = _event(case, CaseEvent.Kind.ROUTED, by=by, at=recorded_at,
                   text=f"{routed.reason};已通知市政府办公室、市委宣传部。{';'.join(clocks)}。")
    _inform(case, routed.unit, event=event, by=by, title=f"【新舆情交办】{title}",
            body=f"{case.get_level_display()}·{case.get_category_display()}。{routed.reason}。{';'.join(clocks)}。")
    return case


@transaction.atomic
def case_reassign(*, case: OpinionCase, unit: Unit, reason: str, by: User) -> OpinionCase:
    """The city office hands a case to another unit with a reason (O1).

    Running clocks move to the new unit and keep their start and due moment; a
    clock already missed stays with the unit that missed it (its escalation has
    gone out) and is still met by the release.
    """
    case = _lock(case)
    if not Abilities(by, case).reassigner:
        raise PermissionDenied("只有市政府办公室可以改派舆情。")
    _require_open(case)
    reason = _text(reason, "reason", "改派必须说明理由。")
    if unit is None or unit.kind not in ASSIGNABLE_KINDS or not unit.is_active:
        raise ValidationError({"unit": "请选择一个政府部门或区县作为责任单位。"})
    if unit.pk == case.responsible_unit_id:
        raise ValidationError({"unit": "新的责任单位与现责任单位相同。"})
    previous = case.responsible_unit
    case.responsible_unit = unit
    save_with_history(case, by=by, reason=f"改派:{previous.short_name}→{unit.short_name}。理由:{reason}",
          fields=["responsible_unit"])
    # The clock follows the case: a running one is restarted for the new unit from the same start.
    for deadline in _case_deadlines(case, DeadlineState.RUNNING):
        deadline_cancel(deadline=deadline, reason=f"舆情改派至{unit.short_name}", by=by)
        deadline_start(rule=deadline.rule, target=case, unit=unit, subject=deadline.subject,
                       started_at=deadline.started_at, by=by)
    event = _event(case, CaseEvent.Kind.REASSIGNED, by=by,
                   text=f"{_who(by)}将舆情由{previous.short_name}改派至{unit.short_name}。理由:{reason}")
    _inform(case, unit, previous, event=event, by=by, title=f"【舆情改派】{case.title}",
            body=f"市政府办公室将该舆情由{previous.short_name}改派至{unit.short_name}。理由:{reason}")
    return case


@transaction.atomic
def case_triage(*, case: OpinionCase, disposition: str, note: str, by: User) -> OpinionCase:
    """研判 — decide which of the six dispositions the case takes (O3); it may change until closing."""
    case = _handling(case, by)
    _choice(disposition, Disposition, "disposition", "请选择处置方式。")
    note = _text(note, "note", "请填写研判意见。")
    changed = case.disposition and case.disposition != disposition
    case.disposition, case.triage_note, case.triaged_at = disposition, note, timezone.now()
    label = Disposition(disposition).label
    save_with_history(case, by=by, reason=f"研判处置方式:{label}", fields=["disposition", "triage_note", "triaged_at"])
    _event(case, CaseEvent.Kind.TRIAGED, by=by,
           text=f"{'改为' if changed else '研判为'}“{label}”,须{DISPOSITION_OUTPUT[disposition]}。研判意见:{note}")
    return case


def missing_for_close(case: OpinionCase) -> list[str]:
    """What the case still lacks before it may close (O3, O4); empty when it may close."""
    missing = []
    if not case.disposition:
        return ["尚未研判处置方式"]
    if not case.releases.filter(outcome_for=case.disposition).exists():
        missing.append(f"尚未登记“{case.get_disposition_display()}”要求的{DISPOSITION_OUTPUT[case.disposition]}"
                       if case.disposition != Disposition.FALSE_INFO else "尚未登记针对虚假信息的回应发布")
    if case.disposition == Disposition.FALSE_INFO and not case.transfers.exists():
        missing.append("尚未登记向公安机关或网信部门移交线索的记录")
    if case.is_major and not case.press_conferences.exists():
        missing.append("Ⅰ级、Ⅱ级突发事件尚未登记新闻发布会")
    return missing


@transaction.atomic
def case_close(*, case: OpinionCase, note: str, by: User) -> OpinionCase:
    """办结 — only with the disposition's published output, and a transfer record for false information (O3)."""
    case = _handling(case, by)
    check_transition(CASE_TRANSITIONS, case.status, CaseStatus.CLOSED, what="该舆情")
    note = _text(note, "note", "请填写办结说明。")
    missing = missing_for_close(case)
    if missing:
        raise ValidationError("不能办结:" + ";".join(missing) + "。")
    case.status, case.closing_note, case.closed_at = CaseStatus.CLOSED, note, timezone.now()
    save_with_history(case, by=by, reason=f"办结:{case.get_disposition_display()}",
          fields=["status", "closing_note", "closed_at"])
    _event(case, CaseEvent.Kind.CLOSED, by=by, text=f"{_who(by)}办结舆情({case.get_disposition_display()}):{note}")
    return case


# --- the sweep's on-due action ----------------------------------------------------------------


def cases_next_due_refresh(deadlines: list[Deadline]) -> None:
    """The clock's change hook: store each touched case's earliest open due moment (`next_due_at`),
    the dashboard's order, in one statement."""
    content_type = ContentType.objects.get_for_model(OpinionCase)
    ids = {d.object_id for d in deadlines if d.content_type_id == content_type.pk}
    if not ids:
        return
    OpinionCase.objects.filter(pk__in=ids).update(next_due_at=Subquery(
        Deadline.objects.filter(content_type=content_type, object_id=OuterRef("pk"), state__in=DUE_STATES)
        .order_by("due_at").values("due_at")[:1]))


def events_clock_missed(deadlines: list[Deadline]) -> None:
    """A clock ran out: say so in each case's timeline (the sweep has escalated it, O4/O5)."""
    from tongchuan_portal.core.services import system_user

    content_type = ContentType.objects.get_for_model(OpinionCase)
    rows = [d for d in deadlines if d.content_type_id == content_type.pk]
    if not rows:
        return
    by = system_user()
    events = []
    for deadline in rows:
        rule = get_rule(deadline.rule)
        events.append(CaseEvent(
            case_id=deadline.object_id, kind=CaseEvent.Kind.CLOCK_MISSED, actor=by,
            at=deadline.missed_at or timezone.now(),
            text=f"{rule.label}应于{fmt(deadline.due_at)}前完成,已逾期;"
                 "已督办责任单位舆情工作人员、单位主要负责人、市政府办公室和市委宣传部。",
        ))
    bulk_create_with_history(events, CaseEvent, default_user=by, default_change_reason="时限逾期督办")
