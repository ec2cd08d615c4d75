"""Issue 15 item 4: reading a resource writes nothing; its views and
downloads wait in the counter buffer (core.counters) and reach DailyStat
when the flush runs, per process or in Redis, on either database."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from commonroom.core import counters
from commonroom.core.tasks import counters_flush
from commonroom.core.tests.redis_server import RedisServer, redis_server
from commonroom.resources import services
from commonroom.resources.models import DailyStat
from commonroom.resources.tests.factories import PublishedResourceFactory, ResourceFileFactory

__all__ = ["redis_server"]  # the fixture

pytestmark = pytest.mark.django_db
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def writes_of(queries: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].lstrip().split()[0].upper() in WRITES]


@pytest.fixture(params=["process", "redis"])
def buffer(request: pytest.FixtureRequest) -> Iterator[str]:
    """Each test runs with the per-process buffer and with the test's own Redis."""
    if request.param == "process":
        yield "process"
        return
    server: RedisServer = request.getfixturevalue("redis_server")
    with override_settings(COUNTERS_REDIS_URL=server.url, COUNTERS_KEY_PREFIX="t15r"):
        yield "redis"


def stats() -> dict[tuple[int, object], tuple[int, int]]:
    return {
        (s.resource_id, s.day): (s.views, s.downloads)
        for s in DailyStat.objects.order_by("resource_id", "day")
    }


def test_r2_issue15_reading_a_resource_writes_no_row(
    buffer: str, client: Client, member_client: Client
) -> None:
    resource = PublishedResourceFactory()
    file = ResourceFileFactory(resource=resource)
    other = PublishedResourceFactory()
    client.get(other.get_absolute_url())  # warms the site-wide cache
    member_client.get(other.get_absolute_url())
    with CaptureQueriesContext(connection) as queries:
        assert client.get(resource.get_absolute_url()).status_code == 200
        assert member_client.get(resource.get_absolute_url()).status_code == 200
        assert member_client.get(resource.get_absolute_url()).status_code == 200  # once a day
        assert member_client.get(file.get_absolute_url()).status_code == 200
    assert writes_of(queries) == []
    assert not DailyStat.objects.exists()
    counters_flush.call()
    today = timezone.localdate()
    assert stats() == {(other.pk, today): (2, 0), (resource.pk, today): (2, 1)}


def test_issue15_flushes_add_to_the_rows_and_keep_the_day_of_the_view(buffer: str) -> None:
    resource = PublishedResourceFactory()
    today = timezone.localdate()
    yesterday = today - timedelta(days=1)
    DailyStat.objects.create(resource=resource, day=today, views=10, downloads=1)
    services.stat_record(resource=resource, views=1, day=yesterday)  # before midnight
    services.stat_record(resource=resource, views=1)
    services.stat_record(resource=resource, downloads=2)
    counters.flush()
    services.stat_record(resource=resource, views=1)
    counters.flush()
    assert stats() == {(resource.pk, yesterday): (1, 0), (resource.pk, today): (12, 3)}


def test_issue15_counts_of_a_resource_deleted_before_the_flush_are_dropped(buffer: str) -> None:
    kept, deleted = PublishedResourceFactory(), PublishedResourceFactory()
    services.stat_record(resource=kept, views=1)
    services.stat_record(resource=deleted, views=1)
    deleted_pk = deleted.pk
    deleted.delete()
    with CaptureQueriesContext(connection) as queries:
        counters.flush()
    # One read of the resources that still exist, one insert for the batch.
    assert len([w for w in writes_of(queries) if "resources_dailystat" in w]) == 1
    assert [pk for pk, _day in stats()] == [kept.pk]
    assert deleted_pk not in {pk for pk, _day in stats()}


def test_issue15_many_resources_flush_in_few_statements(buffer: str) -> None:
    resources = PublishedResourceFactory.create_batch(5)
    for n, resource in enumerate(resources):
        services.stat_record(resource=resource, views=n + 1)
    with CaptureQueriesContext(connection) as queries:
        counters.flush()
    assert len([w for w in writes_of(queries) if "resources_dailystat" in w]) == 1
    assert sorted(v for v, _d in stats().values()) == [1, 2, 3, 4, 5]
