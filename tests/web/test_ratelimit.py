"""Abuse limits hold when Redis is down, and key on the client behind a proxy (hardening, item 25)."""

import subprocess

import pytest
from django.core.checks import Warning as CheckWarning
from django.test import RequestFactory, override_settings

from tongchuan_portal.core.checks import trusted_proxy_count_set
from tongchuan_portal.core.clientip import client_ip
from tongchuan_portal.core.models import RateCounter
from tongchuan_portal.core.ratelimit import is_limited, parse_rate
from tests.processes import free_port, stop, wait_for

QUERY = "/participation/registrations/query/"


@pytest.fixture
def throwaway_redis():
    """A Redis of our own as the default cache (never the shared one), and a way to stop it."""
    port = free_port()
    proc = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "no"], stdout=subprocess.DEVNULL, start_new_session=True)
    wait_for(lambda: subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True).stdout == b"PONG\n",
             timeout=10, what="throwaway redis")
    caches = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": f"redis://127.0.0.1:{port}/0",
                          "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}}}
    with override_settings(CACHES=caches):
        yield lambda: stop(proc)
    stop(proc)


@pytest.fixture(autouse=True)
def _no_counts_from_earlier_runs(settings):
    """Rate-limit windows last up to an hour in the shared Redis and a run's key prefix is the same as the
    last run's: a count left by a run minutes ago must not start this one over its limit."""
    from django.core.cache import cache

    redis = cache._cache.get_client(None, write=True)
    prefix = settings.CACHES["default"].get("KEY_PREFIX", "")
    for key in redis.scan_iter(match=f"{prefix}:*:{getattr(settings, 'RATELIMIT_CACHE_PREFIX', 'rl:')}*"):
        redis.delete(key)


def _query(client, ip="198.51.100.20", **extra):
    return client.post(QUERY, {"code": "guess"}, REMOTE_ADDR=ip, **extra)


@pytest.mark.slow
def test_hardening_query_limit_holds_while_redis_is_down(client, db, settings, throwaway_redis):
    """35/35 query-code guesses were accepted during an outage; now the limit moves to the database."""
    settings.PARTICIPATION_QUERY_RATE_IP = "3/h"
    assert [_query(client).status_code for _ in range(4)] == [200, 200, 200, 429]  # Redis counts
    throwaway_redis()
    statuses = [_query(client).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]  # the database counts from the outage on
    response = _query(client)
    assert response.status_code == 429 and "提交过于频繁" in response.content.decode()
    assert _query(client, ip="198.51.100.21").status_code == 200  # another address has its own count
    assert RateCounter.objects.count() == 2


def test_hardening_database_fallback_counts_per_window_and_key(db):
    """The fallback alone (as when the cache raises): counts per group and key, exact at the limit."""
    factory = RequestFactory()
    request = factory.post("/", REMOTE_ADDR="198.51.100.30")
    from tongchuan_portal.core.ratelimit import database_hit

    assert [database_hit("g:1", 3600) for _ in range(3)] == [1, 2, 3]
    assert database_hit("g:2", 3600) == 1
    assert parse_rate("10/10m") == (10, 600) and parse_rate("5/h") == (5, 3600) and parse_rate("2/30s") == (2, 30)
    assert is_limited(request, group="t", key="ip", rate="100/h") is False


@pytest.mark.parametrize("count, remote, forwarded, expected", [
    (0, "198.51.100.1", "203.0.113.5", "198.51.100.1"),  # no proxy: the header is the client's own words
    (1, "127.0.0.1", "203.0.113.5", "203.0.113.5"),
    (1, "127.0.0.1", "6.6.6.6, 203.0.113.5", "203.0.113.5"),  # a spoofed entry on the left is ignored
    (2, "127.0.0.1", "6.6.6.6, 203.0.113.5, 10.1.1.1", "203.0.113.5"),
    (2, "127.0.0.1", "203.0.113.5", "127.0.0.1"),  # fewer hops than proxies: not through them
    (1, "127.0.0.1", "not-an-ip", "127.0.0.1"),
    (1, "127.0.0.1", "", "127.0.0.1"),
])
def test_hardening_client_ip_source(settings, count, remote, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_hardening_limits_key_on_the_client_behind_the_proxy(client, db, settings):
    """Behind the proxy, one citizen's limit is not everyone's."""
    settings.TRUSTED_PROXY_COUNT = 1
    settings.PARTICIPATION_QUERY_RATE_IP = "2/h"
    proxy = "127.0.0.1"
    assert [_query(client, ip=proxy, HTTP_X_FORWARDED_FOR="198.51.100.40").status_code for _ in range(3)] == [
        200, 200, 429]
    assert _query(client, ip=proxy, HTTP_X_FORWARDED_FOR="198.51.100.41").status_code == 200


def test_hardening_W001_check(settings):
    settings.DEBUG, settings.TRUSTED_PROXY_COUNT = False, None
    (warning,) = trusted_proxy_count_set()
    assert isinstance(warning, CheckWarning) and warning.id == "tongchuan.W001"
    settings.TRUSTED_PROXY_COUNT = 0
    assert trusted_proxy_count_set() == []
