"""Hand-offs outside the document workflow: 转办, comment window closing, opinion cases, 保密审查 of drafts —
each tells exactly the next people once, also when the service runs again (issue 15, notifications)."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from opinion import services as opinion
from opinion.models import CaseEvent, SubjectArea
from participation import notices, services
from tongchuan_portal.clock.services import deadlines_sweep
from tongchuan_portal.core import confidentiality
from tongchuan_portal.notifications.models import Notification
from tongchuan_portal.units.models import Role
from tests.opinion.factories import officer, record
from tests.participation import factories as f
from tests.participation.conftest import bj
from tests.units.factories import UserFactory, member

MONDAY = bj(2026, 6, 1, 10, 0)


@pytest.fixture
def people(tongchuan_units, calendar):
    u = tongchuan_units
    p = {"u": u}
    for name, unit, role in [("clerk", "fgw", Role.Code.CLERK), ("head", "fgw", Role.Code.UNIT_HEAD),
                             ("secrecy", "fgw", Role.Code.CONFIDENTIALITY_REVIEWER),
                             ("jyj_clerk", "jyj", Role.Code.CLERK), ("jyj_head", "jyj", Role.Code.UNIT_HEAD),
                             ("jyj_office", "jyj", Role.Code.TRANSPARENCY_OFFICE),
                             ("reviewer", "szfb", Role.Code.CITY_OFFICE_REVIEWER)]:
        p[name] = UserFactory(username=name)
        member(p[name], u[unit], role)
    return p


def box():
    return sorted(Notification.objects.values_list("recipient__username", flat=True))


class W:  # what the participation factories expect of a world
    def __init__(self, p):
        self.fgw, self.jyj, self.clerk, self.head = p["u"]["fgw"], p["u"]["jyj"], p["clerk"], p["head"]


def test_notifications_message_transfer_tells_the_receiving_units_staff(people):
    with time_machine.travel(MONDAY, tick=False):
        note, _ = f.message(W(people), unit=people["u"]["fgw"])
    Notification.objects.all().delete()
    services.message_transfer(message=note, unit=people["u"]["jyj"], reason="属教育领域", by=people["clerk"])
    assert box() == ["jyj_clerk", "jyj_head"]  # not its transparency office, not the sending unit
    assert "转办" in Notification.objects.first().title
    note.refresh_from_db()
    notices.message_transferred(note, from_unit=people["u"]["fgw"], reason="属教育领域", by=people["clerk"])
    assert len(box()) == 2


def test_notifications_transfer_denied_sends_nothing(people):
    with time_machine.travel(MONDAY, tick=False):
        note, _ = f.message(W(people), unit=people["u"]["fgw"])
    Notification.objects.all().delete()
    with pytest.raises(PermissionDenied):
        services.message_transfer(message=note, unit=people["u"]["fgw"], reason="x", by=people["jyj_clerk"])
    assert box() == []


def test_notifications_comment_window_closing_tells_the_drafting_unit_once(people):
    world = W(people)
    with time_machine.travel(MONDAY, tick=False):
        _, period = f.published(world)
    Notification.objects.all().delete()
    later = period.closes_at + timedelta(minutes=5)
    with time_machine.travel(later, tick=False):
        deadlines_sweep(now=later)
        deadlines_sweep(now=later)
    assert box() == ["clerk", "head"]
    assert all("意见采纳情况" in n.title for n in Notification.objects.all())


def test_notifications_draft_clearance_waiting_and_decided_once_each(people):
    world = W(people)
    with time_machine.travel(MONDAY, tick=False):
        d = f.draft(world)
        services.draft_publish(draft=d, working_days=7, by=people["clerk"])
        assert box() == ["secrecy"]
        Notification.objects.all().delete()
        services.draft_clearance_decide(draft=d, cleared=False, opinion="第三条涉及未公开数据。", by=people["secrecy"])
        assert box() == ["clerk", "head"]
        record_ = confidentiality.clearances_for(d).first()
        confidentiality.notify_unit([people["clerk"].pk], event_key=confidentiality.decided_key(record_),
                                    title="again", body="", url="/", by=people["secrecy"])
        assert box() == ["clerk", "head"]


def test_notifications_opinion_reassignment_is_told_once_per_step(tongchuan_units, calendar):
    u = tongchuan_units
    recorder, jtj, gaj = officer(u["yzq"]), officer(u["jtj"]), officer(u["gaj"])
    reviewer = UserFactory(username="reviewer_szfb")
    member(reviewer, u["szfb"], Role.Code.CITY_OFFICE_REVIEWER)
    case = record(recorder, area=SubjectArea.TRANSPORT)
    assert jtj.notifications.count() == 1 and gaj.notifications.count() == 0
    Notification.objects.all().delete()
    opinion.case_reassign(case=case, unit=u["gaj"], reason="涉及治安事件,由公安机关回应", by=reviewer)
    assert gaj.notifications.count() == 1 and jtj.notifications.count() == 1
    event = case.events.get(kind=CaseEvent.Kind.REASSIGNED)
    opinion._inform(case, u["gaj"], event=event, title="again", body="", by=reviewer)
    assert gaj.notifications.count() == 1
    assert not reviewer.notifications.exists()  # the actor is not told of their own act
