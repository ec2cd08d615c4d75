"""Run by test_streaming_replica.py only (not collected on its own: the
name does not start with test_), with DATABASE_URL on a primary and
DATABASE_REPLICA_URLS on its streaming replica.

Transactional tests: what a test writes is committed, so the replica
receives it, as in production."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import connections
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from commonroom.core import db_router
from commonroom.resources.models import Resource
from commonroom.search.tests.conftest import CORPUS, make

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica_1"])

SEARCH = reverse("search:search")
LISTING = reverse("resources:list")


def replayed(timeout: float = 10.0) -> None:
    """Wait until the replica has replayed all the primary has written."""
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()")
        lsn = cursor.fetchone()[0]
    deadline = time.monotonic() + timeout
    while True:
        with connections["replica_1"].cursor() as cursor:
            cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn])
            if cursor.fetchone()[0]:
                return
        assert time.monotonic() < deadline, "the replica did not replay within 10 s"
        time.sleep(0.02)


@contextmanager
def queries() -> Iterator[dict[str, list[str]]]:
    """The SQL each database ran inside."""
    found: dict[str, list[str]] = {}
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections["replica_1"]) as replica,
    ):
        yield found
    found["default"] = [q["sql"] for q in primary.captured_queries]
    found["replica_1"] = [q["sql"] for q in replica.captured_queries]


def ran(sql: list[str], table: str) -> bool:
    return any(table in statement for statement in sql)


def test_reads_on_the_replica_writes_and_what_follows_on_the_primary(member):
    """One test: a transactional test's flush at its end would empty the
    tables the migrations filled (languages, licences) for the next one."""
    corpus = {fields["title"]: make(**fields) for fields in CORPUS}
    replayed()
    db_router.replica_states_forget()
    search_and_a_listing_are_read_from_the_replica()
    a_write_then_the_next_pages_read_from_the_primary(corpus, member)
    a_lagging_replica_is_left_until_it_has_replayed()


def search_and_a_listing_are_read_from_the_replica() -> None:
    assert db_router.replica_aliases() == ["replica_1"]
    client = Client()
    with queries() as sql:
        response = client.get(SEARCH, {"q": "fietsen"})
    html = response.content.decode()
    assert (response.status_code, "2 resources found" in html) == (200, True)
    # The engine's match, the in-memory index's columns and the cards.
    assert ran(sql["replica_1"], "search_pg_match")
    assert ran(sql["replica_1"], "search_searchdocument")
    assert not ran(sql["default"], "search_")
    assert "commonroom_primary_until" not in response.cookies

    replayed()
    with queries() as sql:
        response = client.get(LISTING)
    assert response.status_code == 200
    assert "Photosynthesis explained" in response.content.decode()
    assert ran(sql["replica_1"], "resources_resource")
    assert not ran(sql["default"], "resources_resource")


def a_write_then_the_next_pages_read_from_the_primary(
    corpus: dict[str, Resource], member: object
) -> None:
    resource = corpus["Learning fractions"]
    client = Client()
    client.force_login(member)
    replayed()
    with queries() as sql:
        response = client.post(reverse("library:save", args=[resource.pk]))
    assert response.status_code == 302
    assert ran(sql["default"], 'INSERT INTO "library_')
    assert sql["replica_1"] == []
    assert float(response.cookies["commonroom_primary_until"].value) > time.time()
    # The next page, at once: what was just saved is read from the primary.
    with queries() as sql:
        response = client.get(reverse("library:saved"))
    assert "Learning fractions" in response.content.decode()
    assert ran(sql["default"], "library_")
    assert sql["replica_1"] == []
    # Once the marker has expired, the replica, which has replayed it by then.
    del client.cookies["commonroom_primary_until"]
    replayed()
    with queries() as sql:
        response = client.get(reverse("library:saved"))
    assert "Learning fractions" in response.content.decode()
    assert ran(sql["replica_1"], "library_")
    assert not ran(sql["default"], "library_")


def a_lagging_replica_is_left_until_it_has_replayed() -> None:
    client = Client()
    client.get(SEARCH, {"q": "fietsen"})  # this process's index copy, from the replica
    with connections["replica_1"].cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_pause()")
    try:
        make(title="Zonnepanelen op het dak", description="Energie van de zon.")
        time.sleep(1.3)  # REPLICA_MAX_LAG_SECONDS=1
        with db_router.replica_reads("replica_1"):
            assert not Resource.objects.filter(title="Zonnepanelen op het dak").exists()
        assert db_router.replica_lag("replica_1") > 1
        assert db_router.replica_choose() == db_router.PRIMARY
        ready = client.get("/readyz")
        checks = ready.json()["checks"]
        assert (ready.status_code, ready.json()["status"], checks["replica_1"]["status"]) == (
            200,
            "degraded",
            "lagging",
        )
        # The search reads the primary and finds what the replica lacks.
        with queries() as sql:
            html = client.get(SEARCH, {"q": "zonnepanelen"}).content.decode()
        assert "1 resource found" in html
        assert ran(sql["default"], "search_pg_match")
        # Only asked for its lag.
        assert [q for q in sql["replica_1"] if q != db_router.LAG_SQL] == []
        # Allowed to read the lagging replica, a search still never matches
        # in an index older than this process's copy: it moves to the primary.
        with override_settings(REPLICA_MAX_LAG_SECONDS=3600), queries() as sql:
            html = Client().get(SEARCH, {"q": "zonnepanelen"}).content.decode()
        assert "1 resource found" in html
        assert ran(sql["replica_1"], "search_searchindexstate")
        assert ran(sql["default"], "search_pg_match")
        # The replica's version came with its match of the word, in one
        # statement (search.memory.snapshot_with); found behind, both were
        # left unused and the primary matched (the replica lacks the page).
        matched_there = [q for q in sql["replica_1"] if "search_pg_match" in q]
        assert len(matched_there) == 1
        assert "search_searchindexstate" in matched_there[0]
    finally:
        with connections["replica_1"].cursor() as cursor:
            cursor.execute("SELECT pg_wal_replay_resume()")
    replayed()
    with db_router.replica_reads("replica_1"):
        assert Resource.objects.filter(title="Zonnepanelen op het dak").exists()
    assert db_router.replica_choose() == "replica_1"
    assert client.get("/readyz").json()["checks"]["replica_1"]["status"] == "ok"
