"""我的时限 and the deadline page: own units only, constant queries, explanation shown (CLOCK6)."""

from datetime import datetime

import pytest

from tongchuan_portal.clock.services import deadlines_sweep
from tongchuan_portal.clock.workdays import BEIJING
from tongchuan_portal.units.models import Role
from tests.clock.factories import start
from tests.units.factories import UnitFactory, UserFactory, member

pytestmark = pytest.mark.usefixtures("calendar")


@pytest.fixture
def setup(tongchuan_units):
    own, other = tongchuan_units["fgw"], tongchuan_units["jyj"]
    clerk = UserFactory(username="clerk")
    member(clerk, own, Role.Code.CLERK)
    mine = start(unit=own, subject="本单位事项", at=datetime(2026, 2, 10, 9, tzinfo=BEIJING))
    theirs = start(unit=other, subject="外单位事项", at=datetime(2026, 2, 10, 9, tzinfo=BEIJING))
    return {"own": own, "other": other, "clerk": clerk, "mine": mine, "theirs": theirs}


def test_CLOCK6_my_deadlines_shows_own_unit_with_explanation(client, setup):
    client.force_login(setup["clerk"])
    html = client.get("/deadlines/").content.decode()
    assert "本单位事项" in html and "外单位事项" not in html
    assert "2026-02-26 23:59" in html  # across the Spring Festival
    assert "02-15 春节" in html and "02-14(周六) 计入工作日" in html
    assert "测试工作日时限(7个工作日)" in html and "TEST3" not in html  # the rule in words, not its ID


def test_deadline_of_another_unit_is_a_404(client, setup):
    client.force_login(setup["clerk"])
    assert client.get(f"/deadlines/{setup['theirs'].pk}/").status_code == 404
    response = client.get(f"/deadlines/{setup['mine'].pk}/")
    assert response.status_code == 200
    assert "变更记录" in response.content.decode()


def test_anonymous_is_sent_to_login(client, setup):
    assert client.get("/deadlines/").status_code == 302
    assert client.get(f"/deadlines/{setup['mine'].pk}/").status_code == 302


def test_city_office_reviewer_sees_every_unit(client, setup, tongchuan_units):
    reviewer = UserFactory(username="reviewer")
    member(reviewer, tongchuan_units["szfb"], Role.Code.CITY_OFFICE_REVIEWER)
    client.force_login(reviewer)
    html = client.get("/deadlines/").content.decode()
    assert "本单位事项" in html and "外单位事项" in html


def test_CLOCK4_provisional_deadline_is_marked(client, setup):
    start(unit=setup["own"], target=setup["clerk"], subject="跨年事项", at=datetime(2026, 12, 24, 9, tzinfo=BEIJING))
    client.force_login(setup["clerk"])
    html = client.get("/deadlines/").content.decode()
    assert "暂定" in html and "2027年放假安排尚未公布" in html


def test_my_deadlines_query_count_is_constant(client, setup, django_assert_num_queries):
    client.force_login(setup["clerk"])
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get("/deadlines/")
    for i in range(25):
        start(unit=setup["own"], target=UnitFactory(), subject=f"更多事项{i}")
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get("/deadlines/")
    html = response.content.decode()
    # a page at a time (PAGE_SIZE rows, issue 17): the rest is one "下一页" away
    import re

    rest = client.get("/deadlines/" + re.search(r'rel="next" href="([^"]+)"', html)[1].replace("&amp;", "&"))
    assert html.count("更多事项") + rest.content.decode().count("更多事项") == 25


def test_overdue_listed_first_with_words_not_only_colour(client, setup):
    deadlines_sweep(now=datetime(2026, 3, 1, tzinfo=BEIJING))
    client.force_login(setup["clerk"])
    html = client.get("/deadlines/").content.decode()
    assert html.index("已逾期") < html.index("本单位事项")
    assert "已超期" in html


