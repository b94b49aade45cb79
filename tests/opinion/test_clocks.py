"""O4 and O5: wall-clock deadlines from the moment the opinion was first seen; met by the release; escalated once."""

from datetime import timedelta

import pytest

from opinion.deadlines import FIRST_RELEASE, PRESS_CONFERENCE, RESPONSE, reminders
from opinion.models import CaseEvent, IncidentLevel, Release
from opinion.services import case_reassign, press_conference_record
from tongchuan_portal.clock.models import Deadline, DeadlineSignal, DeadlineState
from tongchuan_portal.clock.registry import get_rule
from tongchuan_portal.clock.services import deadlines_sweep
from tongchuan_portal.notifications.models import Notification
from tongchuan_portal.units.models import Role
from tests.opinion.factories import bj, officer, record, release
from tests.units.factories import UserFactory, member

pytestmark = pytest.mark.usefixtures("calendar")


@pytest.fixture
def people(tongchuan_units):
    u = tongchuan_units
    head, reviewer, propaganda, bystander = (UserFactory(username=n) for n in ("head", "reviewer", "xcb", "bystander"))
    member(head, u["jtj"], Role.Code.UNIT_HEAD)
    member(reviewer, u["szfb"], Role.Code.CITY_OFFICE_REVIEWER)
    member(propaganda, u["swxcb"], Role.Code.CLERK)
    member(bystander, u["jyj"], Role.Code.OPINION_OFFICER, Role.Code.UNIT_HEAD)
    return {"officer": officer(u["jtj"]), "recorder": officer(u["yzq"]), "head": head, "reviewer": reviewer,
            "propaganda": propaganda, "bystander": bystander}


def clocks(case):
    return {d.rule: d for d in Deadline.objects.filter(object_id=case.pk).exclude(state="cancelled")}


def test_O4_major_case_due_exactly_5_and_24_hours_later_across_midnight_and_a_holiday(people):
    recorded = bj(2026, 10, 1, 21, 30)  # 国庆节, late evening
    case = record(people["recorder"], level=IncidentLevel.II, at=recorded, first_seen_at=recorded)
    found = clocks(case)
    assert set(found) == {FIRST_RELEASE, PRESS_CONFERENCE}
    assert found[FIRST_RELEASE].due_at == bj(2026, 10, 2, 2, 30)  # past midnight, still a holiday
    assert found[PRESS_CONFERENCE].due_at == bj(2026, 10, 2, 21, 30)
    assert all(d.started_at == recorded and d.unit.code == "jtj" and d.rule_id == "O4" for d in found.values())


def test_O4_level_I_also_runs_both_clocks(people):
    case = record(people["recorder"], level=IncidentLevel.I, at=bj(2026, 2, 16, 23, 0), first_seen_at=bj(2026, 2, 16, 23, 0))
    found = clocks(case)
    assert found[FIRST_RELEASE].due_at == bj(2026, 2, 17, 4, 0)  # 春节
    assert found[PRESS_CONFERENCE].due_at == bj(2026, 2, 17, 23, 0)


@pytest.mark.parametrize("level", [IncidentLevel.III, IncidentLevel.IV, IncidentLevel.NONE])
def test_O5_other_cases_get_48_hours_holidays_included(people, level):
    case = record(people["recorder"], level=level, at=bj(2026, 9, 30, 20, 15), first_seen_at=bj(2026, 9, 30, 20, 15))
    found = clocks(case)
    assert set(found) == {RESPONSE}
    assert found[RESPONSE].due_at == bj(2026, 10, 2, 20, 15) and found[RESPONSE].rule_id == "O5"


def test_O4_O5_rules_are_wall_clock_hours_with_settings_driven_reminders(settings):
    assert [get_rule(c).duration for c in (FIRST_RELEASE, PRESS_CONFERENCE, RESPONSE)] == [
        timedelta(hours=5), timedelta(hours=24), timedelta(hours=48)]
    assert get_rule(FIRST_RELEASE).kind == "hours"
    assert get_rule(FIRST_RELEASE).reminders == (timedelta(hours=1),)
    settings.OPINION_REMINDER_MINUTES = [30, 120]
    assert reminders() == (timedelta(minutes=120), timedelta(minutes=30))


