"""Counters that a read never writes to the database (issue 15 item 4).

A page view, a download or a search only adds to a counter here; the rows
(a resource's ``DailyStat``, a query's ``QueryStat``) are written later, in
batches, one INSERT ... ON CONFLICT per batch, by ``counters_flush``.

Where the increments wait:

* **Redis** (``REDIS_URL`` set): ``HINCRBY`` on one hash per counter, shared
  by every process. A flush renames the hash to a batch of its own (atomic:
  an increment lands either in the batch or in the next hash) and writes the
  batch in one transaction together with a ``CounterBatch`` row named after
  it, then deletes it. A batch left behind by a process that died mid-flush
  is taken up by the next flush after ``ORPHAN_SECONDS``; its
  ``CounterBatch`` row says whether it was already written, so each
  increment is counted **exactly once**. A web process that crashes loses
  nothing: its increments are already in Redis. While Redis is unreachable
  increments fall back to the per-process buffer below (for
  ``REDIS_RETRY_SECONDS`` after a failure, so no request waits for it).
* **Per process** (no Redis: the one-command SQLite mode): a dictionary in
  the web process, under a lock. A flush takes the dictionary and writes it;
  a write that fails puts the counts back for the next flush. **At most
  once**: a process killed without warning (SIGKILL, out of memory, power
  cut) loses what it counted since its last flush, i.e. at most
  ``COUNTER_FLUSH_SECONDS`` (default 5 s) of its views, downloads and
  searches; a clean stop (gunicorn's worker_exit, any interpreter exit)
  flushes first and loses nothing.

Who flushes: each process that counts starts a daemon thread that flushes
every ``COUNTER_FLUSH_SECONDS`` (the Redis hashes are shared, so whichever
process renames a hash first writes that batch); ``gunicorn.conf.py``'s
``worker_exit`` and an ``atexit`` hook flush on a clean stop; and the
scheduler queues the ``core.tasks.counters_flush`` task every minute, which
writes whatever Redis holds (orphaned batches included) even when no web
process is counting. Pages therefore show counts that lag by at most
``COUNTER_FLUSH_SECONDS`` (plus one statement's time).

Apps say what they count with ``<app>/counters.py`` exposing ``COUNTERS``
(a sequence of ``Counter``); this module imports no app.
"""

from __future__ import annotations

import atexit
import json
import logging
import os
import threading
import time
import uuid
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta

import redis
from django.conf import settings
from django.db import IntegrityError, close_old_connections, transaction
from django.utils import timezone

from commonroom.core.discovery import app_modules

logger = logging.getLogger(__name__)

Key = tuple[str | int, ...]
# One batch of one counter: each key's increments, field by field.
Batch = dict[Key, dict[str, int]]

# A Redis batch still present this long after it was taken belongs to a
# process that died while writing it; any flush then writes it (once).
ORPHAN_SECONDS = 60
# Most tokens ``first_time`` remembers per process without Redis.
ONCE_MAX_TOKENS = 50_000

_TAKE = """
if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('RENAME', KEYS[1], KEYS[2])
  redis.call('SADD', KEYS[3], ARGV[1])
  return 1
end
return 0
"""


@dataclass(frozen=True)
class Counter:
    """What an app counts: ``write(batch)`` adds a batch to its table in one
    statement (or one per few hundred keys) and must ignore keys whose row
    can no longer exist (a deleted resource)."""

    name: str
    fields: tuple[str, ...]
    write: Callable[[Batch], None]


def registry() -> dict[str, Counter]:
    return {
        counter.name: counter
        for module in app_modules("counters")
        for counter in getattr(module, "COUNTERS", ())
    }


# --- the per-process buffer -------------------------------------------------

_lock = threading.Lock()
_local: dict[str, Batch] = defaultdict(dict)
_seen: OrderedDict[str, float] = OrderedDict()
_flusher_pid = 0


