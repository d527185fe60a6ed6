"""A Redis cache that degrades to a miss when Redis is down.

Wagtail and our live events read the cache on ordinary page views; with
Django's plain RedisCache an outage would turn every page into a 500. Here a
Redis error is logged and treated as "not cached", so pages still render and
writes still commit; live updates resume when Redis is back."""

import functools
import logging

from django.core.cache.backends.redis import RedisCache

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


class ResilientRedisCache(RedisCache):
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
