"""Issue 15 item 4: a search writes no row; its weekly counter waits in the
counter buffer (core.counters) and reaches QueryStat when the flush runs,
per process or in Redis, on either database."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from commonroom.core.tasks import counters_flush
from commonroom.core.tests.redis_server import RedisServer, redis_server
from commonroom.search.insight import week_of
from commonroom.search.models import QueryStat

__all__ = ["redis_server"]  # the fixture

pytestmark = pytest.mark.django_db
SEARCH = reverse("search:search")
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


@pytest.fixture(params=["process", "redis"])
def buffer(request: pytest.FixtureRequest) -> Iterator[str]:
    if request.param == "process":
        yield "process"
        return
    server: RedisServer = request.getfixturevalue("redis_server")
    with override_settings(COUNTERS_REDIS_URL=server.url, COUNTERS_KEY_PREFIX="t15s"):
        yield "redis"


def test_r11_issue15_a_search_writes_no_row_and_is_counted_after_the_flush(
    buffer: str, client: Client, member_client: Client, corpus: object
) -> None:
    client.get(SEARCH, {"q": "warm"})  # the site-wide cache and the index
    # A session's first page notes the terms accepted in it, once (legal).
    member_client.get("/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get(SEARCH, {"q": "Fiets"}).status_code == 200
        assert member_client.get(SEARCH, {"q": "fiets"}).status_code == 200
        assert client.get(SEARCH, {"q": "zzzqqq"}).status_code == 200
    writes = [q["sql"] for q in queries if q["sql"].lstrip().split()[0].upper() in WRITES]
    assert writes == []
    assert not QueryStat.objects.exists()
    counters_flush.call()
    week = week_of(timezone.now())
    assert {s.query: (s.searches, s.zero_results) for s in QueryStat.objects.filter(week=week)} == {
        "fiets": (2, 0),
        "warm": (1, 1),
        "zzzqqq": (1, 1),
    }
