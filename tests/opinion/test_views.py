"""The dashboard, the case page and the public 回应关切 column: words not only colour, constant queries."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from opinion.models import Disposition, IncidentLevel, OpinionCase, Scope, SpecialTopic, SubjectArea
from opinion.services import case_triage
from tongchuan_portal.clock.services import deadlines_sweep
from tests.opinion.factories import bj, officer, record, release, secrecy

pytestmark = pytest.mark.usefixtures("calendar")


@pytest.fixture
def staff(tongchuan_units):
    return {"office": officer(tongchuan_units["szfb"]), "jtj": officer(tongchuan_units["jtj"]),
            "yzq": officer(tongchuan_units["yzq"])}


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def fill(by, n, start=0):
    now = timezone.now()
    for i in range(start, start + n):
        level = IncidentLevel.II if i % 2 else IncidentLevel.NONE
        case = record(by, title=f"舆情{i}", level=level, at=now - timedelta(hours=i), first_seen_at=now - timedelta(hours=i),
                      area=SubjectArea.TRANSPORT if i % 3 else SubjectArea.EDUCATION,
                      special_topic=SpecialTopic.MAJOR_REFORM if i % 4 == 0 else SpecialTopic.NONE)
        if i % 3 == 0:
            release(case, by, at=now - timedelta(hours=i), title=f"回应{i}")
    deadlines_sweep(now=now)


def test_dashboard_query_count_is_constant(client, staff):
    client.force_login(staff["office"])
    fill(staff["office"], 3)
    few, html = count_queries(client, "/opinion/")
    assert html.count("舆情工作台") >= 1
    fill(staff["office"], 12, start=3)
    many, html = count_queries(client, "/opinion/")
    assert few == many
    assert html.count('href="/opinion/cases/') == 15


def test_public_column_query_count_is_constant(client, staff):
    fill(staff["office"], 3)
    few, _ = count_queries(client, "/huiying/")
    fill(staff["office"], 18, start=3)
    many, html = count_queries(client, "/huiying/")
    assert few == many
    assert html.count('href="/huiying/') >= 7
    filtered, html = count_queries(client, "/huiying/?year=2026&area=education&topic=major_reform")
    assert filtered == many and "回应12" in html and "回应3" not in html


def test_O4_dashboard_shows_time_left_in_words_and_overdue_escalated(client, staff):
    now = timezone.now()
    record(staff["office"], title="按时计时中", level=IncidentLevel.II, at=now - timedelta(hours=1),
           first_seen_at=now - timedelta(hours=1))
    record(staff["office"], title="已错过时限", level=IncidentLevel.II, at=now - timedelta(hours=6),
           first_seen_at=now - timedelta(hours=6))
    deadlines_sweep(now=now)
    client.force_login(staff["office"])
    html = client.get("/opinion/").content.decode()
    assert "剩余3小时59分" in html or "剩余4小时0分" in html
    assert "已逾期" in html and "已超期" in html and "已督办" in html
    # The most pressing case comes first.
    assert html.index("已错过时限") < html.index("按时计时中")


def test_dashboard_filters_by_level_unit_category_and_status(client, staff, tongchuan_units):
    record(staff["office"], title="重大交通舆情", level=IncidentLevel.II, area=SubjectArea.TRANSPORT)
    record(staff["office"], title="教育一般舆情", area=SubjectArea.EDUCATION, category="credibility")
    client.force_login(staff["office"])
    html = client.get("/opinion/?level=2").content.decode()
    assert "重大交通舆情" in html and "教育一般舆情" not in html
    html = client.get(f"/opinion/?unit={tongchuan_units['jyj'].pk}").content.decode()
    assert "教育一般舆情" in html and "重大交通舆情" not in html
    html = client.get("/opinion/?category=credibility").content.decode()
    assert "教育一般舆情" in html and "重大交通舆情" not in html
    assert "没有符合条件的舆情" in client.get("/opinion/?status=closed").content.decode()
    assert "重大交通舆情" in client.get("/opinion/?status=all&level=bogus&unit=x").content.decode()


def test_record_form_keeps_input_and_explains_errors_in_chinese(client, staff):
    client.force_login(staff["jtj"])
    response = client.post("/opinion/new/", {
        "title": "某区学校食堂问题", "source": "hotline", "first_seen_at": "2026-11-20T08:00", "summary": "来电反映",
        "category": "public_interest", "special_topic": "none", "level": "none", "scope": "district",
        "subject_area": "education", "links": "not a link",
    })
    html = response.content.decode()
    assert response.status_code == 400
    assert 'value="某区学校食堂问题"' in html and "链接格式不正确:not a link" in html
    response = client.post("/opinion/new/", {
        "title": "某区学校食堂问题", "source": "hotline", "first_seen_at": "2026-11-20T08:00", "summary": "来电反映",
        "category": "public_interest", "special_topic": "none", "level": "none", "scope": "district",
        "subject_area": "education",
    })
    assert response.status_code == 400
    assert "请选择且只选择一个区县" in response.content.decode()
    assert not OpinionCase.objects.exists()


def test_O3_closing_without_output_shows_why_on_the_page(client, staff):
    case = record(staff["jtj"], title="待办结舆情")
    case_triage(case=case, disposition=Disposition.ADOPTED, note="建议合理", by=staff["jtj"])
    client.force_login(staff["jtj"])
    html = client.get(f"/opinion/cases/{case.pk}/").content.decode()
    assert "办结前还需" in html and "公开采纳情况" in html
    response = client.post(f"/opinion/cases/{case.pk}/close/", {"close-note": "已办"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "不能办结" in html and "已办</textarea>" in html
    assert OpinionCase.objects.get(pk=case.pk).status == "open"


def test_release_through_the_page_meets_the_clock_and_reaches_the_column(client, staff):
    case = record(staff["jtj"], title="道路塌陷", level=IncidentLevel.II)
    client.force_login(staff["jtj"])
    at = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    response = client.post(f"/opinion/cases/{case.pk}/release/", {
        "release-title": "关于道路塌陷的情况通报", "release-text": "无人员伤亡。", "release-channel": "weibo",
        "release-released_at": at, "release-public": "on", "release-link": "https://weibo.com/x/1"})
    assert response.status_code == 302
    html = client.get(f"/opinion/cases/{case.pk}/").content.decode()
    assert "按时完成" in html and "关于道路塌陷的情况通报" in html and "待保密审查" in html
    client.logout()
    assert "关于道路塌陷的情况通报" not in client.get("/huiying/").content.decode()  # D7: not before clearance
    pk = case.releases.get().pk
    assert client.get(f"/huiying/{pk}/").status_code == 404
    client.force_login(secrecy(case.responsible_unit))
    page = client.get(f"/opinion/releases/{pk}/confidentiality/").content.decode()
    assert "无人员伤亡" in page and "https://weibo.com/x/1" in page  # the reviewer reads what goes public
    assert client.post(f"/opinion/releases/{pk}/confidentiality/", {"decision": "cleared"}).status_code == 302
    client.logout()
    html = client.get("/huiying/").content.decode()
    assert "关于道路塌陷的情况通报" in html and "交通运输" in html
    detail = client.get(f"/huiying/{pk}/").content.decode()
    assert "无人员伤亡" in detail and 'name="ArticleTitle" content="关于道路塌陷的情况通报"' in detail


def test_non_public_release_is_not_in_the_column(client, staff):
    case = record(staff["jtj"])
    hidden = release(case, staff["jtj"], title="内部通报", public=False)
    assert "内部通报" not in client.get("/huiying/").content.decode()
    assert client.get(f"/huiying/{hidden.pk}/").status_code == 404


def test_column_filters_by_date_and_topic(client, staff):
    case = record(staff["jtj"], title="九月舆情", at=bj(2026, 9, 3, 9), first_seen_at=bj(2026, 9, 3, 8),
                  special_topic=SpecialTopic.TWO_SESSIONS)
    release(case, staff["jtj"], at=bj(2026, 9, 3, 10), title="九月回应")
    other = record(staff["jtj"], title="教育舆情", area=SubjectArea.EDUCATION, scope=Scope.CITY)
    release(other, staff["office"], title="教育回应")
    html = client.get("/huiying/?year=2026&month=9").content.decode()
    assert "九月回应" in html and "教育回应" not in html
    html = client.get("/huiying/?topic=two_sessions").content.decode()
    assert "九月回应" in html and "教育回应" not in html
    html = client.get("/huiying/?area=education").content.decode()
    assert "教育回应" in html and "九月回应" not in html


def test_nav_link_to_the_column(client, db):
    html = client.get("/huiying/").content.decode()
    assert 'href="/huiying/" aria-current="page">回应关切</a>' in html


def test_O4_case_page_and_dashboard_show_first_seen_and_recording_time(client, staff):
    case = record(staff["office"], title="迟登记的舆情", at=bj(2026, 11, 20, 15, 30), first_seen_at=bj(2026, 11, 20, 9, 5))
    client.force_login(staff["office"])
    dashboard = client.get("/opinion/?status=all").content.decode()
    assert "首次发现于 2026-11-20 09:05" in dashboard and "登记于 2026-11-20 15:30" in dashboard
    page = client.get(case.get_absolute_url()).content.decode()
    assert "2026-11-20 09:05" in page and "2026-11-20 15:30" in page and "自此时起算" in page
