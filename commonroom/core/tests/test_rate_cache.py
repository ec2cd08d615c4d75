"""Issue 15 item 4 and R34 on a site without Redis: page budgets and rate
limits count in each process (core.rate_cache) and reach the shared
database cache at most every SYNC_SECONDS per client, so a page view writes
nothing, while every process still learns the others' counts."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from commonroom.core.rate_cache import PRUNE_SECONDS, SYNC_SECONDS, BufferedCountCache

pytestmark = pytest.mark.django_db

SHARED = {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "commonroom_cache"}


def _front() -> BufferedCountCache:
    """One process's counting front to the shared table."""
    return BufferedCountCache("", {"OPTIONS": {"SHARED": "default"}})


@pytest.fixture
def shared_table(settings, time_machine):
    settings.CACHES = {**settings.CACHES, "default": SHARED}
    caches["default"].clear()
    time_machine.move_to(datetime(2026, 3, 2, 9, 0, 0, tzinfo=UTC), tick=False)
    yield time_machine
    caches["default"].clear()


def _writes(queries: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].startswith(("INSERT", "UPDATE", "DELETE"))]


def test_r34_issue15_counts_stay_in_the_process_between_syncs(shared_table):
    front = _front()
    assert front.add("rl:a", 1, 600) is True
    with CaptureQueriesContext(connection) as queries:
        counts = [front.incr("rl:a") for _ in range(50)]
        seen = front.get("rl:a")
        again = front.add("rl:a", 1, 600)
    assert counts == list(range(2, 52))
    assert (seen, again) == (51, False)
    assert len(queries) == 0


def test_r34_issue15_the_shared_count_is_written_once_per_sync(shared_table):
    front = _front()
    front.add("rl:a", 1, 600)
    for _ in range(20):
        front.incr("rl:a")
    shared_table.shift(SYNC_SECONDS + 0.1)
    with CaptureQueriesContext(connection) as queries:
        assert front.incr("rl:a") == 22
    assert len(_writes(queries)) == 1
    assert caches["default"].get("rl:a") == 22


def test_r34_issue15_each_process_learns_the_others_counts(shared_table):
    web1, web2 = _front(), _front()
    web1.add("rl:a", 1, 600)
    assert web2.add("rl:a", 1, 600) is False  # the window has begun elsewhere
    for _ in range(9):
        web1.incr("rl:a")
    for _ in range(5):
        web2.incr("rl:a")
    assert (web1.get("rl:a"), web2.get("rl:a")) == (10, 6)  # each its own, until a sync
    shared_table.shift(SYNC_SECONDS + 0.1)
    assert web1.incr("rl:a") == 11  # hands over its 10
    assert web2.incr("rl:a") == 17  # hands over its 6, reads web1's
    shared_table.shift(SYNC_SECONDS + 0.1)
    assert web1.get("rl:a") == 17


def test_r34_issue15_a_windows_counts_are_forgotten_when_it_ends(shared_table):
    front = _front()
    front.add("rl:a", 1, 20)
    for _ in range(5):
        front.incr("rl:a")
    front.add("rl:b", 1, 600)
    shared_table.shift(PRUNE_SECONDS + 1)
    front.add("rl:b", 1, 600)  # a count after PRUNE_SECONDS drops the ended window's entry
    assert list(front._counts) == [":1:rl:b"]
    assert front.get("rl:a") is None  # the window ended everywhere: nothing is left of it


def test_r34_issue15_a_budgeted_page_writes_nothing_and_the_budget_still_holds(
    shared_table, settings
):
    settings.CACHES = {
        **settings.CACHES,
        "default": SHARED,
        "ratelimit": {
            "BACKEND": "commonroom.core.rate_cache.BufferedCountCache",
            "OPTIONS": {"SHARED": "default"},
        },
    }
    settings.RATELIMIT_USE_CACHE = "ratelimit"
    settings.ANONYMOUS_BUDGET_PAGES = "30/10m"
    visitor = Client(REMOTE_ADDR="203.0.113.7")
    visitor.get("/terms/")  # the window begins: one INSERT
    with CaptureQueriesContext(connection) as queries:
        answers = [visitor.get("/terms/").status_code for _ in range(35)]
    assert answers == [200] * 29 + [429] * 6
    assert [w for w in _writes(queries) if "commonroom_cache" in w] == []
