"""Issue 15 item 4: the counter buffer (core.counters), per process and in
Redis, with a counter of the test's own (what resources and search count is
tested in their apps)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from django.test import override_settings

from commonroom.core import counters
from commonroom.core.counters import Batch, Counter
from commonroom.core.models import CounterBatch
from commonroom.core.tests.redis_server import RedisServer, redis_server

__all__ = ["redis_server"]  # the fixture

ROOT = Path(__file__).resolve().parents[3]


class Sink:
    """A counter's writer that keeps each batch it was given."""

    def __init__(self) -> None:
        self.batches: list[Batch] = []
        self.fail = False

    def __call__(self, batch: Batch) -> None:
        if self.fail:
            raise RuntimeError("the database is away")
        self.batches.append(batch)

    def totals(self) -> dict[tuple[object, ...], dict[str, int]]:
        total: dict[tuple[object, ...], dict[str, int]] = {}
        for batch in self.batches:
            for key, fields in batch.items():
                row = total.setdefault(key, {})
                for field, n in fields.items():
                    row[field] = row.get(field, 0) + n
        return total


@pytest.fixture
def sink(monkeypatch: pytest.MonkeyPatch) -> Sink:
    writer = Sink()
    monkeypatch.setattr(
        counters, "registry", lambda: {"test.hits": Counter("test.hits", ("hits",), writer)}
    )
    return writer


@pytest.fixture
def in_redis(redis_server: RedisServer) -> Iterator[redis.Redis]:
    with override_settings(COUNTERS_REDIS_URL=redis_server.url, COUNTERS_KEY_PREFIX="t15"):
        yield redis.Redis.from_url(redis_server.url)


@pytest.mark.django_db
def test_issue15_per_process_counts_add_up_and_flush_as_one_batch(sink: Sink) -> None:
    counters.count("test.hits", (1, "2026-12-07"), hits=1)
    counters.count("test.hits", (1, "2026-12-07"), hits=2)
    counters.count("test.hits", (2, "2026-12-07"), hits=1)
    counters.count("test.hits", (3, "2026-12-07"), hits=0)  # nothing to count
    assert counters.pending_local() == {
        "test.hits": {(1, "2026-12-07"): {"hits": 3}, (2, "2026-12-07"): {"hits": 1}}
    }
    assert counters.flush() == 2
    assert sink.batches == [{(1, "2026-12-07"): {"hits": 3}, (2, "2026-12-07"): {"hits": 1}}]
    assert counters.pending_local() == {}
    assert counters.flush() == 0
    assert len(sink.batches) == 1


@pytest.mark.django_db
def test_issue15_a_failed_write_keeps_the_counts_for_the_next_flush(sink: Sink) -> None:
    counters.count("test.hits", (1,), hits=2)
    sink.fail = True
    with pytest.raises(RuntimeError):
        counters.flush()
    counters.count("test.hits", (1,), hits=1)  # counted meanwhile
    assert counters.pending_local() == {"test.hits": {(1,): {"hits": 3}}}
    sink.fail = False
    counters.flush()
    assert sink.totals() == {(1,): {"hits": 3}}


@pytest.mark.django_db
def test_issue15_redis_counts_are_shared_and_flushed_once(
    sink: Sink, in_redis: redis.Redis
) -> None:
    counters.count("test.hits", (1, "x"), hits=1)
    counters.count("test.hits", (1, "x"), hits=4)
    counters.count("test.hits", (2, "y"), hits=1)
    assert counters.pending_local() == {}  # nothing held by the process
    assert in_redis.hgetall("t15:test.hits") == {
        b'[[1,"x"],"hits"]': b"5",
        b'[[2,"y"],"hits"]': b"1",
    }
    assert counters.flush() == 2
    assert sink.totals() == {(1, "x"): {"hits": 5}, (2, "y"): {"hits": 1}}
    assert in_redis.keys("t15:*") == []
    assert CounterBatch.objects.filter(name__startswith="test.hits:").count() == 1
    assert counters.flush() == 0  # an empty hash makes no batch
    assert len(sink.batches) == 1