def _add_local(name: str, key: Key, increments: Mapping[str, int]) -> None:
    with _lock:
        row = _local[name].setdefault(key, {})
        for field, n in increments.items():
            row[field] = row.get(field, 0) + n


def _take_local() -> dict[str, Batch]:
    global _local
    with _lock:
        taken, _local = _local, defaultdict(dict)
    return taken


def _merge_back(name: str, batch: Batch) -> None:
    for key, increments in batch.items():
        _add_local(name, key, increments)


def pending_local() -> dict[str, Batch]:
    """A copy of what this process holds and has not written yet."""
    with _lock:
        return {name: {k: dict(v) for k, v in b.items()} for name, b in _local.items() if b}


def discard_local() -> None:
    """Forget this process's unwritten counts (tests)."""
    global _redis_away_until
    _redis_away_until = 0.0
    with _lock:
        _local.clear()
        _seen.clear()


# --- Redis ------------------------------------------------------------------

_clients: dict[str, redis.Redis] = {}
# After Redis failed, requests count in the process for this long instead of
# each waiting up to a second for a Redis that is away.
REDIS_RETRY_SECONDS = 10.0
_redis_away_until = 0.0


def _redis(*, for_request: bool = False) -> redis.Redis | None:
    url = str(getattr(settings, "COUNTERS_REDIS_URL", "") or "")
    if not url or (for_request and time.monotonic() < _redis_away_until):
        return None
    key = f"{os.getpid()}:{url}"  # a connection is never shared across a fork
    if key not in _clients:
        _clients[key] = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
    return _clients[key]


def _prefix(name: str) -> str:
    return f"{settings.COUNTERS_KEY_PREFIX}:{name}"


def _field(key: Key, field: str) -> str:
    return json.dumps([list(key), field], separators=(",", ":"))


def _unfield(raw: bytes) -> tuple[Key, str]:
    key, field = json.loads(raw)
    return tuple(key), str(field)


# --- counting ---------------------------------------------------------------


def count(name: str, key: Key, **increments: int) -> None:
    """Add to counter ``name`` for ``key`` (for example a resource and a
    day); never touches the database, never fails the request."""
    increments = {f: n for f, n in increments.items() if n}
    if not increments:
        return
    client = _redis(for_request=True)
    if client is not None:
        try:
            with client.pipeline(transaction=False) as pipe:
                for field, n in increments.items():
                    pipe.hincrby(_prefix(name), _field(key, field), n)
                pipe.execute()
            _ensure_flusher()
            return
        except redis.RedisError as error:
            _redis_away(error)
    _add_local(name, key, increments)
    _ensure_flusher()


def _redis_away(error: Exception) -> None:
    global _redis_away_until
    _redis_away_until = time.monotonic() + REDIS_RETRY_SECONDS
    logger.warning(
        "Counters: Redis unreachable, counting in this process for %s s: %s",
        REDIS_RETRY_SECONDS,
        error,
    )


def first_time(token: str, *, seconds: int) -> bool:
    """True the first time ``token`` is seen in ``seconds`` (SET NX in Redis;
    without Redis, per process: each web process may say True once)."""
    client = _redis(for_request=True)
    if client is not None:
        try:
            return bool(
                client.set(f"{settings.COUNTERS_KEY_PREFIX}:once:{token}", 1, nx=True, ex=seconds)
            )
        except redis.RedisError as error:
            _redis_away(error)
    now = time.monotonic()
    with _lock:
        seen_at = _seen.get(token)
        if seen_at is not None and now - seen_at < seconds:
            return False
        _seen[token] = now
        _seen.move_to_end(token)
        while len(_seen) > ONCE_MAX_TOKENS:
            _seen.popitem(last=False)
    return True


# --- flushing ---------------------------------------------------------------


