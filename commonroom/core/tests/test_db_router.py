"""Which database each read and write goes to (issue 19, item 2). The real
streaming replica is in tests/replicas/test_streaming_replica.py."""

from __future__ import annotations

import time

import pytest
from django.contrib.sessions.models import Session
from django.core.cache.backends.db import DatabaseCache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from commonroom.accounts.models import Member
from commonroom.core import db_router
from commonroom.core.db_router import PRIMARY, ReplicaRouter, ReplicaRoutingMiddleware
from commonroom.core.models import OutboxEntry

COOKIE = "commonroom_primary_until"


@pytest.fixture
def two_replicas(monkeypatch, settings):
    """Two replicas, both caught up, without servers behind them."""
    settings.REPLICA_MAX_LAG_SECONDS = 5.0
    settings.REPLICA_CHECK_SECONDS = 0.0
    lags: dict[str, float | Exception] = {"replica_1": 0.0, "replica_2": 0.0}

    def lag(alias: str) -> float:
        value = lags[alias]
        if isinstance(value, Exception):
            raise value
        return value

    monkeypatch.setattr(db_router, "replica_aliases", lambda: list(lags))
    monkeypatch.setattr(db_router, "replica_lag", lag)
    db_router.replica_states_forget()
    yield lags
    db_router.replica_states_forget()


def request(method: str = "GET", cookie: str | None = None) -> HttpRequest:
    made = RequestFactory().generic(method, "/search/")
    if cookie is not None:
        made.COOKIES[COOKIE] = cookie
    return made


def test_r_item19_a_get_reads_a_replica_other_methods_the_primary(two_replicas):
    assert db_router.request_read_alias(request("GET")) in {"replica_1", "replica_2"}
    assert db_router.request_read_alias(request("HEAD")) in {"replica_1", "replica_2"}
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        assert db_router.request_read_alias(request(method)) == PRIMARY


def test_r_item19_after_a_write_the_browser_reads_the_primary_for_the_sticky_seconds(
    two_replicas, settings
):
    settings.REPLICA_STICKY_SECONDS = 10
    now = 1_000_000.0
    assert db_router.request_read_alias(request(cookie=str(now + 9.5)), now=now) == PRIMARY
    # Expired, garbled, or further ahead than the setting allows (not ours).
    for cookie in (str(now - 0.1), "soon", str(now + 3600)):
        alias = db_router.request_read_alias(request(cookie=cookie), now=now)
        assert alias in {"replica_1", "replica_2"}, cookie


def test_r_item19_a_replica_behind_or_unreachable_is_not_read(two_replicas):
    two_replicas["replica_1"] = 6.0  # REPLICA_MAX_LAG_SECONDS is 5
    two_replicas["replica_2"] = ConnectionRefusedError("down")
    assert db_router.replica_choose() == PRIMARY
    two_replicas["replica_2"] = 0.2
    assert {db_router.replica_choose() for _ in range(20)} == {"replica_2"}


def test_r_item19_each_replica_is_asked_for_its_lag_at_most_every_check_seconds(
    two_replicas, settings, monkeypatch
):
    settings.REPLICA_CHECK_SECONDS = 2.0
    asked: list[str] = []

    def lag(alias: str) -> float:
        asked.append(alias)
        return 0.0

    monkeypatch.setattr(db_router, "replica_lag", lag)
    assert db_router.replica_state("replica_1", clock=lambda: 100.0).lag == 0.0
    db_router.replica_state("replica_1", clock=lambda: 101.9)
    db_router.replica_state("replica_1", clock=lambda: 102.1)
    assert asked == ["replica_1", "replica_1"]


@pytest.mark.django_db
def test_r_item19_the_router_reads_the_chosen_replica_but_never_in_a_transaction():
    router = ReplicaRouter()
    with db_router.replica_reads("replica_1"):
        assert router.db_for_read(Member) == "replica_1"
        assert router.db_for_read(OutboxEntry) == "replica_1"
        # Sessions and the database cache (rate limits, maintenance) must be exact.
        assert router.db_for_read(Session) == PRIMARY
        assert router.db_for_read(DatabaseCache("t", {}).cache_model_class) == PRIMARY
        with transaction.atomic():
            # select_for_update included: it needs the transaction's database.
            assert router.db_for_read(Member) == PRIMARY
            assert db_router.read_alias() == PRIMARY
            assert db_router.read_connection().alias == PRIMARY
        assert db_router.read_alias() == "replica_1"
    assert router.db_for_read(Member) == PRIMARY  # outside a request: the primary


def test_r_item19_writes_go_to_the_primary_and_pin_the_reads_after_them():
    router = ReplicaRouter()
    with db_router.replica_reads("replica_1"):
        assert router.db_for_write(Session) == PRIMARY
        assert db_router.read_alias() == "replica_1"  # a session save pins nothing
        assert router.db_for_write(Member) == PRIMARY
        assert db_router.read_alias() == PRIMARY


def test_r_item19_migrations_run_on_the_primary_only():
    router = ReplicaRouter()
    assert [router.allow_migrate(db, "search") for db in ("default", "replica_1")] == [
        True,
        False,
    ]


def test_r_item19_the_middleware_marks_a_browser_that_wrote(two_replicas, settings):
    settings.REPLICA_STICKY_SECONDS = 10
    seen: list[str] = []

    def view(made: HttpRequest) -> HttpResponse:
        seen.append(db_router.read_alias())
        if made.GET.get("write"):
            ReplicaRouter().db_for_write(Member)
            seen.append(db_router.read_alias())
        return HttpResponse("ok")

    middleware = ReplicaRoutingMiddleware(view)
    quiet = middleware(RequestFactory().get("/"))
    wrote = middleware(RequestFactory().get("/", {"write": "1"}))
    posted = middleware(RequestFactory().post("/"))
    assert seen[0] in {"replica_1", "replica_2"}
    assert seen[1] in {"replica_1", "replica_2"}
    assert seen[2:] == [PRIMARY, PRIMARY]
    assert COOKIE not in quiet.cookies
    for response in (wrote, posted):
        cookie = response.cookies[COOKIE]
        assert cookie["max-age"] == 10
        assert 9 < float(cookie.value) - time.time() <= 10.001  # to the millisecond
    assert db_router.read_alias() == PRIMARY  # nothing leaks past the request


def test_r_item19_without_replicas_the_middleware_changes_nothing(settings):
    assert db_router.replica_aliases() == []
    response = ReplicaRoutingMiddleware(lambda made: HttpResponse("ok"))(RequestFactory().post("/"))
    assert COOKIE not in response.cookies
