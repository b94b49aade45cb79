"""The open-data API (W3): only what is public, keyset pages, conditional GET, CORS, rate limit."""

import json
from datetime import datetime, timedelta

import pytest
from django.urls import reverse

from disclosure import services as disclosure_services
from tongchuan_portal.clock.workdays import BEIJING
from tests.disclosure.factories import draft, not_public, pdf, publish
from tests.sections.factories import published

ENDPOINTS = ["units", "documents", "attachments", "interpretations", "comment-periods", "meetings", "responses",
             "catalogs", "annual-reports"]


def _get(client, path, **params):
    answer = client.get(path, params)
    assert answer.status_code == 200, (path, answer.status_code, answer.content[:300])
    return answer.json()


def _walk(client, endpoint):
    """Every item of an endpoint, following `next`, and each item's own page."""
    items, url = [], f"/api/v1/{endpoint}/"
    while url:
        page = _get(client, url.replace("http://testserver", ""))
        items.extend(page["results"])
        url = page["next"]
    return items


def test_W3_api_never_returns_unpublished_withdrawn_or_personal_items(client, world):
    public = publish(world, title="公开的通知", files=[pdf("附件一.pdf")])
    gone = publish(world, title="将要撤回的通知", files=[pdf("撤回附件.pdf")])
    draft(world.clerk, world.fgw, title="尚未发布的草稿")
    draft(world.clerk, world.fgw, **{**not_public(), "title": "不予公开的文件"})
    disclosure_services.document_withdraw(document=gone, reason="内容有误", by=world.head)
    seen = []
    for endpoint in ENDPOINTS:
        for item in _walk(client, endpoint):
            key = item.get("code") or item["id"]
            detail = client.get(f"/api/v1/{endpoint}/{key}/")
            assert detail.status_code == 200, (endpoint, key)
            seen.append(detail.content.decode())
    text = json.dumps(seen, ensure_ascii=False)
    assert "公开的通知" in text and "附件一.pdf" in text
    for hidden in ("将要撤回的通知", "撤回附件.pdf", "尚未发布的草稿", "不予公开的文件"):
        assert hidden not in text, hidden
    for personal in ("clerk@example.cn", '"created_by"', '"uploaded_by"', '"recorded_by"', "sha256:clerk"):
        assert personal not in text
    assert client.get(f"/api/v1/documents/{gone.pk}/").status_code == 404
    for attachment in gone.attachments.all():
        assert client.get(f"/api/v1/attachments/{attachment.pk}/").status_code == 404
    assert client.get(f"/api/v1/documents/{public.pk}/").json()["attachments"][0]["download_url"].endswith(
        reverse("disclosure:attachment", args=[public.attachments.get().pk]))


def test_W3_api_is_read_only(client, world):
    for method in ("post", "put", "patch", "delete"):
        answer = getattr(client, method)("/api/v1/documents/", data={}, content_type="application/json")
        assert answer.status_code == 405
        assert answer.json()["detail"] == "开放数据接口只提供查询(GET)。"


def test_W3_cursor_pages_are_stable_while_new_items_are_published(client, tongchuan_units, calendar):
    unit = tongchuan_units["fgw"]
    start = datetime(2026, 10, 1, 9, 0, tzinfo=BEIJING)
    docs = [published(unit, title=f"第{i}号", published_at=start + timedelta(hours=i)) for i in range(25)]
    first = _get(client, "/api/v1/documents/", limit=10)
    assert [d["id"] for d in first["results"]] == [d.pk for d in reversed(docs)][:10]
    second_before = _get(client, first["next"].replace("http://testserver", ""))
    for i in range(3):
        published(unit, title=f"新发布{i}", published_at=start + timedelta(days=30, hours=i))
    second_after = _get(client, first["next"].replace("http://testserver", ""))
    assert [d["id"] for d in second_after["results"]] == [d["id"] for d in second_before["results"]]
    assert [d["id"] for d in second_after["results"]] == [d.pk for d in reversed(docs)][10:20]


