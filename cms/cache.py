"""A Redis cache that degrades to a miss when Redis is down.

Wagtail and our live events read the cache on ordinary page views; with
Django's plain RedisCache an outage would turn every page into a 500. Here a
Redis error is logged and treated as "not cached", so pages still render and
writes still commit; live updates resume when Redis is back."""

import functools
import logging
import threading

from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger("missioncommons.cache")


def _tolerant(default):
    def wrap(method):
        @functools.wraps(method)
        def inner(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except Exception as exc:  # redis.exceptions.ConnectionError, TimeoutError, ...
                if exc.__class__.__module__.startswith("redis"):
                    logger.warning("cache unavailable (%s): %s", method.__name__, exc)
                    if isinstance(default, type) and issubclass(default, Exception):
                        raise default(str(exc)) from exc
                    return default() if callable(default) else default
                raise

        return inner

    return wrap


_POOLS = {}
_POOLS_LOCK = threading.Lock()


class SharedPoolClient(RedisCacheClient):
    """One connection pool per Redis server for the whole process.

    Django keeps a cache instance per thread and, under ASGI, per async
    context, and each instance opened its own pool. A WebSocket is a context
    that lives as long as the page, so 10,000 open pages held 10,000 Redis
    connections and Redis refused more ("max number of clients reached"),
    which failed every cache read on every page (docs/benchmarks.md)."""

    def _get_connection_pool(self, write):
        index = self._get_connection_pool_index(write)
        key = (self._servers[index], repr(sorted(self._pool_options.items(), key=lambda item: item[0])))
        with _POOLS_LOCK:
            pool = _POOLS.get(key)
            if pool is None:
                pool = _POOLS[key] = self._pool_class.from_url(self._servers[index], **self._pool_options)
        return pool


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedPoolClient

    get = _tolerant(None)(RedisCache.get)
    get_many = _tolerant(dict)(RedisCache.get_many)
    has_key = _tolerant(False)(RedisCache.has_key)
    set = _tolerant(None)(RedisCache.set)
    set_many = _tolerant(list)(RedisCache.set_many)
    add = _tolerant(False)(RedisCache.add)
    touch = _tolerant(False)(RedisCache.touch)
    delete = _tolerant(False)(RedisCache.delete)
    delete_many = _tolerant(None)(RedisCache.delete_many)
    incr = _tolerant(ValueError)(RedisCache.incr)
    clear = _tolerant(None)(RedisCache.clear)
