"""The parsing layer for request parameters (hardening, issue 11: malformed input is a 400 or is dropped,
never a 500)."""

import pytest
from django.http import QueryDict
from django.test import RequestFactory

from tongchuan_portal.core import params
from tongchuan_portal.core.params import BadRequest, CleanInputMiddleware


def q(text: str) -> QueryDict:
    return QueryDict(text)


@pytest.mark.parametrize("raw", ["%C2%B2", "%D9%A3", "abc", "1.5", "-1", "0", "99999999999999999999", "", "%00",
                                 "1%002"])
def test_hardening_malformed_ids_are_dropped_from_filters_and_refused_for_actions(raw):
    assert params.ident(q(f"unit={raw}"), "unit") is None
    with pytest.raises(BadRequest):
        params.ident(q(f"item={raw}"), "item", required=True)


def test_hardening_ascii_digits_are_read():
    assert params.ident(q("unit=42"), "unit") == 42
    assert params.ident(q("unit=%2B42"), "unit") is None
    assert params.integer(q("n=-3"), "n", min_value=-5) == -3
    assert params.integer(q("n=7"), "n", max_value=5) is None
    assert params.ident(q("unit=1&unit=2"), "unit") == 2  # a duplicated parameter: the last one, as Django does


@pytest.mark.parametrize("raw", ["%C2%B2", "10000", "99999999999999999999", "1999", "2101", "abc", "%00"])
def test_hardening_years_out_of_range_are_dropped(raw):
    assert params.year(q(f"year={raw}")) is None


def test_hardening_years_months_pages():
    assert params.year(q("year=2026")) == 2026
    assert params.month(q("month=12")) == 12 and params.month(q("month=13")) is None
    assert params.page(q("page=%C2%B2")) == 1 and params.page(q("page=0")) == 1 and params.page(q("")) == 1
    assert params.page(q("page=3")) == 3 and params.page(q("page=99999999999999999999"), max_page=10) == 10


def test_hardening_choices_texts_flags():
    choices = [("open", "处置中"), ("closed", "已办结")]
    assert params.choice(q("s=open"), "s", choices) == "open"
    assert params.choice(q("s=bogus"), "s", choices, default="closed") == "closed"
    assert params.choice(q("s=bogus"), "s", {"open": 1}) == ""
    with pytest.raises(BadRequest):
        params.choice(q("s=bogus"), "s", choices, required=True)
    assert params.text(q("q=" + "字" * 300), "q", max_length=100) == "字" * 100
    assert params.flag(q("flagged=1"), "flagged")
    assert not params.flag(q("flagged=%C2%B9"), "flagged")


def test_hardening_id_lists_refuse_any_malformed_member():
    assert params.ids(q("id=3&id=1&id=3&id="), "id") == [3, 1]
    assert params.ids(q(""), "id") == []
    with pytest.raises(BadRequest):
        params.ids(q("id=1&id=%C2%B2"), "id")
    with pytest.raises(BadRequest):
        params.ids(q(""), "id", required=True)


def test_hardening_text_lists_are_bounded():
    assert params.texts(q("a=1&a=2&a=3"), "a", limit=2) == ["1", "2"]


def _through_middleware(request):
    seen = {}

    def view(req):
        seen["GET"], seen["POST"] = req.GET, req.POST
        return None

    CleanInputMiddleware(view)(request)
    return seen


def test_hardening_middleware_strips_nul_bytes_from_keys_and_values():
    factory = RequestFactory()
    seen = _through_middleware(factory.get("/xxgk/search/?q=%00&unit=a%00b&k%00ey=1&list=1&list=x%00"))
    assert seen["GET"]["q"] == "" and seen["GET"]["unit"] == "ab" and seen["GET"]["key"] == "1"
    assert seen["GET"].getlist("list") == ["1", "x"]
    assert not seen["GET"]._mutable
    seen = _through_middleware(factory.post("/inbox/read/", {"reason": "a\x00b", "id": ["1", "2"]}))
    assert seen["POST"]["reason"] == "ab" and seen["POST"].getlist("id") == ["1", "2"]


def test_hardening_bad_request_is_the_designed_chinese_400_page(db, client, django_user_model):
    client.force_login(django_user_model.objects.create_user("reader"))
    response = client.post("/inbox/read/", {"id": "²"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "请求有误" in html and "消息编号无法识别" in html and "返回首页" in html


def test_hardening_django_own_bad_requests_use_the_same_page(db, client):
    """Too many parameters is refused by Django itself (a SuspiciousOperation); its own 400 page read the
    parameters again in a context processor and failed with a 500."""
    response = client.get("/xxgk/wgk/?" + "&".join(f"a{i}=1" for i in range(1100)))
    assert response.status_code == 400 and "提交的参数过多或内容过大" in response.content.decode()


def test_hardening_too_large_a_post_is_the_400_page_too(db, client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = client.post("/participation/messages/query/", {"code": "x" * 5000})
    assert response.status_code == 400 and "提交的参数过多或内容过大" in response.content.decode()
