"""The public page cache cannot be filled or poisoned (hardening, issue 11 items 13 and 23)."""

import pytest
from django.core.cache import cache

from disclosure import pagecache
from tests.disclosure.conftest import world  # noqa: F401  (fixture)
from tests.disclosure.factories import publish


def _page_keys() -> set[bytes]:
    """Pages stored under the current public-content version (earlier tests' pages are under older ones)."""
    client = cache._cache.get_client(None, write=False)
    version = cache.get(pagecache.VERSION_KEY) or 0
    return set(client.scan_iter(match=cache.make_key(f"disclosure:page:{version}:*"), count=1000))


@pytest.fixture
def published(world):  # noqa: F811
    return publish(world, title="缓存测试通知")


def twice(client, url):
    """A page is stored on its second request (the first only marks it seen)."""
    client.get(url)
    return client.get(url)


def test_hardening_unknown_parameters_never_create_an_entry(client, published):
    twice(client, "/xxgk/wgk/")
    before = _page_keys()
    assert len(before) == 1
    for query in ("?zzz=1", "?zzz=2", "?area=&x=1", "?utm_source=a", "?area=bogus", "?year=1999", "?year=02020",
                  "?after=abc", "?after=0001-5", "?area=decision&area=execution", "?unit=nosuchunit", "?print=0"):
        assert twice(client, "/xxgk/wgk/" + query).status_code == 200, query
    twice(client, published.get_public_url() + "?anything=1")
    twice(client, published.get_public_url() + "?print=1&x=2")
    assert _page_keys() == before


def test_hardening_the_key_is_the_normalised_known_parameters(client, published):
    client.get("/xxgk/wgk/?area=decision&topic=" + published.topic)
    client.get("/xxgk/wgk/?topic=" + published.topic + "&area=decision")  # same page, same key: now stored
    twice(client, f"/xxgk/wgk/?unit={published.issuer.code}")
    twice(client, "/xxgk/wgk/?print=1")
    assert len(_page_keys()) == 3


def test_hardening_a_page_read_once_is_never_stored(client, published, world):  # noqa: F811
    """A crawl that reads each page once fills nothing: only a page asked for again within TTL is stored,
    so the pages people come back to keep the window's room (MAX_ENTRIES)."""
    others = [publish(world, title=f"只读一次的通知{i}") for i in range(3)]
    for doc in [published, *others]:
        assert client.get(doc.get_public_url()).status_code == 200
    for area in ("decision", "execution", "management"):
        client.get(f"/xxgk/wgk/?area={area}")
    assert _page_keys() == set()
    redis = cache._cache.get_client(None, write=False)
    version = cache.get(pagecache.VERSION_KEY) or 0
    marks = list(redis.scan_iter(match=cache.make_key(f"disclosure:page-seen:{version}:*"), count=1000))
    assert len(marks) == 7 and all(0 < redis.ttl(mark) <= pagecache.TTL for mark in marks)  # they expire too
    client.get(others[0].get_public_url())
    assert len(_page_keys()) == 1


def test_hardening_entries_expire_and_are_bounded(client, published, monkeypatch):
    twice(client, published.get_public_url())
    redis = cache._cache.get_client(None, write=False)
    (key,) = _page_keys()
    assert 0 < redis.ttl(key) <= pagecache.TTL
    monkeypatch.setattr(pagecache, "MAX_ENTRIES", 3)
    for area in ("decision", "execution", "management", "service", "result"):
        twice(client, f"/xxgk/wgk/?area={area}")
    assert len(_page_keys()) == 3  # the document page and two lists; the rest were served, not stored


def test_hardening_host_header_never_reaches_cached_absolute_urls(client, published, settings):
    """23: og:url and the share link come from SITE_BASE_URL, whatever Host the first visitor sent."""
    poisoned = client.get(published.get_public_url(), HTTP_HOST="evil.example").content.decode()
    later = client.get(published.get_public_url()).content.decode()  # from the cache
    expected = f'<meta property="og:url" content="{settings.SITE_BASE_URL}{published.get_public_url()}">'
    for html in (poisoned, later):
        assert "evil.example" not in html
        assert expected in html
    assert client.get("/robots.txt", HTTP_HOST="evil.example").content.decode().endswith(
        f"Sitemap: {settings.SITE_BASE_URL}/sitemap.xml\n")


def test_hardening_feeds_and_sitemaps_link_to_the_site_url(client, published, settings):
    settings.SITE_BASE_URL = "https://www.tongchuan.gov.cn"
    urls = ["/sitemap.xml", "/sitemap-documents.xml", "/sitemap-column.xml",
            f"/xxgk/feeds/unit/{published.issuer.code}/rss/", f"/xxgk/feeds/area/{published.area}/atom/"]
    for url in urls:
        response = client.get(url, HTTP_HOST="evil.example")
        body = response.content.decode()
        assert response.status_code == 200, url
        assert "evil.example" not in body, url
        assert "https://www.tongchuan.gov.cn/" in body, url
    feed = client.get(urls[3], HTTP_HOST="evil.example").content.decode()
    assert f"https://www.tongchuan.gov.cn{published.get_public_url()}" in feed
