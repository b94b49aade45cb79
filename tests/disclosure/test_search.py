"""Public search (W5, D11): what citizens type, bounded cost, count, snippets, sort, filters, limits."""

import uuid
from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from disclosure import search
from disclosure.models import Document
from tongchuan_portal.clock.workdays import BEIJING
from tests.disclosure.factories import publish, seed_notice


def _ids(response):
    return [r.document.pk for r in response.context["result"].results]


@pytest.mark.parametrize("typed", ["71号", "第71号", "铜政办发2016年71号", "铜政办发(2016)71", "铜政办发〔2016〕71号",
                                   "〔2016〕71号", "2016年71号", "TCXXGK-2016-026432", "tcxxgk 2016 026432"])
def test_W5_document_number_and_index_number_in_the_forms_citizens_type_find_the_notice_first(client, world, typed):
    notice = seed_notice(world)
    mention = publish(world, title="转发铜政办发〔2016〕71号文件的通知", body="<p>根据铜政办发〔2016〕71号和71号文件要求。</p>")
    response = client.get("/xxgk/search/", {"q": typed})
    ids = _ids(response)
    assert ids and ids[0] == notice.pk, typed
    assert response.context["result"].results[0].exact
    if typed in ("71号", "铜政办发〔2016〕71号"):  # then the other hits, after the exact match
        assert mention.pk in ids[1:]


def test_W5_number_forms_are_parsed():
    assert search.number_form("铜政办发2016年71号").label == "铜政办发〔2016〕71号"
    assert search.number_form("铜政办发(2016)71").label == "铜政办发〔2016〕71号"
    assert search.number_form("71号").label == "71号"
    assert search.number_form("TCXXGK-2016-026432").label == "TCXXGK-2016-026432"
    assert search.number_form("政务公开") is None and search.number_form("2016") is None


@pytest.mark.parametrize("typed", ["。。。", "〔〕", "！！", "%%%%", "的的", "  ", "，。、", "的"])
def test_W5_punctuation_or_stop_characters_only_ask_for_a_keyword_without_any_query(client, world, typed):
    publish(world)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/xxgk/search/", {"q": typed})
    assert response.status_code == 200
    assert "请输入关键词" in response.content.decode()
    assert not [q for q in queries.captured_queries if "disclosure_document" in q["sql"]]


