"""The annual reports in the open-data API (W3, A6): published ones only, read from their frozen snapshot."""

import json
from datetime import date, datetime

import pytest
import time_machine
from django.urls import reverse

from disclosure.annual_report import services, tables
from tongchuan_portal.clock.workdays import BEIJING
from tongchuan_portal.units.models import Role
from tests.annual_report.factories import SECTIONS, document, filled_report, published_report
from tests.units.factories import UserFactory, member

pytestmark = pytest.mark.django_db
PUBLISHING_DAY = datetime(2026, 1, 20, 10, tzinfo=BEIJING)


def _ids(client, **params):
    answer = client.get("/api/v1/annual-reports/", params)
    assert answer.status_code == 200, answer.content[:300]
    return {item["id"] for item in answer.json()["results"]}


def _unit_people(unit, prefix):
    people = {}
    for role, key in ((Role.Code.CLERK, "clerk"), (Role.Code.UNIT_HEAD, "head"),
                      (Role.Code.CONFIDENTIALITY_REVIEWER, "secrecy")):
        user = UserFactory(username=f"{prefix}_{key}")
        member(user, unit, role)
        people[key] = user
    return people


@pytest.fixture
def report(world):
    with time_machine.travel(PUBLISHING_DAY, tick=False):
        document(world, issued_on=date(2025, 5, 1))
        return published_report(world)


def test_A6_D7_W3_drafts_and_reports_in_review_are_absent_from_list_and_detail(client, world, report):
    with time_machine.travel(PUBLISHING_DAY, tick=False):
        drafted = services.report_open(unit=world.jyj, year=2025, by=world.other_clerk)
        at_head = filled_report(world, unit=world.jyj, year=2024, clerk=world.other_clerk)
        services.report_submit(report=at_head, by=world.other_clerk)
        uncleared = filled_report(world, year=2024)
        services.report_submit(report=uncleared, by=world.clerk)
        services.report_approve(report=uncleared, by=world.head)
    uncleared.refresh_from_db()
    assert uncleared.status == "confidentiality" and uncleared.published_version == 0
    assert _ids(client) == {report.pk}
    assert _ids(client, year=2024) == set()
    for hidden in (drafted, at_head, uncleared):
        answer = client.get(f"/api/v1/annual-reports/{hidden.pk}/")
        assert answer.status_code == 404 and answer.json()["code"] == "not_found"
    assert client.get(f"/api/v1/annual-reports/{report.pk}/").status_code == 200
    assert client.get("/api/v1/annual-reports/abc/").status_code == 404


def test_A6_W3_detail_is_the_published_snapshot_as_data_with_stable_keys(client, world, report):
    snapshot = report.snapshots.get()
    body = client.get(f"/api/v1/annual-reports/{report.pk}/").json()
    assert body["unit"]["code"] == "fgw" and body["year"] == 2025 and body["version"] == 1
    assert body["title"] == report.title and body["note"] == snapshot.reason
    assert body["published_at"] == body["versions"][0]["published_at"]
    assert datetime.fromisoformat(body["published_at"]) == snapshot.taken_at
    t2 = body["table2"]
    assert t2["licensing"] == 120 and t2["penalty"] == 8 and t2["enforcement"] == 1
    assert t2["normative"] == snapshot.data["table2"]["normative"] and t2["normative"]["issued"] == 1
    assert t2["fees_wan"] == snapshot.data["table2"]["fees_wan"]
    t3 = body["table3"]
    assert [c["key"] for c in t3["columns"]] == tables.ALL_COLUMNS
    assert [r["key"] for r in t3["rows"]] == tables.TABLE3_ROWS
    assert {r["key"]: r["values"] for r in t3["rows"]} == snapshot.data["table3"]
    refused = next(r for r in t3["rows"] if r["group"] == "not_disclosed")
    assert refused["group_label"] == "(三)不予公开"
    assert {r["key"]: r["values"] for r in body["table4"]["rows"]} == snapshot.data["table4"]
    assert [c["key"] for c in body["table4"]["columns"]] == tables.RESULTS
    assert body["sections"] == SECTIONS and body["fees_collected"] == "0.00"
    # The API's numbers are the CSV's numbers (both read the snapshot).
    csv_cells = {(row, col): value for _, row, col, value in tables.flat_cells(snapshot.data)}
    for row in tables.table3_layout(snapshot.data["table3"]):
        for column in tables.ALL_COLUMNS:
            api_value = next(r for r in t3["rows"] if r["key"] == row["code"])["values"][column]
            assert str(api_value) == csv_cells[(row["label"], tables.COLUMN_LABELS[column])]
    links = body["links"]
    assert links["html"].endswith(report.get_public_url())
    for name in ("pdf", "csv", "xlsx"):
        assert links[name].endswith(reverse(f"annual_report:{name}", args=["fgw", 2025]))
    text = json.dumps(body, ensure_ascii=False)
    for personal in ("published_by", "entered_by", "sections_by", "approved_by", "clerk", "head", "secrecy"):
        assert personal not in text, personal