def test_inbox_unread_count_and_mark_read(client, setup):
    deadlines_sweep(now=datetime(2026, 3, 1, tzinfo=BEIJING))
    client.force_login(setup["clerk"])
    html = client.get("/").content.decode()
    assert 'aria-label="1 条未读"' in html
    inbox = client.get("/inbox/").content.decode()
    assert "【已逾期】本单位事项" in inbox
    assert client.post("/inbox/read/").status_code == 302
    assert "条未读" not in client.get("/").content.decode()


def test_one_cannot_mark_someone_elses_messages_read(client, setup):
    from tongchuan_portal.notifications.models import Notification

    deadlines_sweep(now=datetime(2026, 3, 1, tzinfo=BEIJING))
    note = Notification.objects.get(recipient=setup["clerk"])
    client.force_login(UserFactory(username="someone"))
    client.post("/inbox/read/", {"id": note.pk})
    note.refresh_from_db()
    assert note.read_at is None


def test_notification_emails_are_sent_once(setup, mailoutbox):
    from tongchuan_portal.core.selectors import system_user
    from tongchuan_portal.notifications.services import notifications_email_pending

    setup["clerk"].email = "clerk@example.gov.cn"
    setup["clerk"].save()
    deadlines_sweep(now=datetime(2026, 3, 1, tzinfo=BEIJING))
    assert notifications_email_pending(by=system_user()) == 1
    assert notifications_email_pending(by=system_user()) == 0
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["clerk@example.gov.cn"] and "本单位事项" in mailoutbox[0].subject


def test_a_person_escalated_to_may_open_the_deadline(client, setup, tongchuan_units):
    """The propaganda department hears of a missed O4 clock; the link in its inbox must open."""
    from tongchuan_portal.clock.services import deadline_start
    from tongchuan_portal.core.selectors import system_user

    press = UserFactory(username="press")
    member(press, tongchuan_units["swxcb"], Role.Code.OPINION_OFFICER)
    deadline = deadline_start(rule="test.hours", target=setup["own"], unit=setup["own"], subject="舆情回应",
                              started_at=datetime(2026, 6, 1, 9, tzinfo=BEIJING), by=system_user())
    client.force_login(press)
    assert client.get(f"/deadlines/{deadline.pk}/").status_code == 404
    deadlines_sweep(now=datetime(2026, 6, 1, 15, tzinfo=BEIJING))
    assert client.get(f"/deadlines/{deadline.pk}/").status_code == 200
    assert client.get(f"/deadlines/{setup['theirs'].pk}/").status_code == 404


def _explanation_of(html: str, subject: str) -> str:
    row = html[html.index(subject):]
    return row[row.index("<details>"):row.index("</details>")]


def test_CLOCK6_explanation_is_stored_and_follows_a_pause_and_a_calendar_change(client, setup,
                                                                              django_assert_num_queries):
    """The 计算依据 of a row is rendered once; the next visit reads it back without the pauses and
    extensions queries. A pause, and a changed calendar, each give the next visit the new text."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tongchuan_portal.clock import workdays
    from tongchuan_portal.clock.services import deadline_pause, official_day_set

    client.force_login(setup["clerk"])
    with CaptureQueriesContext(connection) as first:
        html = client.get("/deadlines/").content.decode()
    before = _explanation_of(html, "本单位事项")
    assert "02-15 春节" in before and "暂停" not in before
    with django_assert_num_queries(len(first.captured_queries) - 2):  # no pauses, no extensions query
        again = client.get("/deadlines/").content.decode()
    assert _explanation_of(again, "本单位事项") == before

    official_day_set(day=datetime(2026, 2, 24).date(), kind="holiday", name="测试假日", by=setup["clerk"])
    workdays.invalidate()  # what the change's commit does
    moved = _explanation_of(client.get("/deadlines/").content.decode(), "本单位事项")
    assert "02-24 测试假日" in moved and "02-24 测试假日" not in before

    deadline_pause(deadline=setup["mine"], reason="等待补正材料", by=setup["clerk"],
                   at=datetime(2026, 2, 12, 10, tzinfo=BEIJING))
    paused = _explanation_of(client.get("/deadlines/").content.decode(), "本单位事项")
    assert "等待补正材料" in paused and "计时已暂停" in paused