@pytest.mark.django_db
def test_issue15_a_batch_left_by_a_dead_flush_is_written_exactly_once(
    sink: Sink, in_redis: redis.Redis
) -> None:
    old = int(time.time()) - counters.ORPHAN_SECONDS - 1
    # Died after writing its batch, before deleting it from Redis:
    in_redis.hset(f"t15:test.hits:batch:{old}-written", '[[1],"hits"]', 7)
    CounterBatch.objects.create(name=f"test.hits:{old}-written")
    # Died before writing:
    in_redis.hset(f"t15:test.hits:batch:{old}-unwritten", '[[2],"hits"]', 3)
    # Another process is writing this one right now:
    in_redis.hset(f"t15:test.hits:batch:{int(time.time())}-busy", '[[3],"hits"]', 1)
    in_redis.sadd("t15:test.hits:batches", f"{old}-written", f"{old}-unwritten")
    in_redis.sadd("t15:test.hits:batches", f"{int(time.time())}-busy")
    counters.flush()
    assert sink.totals() == {(2,): {"hits": 3}}
    assert {m.decode().split("-")[1] for m in in_redis.smembers("t15:test.hits:batches")} == {
        "busy"
    }


@pytest.mark.django_db
def test_issue15_without_redis_counts_wait_in_the_process(sink: Sink) -> None:
    from commonroom.core.tests.redis_server import free_port

    with override_settings(COUNTERS_REDIS_URL=f"redis://127.0.0.1:{free_port()}/0"):
        counters.count("test.hits", (1,), hits=1)  # Redis refuses: kept here
        assert counters.pending_local() == {"test.hits": {(1,): {"hits": 1}}}
        with pytest.raises(redis.ConnectionError):
            counters.flush()  # the process's own counts were written first
    assert sink.totals() == {(1,): {"hits": 1}}


def test_issue15_first_time_per_process_and_in_redis(in_redis: redis.Redis) -> None:
    with override_settings(COUNTERS_REDIS_URL=""):
        assert counters.first_time("a", seconds=60) is True
        assert counters.first_time("a", seconds=60) is False
        assert counters.first_time("b", seconds=60) is True
    assert counters.first_time("a", seconds=60) is True  # Redis knew nothing of it
    assert counters.first_time("a", seconds=60) is False
    assert 0 < in_redis.ttl("t15:once:a") <= 60


@pytest.mark.django_db
def test_issue15_gunicorn_worker_exit_flushes(sink: Sink) -> None:
    from commonroom.core.gunicorn_hooks import worker_exit

    counters.count("test.hits", (9,), hits=2)
    worker_exit(None, None)
    assert sink.totals() == {(9,): {"hits": 2}}


def test_issue15_a_process_that_exits_cleanly_flushes(tmp_path: Path) -> None:
    """atexit: what a process counted is written when it ends normally."""
    out = tmp_path / "written.txt"
    script = f"""
import django
django.setup()
from commonroom.core import counters
def write(batch):
    open({str(out)!r}, "a").write(repr(sorted(batch.items())))
counters.registry = lambda: {{"test.hits": counters.Counter("test.hits", ("hits",), write)}}
counters.count("test.hits", (5, "2026-12-07"), hits=1)
counters.count("test.hits", (5, "2026-12-07"), hits=1)
"""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, check=True, timeout=60)  # noqa: S603
    assert out.read_text() == "[((5, '2026-12-07'), {'hits': 2})]"


@pytest.mark.django_db
def test_issue15_a_redis_batch_that_failed_to_write_is_written_later(
    sink: Sink, in_redis: redis.Redis, monkeypatch: pytest.MonkeyPatch
) -> None:
    counters.count("test.hits", (1,), hits=2)
    sink.fail = True
    with pytest.raises(RuntimeError):
        counters.flush()
    assert not CounterBatch.objects.exists()  # rolled back with the write
    assert len(in_redis.smembers("t15:test.hits:batches")) == 1  # kept
    sink.fail = False
    counters.count("test.hits", (1,), hits=1)
    monkeypatch.setattr(counters, "ORPHAN_SECONDS", 0)  # as a minute later
    counters.flush()
    assert sink.totals() == {(1,): {"hits": 3}}
    assert in_redis.keys("t15:*") == []


@pytest.mark.django_db
def test_issue15_after_redis_failed_requests_do_not_wait_for_it(
    sink: Sink, monkeypatch: pytest.MonkeyPatch
) -> None:
    from commonroom.core.tests.redis_server import free_port

    with override_settings(COUNTERS_REDIS_URL=f"redis://127.0.0.1:{free_port()}/0"):
        counters.count("test.hits", (1,), hits=1)  # tries Redis, fails
        tried: list[object] = []
        monkeypatch.setattr(redis.Redis, "pipeline", lambda *a, **k: tried.append(a))
        counters.count("test.hits", (1,), hits=1)  # counted here at once
        assert counters.first_time("x", seconds=5) is True
        assert tried == []
        assert counters.pending_local() == {"test.hits": {(1,): {"hits": 2}}}
