"""Staff lists bounded at scale (issue 17): keyset pages, the same number of queries at two sizes,
the deadline explanation computed only for the rows shown, one shared pager."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from disclosure.models import Document, Status
from opinion.models import OpinionCase
from tongchuan_portal.core import paging
from tongchuan_portal.notifications.models import Notification
from tongchuan_portal.units.models import Role
from tests.clock.factories import start
from tests.units.factories import UserFactory, member

pytestmark = pytest.mark.usefixtures("calendar")

LISTS = ["/deadlines/", "/work/review/", "/work/confidentiality/", "/work/documents/", "/inbox/", "/opinion/"]


@pytest.fixture
def city(tongchuan_units):
    user = UserFactory(username="city-office")
    member(user, tongchuan_units["szfb"], Role.Code.CITY_OFFICE_REVIEWER, Role.Code.CONFIDENTIALITY_REVIEWER,
           Role.Code.CLERK, Role.Code.UNIT_HEAD, Role.Code.OPINION_OFFICER)
    return user


def grow(units, user, n):
    """n more rows in every list the city office sees."""
    szfb = units["szfb"]
    now = timezone.now()
    for status, extra in ((Status.SUBMITTED, {}), (Status.CONFIDENTIALITY_REVIEW, {"accepted_at": now})):
        documents = Document.objects.bulk_create([Document(
            title=f"队列公文{status}{i}", issuer=szfb, area="decision", attribute="proactive", status=status,
            submitted_at=now - timedelta(minutes=i), created_by=user, **extra) for i in range(n)])
    for i, document in enumerate(documents):  # one clock per document, as the workflow starts them
        start(unit=szfb, target=document, subject=f"时限事项{i}", at=now - timedelta(hours=i))
    Notification.objects.bulk_create([Notification(recipient=user, title=f"消息{i}") for i in range(n)])
    OpinionCase.objects.bulk_create([OpinionCase(
        title=f"舆情{i}", source="media", summary="概要", first_seen_at=now, category="city_decision", scope="city",
        subject_area="education", responsible_unit=szfb, recorded_at=now - timedelta(minutes=i), recorded_by=user)
        for i in range(n)])


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries.captured_queries), response


@pytest.mark.parametrize("url", LISTS)
def test_staff_list_runs_the_same_queries_at_two_sizes_and_pages(client, city, tongchuan_units, url):
    grow(tongchuan_units, city, 3)
    client.force_login(city)
    client.get(url)  # session, content types and the calendar snapshot loaded once
    small, _ = _count(client, url)
    grow(tongchuan_units, city, 60)
    client.get(url)  # 我的时限 stores the new rows' explanations: compare stored with stored
    large, response = _count(client, url)
    assert small == large, url
    html = response.content.decode()
    assert 'class="pager"' in html and 'rel="next"' in html, url
    next_url = re.search(r'rel="next" href="([^"]+)"', html)[1].replace("&amp;", "&")
    second = client.get(url + next_url)
    assert second.status_code == 200 and 'rel="prev"' in second.content.decode()


def test_my_deadlines_explains_only_the_rows_shown(client, city, tongchuan_units, monkeypatch):
    from tongchuan_portal.clock import explained, views

    grow(tongchuan_units, city, 70)
    calls = []
    real = explained.explain
    monkeypatch.setattr(explained, "explain", lambda d: calls.append(d.pk) or real(d))
    client.force_login(city)
    html = client.get("/deadlines/").content.decode()
    assert len(calls) == views.PAGE_SIZE
    assert "共 70 项" in html  # counted (bounded), not just the page
    again = client.get("/deadlines/").content.decode()
    assert len(calls) == views.PAGE_SIZE and again.count("计算依据") == html.count("计算依据")  # stored


def test_keyset_pages_cover_every_row_once_in_order(db, city, tongchuan_units):
    grow(tongchuan_units, city, 0)
    now = timezone.now()
    Notification.objects.bulk_create([Notification(recipient=city, title=f"消息{i}") for i in range(120)])
    Notification.objects.filter(recipient=city).update(created_at=now)  # ties on the moment: the id decides
    qs = Notification.objects.filter(recipient=city)
    seen, after = [], ""
    while True:
        page = paging.keyset(qs, moment="created_at", descending=True, after=after)
        seen += [n.pk for n in page]
        if not page.next_cursor:
            break
        after = page.next_cursor
    assert seen == sorted(seen, reverse=True) and len(seen) == len(set(seen)) == 120
    back = paging.keyset(qs, moment="created_at", descending=True, before=page.prev_cursor)
    assert [n.pk for n in back] == seen[-len(page) - paging.STAFF_PAGE_SIZE:-len(page)]
    assert paging.decode("garbage") is None and paging.keyset(qs, moment="created_at", after="x-1").items


def test_another_units_clerk_sees_none_of_the_city_rows(client, city, tongchuan_units):
    grow(tongchuan_units, city, 5)
    other = UserFactory(username="other-clerk")
    member(other, tongchuan_units["jyj"], Role.Code.CLERK)
    client.force_login(other)
    assert "时限事项" not in client.get("/deadlines/").content.decode()
    assert "队列公文" not in client.get("/work/documents/").content.decode()