def flush() -> int:
    """Write every buffered increment (this process's and Redis's); returns
    the number of keys written. Safe to call from several processes at once."""
    counters = registry()
    written = 0
    failure: Exception | None = None
    for name, batch in _take_local().items():
        counter = counters.get(name)
        if counter is None or not batch:
            continue
        if failure is None:
            try:
                with transaction.atomic():
                    counter.write(batch)
                written += len(batch)
                continue
            except Exception as error:
                failure = error
        _merge_back(name, batch)  # kept for the next flush
    if failure is not None:
        raise failure
    client = _redis()
    if client is not None:
        for counter in counters.values():
            written += _flush_redis(client, counter)
    return written


def _flush_redis(client: redis.Redis, counter: Counter) -> int:
    live = _prefix(counter.name)
    batches = f"{live}:batches"
    batch_id = f"{int(time.time())}-{uuid.uuid4().hex}"
    client.eval(_TAKE, 3, live, f"{live}:batch:{batch_id}", batches, batch_id)
    written = 0
    members: set[bytes] = client.smembers(batches)  # type: ignore[assignment]
    for raw in sorted(members):
        taken = raw.decode()
        if taken != batch_id and time.time() - int(taken.split("-")[0]) < ORPHAN_SECONDS:
            continue  # another process is writing it now
        written += _write_redis_batch(client, counter, taken)
    return written


def _write_redis_batch(client: redis.Redis, counter: Counter, batch_id: str) -> int:
    from commonroom.core.models import CounterBatch

    key = f"{_prefix(counter.name)}:batch:{batch_id}"
    batch: Batch = defaultdict(dict)
    rows: dict[bytes, bytes] = client.hgetall(key)  # type: ignore[assignment]
    for raw, value in rows.items():
        row_key, field = _unfield(raw)
        batch[row_key][field] = batch[row_key].get(field, 0) + int(value)
    with transaction.atomic():
        try:
            with transaction.atomic():
                CounterBatch.objects.create(name=f"{counter.name}:{batch_id}")
        except IntegrityError:
            batch = {}  # written before, by a flush that died before deleting it
        else:
            if batch:
                # An error here keeps the batch in Redis for a later flush.
                counter.write(dict(batch))
    client.delete(key)
    client.srem(f"{_prefix(counter.name)}:batches", batch_id)
    return len(batch)


def flush_quietly(reason: str) -> None:
    """Flush on a process's way out; an error is logged, never raised."""
    try:
        flush()
    except Exception:
        logger.exception("Counters: flush on %s failed", reason)
    finally:
        close_old_connections()


def _flusher_loop(interval: float) -> None:
    while True:
        time.sleep(interval)
        try:
            flush()
        except Exception:
            logger.exception("Counters: flush failed, retrying in %s s", interval)
        finally:
            # This thread's own connection: closed, so it holds no lock or
            # snapshot between flushes and survives a database restart.
            from django.db import connections

            for connection in connections.all(initialized_only=True):
                connection.close()


def _ensure_flusher() -> None:
    """Start this process's flusher thread once (again in a forked child)."""
    global _flusher_pid
    interval = float(settings.COUNTER_FLUSH_SECONDS)
    if interval <= 0 or _flusher_pid == os.getpid():
        return
    with _lock:
        if _flusher_pid == os.getpid():
            return
        _flusher_pid = os.getpid()
    threading.Thread(
        target=_flusher_loop, args=(interval,), name="counters-flush", daemon=True
    ).start()


atexit.register(flush_quietly, "exit")


# --- helpers for apps' writers ------------------------------------------------


def chunks(batch: Batch, size: int = 300) -> Iterable[Sequence[tuple[Key, dict[str, int]]]]:
    """A batch in pieces small enough for one statement's parameters."""
    items = list(batch.items())
    for start in range(0, len(items), size):
        yield items[start : start + size]


def prune_batches(*, older_than_days: int = 2) -> int:
    """Forget the names of written Redis batches (daily, core.tasks)."""
    from commonroom.core.models import CounterBatch

    before = timezone.now() - timedelta(days=older_than_days)
    deleted, _kinds = CounterBatch.objects.filter(written_at__lt=before).delete()
    return deleted