@pytest.mark.parametrize("query", ["公开发展", "号号", "发展公开", "政务公开", "政", "a" * 100, "公开 发展 年报"])
def test_W5_any_query_runs_a_constant_number_of_statements(client, world, query):
    publish(world)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/xxgk/search/", {"q": query}).status_code == 200
    work = [q for q in queries.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE", "RESET"))]
    assert len(work) <= 7, [q["sql"][:60] for q in work]


def test_W5_result_count_snippet_at_a_boundary_and_highlight(client, world):
    body = ("<p>各区县人民政府,市政府各工作部门:为贯彻落实国务院办公厅关于全面推进政务公开工作的意见,"
            "进一步提升政府透明度。现将有关事项通知如下。一、总体要求。坚持以公开为常态、不公开为例外,"
            "推进决策、执行、管理、服务、结果公开。二、重点任务。各单位要把政务公开纳入年度考核。</p>")
    for i in range(3):
        publish(world, title=f"关于印发工作方案的通知{i}", body=body)
    response = client.get("/xxgk/search/", {"q": "年度考核"})
    html = response.content.decode()
    assert response.context["result"].count == 3 and "找到 3 条结果" in html
    excerpt = str(response.context["result"].results[0].excerpt)
    assert "<mark>年度考核</mark>" in excerpt
    # the excerpt starts at the start of the sentence holding the hit, not mid-word
    assert excerpt.startswith("…二、重点任务。") or excerpt.startswith("…各单位") or excerpt.startswith("…二、")


def test_W5_sort_by_relevance_or_date(client, world):
    old_title = publish(world, title="政务公开工作要点", body="<p>正文。</p>")
    Document.objects.filter(pk=old_title.pk).update(published_at=datetime(2020, 1, 2, tzinfo=BEIJING))
    new_body = publish(world, title="关于防汛的通知", body="<p>做好政务公开。</p>")
    assert _ids(client.get("/xxgk/search/", {"q": "政务公开"})) == [old_title.pk, new_body.pk]
    assert _ids(client.get("/xxgk/search/", {"q": "政务公开", "sort": "date"})) == [new_body.pk, old_title.pk]


def test_W5_filters_unit_with_sub_units_area_topic_year_and_date_range(client, world):
    from tongchuan_portal.units.models import Unit

    city = publish(world, title="市发改委政务公开通知", area="execution", topic="economy")
    sub = Unit.objects.create(code=f"fgw-sub-{uuid.uuid4().hex[:6]}", name="市发改委下属中心", short_name="中心",
                              kind=world.fgw.kind, parent=world.fgw, issuer_code="")
    Document.objects.filter(pk=city.pk).update(published_at=datetime(2024, 5, 6, 10, tzinfo=BEIJING))
    child = publish(world, title="下属中心政务公开通知")
    Document.objects.filter(pk=child.pk).update(issuer=sub, published_at=datetime(2025, 3, 1, 10, tzinfo=BEIJING))
    other = publish(world, title="教育局政务公开通知", unit=world.jyj, clerk=world.other_clerk)
    cases = {
        "unit=fgw": {city.pk, child.pk}, f"unit={sub.code}": {child.pk}, "unit=jyj": {other.pk},
        "area=execution": {city.pk}, "topic=economy": {city.pk}, "year=2024": {city.pk},
        "from=2025-01-01&to=2025-12-31": {child.pk}, "from=2024-05-06&to=2024-05-06": {city.pk},
        "unit=nonexistent": set(),
    }
    for filters, expected in cases.items():
        response = client.get(f"/xxgk/search/?q=政务公开&{filters}")
        found = set(_ids(response)) if response.context["result"] else set()
        assert found == expected, filters


def test_W5_an_unreadable_date_is_said_in_chinese_and_kept_in_the_form(client, world):
    publish(world)
    response = client.get("/xxgk/search/", {"q": "政务公开", "from": "2016-13-45"})
    html = response.content.decode()
    assert response.status_code == 200 and "无法识别" in html and 'value="2016-13-45"' in html


def test_W5_search_is_rate_limited_per_client_with_a_chinese_page(client, world, settings):
    settings.DISCLOSURE_SEARCH_RATE_IP = "3/m"
    ip = f"198.51.100.{uuid.uuid4().int % 200 + 20}"
    publish(world)
    for _ in range(3):
        assert client.get("/xxgk/search/", {"q": f"政务{uuid.uuid4().hex[:4]}"}, REMOTE_ADDR=ip).status_code == 200
    # a query not served before: a page already in the page cache is served without running the search
    refused = client.get("/xxgk/search/", {"q": f"政务{uuid.uuid4().hex[:4]}"}, REMOTE_ADDR=ip)
    assert refused.status_code == 429 and "搜索过于频繁" in refused.content.decode()
    assert client.get("/xxgk/search/", {"q": "政务公开"}, REMOTE_ADDR="203.0.113.9").status_code == 200


def test_W5_header_search_box_is_a_plain_form_on_every_public_page(client, world):
    notice = seed_notice(world)
    for url in ("/", "/xxgk/", "/xxgk/wgk/", notice.get_public_url(), "/jiedu/", "/participation/"):
        html = client.get(url).content.decode()
        assert 'role="search"' in html and 'action="/xxgk/search/"' in html and 'name="q"' in html, url
        assert '<label for="header-q"' in html, url
    # the form works without JavaScript: a GET to the search page with q
    response = client.get("/xxgk/search/", {"q": "政务公开"})
    assert _ids(response) == [notice.pk]


def test_W5_search_pages_are_cached_per_public_version_and_withdrawal_shows_at_once(client, world):
    from disclosure import services

    doc = publish(world, title="政务公开年报通知")
    assert _ids(client.get("/xxgk/search/", {"q": "年报通知"})) == [doc.pk]
    client.get("/xxgk/search/", {"q": "年报通知"})  # asked for again: now stored
    with CaptureQueriesContext(connection) as queries:
        assert doc.get_public_url() in client.get("/xxgk/search/", {"q": "年报通知"}).content.decode()
    assert not queries.captured_queries  # served from the page cache
    services.document_withdraw(document=doc, reason="有误", by=world.head)
    assert doc.get_public_url() not in client.get("/xxgk/search/", {"q": "年报通知"}).content.decode()


def test_public_pages_carry_validators_and_a_short_public_max_age_tied_to_the_content_version(client, world):
    from disclosure import services

    doc = publish(world, title="政务公开年报通知")
    other = publish(world, title="另一篇通知")
    for url in (doc.get_public_url(), "/xxgk/wgk/", "/xxgk/search/?q=年报"):
        response = client.get(url)
        assert response["Cache-Control"] == "public, max-age=60" and "Cookie" in response["Vary"], url
        assert response["ETag"] and response["Last-Modified"], url
        again = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
        assert again.status_code == 304 and again["ETag"] == response["ETag"], url
    etag = client.get(doc.get_public_url())["ETag"]
    services.document_withdraw(document=other, reason="有误", by=world.head)  # any public change
    assert client.get(doc.get_public_url(), HTTP_IF_NONE_MATCH=etag).status_code == 200
    client.force_login(world.clerk)
    signed_in = client.get(doc.get_public_url())
    assert "no-store" in signed_in["Cache-Control"] and "ETag" not in signed_in


@pytest.mark.parametrize("path", ["walk", "index"])
@pytest.mark.parametrize("query", ["政务公开", "公开", "政", "五公开", "区县", "公开发展"])
def test_W5_the_date_walk_and_the_index_find_the_same_documents(client, world, monkeypatch, path, query):
    """Which stage answers depends on PostgreSQL's statistics; both must give the same hits."""
    notice = seed_notice(world)
    other = publish(world, title="关于做好防汛工作的通知", body="<p>各区县人民政府:做好防汛准备,推进政务公开。</p>")
    monkeypatch.setattr(search, "_table_rows", lambda: 1 if path == "walk" else 10 ** 9)
    found = set(_ids(client.get("/xxgk/search/", {"q": query, "fresh": path})))
    expected = {d.pk for d in (notice, other) if query in d.title + d.body}
    assert found == expected


@pytest.mark.parametrize("path", ["walk", "index"])
def test_W5_text_first_check_keeps_the_vectors_answer_where_the_text_differs(client, world, monkeypatch, path):
    """Both stages look for a Chinese part in the stored text before reading the (ten times larger)
    vector; where the stored text differs from the indexed form the vector still decides: a phrase
    split by a tag is found, and so is a part that is only in the 文号."""
    split = publish(world, title="关于防汛工作的通知", body="<p>推进<strong>政务</strong>公开工作。</p>")
    plain = publish(world, title="关于政务公开的通知", body="<p>年度工作。</p>")
    numbered = publish(world, title="关于调整价格的通知", number="铜发改发〔2016〕71号", body="<p>价格调整。</p>")
    monkeypatch.setattr(search, "_table_rows", lambda: 1 if path == "walk" else 10 ** 9)
    found = set(_ids(client.get("/xxgk/search/", {"q": "政务公开", "fresh": path})))
    assert found == {split.pk, plain.pk}
    assert set(_ids(client.get("/xxgk/search/", {"q": "号", "fresh": path}))) == {numbered.pk}


@pytest.mark.parametrize("path", ["walk", "index"])
def test_D7_a_statement_compiled_once_still_judges_scheduled_documents_by_each_searchs_moment(client, world,
                                                                                              monkeypatch, path):
    """The search statements are compiled once per process and filters; the moment a scheduled document
    must have reached is the current search's, not the first one's."""
    import time_machine
    from django.utils import timezone

    from disclosure.models import Status

    publish(world, title="已经公开的政务公开通知")
    scheduled = publish(world, title="定时公开的政务公开通知")
    start = timezone.now()
    Document.objects.filter(pk=scheduled.pk).update(status=Status.SCHEDULED, publish_at=start + timedelta(minutes=5))
    monkeypatch.setattr(search, "_table_rows", lambda: 1 if path == "walk" else 10 ** 9)
    with time_machine.travel(start, tick=False):
        before = _ids(client.get("/xxgk/search/", {"q": "政务公开", "fresh": "1"}))
    compiled = dict(search._compiled)
    assert compiled and scheduled.pk not in before and len(before) == 1
    with time_machine.travel(start + timedelta(minutes=6), tick=False):
        after = _ids(client.get("/xxgk/search/", {"q": "政务公开", "fresh": "2"}))
    assert search._compiled == compiled and scheduled.pk in after  # the same statements, this moment


def test_D7_the_exact_number_lookup_compiled_once_keeps_each_number_filter_and_moment_apart(client, world):
    """The exact 文号 lookup is compiled once per process for each number and filters: another number,
    another unit filter or a later moment (a scheduled document now due) each get their own answer."""
    import time_machine
    from django.utils import timezone

    from disclosure.models import Status

    search._compiled.clear()
    first = publish(world, title="关于价格的通知", number="铜发改发〔2016〕71号")
    other = publish(world, title="关于收费的通知", number="铜发改发〔2016〕72号")
    scheduled = publish(world, title="定时公开的通知", number="铜发改发〔2017〕71号")
    start = timezone.now()
    Document.objects.filter(pk=scheduled.pk).update(status=Status.SCHEDULED, publish_at=start + timedelta(minutes=5))

    def exact(q, **params):
        result = client.get("/xxgk/search/", {"q": q, "fresh": uuid.uuid4().hex, **params}).context["result"]
        return [r.document.pk for r in result.results if r.exact]

    with time_machine.travel(start, tick=False):
        assert exact("71号") == [first.pk]
        assert exact("72号") == [other.pk]
        assert exact("71号", unit=world.jyj.code) == []  # another issuer's: not this filter's answer
        kept = {key for key in search._compiled if key[0] == "number"}
        assert len(kept) == 3
    with time_machine.travel(start + timedelta(minutes=6), tick=False):
        assert exact("71号") == [scheduled.pk, first.pk]  # the same statement, this moment
    assert {key for key in search._compiled if key[0] == "number"} == kept


def test_W5_a_filter_that_can_match_nothing_finds_nothing_instead_of_failing(world):
    from disclosure import search
    from disclosure.selectors import public_documents

    hits = search.find(public_documents().filter(pk__in=[]), search.parse("政务公开"))
    assert hits.ids == [] and hits.count == 0
    hits = search.find(public_documents().filter(pk__in=[]), search.parse("铜政办发〔2016〕71号"))
    assert hits.ids == []


def test_W5_a_phrase_is_verified_so_its_trigrams_apart_are_not_a_hit(client, world, monkeypatch):
    """The GIN index answers the phrase loosened to AND; a candidate holding both trigrams apart
    (政务公示 … 服务公开) is read and dropped, whether the candidates are few or many."""
    true = [publish(world, title=f"关于政务公开的通知{i}", body="<p>推进政务公开。</p>") for i in range(3)]
    apart = [publish(world, title=f"关于政务公示的通知{i}", body="<p>服务公开透明。</p>") for i in range(2)]
    assert search.loose("'政务公' <-> '务公开'") == "'政务公' & '务公开'"
    monkeypatch.setattr(search, "WALK_DENSITY", 2.0)  # a small table: ask the index, never walk by date
    result = client.get("/xxgk/search/", {"q": "政务公开"}).context["result"]
    assert {r.document.pk for r in result.results} == {d.pk for d in true}
    assert result.count == 3 and not result.estimated  # every candidate read: exact
    monkeypatch.setattr(search, "VERIFY_ROWS", 4)  # more candidates than may be read: the newest four
    result = client.get("/xxgk/search/", {"q": "政务公开", "x": "1"}).context["result"]
    ids = {r.document.pk for r in result.results}
    assert ids == {true[1].pk, true[2].pk} and not ids & {d.pk for d in apart}
    assert result.estimated and result.incomplete and result.count == 2  # 5 candidates × 2 of 4 read


def test_W5_a_phrase_is_found_counted_and_verified_in_one_statement(client, world, monkeypatch):
    """The candidates stay in PostgreSQL: one statement finds, counts and verifies them; a phrase no
    candidate holds still brings its count back (zero, exact), and a second look at more candidates
    than may be read says the count is an estimate."""
    apart = [publish(world, title=f"关于政务公示的通知{i}", body="<p>服务公开透明。</p>") for i in range(2)]
    monkeypatch.setattr(search, "WALK_DENSITY", 2.0)  # the index path
    assert client.get("/xxgk/search/", {"q": "政务公开", "fresh": "0"}).status_code == 200  # keeps the estimate
    with CaptureQueriesContext(connection) as queries:
        result = client.get("/xxgk/search/", {"q": "政务公开", "fresh": "1"}).context["result"]
    searching = [q["sql"] for q in queries.captured_queries if "search_vector" in q["sql"]]
    # the loose query (the index's candidates) and the phrase (their verification), quoted as SQL literals
    assert len(searching) == 1 and "''政务公'' & ''务公开''" in searching[0]
    assert "''政务公'' <-> ''务公开''" in searching[0]
    assert result.results == [] and result.count == 0 and not result.estimated and not result.incomplete
    monkeypatch.setattr(search, "VERIFY_ROWS", 1)  # one of the two candidates may be read
    result = client.get("/xxgk/search/", {"q": "政务公开", "fresh": "2"}).context["result"]
    assert result.results == [] and result.count == 0 and result.estimated and result.incomplete
    assert search.find(lambda: Document.objects.filter(pk__in=[d.pk for d in apart]),
                       search.parse("政务公示")).count == 2


def test_W5_relevance_puts_title_hits_first(client, world):
    body_only = publish(world, title="关于做好年度工作的通知", body="<p>做好政务公开。</p>")
    titled = publish(world, title="政务公开工作要点", body="<p>年度工作。</p>")
    ids = _ids(client.get("/xxgk/search/", {"q": "政务公开"}))
    assert ids.index(titled.pk) < ids.index(body_only.pk)
    by_date = _ids(client.get("/xxgk/search/", {"q": "政务公开", "sort": "date"}))
    assert by_date.index(titled.pk) < by_date.index(body_only.pk)  # also the newer one


def test_W5_the_estimate_that_chooses_the_stage_is_kept_per_process(client, world):
    """PostgreSQL's estimate and row count are statistics: asked once per query and filters, not per search."""
    publish(world, title="关于统计信息的通知")

    def statements(params):
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/xxgk/search/", params).status_code == 200
        return [q["sql"] for q in queries.captured_queries]

    first = statements({"q": "统计信息", "fresh": "1"})
    explained = [sql for sql in first if "EXPLAIN" in sql]
    assert sum("search_vector" in sql for sql in explained) == 1 and any("reltuples" in sql for sql in first)
    assert len(explained) in (1, 3)  # on the index path, the documents' share of the recent years besides
    again = statements({"q": "统计信息", "fresh": "2"})  # a new page, searched afresh
    assert not any("EXPLAIN" in sql or "reltuples" in sql for sql in again)
    assert _ids(client.get("/xxgk/search/", {"q": "统计信息", "fresh": "3"}))
    other_filters = statements({"q": "统计信息", "area": "decision", "fresh": "4"})
    assert sum("EXPLAIN" in sql for sql in other_filters) == 1  # other filters, another estimate


def test_W5_exact_numbers_that_fill_the_page_spare_the_text_ranking(client, world, monkeypatch):
    """71号 in twenty-one years: the exact matches fill page one, so the text hits behind them are
    counted and kept by date, not ranked; page two reaches them and ranks them."""
    monkeypatch.setattr(search, "WALK_DENSITY", 2.0)  # the index path, whatever this small table's statistics
    for year in range(2000, 2021):
        publish(world, title=f"{year}年第71号文件", number=f"铜发改发〔{year}〕71号")
    publish(world, title="引用71号文件的说明", body="<p>参照71号文件办理。</p>")
    with CaptureQueriesContext(connection) as first:
        page_one = client.get("/xxgk/search/", {"q": "71号"}).context["result"]
    assert all(r.exact for r in page_one.results) and len(page_one.results) == 20
    assert not any("ts_rank" in q["sql"] for q in first.captured_queries)
    assert page_one.count == 22 and page_one.has_next
    with CaptureQueriesContext(connection) as second:
        page_two = client.get("/xxgk/search/", {"q": "71号", "page": "2"}).context["result"]
    assert any("ts_rank" in q["sql"] for q in second.captured_queries)
    assert [r.exact for r in page_two.results] == [True, False]


@pytest.mark.django_db(transaction=True)
def test_W5_hardening_outside_a_transaction_a_search_statement_is_one_query_with_its_own_settings(settings,
                                                                                                monkeypatch):
    """A request runs in autocommit: the planner settings, the time limit and the statement go as one query
    string (one implicit transaction), the settings end with it, and a statement over its time limit
    fails alone while the connection goes on."""
    from django.db import DatabaseError

    assert connection.get_autocommit() and not connection.in_atomic_block
    switched = []  # BEGIN and COMMIT: the round trips an explicit transaction adds
    original = connection._set_autocommit
    monkeypatch.setattr(connection, "_set_autocommit", lambda value: (switched.append(value), original(value)))
    with CaptureQueriesContext(connection) as queries:
        rows = search._run("SELECT current_setting('statement_timeout'), current_setting('enable_seqscan')", [],
                           settings_sql="SET LOCAL enable_seqscan = off; ")
    assert rows == [(f"{search._timeout_ms()}ms", "off")] and len(queries.captured_queries) == 1 and not switched
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('enable_seqscan'), current_setting('statement_timeout')")
        assert cursor.fetchone() == ("on", "0")  # ended with the statement
    settings.SEARCH_STATEMENT_TIMEOUT_MS = 50
    with pytest.raises(DatabaseError):
        search._run("SELECT pg_sleep(1)", [], settings_sql="")
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


def test_W5_a_long_body_excerpt_cut_around_the_hit_is_the_whole_texts_excerpt():
    """The excerpt of a long body comes from a cut of the stored text around the first hit; whatever
    the tags, entities and sentence lengths around it, it is the excerpt the whole text gives."""
    import random

    rng = random.Random(71)
    pieces = ["推进政务公开工作", "，", "。", "；", "<p>", "</p>", '<a href="/x?a=1&amp;b=2">链接</a>', "&nbsp;",
              "&amp;", "<strong>重点</strong>", "  \n ", "决策公开", "执行公开", "管理服务结果公开", "、", "：",
              '<img alt="年度考核" src="/a.png">']
    checked = 0
    for _ in range(400):
        parts = [rng.choice(pieces) for _ in range(rng.randint(60, 400))]
        parts.insert(rng.randint(0, len(parts)), rng.choice(["年度考核", "年度考核。", "，年度考核"]))
        body = "".join(parts)
        for terms, width in ((["年度考核"], 80), (["年度考核", "重点"], 80), (["年度考核"], 30)):
            assert search.highlight(body, terms, width=width) == search._excerpt(body, terms, width), body
            checked += len(body) > 2 * search.REACH * width
    assert checked > 600  # most bodies were long enough to be cut


def test_W5_the_unit_filter_lists_a_renamed_or_closed_unit_as_it_is_now(client, world):
    """The search form's units are sorted once per read of the directory and again after a unit changes."""
    publish(world)
    form = client.get("/xxgk/search/", {"q": "政务公开", "fresh": "1"}).content.decode()
    assert f'value="{world.jyj.code}"' in form
    world.fgw.name = "铜川市发展和改革委员会(更名)"
    world.fgw.save()
    world.jyj.is_active = False
    world.jyj.save()
    form = client.get("/xxgk/search/", {"q": "政务公开", "fresh": "2"}).content.decode()
    assert "铜川市发展和改革委员会(更名)</option>" in form and f'value="{world.jyj.code}"' not in form


def _dated(world, title, when):
    """A published document whose publication moment is `when` (as an import of an older one would be)."""
    document = publish(world, title=title)
    Document.objects.filter(pk=document.pk).update(published_at=when, publish_at=None)
    return document


def _search_statements(queries):
    return [q["sql"] for q in queries.captured_queries if "search_vector" in q["sql"] and "EXPLAIN" not in q["sql"]]


@pytest.mark.parametrize("query", ["政务公开", "通知"])  # a phrase, and a query without one
def test_W5_an_unfiltered_search_takes_the_newest_years_first_and_reads_no_further_when_they_suffice(
        client, world, monkeypatch, query):
    """The index holds each document's year: the newest years' candidates alone give the newest WINDOW
    hits when they hold that many (every older document is older than each of them); the count is then
    estimated from those years' share of the documents, and said to be."""
    newest = [_dated(world, f"关于政务公开的通知{i}", datetime(2026, 11, 1 + i, 9, tzinfo=BEIJING)) for i in range(3)]
    last_year = _dated(world, "关于政务公开的通知(去年)", datetime(2025, 3, 1, 9, tzinfo=BEIJING))
    for i in range(3):
        _dated(world, f"关于政务公开的通知(旧){i}", datetime(2019, 5, 1 + i, 9, tzinfo=BEIJING))
    monkeypatch.setattr(search, "WINDOW", 2)
    monkeypatch.setattr(search, "WALK_DENSITY", 2.0)  # the index path, whatever this small table's statistics
    monkeypatch.setattr(search, "_table_rows", lambda: 10 ** 9)
    monkeypatch.setattr(search, "_estimate", lambda compiled, key=None: 10 ** 6)  # enough to try the recent years
    monkeypatch.setattr(search, "_recent", lambda queryset, key, now: (2025, 0.25))
    with CaptureQueriesContext(connection) as queries:
        result = client.get("/xxgk/search/", {"q": query, "sort": "date", "fresh": uuid.uuid4().hex}).context["result"]
    statements = _search_statements(queries)
    assert len(statements) == 1 and "date_part('year'" in statements[0]  # the recent years only
    assert [r.document.pk for r in result.results] == [newest[2].pk, newest[1].pk]
    assert result.estimated and result.count == 16  # 4 in those years (all hold it) ÷ their share 0.25
    assert "找到约 16 条结果" in client.get("/xxgk/search/", {"q": query, "fresh": uuid.uuid4().hex}).content.decode()
    # Narrowed by a filter, the search reads every candidate as before: exact.
    with CaptureQueriesContext(connection) as queries:
        result = client.get("/xxgk/search/", {"q": query, "area": "decision", "sort": "date",
                                              "fresh": uuid.uuid4().hex}).context["result"]
    assert all("date_part" not in sql for sql in _search_statements(queries))
    assert [r.document.pk for r in result.results] == [newest[2].pk, newest[1].pk]
    # seven candidates; a phrase verified up to the window's second hit is estimated from that share
    assert result.count == 7 and result.estimated == (query == "政务公开")
    assert last_year.pk


def test_W5_when_the_newest_years_hold_too_few_hits_every_candidate_is_read_and_counted_exactly(client, world,
                                                                                              monkeypatch):
    old = [_dated(world, f"关于旧制度清理的通知{i}", datetime(2018, 6, 1 + i, 9, tzinfo=BEIJING)) for i in range(3)]
    recent = _dated(world, "关于旧制度清理的通知(今年)", datetime(2026, 6, 1, 9, tzinfo=BEIJING))
    monkeypatch.setattr(search, "WINDOW", 5)  # the recent years hold one hit: too few
    monkeypatch.setattr(search, "WALK_DENSITY", 2.0)
    monkeypatch.setattr(search, "_table_rows", lambda: 10 ** 9)
    monkeypatch.setattr(search, "_recent", lambda queryset, key, now: (2025, 0.25))
    with CaptureQueriesContext(connection) as queries:
        result = client.get("/xxgk/search/", {"q": "旧制度清理", "sort": "date",
                                              "fresh": uuid.uuid4().hex}).context["result"]
    statements = _search_statements(queries)
    assert len(statements) == 2 and "date_part" in statements[0] and "date_part" not in statements[1]
    assert [r.document.pk for r in result.results] == [recent.pk, old[2].pk, old[1].pk, old[0].pk]
    assert result.count == 4 and not result.estimated and not result.incomplete


def test_W5_the_search_index_holds_the_year_as_the_search_writes_it(world):
    """PostgreSQL uses the index for the year only when the query writes the index's own expression."""
    import importlib

    migration = importlib.import_module("disclosure.migrations.0012_search_year_index")
    assert migration.PUBLISHED_YEAR == search.PUBLISHED_YEAR_SQL.format(column="published_at")
    # The year alone, which only this index can answer (on a table this small the planner would rather
    # filter the year than look it up beside the query's keys; at 100,000 documents it looks it up).
    year = search.PUBLISHED_YEAR_SQL.format(column='"disclosure_document"."published_at"')
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off; "
                       "SET LOCAL enable_indexonlyscan = off")  # as the search's own statements run
        cursor.execute(f"EXPLAIN SELECT id FROM disclosure_document WHERE {year} = 2025")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "document_search_year_idx" in plan
    assert any("Index Cond" in line and "date_part" in line and "2025" in line for line in plan.splitlines()), plan
    sql, params = search._candidates(Document.objects.all(), "'政务公' & '务公开'", since=2025)
    assert sql.count(year) == 2 and " OR " in sql and {2025, 2026} <= set(params)  # each year an equality


def test_W5_the_newest_years_are_taken_first_only_where_they_are_a_small_share_of_the_documents(world):
    from django.utils import timezone

    from disclosure.selectors import public_documents

    now = datetime(2026, 12, 7, 10, tzinfo=BEIJING)
    for i in range(2):
        _dated(world, f"今年的通知{i}", datetime(2026, 3, 1 + i, 9, tzinfo=BEIJING))
    search._statistics.clear()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE disclosure_document")
    assert search._recent(public_documents(now=now), ("young",), now) is None  # every document is this year's
    for i in range(10):
        _dated(world, f"往年的通知{i}", datetime(2016 + i % 8, 5, 1 + i, 9, tzinfo=BEIJING))
    search._statistics.clear()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE disclosure_document")
    since, share = search._recent(public_documents(now=now), ("older",), now)
    assert since == 2025 and 0 < share <= 0.5
    assert timezone.is_aware(now)