def test_W3_conditional_get_answers_304_and_a_change_answers_200(client, world):
    publish(world, title="第一份通知")
    first = client.get("/api/v1/documents/")
    etag, modified = first["ETag"], first["Last-Modified"]
    assert etag and modified
    assert client.get("/api/v1/documents/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get("/api/v1/documents/", HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    gone = publish(world, title="第二份通知")
    disclosure_services.document_withdraw(document=gone, reason="内容有误", by=world.head)
    publish(world, title="第三份通知")
    changed = client.get("/api/v1/documents/", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_W3_cors_allows_get_from_any_origin_on_the_api_only(client, world):
    answer = client.get("/api/v1/units/", HTTP_ORIGIN="https://data.example.cn")
    assert answer["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in answer["Access-Control-Expose-Headers"]
    assert "Access-Control-Allow-Origin" not in client.get("/", HTTP_ORIGIN="https://data.example.cn")


def test_W3_rate_limit_per_address_answers_429_in_json(client, world, monkeypatch):
    from tongchuan_portal.api.throttling import ClientIpRateThrottle

    monkeypatch.setattr(ClientIpRateThrottle, "THROTTLE_RATES", {"api": "3/min"})
    address = "198.51.100.77"
    answers = [client.get("/api/v1/units/", REMOTE_ADDR=address) for _ in range(4)]
    assert [a.status_code for a in answers[:3]] == [200, 200, 200]
    limited = answers[3]
    assert limited.status_code == 429 and limited["Content-Type"].startswith("application/json")
    body = limited.json()
    assert body["code"] == "throttled" and "请求过于频繁" in body["detail"] and body["retry_after"] > 0
    assert client.get("/api/v1/units/", REMOTE_ADDR="198.51.100.78").status_code == 200  # per address


def test_W3_document_filters_use_the_pages_selectors(client, tongchuan_units, calendar):
    u = tongchuan_units
    a = published(u["yzq-jyj"], title="耀州区教育局校车通知", area="service", number="耀教发〔2026〕3号",
                  index="YZ-JYJ-2026-0003")
    b = published(u["yzq"], title="耀州区政府决定", area="decision")
    c = published(u["wyq-jyj"], title="王益区教育局校车通知", area="service")
    ids = lambda **p: {d["id"] for d in _get(client, "/api/v1/documents/", **p)["results"]}  # noqa: E731
    assert ids(unit="yzq") == {a.pk, b.pk}
    assert ids(unit="yzq-jyj") == {a.pk}
    assert ids(unit="nosuch") == set()
    assert ids(area="service") == {a.pk, c.pk}
    assert ids(number="耀教发[2026]3号") == {a.pk}
    assert ids(index="YZ-JYJ-2026-0003") == {a.pk}
    assert ids(q="校车") == {a.pk, c.pk}
    assert ids(q="校车", unit="yzq") == {a.pk}
    assert ids(year="2026") == {a.pk, b.pk, c.pk} and ids(year="2019") == set()
    bad = client.get("/api/v1/documents/", {"year": "abc"})
    assert bad.status_code == 400 and bad.json()["code"] == "invalid" and "year" in bad.json()["detail"]
    assert client.get("/api/v1/documents/", {"limit": "x"}).status_code == 400
    # the schema states years 1–9999: inside, any year answers (empty outside 2000–2100); outside, a 400
    assert ids(year="1") == set() and ids(year="9999") == set()
    for endpoint in ("/api/v1/documents/", "/api/v1/annual-reports/"):
        beyond = client.get(endpoint, {"year": "10000"})
        assert beyond.status_code == 400 and "1 至 9999" in beyond.json()["detail"], endpoint


def test_W3_bad_cursor_is_a_clear_404_not_a_500(client, world):
    answer = client.get("/api/v1/documents/", {"cursor": "not-a-cursor"})
    assert answer.status_code == 404 and answer.json()["code"] == "not_found"


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_W3_api_list_query_count_is_constant(client, world, endpoint, django_assert_num_queries):
    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/api/v1/{endpoint}/").status_code == 200
        return len(ctx.captured_queries)

    publish(world, title="一", files=[pdf("一.pdf")])
    small = count()
    for i in range(6):
        publish(world, title=f"多{i}", files=[pdf(f"多{i}.pdf")])
    assert count() == small


def test_W3_schema_and_docs_are_served(client, world):
    schema = client.get("/api/v1/schema/", {"format": "json"})
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert {f"/api/v1/{e}/" for e in ENDPOINTS} <= set(paths)
    docs = client.get("/api/v1/docs/").content.decode()
    assert "开放数据接口" in docs and "GET /api/v1/documents/" in docs and "GET /api/v1/annual-reports/" in docs and "If-None-Match" in docs


def test_W3_a_number_that_is_no_document_number_with_a_keyword_is_an_empty_page_not_a_500(client, world):
    publish(world, title="趋势分析通知")
    answer = client.get("/api/v1/documents/", {"number": "Éo", "q": "trend"})
    assert answer.status_code == 200 and answer.json()["results"] == []


def test_W3_a_row_id_outside_the_range_the_schema_states_is_a_clear_400(client, world):
    """The schema says what a document id may be; the API refuses exactly what it excludes, in Chinese
    (schemathesis had found an id of 31 digits that the schema allowed and the API refused)."""
    schema = client.get("/api/v1/schema/?format=json").json()
    (param,) = [p for p in schema["paths"]["/api/v1/attachments/"]["get"]["parameters"] if p["name"] == "document"]
    assert (param["schema"]["minimum"], param["schema"]["maximum"]) == (1, 10 ** 18 - 1)
    for value in ("0", "-3", "5704662821149218462296130453504", "1000000000000000000"):
        response = client.get(f"/api/v1/attachments/?document={value}")
        assert response.status_code == 400, value
        assert "document" in response.json()["detail"], value
    assert client.get("/api/v1/attachments/?document=999999999999999999").status_code == 200
