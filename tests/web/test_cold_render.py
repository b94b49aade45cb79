"""What makes a public page cheap to render the first time (issue 17): the version numbers read once per
request, the page cache's one-trip bounded write, the document page's one statement, links reversed once,
the filter options written in one pass — each checked for the behaviour it must keep."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse, set_script_prefix

from disclosure import pagecache, selectors
from disclosure.models import Attachment, Document
from tests.disclosure.conftest import world  # noqa: F401  (fixture)
from tests.disclosure.factories import pdf, publish
from tongchuan_portal.core import versions
from tongchuan_portal.core.cached_urls import CachedURLs
from tongchuan_portal.core.templatetags.portal_forms import options
from tongchuan_portal.units import selectors as unit_selectors


class RedisCommands:
    """Counts the commands this process sends to Redis (the cache's client)."""

    def __init__(self, monkeypatch):
        self.sent: list[str] = []
        client = cache._cache.get_client(None, write=True)
        original = type(client).execute_command

        def spy(redis, *args, **kwargs):
            self.sent.append(str(args[0]))
            return original(redis, *args, **kwargs)

        monkeypatch.setattr(type(client), "execute_command", spy)


def test_D8_a_cold_document_page_asks_redis_three_times_and_the_database_once(client, world, monkeypatch):
    """The versions (one MGET), the page with its seen-mark (one script) and the reading count (HINCRBY);
    the unit rows and the shared lists answer from this process under the versions read. Asked for
    again, it is stored (one more script, the bounded write), then served in two: the versions, and the
    page with its reading counted in the same script."""
    doc = publish(world, title="冷页面测试通知", files=[pdf()])
    other = publish(world, title="同单位同类别的另一篇")
    client.get(other.get_public_url())  # the unit's shared lists and unit rows are now built
    pagecache._bump(pagecache.VERSION_KEY)  # ...under an older version: rebuilt once, then shared
    client.get(other.get_public_url() + "?print=1")
    redis = RedisCommands(monkeypatch)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(doc.get_public_url()).content.decode()
    assert redis.sent == ["MGET", "EVALSHA", "HINCRBY"]
    assert len(queries.captured_queries) == 1  # the row and its attachments in one statement
    redis.sent.clear()
    client.get(doc.get_public_url())
    assert redis.sent == ["MGET", "EVALSHA", "EVALSHA", "HINCRBY"]
    redis.sent.clear()
    with CaptureQueriesContext(connection) as served:
        assert "冷页面测试通知" in client.get(doc.get_public_url()).content.decode()
    assert redis.sent == ["MGET", "EVALSHA"] and not served.captured_queries  # the reading counted by the lookup
    assert "冷页面测试通知" in html and other.get_public_url() in html  # 相关信息 from the shared list
    attachment = Attachment.objects.get(document=doc)
    assert reverse("disclosure:attachment", args=[attachment.pk]) in html and attachment.original_name in html


def test_a_version_bumped_during_a_request_is_seen_by_the_rest_of_it(world):
    versions.request_started()
    try:
        first = unit_selectors.units_by_id()
        before = versions.get(unit_selectors.DIRECTORY_VERSION_KEY)
        world.fgw.short_name = "发改委(新)"
        world.fgw.save()  # the signal bumps the directory's version, in Redis and in this request
        assert versions.get(unit_selectors.DIRECTORY_VERSION_KEY) > before
        assert unit_selectors.units_by_id()[world.fgw.pk].short_name == "发改委(新)"
        assert first[world.fgw.pk].short_name != "发改委(新)"
    finally:
        versions.request_finished()


def test_outside_a_request_every_version_is_read_from_the_cache(world):
    """A Celery task or the shell never keeps a version: another process's bump is seen at once."""
    versions.get(pagecache.VERSION_KEY)
    cache.incr(pagecache.VERSION_KEY)  # as another process would
    assert versions.get(pagecache.VERSION_KEY) == cache.get(pagecache.VERSION_KEY)


def test_a_shared_value_is_rebuilt_for_a_new_version_and_after_its_ttl(world, monkeypatch):
    built = []

    def build():
        built.append(1)
        return len(built)

    assert pagecache.remember("test:value", build) == 1
    assert pagecache.remember("test:value", build) == 1  # kept in this process
    pagecache._bump(pagecache.VERSION_KEY)
    assert pagecache.remember("test:value", build) == 2  # a change to public content
    clock = [pagecache.time.monotonic() + pagecache.TTL + 1]
    monkeypatch.setattr(pagecache.time, "monotonic", lambda: clock[0])
    cache.delete("disclosure:shared:test:value")
    assert pagecache.remember("test:value", build) == 3  # a scheduled document may have gone public


def test_the_bounded_write_stores_within_the_quota_only(world):
    counter = "disclosure:page-count:test-quota"
    cache.delete(counter)
    stored = [cache.set_within_quota(f"test:quota:{i}", f"page {i}", 60, quota_key=counter, quota=2,
                                     quota_timeout=120) for i in range(3)]
    assert stored == [True, True, False]
    assert cache.get("test:quota:0") == "page 0" and cache.get("test:quota:2") is None
    redis = cache._cache.get_client(None, write=False)
    assert 0 < redis.ttl(cache.make_and_validate_key(counter)) <= 120


def test_incr_is_one_call_refuses_a_missing_key_and_keeps_the_expiry(world, monkeypatch):
    """The rate limits' counter: an existing key counted in one script call with its expiry kept; a
    missing (or just expired) key is refused as Django's contract says, and not created without one."""
    cache.set("test:incr", 1, 60)
    redis = RedisCommands(monkeypatch)
    assert cache.incr("test:incr") == 2 and cache.incr("test:incr", 5) == 7
    assert redis.sent == ["EVALSHA", "EVALSHA"]
    client = cache._cache.get_client(None, write=False)
    assert 0 < client.ttl(cache.make_and_validate_key("test:incr")) <= 60
    cache.delete("test:incr-missing")
    with pytest.raises(ValueError):
        cache.incr("test:incr-missing")
    assert client.exists(cache.make_and_validate_key("test:incr-missing")) == 0


def test_D8_the_document_page_statement_reads_what_the_orm_reads(world, monkeypatch):
    doc = publish(world, title="语句对照", files=[pdf(), pdf()])
    fast = selectors.document_page(doc.pk)
    monkeypatch.setattr(connection, "vendor", "sqlite")  # the embedded database's path: the ORM
    plain = selectors.document_page(doc.pk)
    for name in selectors.DOCUMENT_PAGE_FIELDS:
        assert getattr(fast.document, name) == getattr(plain.document, name), name
    assert [(a.pk, a.original_name, a.file_type, a.size) for a in fast.attachments] == \
        [(a.pk, a.original_name, a.file_type, a.size) for a in plain.attachments]
    assert len(fast.attachments) == 2


def test_D7_the_document_page_refuses_what_the_public_may_not_see(world):
    from disclosure import services

    doc = publish(world, title="撤回后不可见")
    services.document_withdraw(document=doc, reason="有误", by=world.head)
    with pytest.raises(Document.DoesNotExist):
        selectors.document_page(doc.pk)
    with pytest.raises(Document.DoesNotExist):
        selectors.document_page(10 ** 12)


def test_cached_links_leave_a_placeholder_for_ids_and_codes():
    links = CachedURLs({"doc": ("disclosure:public_detail", CachedURLs.ID),
                        "feed": ("disclosure:feed_unit_rss", CachedURLs.SLUG)}).for_urlconf()
    assert links["doc"].format(42) == reverse("disclosure:public_detail", args=[42])
    assert links["feed"].format("fgw") == reverse("disclosure:feed_unit_rss", args=["fgw"])
    set_script_prefix("/portal/")
    try:
        prefixed = CachedURLs({"doc": ("disclosure:public_detail", CachedURLs.ID)}).for_urlconf()
        assert prefixed["doc"].format(7) == "/portal/xxgk/documents/7/"
    finally:
        set_script_prefix("/")


def test_id_url_is_reverse_for_every_queue_link_and_prefix():
    """The staff queues' row links, reversed once per process: the same path as reverse(), under any
    script prefix."""
    from tongchuan_portal.core.cached_urls import id_url

    views = ("disclosure:confidentiality_review", "disclosure:review", "participation:clear_draft",
             "participation:clear_report", "annual_report:clear", "applications:clear_reply",
             "opinion:release_clearance")
    for view in views:
        assert id_url(view, 42) == reverse(view, args=[42])
    set_script_prefix("/portal/")
    try:
        assert id_url("disclosure:review", 7) == reverse("disclosure:review", args=[7]) == "/portal/work/review/7/"
    finally:
        set_script_prefix("/")
    assert id_url("disclosure:review", 7) == "/work/review/7/"


def test_filter_options_mark_the_chosen_one_and_escape_labels():
    class Unit:
        def __init__(self, code, name):
            self.code, self.name = code, name

    html = options([Unit("fgw", "发改委"), Unit("x\"y", "<b>名</b>")], "fgw", value="code", label="name")
    assert html == ('<option value="fgw" selected>发改委</option>'
                    '<option value="x&quot;y">&lt;b&gt;名&lt;/b&gt;</option>')
    assert options([2026, 2025], 2025, suffix="年") == \
        '<option value="2026">2026年</option><option value="2025" selected>2025年</option>'
    assert options([("a", "甲")], None) == '<option value="a">甲</option>'
    assert options([("", "空")], "") == '<option value="">空</option>'  # nothing chosen is not a choice


def test_W5_search_and_column_filters_keep_the_chosen_values(client, world):
    publish(world, title="筛选保留")
    html = client.get("/xxgk/search/", {"q": "筛选", "unit": "fgw", "area": "decision", "year": "2026"}).content.decode()
    assert '<option value="fgw" selected>' in html
    assert '<option value="decision" selected>' in html
    assert '<option value="2026" selected>2026年</option>' in html
    column = client.get("/xxgk/wgk/", {"unit": "fgw"}).content.decode()
    assert '<option value="fgw" selected>' in column


def test_W5_search_rows_by_id_read_what_the_orm_reads(world, monkeypatch):
    from disclosure.search_page import RESULT_FIELDS

    docs = [publish(world, title=f"按编号读取{i}", number=f"铜发改发〔2026〕{i + 1}号") for i in range(3)]
    ids = [d.pk for d in docs] + [10 ** 12]  # an id that names nothing is simply absent
    with CaptureQueriesContext(connection) as queries:
        fast = selectors.documents_by_id(ids, RESULT_FIELDS)
    assert len(queries.captured_queries) == 1
    monkeypatch.setattr(connection, "vendor", "sqlite")
    plain = selectors.documents_by_id(ids, RESULT_FIELDS)
    assert set(fast) == set(plain) == {d.pk for d in docs}
    for pk in fast:
        for name in RESULT_FIELDS:
            field = Document._meta.get_field(name).attname
            assert getattr(fast[pk], field) == getattr(plain[pk], field), name
    assert fast[docs[0].pk].document_number == "铜发改发〔2026〕1号"
    assert selectors.documents_by_id([], RESULT_FIELDS) == {}
