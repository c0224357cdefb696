"""Django's RedisCache, degrading instead of failing when Redis is unreachable.

Django's backend raises on every error, so a Redis restart turned the home and reader pages into
500s. Here a failing call is logged (logger `documents.cache`, at most once per ten seconds per
process and operation) and answers as a cache miss: pages are rendered, not stored, and writes and
content-version bumps are skipped. See docs/deployment.md.
"""

from __future__ import annotations

import logging
import time

from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger("documents.cache")

try:  # redis is installed whenever this backend is configured; the import is guarded for the checks only
    from redis.exceptions import RedisError
except ImportError:  # pragma: no cover
    RedisError = OSError

ERRORS = (RedisError, OSError)
LOG_EVERY = 10.0  # seconds between two log lines of one failing operation (a dead Redis fails every call)


class DegradingRedisCache(RedisCache):
    """RedisCache whose failures are logged and answered as misses (get: default; set/add: False; incr: 0)."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._last_logged: dict[str, float] = {}

    def _failed(self, operation: str, error: Exception, result):
        now = time.monotonic()
        if now - self._last_logged.get(operation, -LOG_EVERY) >= LOG_EVERY:
            self._last_logged[operation] = now
            logger.warning("cache %s failed, serving without the cache: %s", operation, error)
        return result

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except ERRORS as error:
            return self._failed("get", error, default)

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except ERRORS as error:
            return self._failed("get_many", error, {})

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except ERRORS as error:
            return self._failed("has_key", error, False)

    def add(self, key, value, timeout=None, version=None, **kwargs):
        try:
            return super().add(key, value, timeout, version)
        except ERRORS as error:
            return self._failed("add", error, False)

    def set(self, key, value, timeout=None, version=None, **kwargs):
        try:
            return super().set(key, value, timeout, version)
        except ERRORS as error:
            return self._failed("set", error, None)

    def set_many(self, data, timeout=None, version=None):
        try:
            return super().set_many(data, timeout, version)
        except ERRORS as error:
            return self._failed("set_many", error, list(data))

    def touch(self, key, timeout=None, version=None):
        try:
            return super().touch(key, timeout, version)
        except ERRORS as error:
            return self._failed("touch", error, False)

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except ERRORS as error:
            return self._failed("incr", error, 0)

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except ERRORS as error:
            return self._failed("delete", error, False)

    def delete_many(self, keys, version=None):
        try:
            return super().delete_many(keys, version)
        except ERRORS as error:
            return self._failed("delete_many", error, None)

    def clear(self):
        try:
            return super().clear()
        except ERRORS as error:
            return self._failed("clear", error, False)
