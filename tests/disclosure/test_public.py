"""The public 政府信息公开 column: metadata, filters, search, feeds, catalogs, self-check (D8–D12, D14, W3–W5)."""

from datetime import date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from disclosure import counter, selectors, services
from disclosure.services import catalog_entry_save, catalog_publish
from disclosure.models import (
    AnnualPriority, Catalog, Document, SelfCheckItem, Status,
)
from disclosure.services import self_check_complete, self_check_decide, self_check_open
from tongchuan_portal.clock.workdays import BEIJING
from tongchuan_portal.core.selectors import system_user
from tongchuan_portal.units.selectors import units_by_id
from tests.disclosure.factories import document_data, not_public, pdf, publish, seed_notice


def test_D8_document_page_shows_the_standard_metadata_block(client, world):
    notice = seed_notice(world)
    html = client.get(notice.get_public_url()).content.decode()
    for label, value in [("索引号", "TCXXGK-2016-026432"), ("主题分类", "综合政务"), ("发文机构", "铜川市人民政府办公室"),
                         ("发文字号", "铜政办发〔2016〕71号"), ("成文日期", "2016-12-28"), ("发布日期", "2016-12-30 16:17"),
                         ("公文时效", "有效"), ("发布机构", "铜川市人民政府办公室"), ("来源", "铜川市人民政府办公室"),
                         ("阅读", "1"), ("网络编辑", "机要科"), ("信息审核", "机要科")]:
        assert label in html and value in html, label
    for tag in ("SiteName", "SiteDomain", "SiteIDCode", "ColumnName", "ColumnType", "ArticleTitle", "PubDate",
                "ContentSource"):
        assert f'<meta name="{tag}"' in html, tag
    assert '<meta name="PubDate" content="2016-12-30 16:17">' in html


def test_view_count_is_counted_in_redis_and_flushed_once(client, world):
    notice = seed_notice(world)
    counter.flush_views()
    for _ in range(3):
        client.get(notice.get_public_url())
    assert Document.objects.get(pk=notice.pk).view_count == 0  # no write per request
    assert "阅读:4" in client.get(notice.get_public_url()).content.decode()
    assert counter.flush_views() == 4
    assert counter.flush_views() == 0
    assert Document.objects.get(pk=notice.pk).view_count == 4


def test_D11_filters_by_area_unit_topic_year_and_validity(client, world):
    notice = seed_notice(world)
    mine = publish(world, title="发改委执行信息", area="execution", topic="economy")
    cases = {
        "area=decision": {notice.pk}, "area=execution": {mine.pk}, "unit=fgw": {mine.pk}, "unit=szfb": {notice.pk},
        "topic=economy": {mine.pk}, "year=2016": {notice.pk}, "validity=valid": {notice.pk, mine.pk},
        "validity=repealed": set(), "area=decision&unit=fgw": set(),
    }
    for query, expected in cases.items():
        response = client.get(f"/xxgk/wgk/?{query}")
        assert {d.pk for d in response.context["page"].documents} == expected, query


def test_D11_column_pages_by_keyset_without_count(world, client):
    for i in range(25):
        publish(world, title=f"第{i:02d}号通知")
    with CaptureQueriesContext(connection) as queries:
        first = client.get("/xxgk/wgk/").context["page"]
    assert not any("COUNT(" in q["sql"].upper() for q in queries.captured_queries)
    assert len(first.documents) == 20 and first.next_cursor and not first.prev_cursor
    second = client.get(f"/xxgk/wgk/?after={first.next_cursor}").context["page"]
    assert len(second.documents) == 5 and second.next_cursor is None
    assert not {d.pk for d in first.documents} & {d.pk for d in second.documents}
    back = client.get(f"/xxgk/wgk/?before={second.prev_cursor}").context["page"]
    assert [d.pk for d in back.documents] == [d.pk for d in first.documents]


@pytest.mark.parametrize("url", ["/xxgk/wgk/", "/xxgk/wgk/?area=decision&unit=fgw", "/xxgk/search/?q=政务公开",
                                 "/xxgk/search/?q=铜发改发[2026]1号", "/xxgk/feeds/unit/fgw/rss/",
                                 "/xxgk/feeds/area/decision/atom/", "DOC"])
