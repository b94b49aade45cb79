"""Django's Redis cache, keeping one client object per server, with the page cache's bounded write in
one round trip.

Django builds a new `redis.Redis` around the (shared) connection pool on every cache call; on a
public page that makes several calls this was about a tenth of a cold render. The client is
stateless apart from its pool, and redis-py's pool resets itself in a forked worker, so one per
server and process is enough.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


# INCR the quota counter (its expiry set when it starts), then SET the value only while within quota.
_WITHIN_QUOTA = """
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
if n <= tonumber(ARGV[2]) then
  redis.call('SET', KEYS[2], ARGV[3], 'EX', ARGV[4])
  return 1
end
return 0
"""


class _ReusingClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _ReusingClient
        self._scripts = {}

    def set_within_quota(self, key, value, timeout, *, quota_key, quota, quota_timeout) -> bool:
        """The page cache's bounded write — count this window's entries, store the value while the
        window has room — as one Lua call instead of four commands (a cold public page makes it on
        every request). True when stored."""
        client = self._cache.get_client(key, write=True)
        script = self._scripts.get(id(client))
        if script is None:
            script = self._scripts[id(client)] = client.register_script(_WITHIN_QUOTA)
        stored = script(keys=[self.make_and_validate_key(quota_key), self.make_and_validate_key(key)],
                        args=[int(quota_timeout), int(quota), self._cache._serializer.dumps(value), int(timeout)])
        return bool(stored)