def test_O4_release_in_time_meets_the_5_hour_clock_and_press_conference_the_24_hour_one(people):
    case = record(people["recorder"], level=IncidentLevel.II, at=bj(2026, 10, 1, 21, 30), first_seen_at=bj(2026, 10, 1, 21, 30))
    first = release(case, people["officer"], at=bj(2026, 10, 2, 1, 10))
    assert first.kind == Release.Kind.FIRST
    found = clocks(case)
    assert found[FIRST_RELEASE].state == DeadlineState.MET and found[FIRST_RELEASE].met_at == bj(2026, 10, 2, 1, 10)
    assert found[PRESS_CONFERENCE].state == DeadlineState.RUNNING
    later = release(case, people["officer"], at=bj(2026, 10, 2, 8), title="后续通报")
    assert later.kind == Release.Kind.FOLLOW_UP
    press_conference_record(case=case, held_at=bj(2026, 10, 2, 15), place="市政府新闻发布厅",
                            speakers="市交通运输局局长", by=people["officer"])
    assert clocks(case)[PRESS_CONFERENCE].state == DeadlineState.MET
    result = deadlines_sweep(now=bj(2026, 10, 5))
    assert result.escalations == 0 and not Notification.objects.filter(level__in=["overdue", "escalation"]).exists()
    timeline = list(case.events.exclude(kind=CaseEvent.Kind.CLEARANCE).values_list("kind", flat=True))
    assert timeline == ["recorded", "routed", "release", "release", "press_conference"]
    assert "首次权威信息发布时限(国办发〔2016〕80号,5小时)已办结(按时完成)" in case.events.filter(kind="release").first().text


def test_O4_reminder_one_hour_before_to_the_responsible_officers(people):
    record(people["recorder"], level=IncidentLevel.II, at=bj(2026, 10, 1, 21, 30), first_seen_at=bj(2026, 10, 1, 21, 30))
    result = deadlines_sweep(now=bj(2026, 10, 2, 1, 30))
    assert result.reminders == 1
    note = Notification.objects.get(recipient=people["officer"], level="reminder")
    assert "2026-10-02 02:30" in note.body
    assert not Notification.objects.filter(recipient=people["head"]).exists()


def test_O4_missed_clock_is_escalated_once_and_only_once(people):
    case = record(people["recorder"], level=IncidentLevel.II, at=bj(2026, 10, 1, 21, 30), first_seen_at=bj(2026, 10, 1, 21, 30))
    first = deadlines_sweep(now=bj(2026, 10, 2, 2, 31))
    second = deadlines_sweep(now=bj(2026, 10, 2, 2, 45))
    assert (first.missed, first.escalations) == (1, 1)
    assert (second.missed, second.escalations) == (0, 0)
    deadline = clocks(case)[FIRST_RELEASE]
    assert deadline.state == DeadlineState.MISSED
    assert DeadlineSignal.objects.filter(deadline=deadline, tier__startswith="escalate").count() == 1
    for who in ("officer", "head", "reviewer", "propaganda"):
        assert Notification.objects.filter(recipient=people[who], level="overdue").count() == 1, who
    assert not Notification.objects.filter(recipient=people["bystander"]).exists()
    missed = case.events.filter(kind=CaseEvent.Kind.CLOCK_MISSED)
    assert missed.count() == 1 and "市委宣传部" in missed.get().text
    # A late release still meets the clock, marked late.
    release(case, people["officer"], at=bj(2026, 10, 2, 3))
    deadline.refresh_from_db()
    assert deadline.state == DeadlineState.MET and deadline.was_late
    assert "逾期完成" in case.events.filter(kind="release").get().text


def test_O4_dashboard_order_key_follows_every_clock_move(people, tongchuan_units):
    """The dashboard sorts by the stored next_due_at; each start, meet, cancel and the sweep keep it."""
    case = record(people["recorder"], level=IncidentLevel.II, at=bj(2026, 10, 1, 21, 30), first_seen_at=bj(2026, 10, 1, 21, 30))

    def next_due():
        case.refresh_from_db(fields=["next_due_at"])
        return case.next_due_at

    assert next_due() == bj(2026, 10, 2, 2, 30)  # the 5-hour clock
    versions = case.history.count()
    case_reassign(case=case, unit=tongchuan_units["gaj"], reason="涉及治安", by=people["reviewer"])
    assert next_due() == bj(2026, 10, 2, 2, 30)  # cancelled and started again with the same due moment
    deadlines_sweep(now=bj(2026, 10, 2, 2, 31))
    assert clocks(case)[FIRST_RELEASE].state == DeadlineState.MISSED
    assert next_due() == bj(2026, 10, 2, 2, 30)  # a missed clock still presses
    handler = officer(tongchuan_units["gaj"])
    release(case, handler, at=bj(2026, 10, 2, 3))
    assert next_due() == bj(2026, 10, 2, 21, 30)  # the 24-hour press-conference clock is next
    press_conference_record(case=case, held_at=bj(2026, 10, 2, 15), place="市政府新闻发布厅",
                            speakers="市公安局局长", by=handler)
    assert next_due() is None  # no clock left: after every case that has one
    # The stored key is derived: the case's history holds its own changes, each clock's history the moves.
    assert "next_due_at" not in {f.name for f in case.history.model._meta.fields}
    assert case.history.count() == versions + 1  # the reassignment only