def test_A6_W3_a_report_being_corrected_keeps_its_published_version_in_the_api(client, world, report):
    services.report_correct(report=report, reason="更正表二数据", by=world.clerk)
    services.report_write_sections(report=report, data={**SECTIONS, "problems": "尚未审定的新文字"}, by=world.clerk)
    body = client.get(f"/api/v1/annual-reports/{report.pk}/").json()
    assert body["version"] == 1 and body["sections"]["problems"] == SECTIONS["problems"]
    assert "尚未审定的新文字" not in json.dumps(body, ensure_ascii=False)
    assert _ids(client) == {report.pk}


def test_W3_annual_report_filters_unit_with_sub_units_and_year(client, world, report, tongchuan_units):
    sub = tongchuan_units["yzq-jyj"]
    people = _unit_people(sub, "yzjy")
    with time_machine.travel(PUBLISHING_DAY, tick=False):
        district = published_report(world, unit=sub, clerk=people["clerk"], head=people["head"],
                                    secrecy=people["secrecy"])
        older = published_report(world, year=2024)
    assert _ids(client) == {report.pk, district.pk, older.pk}
    assert _ids(client, unit="yzq") == {district.pk}
    assert _ids(client, unit="yzq-jyj") == {district.pk}
    assert _ids(client, unit="fgw") == {report.pk, older.pk}
    assert _ids(client, unit="nosuch") == set()
    assert _ids(client, year=2024) == {older.pk} and _ids(client, year=2025, unit="fgw") == {report.pk}
    assert _ids(client, year=1900) == set()
    bad = client.get("/api/v1/annual-reports/", {"year": "abc"})
    assert bad.status_code == 400 and "year" in bad.json()["detail"]
    first = client.get("/api/v1/annual-reports/", {"limit": 2}).json()
    second = client.get(first["next"].replace("http://testserver", "")).json()
    assert [i["id"] for i in first["results"] + second["results"]] == sorted(
        [report.pk, district.pk, older.pk], reverse=True)


def test_W3_annual_reports_list_and_detail_query_count_is_constant(client, world, report, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(path):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(path).status_code == 200
        return len(ctx.captured_queries)

    small_list, small_detail = count("/api/v1/annual-reports/"), count(f"/api/v1/annual-reports/{report.pk}/")
    with time_machine.travel(PUBLISHING_DAY, tick=False):
        published_report(world, unit=world.jyj, clerk=world.other_clerk, head=world.other_head,
                         secrecy=world.other_secrecy)
        for year in (2023, 2024):
            published_report(world, year=year)
    services.report_correct(report=report, reason="更正", by=world.clerk)
    with time_machine.travel(PUBLISHING_DAY, tick=False):
        services.report_submit(report=report, by=world.clerk)
        services.report_approve(report=report, by=world.head)
        services.report_clearance_decide(report=report, cleared=True, opinion="", by=world.secrecy)
    assert len(_ids(client)) == 4
    with django_assert_num_queries(small_list):
        client.get("/api/v1/annual-reports/")
    with django_assert_num_queries(small_detail):
        assert client.get(f"/api/v1/annual-reports/{report.pk}/").json()["version"] == 2
