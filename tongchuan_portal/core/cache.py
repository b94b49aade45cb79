"""Django's Redis cache, keeping one client object per server, with the page cache's lookup and its
bounded write each in one round trip.

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


# GET the value; on a miss, mark the key as seen (SET NX with an expiry) and say whether it had been
# seen before: {1, value} on a hit, {0, 1} for a miss already seen, {0, 0} for a first sighting. With a
# third key and ARGV[2], a hit also does HINCRBY on that hash's field and appends the new count (a
# reading of the page just found; a miss counts nothing, since the page may not exist).
_GET_OR_MARK = """
local v = redis.call('GET', KEYS[1])
if v then
  if KEYS[3] then return {1, v, redis.call('HINCRBY', KEYS[3], ARGV[2], 1)} end
  return {1, v}
end
if redis.call('SET', KEYS[2], '1', 'NX', 'EX', ARGV[1]) then return {0, 0} end
return {0, 1}
"""


# INCRBY only a key that exists (Django's incr: EXISTS, then INCRBY, two round trips; and a key that
# expired between the two came back without an expiry: a rate-limit window that never ended).
_INCR_EXISTING = """
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
return redis.call('INCRBY', KEYS[1], ARGV[1])
"""


class _ReusingClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}
        self._scripts = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return client

    def script(self, client, source):
        """A Lua script registered once per client (redis-py then sends EVALSHA, falling back to EVAL)."""
        script = self._scripts.get((id(client), source))
        if script is None:
            script = self._scripts[(id(client), source)] = client.register_script(source)
        return script

    def incr(self, key, delta):
        """Django's contract (ValueError for a missing key) in one atomic call: the rate limits count
        every public search and form with it."""
        client = self.get_client(key, write=True)
        value = self.script(client, _INCR_EXISTING)(keys=[key], args=[delta])
        if value is None:
            raise ValueError("Key '%s' not found." % key)
        return value


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _ReusingClient

    def get_or_mark(self, key, *, seen_key, seen_timeout, count: tuple[str, str] | None = None
                    ) -> tuple[object, bool | None, int | None]:
        """(value, None, …) on a hit; on a miss (None, whether `seen_key` was already marked, …), marking
        it — the page cache's lookup and its admission of a page on the second request, in one Lua call.
        `count`: (a raw hash key, a field) to increment on a hit in the same call; its new value comes third."""
        client = self._cache.get_client(key, write=True)  # it may write the mark
        keys = [self.make_and_validate_key(key), self.make_and_validate_key(seen_key)]
        args = [int(seen_timeout)]
        if count is not None:
            keys.append(count[0])
            args.append(count[1])
        found, value, *counted = self._cache.script(client, _GET_OR_MARK)(keys=keys, args=args)
        pending = int(counted[0]) if counted else None
        if found:
            return self._cache._serializer.loads(value), None, pending
        return None, bool(value), pending

    def set_within_quota(self, key, value, timeout, *, quota_key, quota, quota_timeout) -> bool:
        """The page cache's bounded write — count this window's entries, store the value while the
        window has room — as one Lua call instead of four commands (a cold public page makes it on
        every request). True when stored."""
        client = self._cache.get_client(key, write=True)
        stored = self._cache.script(client, _WITHIN_QUOTA)(
            keys=[self.make_and_validate_key(quota_key), self.make_and_validate_key(key)],
            args=[int(quota_timeout), int(quota), self._cache._serializer.dumps(value), int(timeout)])
        return bool(stored)
