"""Every write to opinion cases (O1–O5).

Recording a case routes it (O1), tells the city office and the propaganda
department, and starts its clocks (O4: 5-hour first release and 24-hour press
conference for Ⅰ/Ⅱ; O5: 48-hour response otherwise), counted from when the
opinion was first seen. Recording the release or
the press conference meets the clock. A case closes only with its disposition's
published output, and false information only with a transfer record (O3).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from tongchuan_portal.clock.models import Deadline, DeadlineState
from tongchuan_portal.clock.registry import get_rule
from tongchuan_portal.clock.services import deadline_cancel, deadline_meet, deadline_start, fmt
from tongchuan_portal.core import confidentiality
from tongchuan_portal.core.links import clean_web_url, clean_web_urls
from tongchuan_portal.core.models import Clearance
from tongchuan_portal.core.validation import bounded_date, bounded_moment
from tongchuan_portal.notifications.services import moment_key, notify_event
from tongchuan_portal.units.models import Membership, Role, Unit, UnitKind

from . import deadlines as rules
from .models import (
    CASE_TRANSITIONS,
    DISPOSITION_OUTPUT,
    CaseEvent,
    CaseStatus,
    Category,
    Channel,
    ClueTransfer,
    Disposition,
    Feedback,
    IncidentLevel,
    OpinionCase,
    PressConference,
    Release,
    Scope,
    Source,
    SpecialTopic,
    SubjectArea,
)
from .permissions import Abilities, can_clear_release, can_record
from .routing import CITY_OFFICE_CODE, PROPAGANDA_CODE, route

FUTURE_TOLERANCE = timedelta(minutes=5)
# O4/O5 run from when the opinion was first seen; a sighting older than this is a typing error, not a case.
FIRST_SEEN_MAX_AGE = timedelta(days=30)
ASSIGNABLE_KINDS = (UnitKind.GENERAL_OFFICE, UnitKind.CITY_DEPARTMENT, UnitKind.DISTRICT, UnitKind.DISTRICT_DEPARTMENT)


# --- helpers ---------------------------------------------------------------------------------


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


def _check_transition(case: OpinionCase, new_status: str) -> None:
    if new_status not in CASE_TRANSITIONS[CaseStatus(case.status)]:
        raise ValidationError(f"该舆情当前为{case.get_status_display()},不能改为{CaseStatus(new_status).label}。")


def _require_open(case: OpinionCase) -> None:
    if case.status != CaseStatus.OPEN:
        raise ValidationError("该舆情已办结,不能再办理。")


def _save(obj, *, by, reason: str, update_fields=None) -> None:
    obj._history_user, obj._change_reason = by, reason
    obj.save(update_fields=update_fields)


def _event(case: OpinionCase, kind: str, *, by, text: str, at: datetime | None = None) -> CaseEvent:
    event = CaseEvent(case=case, kind=kind, actor=by, text=text, at=at or timezone.now())
    _save(event, by=by, reason=f"处置记录:{CaseEvent.Kind(kind).label}")
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
        | Q(unit__code=CITY_OFFICE_CODE, roles__code__in=[Role.Code.CITY_OFFICE_REVIEWER, Role.Code.OPINION_OFFICER])
        | Q(unit__code=PROPAGANDA_CODE)
    )
    ids = set(rows.values_list("user_id", flat=True))
    if exclude is not None:
        ids.discard(exclude.pk)
    return sorted(ids)


def _inform(case: OpinionCase, *units: Unit, event: CaseEvent, title: str, body: str, by) -> None:
    """Tell the units' officers, the city office and propaganda: once per recorded step (its CaseEvent)."""
    notify_event(f"opinion.{event.kind}:{event.pk}", _recipients(*units, exclude=by), title=title, body=body,
                 url=case.get_absolute_url(), by=by)


def _clock_rules(case: OpinionCase) -> tuple[str, ...]:
    return (rules.FIRST_RELEASE, rules.PRESS_CONFERENCE) if case.is_major else (rules.RESPONSE,)


def _release_rule(case: OpinionCase) -> str:
    return rules.FIRST_RELEASE if case.is_major else rules.RESPONSE


# --- recording and routing (O1, O4, O5) ---------------------------------------------------


