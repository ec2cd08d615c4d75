"""The default cache's backends, counting hits and misses for /metrics
(``commonroom_cache_requests_total``): the Redis one at scale, the database
one on a laptop. Only reads are counted; everything else is the backend's."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.cache.backends.db import DatabaseCache
from django_redis.cache import RedisCache

from commonroom.core.metrics import cache_observe

_MISSING = object()


class MeasuredRedisCache(RedisCache):
    def get(self, key: Any, default: Any = None, version: int | None = None, **kwargs: Any) -> Any:
        value = super().get(key, _MISSING, version, **kwargs)
        found = value is not _MISSING
        cache_observe(hits=int(found), misses=int(not found))
        return value if found else default

    def get_many(self, keys: Iterable[Any], version: int | None = None, **kwargs: Any) -> Any:
        keys = list(keys)
        found = super().get_many(keys, version, **kwargs)
        cache_observe(hits=len(found), misses=len(keys) - len(found))
        return found


class MeasuredDatabaseCache(DatabaseCache):
    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        value = super().get(key, _MISSING, version)
        found = value is not _MISSING
        cache_observe(hits=int(found), misses=int(not found))
        return value if found else default

    def get_many(self, keys: Iterable[Any], version: int | None = None) -> dict[str, Any]:
        keys = list(keys)
        found = super().get_many(keys, version)
        cache_observe(hits=len(found), misses=len(keys) - len(found))
        return found