def test_public_pages_run_at_most_four_queries_at_two_sizes(client, world, url, django_assert_max_num_queries):
    first = publish(world, number="铜发改发〔2026〕1号", files=[pdf()])
    target = first.get_public_url() if url == "DOC" else url
    from disclosure import search

    units_by_id()  # the unit rows are read once per process, not per page
    search._statistics.clear()  # planner statistics are kept per process: both sizes read them afresh
    with CaptureQueriesContext(connection) as small:
        assert client.get(target).status_code == 200
    for i in range(12):
        publish(world, title=f"政务公开通知{i}", number=f"铜发改发〔2026〕{i + 2}号")
    search._statistics.clear()
    with CaptureQueriesContext(connection) as large:
        assert client.get(target).status_code == 200
    small, large = _work(small), _work(large)  # a search statement's own savepoint is bookkeeping
    assert len(small) == len(large) <= (7 if "search" in url else 4), [q["sql"][:80] for q in large]


def _work(captured):
    return [q for q in captured.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE", "RESET"))]


@pytest.mark.parametrize("typed", ["铜政办发〔2016〕71号", "铜政办发[2016]71号", "铜政办发2016 71号", "铜政办发(2016)71号"])
def test_W5_search_by_document_number_in_any_bracket_style_finds_it_first(client, world, typed):
    notice = seed_notice(world)
    publish(world, title="转发铜政办发〔2016〕71号文件的通知", body="<p>根据铜政办发〔2016〕71号要求。</p>")
    results = client.get("/xxgk/search/", {"q": typed}).context["result"].results
    assert results and results[0].document.pk == notice.pk


@pytest.mark.parametrize("query", ["政务公开", "五公开", "公开", "政", "铜", "区县"])
def test_W5_search_finds_keywords_of_one_two_and_more_characters(client, world, query):
    notice = seed_notice(world)
    other = publish(world, title="关于做好防汛工作的通知", body="<p>各区县人民政府:做好防汛准备。</p>")
    found = {r.document.pk for r in client.get("/xxgk/search/", {"q": query}).context["result"].results}
    expected = {p.pk for p, text in [(notice, notice.title + notice.body), (other, other.title + other.body)]
                if query in text}
    assert found == expected and found


def test_W5_title_hits_rank_first_and_terms_are_highlighted(client, world):
    body_hit = publish(world, title="关于做好防汛工作的通知", body="<p>防汛工作要做好政务公开。</p>")
    title_hit = publish(world, title="关于政务公开工作的通知", body="<p>正文。</p>")
    results = client.get("/xxgk/search/", {"q": "政务公开"}).context["result"].results
    assert [r.document.pk for r in results] == [title_hit.pk, body_hit.pk]
    html = client.get("/xxgk/search/", {"q": "政务公开"}).content.decode()
    assert "<mark>政务公开</mark>" in html


def test_search_is_kept_current_when_a_document_changes(client, world):
    document = publish(world, title="原来的标题")
    assert not client.get("/xxgk/search/", {"q": "新能源"}).context["result"].results
    from disclosure.search import reindex

    Document.objects.filter(pk=document.pk).update(title="新能源汽车推广方案")
    reindex([Document.objects.get(pk=document.pk)])
    from disclosure import pagecache

    pagecache.bump_public_version()  # the services bump it; this test changes the row behind their back
    assert client.get("/xxgk/search/", {"q": "新能源"}).context["result"].results[0].document.pk == document.pk


def test_malformed_queries_are_safe(client, world):
    publish(world)
    for q in ["')(&|!", "<script>alert(1)</script>", "a" * 500, "   ", "政务 & 公开 | !", ":*"]:
        assert client.get("/xxgk/search/", {"q": q, "page": "x"}).status_code == 200
    assert client.get("/xxgk/wgk/", {"after": "not-a-cursor", "year": "99999", "area": "x"}).status_code == 200


def test_D7_withdrawn_or_unpublished_documents_are_nowhere_public(client, world):
    shown = publish(world, title="公开的政务公开通知")
    withdrawn = publish(world, title="撤回的政务公开通知")
    services.document_withdraw(document=withdrawn, reason="有误", by=world.head)
    draft = services.document_create(by=world.clerk, issuer=world.fgw, data=document_data(title="草稿政务公开通知"))
    for url in ("/xxgk/wgk/", "/xxgk/search/?q=政务公开", "/xxgk/feeds/unit/fgw/rss/", "/xxgk/feeds/area/decision/atom/",
                "/sitemap-documents.xml"):
        html = client.get(url).content.decode()
        assert "公开的政务公开通知" in html or f"/xxgk/documents/{shown.pk}/" in html, url
        assert "撤回的" not in html and f"/xxgk/documents/{withdrawn.pk}/" not in html, url
        assert "草稿政务公开通知" not in html and f"/xxgk/documents/{draft.pk}/" not in html, url
    assert client.get(withdrawn.get_public_url()).status_code == 404


def test_sitemap_and_robots(client, world):
    publish(world)
    assert "sitemap-documents.xml" in client.get("/sitemap.xml").content.decode()
    robots = client.get("/robots.txt").content.decode()
    assert "Disallow: /work/" in robots and "Sitemap: http://127.0.0.1:8000/sitemap.xml" in robots  # SITE_BASE_URL


def test_D10_catalog_overview_shows_who_is_late(client, world, time_machine):
    office = world.office
    time_machine.move_to(datetime(2017, 12, 20, 10, tzinfo=BEIJING))
    catalog_entry_save(unit=world.fgw, by=office, data={"area": "decision", "subject": "市发展改革委",
                                                         "content": "重大政策措施", "time_limit": "20个工作日内",
                                                         "channel": "政府网站"})
    catalog_publish(unit=world.fgw, by=office)
    time_machine.move_to(datetime(2018, 3, 1, 10, tzinfo=BEIJING))
    catalog_entry_save(unit=world.jyj, by=world.other_office, data={
        "area": "service", "subject": "市教育局", "content": "招生政策", "time_limit": "及时", "channel": "政府网站"})
    catalog_publish(unit=world.jyj, by=world.other_office)
    time_machine.move_to(datetime(2026, 11, 26, 10, tzinfo=BEIJING))
    rows = {r.unit.code: r for r in selectors.catalog_overview()}
    assert (rows["fgw"].due, rows["fgw"].label) == (date(2017, 12, 31), "按时公布")
    assert (rows["jyj"].due, rows["jyj"].label) == (date(2017, 12, 31), "逾期公布")
    assert rows["gaj"].label == "逾期未公布"
    assert (rows["sfj"].due, rows["sfj"].first_batch) == (date(2018, 12, 31), False)
    html = client.get("/xxgk/catalogs/").content.decode()
    assert "逾期未公布" in html and "按时公布" in html and "逾期公布" in html


def test_D10_catalog_entries_link_to_published_items_and_only_the_office_edits(client, world):
    from django.core.exceptions import PermissionDenied

    item = publish(world, title="2026年重大项目计划")
    with pytest.raises(PermissionDenied):
        catalog_entry_save(unit=world.fgw, by=world.clerk, data={})
    entry = catalog_entry_save(unit=world.fgw, by=world.office, document_ids=[item.pk], data={
        "area": "decision", "subject": "市发展改革委", "content": "年度计划", "time_limit": "20个工作日内",
        "channel": "政府网站"})
    catalog_publish(unit=world.fgw, by=world.office)
    assert list(entry.documents.all()) == [item]
    html = client.get("/xxgk/catalogs/fgw/").content.decode()
    assert "年度计划" in html and "2026年重大项目计划" in html
    assert Catalog.objects.get(unit=world.fgw).history.exists()


def test_D12_self_check_keeps_converts_and_publishes_through_confidentiality_review(world, client):
    kept = services.document_create(by=world.clerk, issuer=world.fgw, data=not_public(title="保留不公开"))
    converted = services.document_create(by=world.clerk, issuer=world.fgw, data=not_public(title="转为主动公开"))
    for d in (kept, converted):
        services.document_submit(document=d, by=world.clerk)
        services.document_accept(document=d, by=world.head)
    check = self_check_open(unit=world.fgw, year=2026, by=system_user())
    items = {i.document_id: i for i in check.items.all()}
    assert set(items) == {kept.pk, converted.pk}
    from django.core.exceptions import PermissionDenied, ValidationError

    with pytest.raises(ValidationError, match="必须说明理由"):
        self_check_decide(item=items[kept.pk], decision="keep", reason="", by=world.office)
    with pytest.raises(PermissionDenied):
        self_check_decide(item=items[kept.pk], decision="keep", reason="x", by=world.other_office)
    self_check_decide(item=items[kept.pk], decision="keep", reason="仍属过程性信息。", by=world.office)
    self_check_decide(item=items[converted.pk], decision="convert", reason="已不属于过程性信息。", by=world.office)
    converted.refresh_from_db()
    assert converted.attribute == "proactive" and converted.status == Status.CONFIDENTIALITY_REVIEW
    assert not selectors.public_documents().filter(pk=converted.pk).exists()  # D7 still applies
    assert converted.deadlines.filter(rule="disclosure.publish_within_20", state="running").exists()  # D13
    services.confidentiality_decide(document=converted, cleared=True, opinion="", by=world.secrecy)
    assert selectors.public_documents().filter(pk=converted.pk).exists()
    self_check_complete(check=check, summary="共自查2条,维持1条,转为主动公开1条。", by=world.office)
    html = client.get("/xxgk/catalogs/fgw/").content.decode()
    assert "2026年度不予公开信息自查结果" in html and "转为主动公开" in html and "仍属过程性信息" in html
    assert SelfCheckItem.objects.get(pk=items[kept.pk].pk).decided_by == world.office


def test_D12_yearly_task_opens_once(world):
    from disclosure.tasks import open_self_checks

    d = services.document_create(by=world.clerk, issuer=world.fgw, data=not_public())
    services.document_submit(document=d, by=world.clerk)
    services.document_accept(document=d, by=world.head)
    assert open_self_checks() == 1
    assert open_self_checks() == 1  # the same check, not a second one
    assert world.fgw.self_checks.count() == 1


def test_D14_key_points_by_year(client, world):
    from django.utils import timezone

    for year, title in ((2025, "2025年政务公开工作要点"), (2026, "2026年政务公开工作要点")):
        AnnualPriority.objects.create(unit=world.szfb, year=year, title=title, body="一、深化五公开。",
                                      published_at=timezone.now())
    html = client.get("/xxgk/key-points/").content.decode()
    assert "2026年政务公开工作要点" in html and "2025年政务公开工作要点" not in html
    assert "2025年政务公开工作要点" in client.get("/xxgk/key-points/?year=2025").content.decode()


def test_W4_column_pages_exist_under_the_unified_name(client, world):
    from disclosure.models import DisclosureGuide

    DisclosureGuide.objects.create(unit=world.szfb, categories="按五公开分类", how_to_obtain="网上申请",
                                   office_name="市政府办公室政务公开科", address="新区正阳路", hours="工作日",
                                   phone="0919-3185100", email="tcszfb@tongchuan.gov.cn")
    index = client.get("/xxgk/").content.decode()
    assert "<h1>政府信息公开</h1>" in index
    for url, text in [("/xxgk/guide/", "0919-3185100"), ("/xxgk/system/", "保密审查制度"),
                      ("/xxgk/statutory/", "第二十条"), ("/xxgk/annual-reports/", "年度报告"),
                      ("/xxgk/catalogs/", "主动公开目录"), ("/xxgk/key-points/", "工作要点")]:
        response = client.get(url)
        assert response.status_code == 200 and text in response.content.decode(), url
        assert f'href="{url}"' in index


def test_D10_office_keeps_the_catalog_in_the_workspace(client, world):
    item = publish(world, title="2026年国民经济和社会发展计划")
    client.force_login(world.clerk)
    assert client.get("/work/catalog/").status_code == 403
    client.force_login(world.office)
    response = client.post("/work/catalog/", {"unit": world.fgw.pk, "action": "entry", "area": "decision",
                                              "subject": "市发展改革委", "content": "", "time_limit": "20个工作日内",
                                              "channel": "政府网站", "documents": [item.pk]})
    assert response.status_code == 200 and "请填写公开内容" in response.content.decode()
    client.post("/work/catalog/", {"unit": world.fgw.pk, "action": "entry", "area": "decision",
                                   "subject": "市发展改革委", "content": "年度计划", "time_limit": "20个工作日内",
                                   "channel": "政府网站", "documents": [item.pk]})
    client.post("/work/catalog/", {"unit": world.fgw.pk, "action": "publish"})
    assert Catalog.objects.get(unit=world.fgw).published_at is not None
    assert "2026年国民经济和社会发展计划" in client.get("/xxgk/catalogs/fgw/").content.decode()


def test_D12_office_decides_in_the_workspace(client, world):
    d = services.document_create(by=world.clerk, issuer=world.fgw, data=not_public(title="待自查的信息"))
    services.document_submit(document=d, by=world.clerk)
    services.document_accept(document=d, by=world.head)
    check = self_check_open(unit=world.fgw, year=2026, by=system_user())
    item = check.items.get()
    client.force_login(world.other_office)
    assert "本年度自查尚未开始" in client.get("/work/self-check/").content.decode()  # jyj has none
    client.post("/work/self-check/", {"item": item.pk, "decision": "keep", "reason": "x"})
    assert SelfCheckItem.objects.get(pk=item.pk).decision == "pending"
    client.force_login(world.office)
    assert "待自查的信息" in client.get("/work/self-check/").content.decode()
    client.post("/work/self-check/", {"item": item.pk, "decision": "keep", "reason": ""})
    assert SelfCheckItem.objects.get(pk=item.pk).decision == "pending"
    client.post("/work/self-check/", {"item": item.pk, "decision": "keep", "reason": "仍属内部事务。"})
    assert SelfCheckItem.objects.get(pk=item.pk).decision == "keep"


def test_the_site_search_covers_interpretations_and_participation(client, world):
    publish(world, title="关于做好政务公开工作的通知")
    for scope in ("jiedu", "canyu"):
        response = client.get("/xxgk/search/", {"q": "政务公开", "scope": scope})
        assert response.status_code == 200 and response.context["scope"] == scope
    assert client.get("/xxgk/search/", {"q": "政务公开", "scope": "nonsense"}).context["scope"] == ""


def test_public_pages_are_cached_but_a_withdrawal_shows_at_once(client, world, django_assert_num_queries):
    document = publish(world, title="会被撤回的通知")
    for _ in range(2):  # a page is stored when it is asked for a second time
        assert "会被撤回的通知" in client.get("/xxgk/wgk/").content.decode()
        client.get(document.get_public_url())
    with django_assert_num_queries(0):  # served from the cache
        assert "会被撤回的通知" in client.get("/xxgk/wgk/").content.decode()
        assert "阅读:3" in client.get(document.get_public_url()).content.decode()  # the count stays live
    services.document_withdraw(document=document, reason="有误", by=world.head)
    assert "会被撤回的通知" not in client.get("/xxgk/wgk/").content.decode()
    assert client.get(document.get_public_url()).status_code == 404


def test_D7_the_document_page_judges_its_row_by_the_same_rule_as_every_public_list(world):
    """`Document.is_public_at` (the page reads by primary key) agrees with `public_documents` on every
    state: published, scheduled before and after its moment, not proactive, withdrawn, draft."""
    from django.utils import timezone

    published = publish(world)
    draft = services.document_create(by=world.clerk, issuer=world.fgw, data=document_data(), number_text="",
                                     co_issuers=(), files=())
    withdrawn = publish(world, title="将撤回的通知")
    services.document_withdraw(document=withdrawn, reason="内容有误", by=world.head)
    scheduled_past, scheduled_future = publish(world, title="定时一"), publish(world, title="定时二")
    now = timezone.now()
    Document.objects.filter(pk=scheduled_past.pk).update(status=Status.SCHEDULED, publish_at=now - timedelta(minutes=1))
    Document.objects.filter(pk=scheduled_future.pk).update(status=Status.SCHEDULED, publish_at=now + timedelta(hours=1))
    not_proactive = publish(world, title="依申请公开的通知")
    Document.objects.filter(pk=not_proactive.pk).update(attribute="on_request", legal_basis="x", attribute_reason="y")
    public_ids = set(selectors.public_documents().values_list("pk", flat=True))
    rows = Document.objects.filter(pk__in=[d.pk for d in (published, draft, withdrawn, scheduled_past,
                                                          scheduled_future, not_proactive)])
    assert {d.pk for d in rows if d.is_public_at(timezone.now())} == public_ids & {d.pk for d in rows}
    assert published.pk in public_ids and scheduled_past.pk in public_ids
    assert not {draft.pk, scheduled_future.pk, not_proactive.pk} & public_ids


def test_a_unit_rename_shows_at_once_on_a_cached_document_page(client, world):
    """Public pages name units from a per-process copy and the page cache; a rename moves both."""
    document = publish(world)
    url = document.get_public_url()
    assert world.fgw.name in client.get(url).content.decode()
    world.fgw.name = "铜川市发展和改革委员会(更名)"
    world.fgw.save()
    assert "铜川市发展和改革委员会(更名)" in client.get(url).content.decode()


def test_D8_related_items_are_shared_by_the_units_pages_and_follow_each_publication(client, world):
    """相关信息 is read once per public content version for a unit and area: a new publication or a
    withdrawal shows on a sibling's page at once, and the page never lists itself."""
    first = publish(world, title="第一份通知")
    page = client.get(first.get_public_url()).content.decode()
    assert "第一份通知" in page and "相关信息" not in page  # only itself: no list
    second = publish(world, title="第二份通知")
    page = client.get(first.get_public_url()).content.decode()
    assert "相关信息" in page and "第二份通知" in page
    services.document_withdraw(document=second, reason="内容有误", by=world.head)
    assert "第二份通知" not in client.get(first.get_public_url()).content.decode()
    other_area = publish(world, title="执行类通知", area="execution")
    assert "执行类通知" not in client.get(first.get_public_url()).content.decode()
    assert other_area.pk