@transaction.atomic
def case_record(*, by, title: str, source: str, summary: str, first_seen_at: datetime, category: str, level: str,
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
    _save(case, by=by, reason=f"登记舆情,交{routed.unit.short_name}办理")
    if districts:
        case._history_user, case._change_reason = by, "登记涉及区县"
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
def case_reassign(*, case: OpinionCase, unit: Unit, reason: str, by) -> OpinionCase:
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
    _save(case, by=by, reason=f"改派:{previous.short_name}→{unit.short_name}。理由:{reason}",
          update_fields=["responsible_unit"])
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


# --- handling (O3, O4, O5) ------------------------------------------------------------------


def _handling(case: OpinionCase, by) -> OpinionCase:
    case = _lock(case)
    if not Abilities(by, case).handler:
        raise PermissionDenied("只有责任单位或市政府办公室的舆情工作人员可以办理该舆情。")
    _require_open(case)
    return case


@transaction.atomic
def case_triage(*, case: OpinionCase, disposition: str, note: str, by) -> OpinionCase:
    """研判 — decide which of the six dispositions the case takes (O3); it may change until closing."""
    case = _handling(case, by)
    _choice(disposition, Disposition, "disposition", "请选择处置方式。")
    note = _text(note, "note", "请填写研判意见。")
    changed = case.disposition and case.disposition != disposition
    case.disposition, case.triage_note, case.triaged_at = disposition, note, timezone.now()
    label = Disposition(disposition).label
    _save(case, by=by, reason=f"研判处置方式:{label}", update_fields=["disposition", "triage_note", "triaged_at"])
    _event(case, CaseEvent.Kind.TRIAGED, by=by,
           text=f"{'改为' if changed else '研判为'}“{label}”,须{DISPOSITION_OUTPUT[disposition]}。研判意见:{note}")
    return case


@transaction.atomic
def release_record(*, case: OpinionCase, title: str, text: str, channel: str, released_at: datetime,
                   link: str = "", public: bool = True, outcome: bool = False, by) -> Release:
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
    _save(release, by=by, reason=f"登记{release.get_kind_display()}" + (",送保密审查" if public else ""))
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


def _ask_clearance(release: Release, *, by) -> None:
    office_id = Unit.objects.filter(code=CITY_OFFICE_CODE).values_list("pk", flat=True).first()
    confidentiality.notify_unit(
        confidentiality.reviewer_ids(release.unit_id, office_id), by=by,
        url=reverse("opinion:release_clearance", args=[release.pk]),
        event_key=confidentiality.waiting_key("release", release, release.submitted_at),
        title=f"【待保密审查】舆情回应《{release.title}》",
        body=f"{release.unit.name}登记的舆情回应拟在“回应关切”栏目公开,请进行保密审查。")


def _tell_handlers(release: Release, *, title: str, body: str, by) -> None:
    ids = confidentiality.unit_member_ids(release.unit_id, Role.Code.OPINION_OFFICER) + [release.recorded_by_id]
    confidentiality.notify_unit(sorted(set(ids)), by=by, url=release.case.get_absolute_url(), title=title, body=body,
                                event_key=f"opinion.release_decided:{release.pk}:{release.clearance}:"
                                          f"{moment_key(release.submitted_at)}")


@transaction.atomic
def release_clearance_decide(*, release: Release, cleared: bool, opinion: str, by) -> Release:
    """保密审查 of a release (D7): cleared, it appears in 回应关切; refused, it goes back to the unit."""
    release = Release.objects.select_for_update().select_related("case", "unit").get(pk=release.pk)
    if not can_clear_release(by, release):
        raise PermissionDenied("您无权对该舆情回应进行保密审查。")
    now = timezone.now()
    decision = confidentiality.clearance_decide(item=release, unit_id=release.unit_id, cleared=cleared, opinion=opinion,
                                     shown_title=release.title, shown_text=release_shown_text(release), by=by, at=now)
    if not cleared:
        release.clearance = Clearance.REFUSED
        _save(release, by=by, reason=f"保密审查未通过,退回修改:{decision.opinion}", update_fields=["clearance"])
        _event(release.case, CaseEvent.Kind.CLEARANCE, by=by, at=now,
               text=f"“{release.title}”保密审查未通过,未在“回应关切”栏目公开。审查意见:{decision.opinion}")
        _tell_handlers(release, by=by, title=f"【保密审查未通过】舆情回应《{release.title}》",
                       body=f"审查意见:{decision.opinion}。请修改后重新送审。")
        return release
    release.clearance, release.cleared_at, release.public = Clearance.CLEARED, now, True
    _save(release, by=by, reason="保密审查通过,在“回应关切”栏目公开", update_fields=["clearance", "cleared_at", "public"])
    _event(release.case, CaseEvent.Kind.CLEARANCE, by=by, at=now,
           text=f"“{release.title}”保密审查通过,已在“回应关切”栏目公开。")
    _tell_handlers(release, by=by, title=f"【保密审查通过】舆情回应《{release.title}》",
                   body="已在“回应关切”栏目公开。")
    return release


@transaction.atomic
def release_resubmit(*, release: Release, title: str, text: str, link: str = "", by) -> Release:
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
    _save(release, by=by, reason="修改后重新送保密审查",
          update_fields=["title", "text", "link", "clearance", "submitted_at"])
    _event(release.case, CaseEvent.Kind.CLEARANCE, by=by,
           text=f"{_who(by)}修改“{release.title}”后重新送保密审查。")
    _ask_clearance(release, by=by)
    return release


def _meet(case: OpinionCase, rule: str, *, by, at: datetime, what: str) -> str:
    """Meet the case's open clock of `rule`, if any; returns the words for the timeline."""
    for deadline in _case_deadlines(case, DeadlineState.RUNNING, DeadlineState.MISSED):
        if deadline.rule == rule:
            deadline = deadline_meet(deadline=deadline, by=by, at=at, note=what)
            late = "(逾期完成)" if deadline.met_at > deadline.due_at else "(按时完成)"
            return f"。{get_rule(rule).label}已办结{late}"
    return ""


@transaction.atomic
def press_conference_record(*, case: OpinionCase, held_at: datetime, place: str, speakers: str,
                            summary: str = "", by) -> PressConference:
    """Record a press conference; it meets the 24-hour clock of a Ⅰ/Ⅱ emergency (O4)."""
    case = _handling(case, by)
    _not_future(held_at, "held_at", "召开时间")
    place = _text(place, "place", "请填写发布会地点。")
    speakers = _text(speakers, "speakers", "请填写发布人。")
    conference = PressConference(case=case, held_at=held_at, place=place, speakers=speakers,
                                 summary=(summary or "").strip(), recorded_by=by)
    _save(conference, by=by, reason="登记新闻发布会")
    met = _meet(case, rules.PRESS_CONFERENCE, by=by, at=held_at, what="新闻发布会")
    _event(case, CaseEvent.Kind.PRESS_CONFERENCE, by=by, at=held_at,
           text=f"{_who(by)}登记新闻发布会:{place},发布人{speakers}{met}")
    return conference


@transaction.atomic
def transfer_record(*, case: OpinionCase, transferred_on: date, receiving_body: str, reference: str,
                    note: str = "", by) -> ClueTransfer:
    """线索移交 — false information's clues go to the police or the cyberspace authority (O3)."""
    case = _handling(case, by)
    if case.disposition != Disposition.FALSE_INFO:
        raise ValidationError("只有研判为虚假信息的舆情才需移交线索。")
    if transferred_on is None:
        raise ValidationError({"transferred_on": "请填写移交日期。"})
    if transferred_on > timezone.localdate():
        raise ValidationError({"transferred_on": "移交日期不能晚于今天。"})
    bounded_date(transferred_on, field="transferred_on", label="移交日期")
    _choice(receiving_body, ClueTransfer.Body, "receiving_body", "请选择接收机关。")
    reference = _text(reference, "reference", "请填写移交文号或编号。")
    transfer = ClueTransfer(case=case, transferred_on=transferred_on, receiving_body=receiving_body,
                            reference=reference, note=(note or "").strip(), recorded_by=by)
    _save(transfer, by=by, reason="登记线索移交")
    _event(case, CaseEvent.Kind.TRANSFER, by=by,
           text=f"{_who(by)}登记线索移交:{transferred_on:%Y-%m-%d}移交{transfer.get_receiving_body_display()},"
                f"编号{reference}。")
    return transfer


@transaction.atomic
def feedback_record(*, case: OpinionCase, channel: str, recipient: str, content: str, sent_at: datetime,
                    by) -> Feedback:
    """Record the feedback to whoever raised the matter: letter, e-mail or reply post (O3)."""
    case = _handling(case, by)
    _choice(channel, Feedback.Channel, "channel", "请选择反馈方式。")
    recipient = _text(recipient, "recipient", "请填写反馈对象。")
    content = _text(content, "content", "请填写反馈内容。")
    _not_future(sent_at, "sent_at", "反馈时间")
    feedback = Feedback(case=case, channel=channel, recipient=recipient, content=content, sent_at=sent_at,
                        recorded_by=by)
    _save(feedback, by=by, reason="登记处置反馈")
    _event(case, CaseEvent.Kind.FEEDBACK, by=by, at=sent_at,
           text=f"{_who(by)}登记反馈:以{feedback.get_channel_display()}答复{recipient}。")
    return feedback


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
def case_close(*, case: OpinionCase, note: str, by) -> OpinionCase:
    """办结 — only with the disposition's published output, and a transfer record for false information (O3)."""
    case = _handling(case, by)
    _check_transition(case, CaseStatus.CLOSED)
    note = _text(note, "note", "请填写办结说明。")
    missing = missing_for_close(case)
    if missing:
        raise ValidationError("不能办结:" + ";".join(missing) + "。")
    case.status, case.closing_note, case.closed_at = CaseStatus.CLOSED, note, timezone.now()
    _save(case, by=by, reason=f"办结:{case.get_disposition_display()}",
          update_fields=["status", "closing_note", "closed_at"])
    _event(case, CaseEvent.Kind.CLOSED, by=by, text=f"{_who(by)}办结舆情({case.get_disposition_display()}):{note}")
    return case


# --- the sweep's on-due action ----------------------------------------------------------------


def events_clock_missed(deadlines: list[Deadline]) -> None:
    """A clock ran out: say so in each case's timeline (the sweep has escalated it, O4/O5)."""
    from tongchuan_portal.core.selectors import system_user

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
