"""A Redis cache that degrades instead of failing when Redis cannot be reached.

Every cache use in the project (the footer's organisation name, the verification page's rate
limit, the dashboard's figures, the participant list's anchors, a job's progress) goes through
Django's cache. When Redis does not answer, this backend logs one warning, keeps working from a
cache in the process's own memory, and asks Redis again after ``RETRY_SECONDS``: pages render
(reading from the database), rate limits count per process. Errors other than a lost connection
(a wrong command, a full server) still raise.
"""

from __future__ import annotations

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)
# After a failure Redis is left alone this long: a page does not wait on a dead server each time.
RETRY_SECONDS = 30.0

_lock = threading.Lock()
# Shared by every thread's backend in the process (Django makes one backend per thread).
_state = {"down_until": 0.0}


def _mark_down(error: Exception) -> None:
    with _lock:
        was_up = _state["down_until"] == 0.0
        _state["down_until"] = time.monotonic() + RETRY_SECONDS
    if was_up:
        logger.warning(
            "The cache server cannot be reached (%s); using this process's memory until it "
            "answers again.",
            type(error).__name__,
        )


def _mark_up() -> None:
    with _lock:
        was_down = _state["down_until"] != 0.0
        _state["down_until"] = 0.0
    if was_down:
        logger.info("The cache server answers again.")


def is_degraded() -> bool:
    """True while the process keeps its cache in memory because Redis did not answer."""
    return _state["down_until"] != 0.0


class DegradingRedisCache(BaseCache):
    """Django's Redis cache, falling back to local memory while Redis cannot be reached."""

    def __init__(self, server, params):
        super().__init__(params)
        params = {**params}
        options = {"socket_connect_timeout": 1, "socket_timeout": 1, **params.get("OPTIONS", {})}
        params["OPTIONS"] = options
        self._redis = RedisCache(server, params)
        self._local = LocMemCache(
            "delegation-degraded", {**params, "OPTIONS": {"MAX_ENTRIES": 10_000}}
        )

    def _call(self, name: str, *args, **kwargs):
        if time.monotonic() < _state["down_until"]:
            return getattr(self._local, name)(*args, **kwargs)
        try:
            result = getattr(self._redis, name)(*args, **kwargs)
        except UNREACHABLE as error:
            _mark_down(error)
            return getattr(self._local, name)(*args, **kwargs)
        if _state["down_until"]:
            _mark_up()
        return result

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", key, value, timeout, version=version)

    def get(self, key, default=None, version=None):
        return self._call("get", key, default, version=version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", key, value, timeout, version=version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", key, timeout, version=version)

    def delete(self, key, version=None):
        # Forget the key in memory too: a value kept there during an outage must not outlive
        # the change that deleted it.
        self._local.delete(key, version=version)
        return self._call("delete", key, version=version)

    def get_many(self, keys, version=None):
        return self._call("get_many", keys, version=version)

    def has_key(self, key, version=None):
        return self._call("has_key", key, version=version)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", key, delta, version=version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", data, timeout, version=version)

    def delete_many(self, keys, version=None):
        self._local.delete_many(keys, version=version)
        return self._call("delete_many", keys, version=version)

    def clear(self):
        self._local.clear()
        return self._call("clear")

    def close(self, **kwargs):
        self._redis.close(**kwargs)
