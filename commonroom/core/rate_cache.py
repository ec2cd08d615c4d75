"""Where rate limits and page budgets count, without a database write per
request on a site with no Redis (issue 15 item 4, R34).

django-ratelimit counts in ``RATELIMIT_USE_CACHE``. With Redis that is the
default cache: one shared, atomic count per client and window. Without
Redis the default cache is a database table, where each counted request
cost a dozen statements and three writes (an INSERT refused, a read, an
UPDATE). This backend sits in front of that shared cache and counts in the
process:

* a count's first ``add`` in a window goes to the shared cache (so every
  process knows the window has begun); later ones are answered here;
* ``incr`` adds to the process's pending increments and hands them to the
  shared cache at most every ``SYNC_SECONDS``, in one ``incr``;
* ``get`` answers the shared count last read (read again after
  ``SYNC_SECONDS``) plus what this process has pending.

So a client's count is exact within one process and behind by at most
``SYNC_SECONDS`` of the other processes' requests; the shared cache sees at
most one write per client per process every ``SYNC_SECONDS``. Counts live in
windows named by their keys (django-ratelimit's), so an expired window is
simply never asked for again; its entry here is dropped after its timeout.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

from django.core.cache import BaseCache, caches

SYNC_SECONDS = 2.0
# How often the entries of ended windows are dropped.
PRUNE_SECONDS = 30.0


@dataclass
class _Count:
    shared: int  # the shared cache's count when last read or written
    pending: int  # counted here, not yet handed over
    synced_at: float
    expires_at: float


class BufferedCountCache(BaseCache):
    """A counting front to the cache named in OPTIONS["SHARED"] ("default")."""

    def __init__(self, location: str, params: dict[str, Any]) -> None:
        options = dict(params.get("OPTIONS") or {})
        self._shared_alias = str(options.pop("SHARED", "default"))
        self._sync_seconds = float(options.pop("SYNC_SECONDS", SYNC_SECONDS))
        super().__init__({**params, "OPTIONS": options})
        self._counts: dict[str, _Count] = {}
        self._pruned_at = 0.0
        self._lock = threading.Lock()

    @property
    def _shared(self) -> BaseCache:
        return caches[self._shared_alias]

    def add(self, key: Any, value: Any, timeout: Any = None, version: int | None = None) -> bool:
        local = self.make_and_validate_key(key, version=version)
        now = time.time()
        with self._lock:
            if now - self._pruned_at > PRUNE_SECONDS:
                self._prune(now)
            known = self._counts.get(local)
            if known is not None and known.expires_at > now:
                return False
        added = bool(self._shared.add(key, value, timeout, version=version))
        shared = int(value) if added else int(self._shared.get(key, value, version=version) or 0)
        until = self.get_backend_timeout(timeout)  # a moment, as time.time() tells it
        expires_at = float(until) if until is not None else now + 365 * 24 * 3600
        with self._lock:
            self._counts[local] = _Count(shared, 0, now, expires_at)
        return added

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        local = self.make_and_validate_key(key, version=version)
        now = time.time()
        with self._lock:
            known = self._counts.get(local)
            if known is None:
                raise ValueError(f"Key '{key}' not found")
            known.pending += delta
            if now - known.synced_at < self._sync_seconds:
                return known.shared + known.pending
            handing, known.pending, known.synced_at = known.pending, 0, now
        try:
            shared = int(self._shared.incr(key, handing, version=version))
        except ValueError:  # the shared entry expired or was cleared: begin again
            self._shared.add(key, handing, max(1, int(known.expires_at - now)), version=version)
            shared = handing
        with self._lock:
            known.shared = shared
            return known.shared + known.pending

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        local = self.make_and_validate_key(key, version=version)
        now = time.time()
        with self._lock:
            known = self._counts.get(local)
            if known is None or known.expires_at <= now:
                return self._shared.get(key, default, version=version)
            if now - known.synced_at < self._sync_seconds:
                return known.shared + known.pending
            known.synced_at = now
        shared = self._shared.get(key, version=version)
        with self._lock:
            if shared is not None:
                known.shared = int(shared)
            return known.shared + known.pending

    def set(self, key: Any, value: Any, timeout: Any = None, version: int | None = None) -> None:
        local = self.make_and_validate_key(key, version=version)
        with self._lock:
            self._counts.pop(local, None)
        self._shared.set(key, value, timeout, version=version)

    def delete(self, key: Any, version: int | None = None) -> bool:
        local = self.make_and_validate_key(key, version=version)
        with self._lock:
            self._counts.pop(local, None)
        return bool(self._shared.delete(key, version=version))

    def touch(self, key: Any, timeout: Any = None, version: int | None = None) -> bool:
        return bool(self._shared.touch(key, timeout, version=version))

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return self.get(key, version=version) is not None

    def clear(self) -> None:
        with self._lock:
            self._counts.clear()
        self._shared.clear()

    def _prune(self, now: float) -> None:
        self._pruned_at = now
        for key in [k for k, c in self._counts.items() if c.expires_at <= now]:
            del self._counts[key]