def test_O5_missed_48_hour_clock_is_escalated_once(people):
    case = record(people["recorder"], at=bj(2026, 9, 30, 20, 15), first_seen_at=bj(2026, 9, 30, 20, 15))
    assert deadlines_sweep(now=bj(2026, 10, 2, 20, 15)).escalations == 0  # the due moment itself is in time
    assert deadlines_sweep(now=bj(2026, 10, 2, 20, 16)).escalations == 1
    assert deadlines_sweep(now=bj(2026, 10, 3)).escalations == 0
    assert Notification.objects.filter(recipient=people["propaganda"], level="overdue").count() == 1
    assert case.events.filter(kind=CaseEvent.Kind.CLOCK_MISSED).count() == 1


# --- hardening: the clocks run from first_seen_at, not from the registration (O4, O5) ---------------


def test_O4_clocks_run_exactly_5_and_24_hours_from_first_seen_not_from_recording(people):
    seen, recorded = bj(2026, 10, 1, 20, 0), bj(2026, 10, 1, 22, 40)
    case = record(people["recorder"], level=IncidentLevel.II, at=recorded, first_seen_at=seen)
    found = clocks(case)
    assert found[FIRST_RELEASE].due_at == seen + timedelta(hours=5) == bj(2026, 10, 2, 1, 0)
    assert found[PRESS_CONFERENCE].due_at == seen + timedelta(hours=24)
    assert all(d.started_at == seen for d in found.values())
    case.refresh_from_db()
    assert (case.first_seen_at, case.recorded_at) == (seen, recorded)  # both kept


def test_O5_clock_runs_exactly_48_hours_from_first_seen(people):
    seen = bj(2026, 9, 30, 7, 5)
    case = record(people["recorder"], at=bj(2026, 9, 30, 20, 15), first_seen_at=seen)
    assert clocks(case)[RESPONSE].due_at == seen + timedelta(hours=48) == bj(2026, 10, 2, 7, 5)


def test_O5_late_registration_is_already_overdue_and_escalated_on_the_next_sweep(people):
    seen = bj(2026, 9, 28, 9, 0)
    case = record(people["recorder"], at=bj(2026, 9, 30, 10, 0), first_seen_at=seen)  # 49 hours later
    deadline = clocks(case)[RESPONSE]
    assert deadline.due_at == bj(2026, 9, 30, 9, 0) < case.recorded_at
    result = deadlines_sweep(now=bj(2026, 9, 30, 10, 1))
    assert (result.missed, result.escalations) == (1, 1)
    deadline.refresh_from_db()
    assert deadline.state == DeadlineState.MISSED
    assert Notification.objects.filter(recipient=people["propaganda"], level="overdue").count() == 1
    release(case, people["officer"], at=bj(2026, 9, 30, 11))
    deadline.refresh_from_db()
    assert deadline.state == DeadlineState.MET and deadline.was_late


@pytest.mark.parametrize("seen, message", [
    (timedelta(hours=2), "不能晚于"), (timedelta(days=-31), "不能早于"),
])
def test_O4_first_seen_cannot_be_in_the_future_or_implausibly_old_and_nothing_is_recorded(people, seen, message):
    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from opinion.models import OpinionCase

    with pytest.raises(ValidationError) as error:
        record(people["recorder"], first_seen_at=timezone.now() + seen)
    assert message in error.value.message_dict["first_seen_at"][0]
    assert not OpinionCase.objects.exists() and not Deadline.objects.exists()


def test_O4_first_seen_after_the_stated_recording_moment_is_refused(people):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        record(people["recorder"], at=bj(2026, 10, 1, 9), first_seen_at=bj(2026, 10, 1, 10))
    assert "晚于登记时间" in error.value.message_dict["first_seen_at"][0]
