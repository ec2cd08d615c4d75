"""A new web process is ready before its first request (issue 15, item 5):
the WSGI module's warm-up loads the index's columns, the empty search's
counts and the templates, then closes the connections it opened so that
workers forked from it (gunicorn --preload) never share one."""

import gc
import logging
from collections.abc import Iterator

import pytest

from commonroom.core import boot
from commonroom.search import memory
from commonroom.search.models import SearchDocument
from commonroom.search.tests.conftest import make

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _collector_as_it_was() -> Iterator[None]:
    """The warm-ups freeze the heap (``boot._kept_for_good``): the test
    process's objects go back to the collector afterwards."""
    yield
    gc.unfreeze()


def test_r8_warm_up_loads_the_index_and_closes_its_connections(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    resource = make(title="Breuken met pizza's")
    memory.forget()
    # The test's own transaction must stay open: record the closing instead.
    closed: list[bool] = []
    monkeypatch.setattr(boot.connections, "close_all", lambda: closed.append(True))

    timings = boot.warm_up()

    assert list(timings) == [
        "urls",
        "translations",
        "templates",
        "request modules",
        "commonroom.search.warmup",
        boot.KEPT_FOR_GOOD,
    ]
    snapshot = memory.latest()
    assert snapshot.ids.tolist() == list(
        SearchDocument.objects.order_by("pk").values_list("pk", flat=True)
    )
    ours = SearchDocument.objects.get(kind="resource", object_id=resource.pk).pk
    assert ours in snapshot.ids.tolist()
    assert "entries:subject" in snapshot.cache
    assert "all_counts" in snapshot.cache
    assert "vocabulary" in snapshot.cache
    assert closed == [True]


def test_r8_a_failing_step_is_logged_and_the_process_still_starts(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken() -> None:
        raise RuntimeError("no database yet")

    monkeypatch.setattr(boot, "_templates", broken)
    with caplog.at_level(logging.WARNING, logger="commonroom.core.boot"):
        timings = boot.warm_up()

    assert "templates" not in timings
    assert "commonroom.search.warmup" in timings
    assert [r.getMessage() for r in caplog.records] == ["warm-up step templates failed"]


def test_r8_warm_up_stems_the_most_frequent_words_first(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from commonroom.search import warmup
    from commonroom.search.models import SearchWord

    SearchWord.objects.bulk_create(
        [
            SearchWord(word="fietsen", documents=9),
            SearchWord(word="breuken", documents=4),
            SearchWord(word="zeldzaam", documents=1),
        ]
    )
    stemmed: list[str] = []
    monkeypatch.setattr(warmup, "STEMS_KEPT", 2)
    monkeypatch.setattr(warmup, "stem", stemmed.append)

    warmup.warm_up()

    assert stemmed == ["fietsen", "breuken"]


def test_r8_a_worker_searches_the_most_frequent_word_before_its_first_visitor(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from commonroom.search import warmup
    from commonroom.search.models import SearchWord

    SearchWord.objects.bulk_create(
        [SearchWord(word="breuken", documents=4), SearchWord(word="fietsen", documents=9)]
    )
    searched: list[str] = []
    monkeypatch.setattr(warmup, "search_documents", lambda **kw: searched.append(kw["text"]))

    warmup.warm_worker()

    assert searched == ["fietsen"] * warmup.WORKER_SEARCHES


def test_r8_a_workers_warm_up_searches_are_not_in_the_search_metrics() -> None:
    from prometheus_client import REGISTRY

    from commonroom.search import warmup
    from commonroom.search.models import SearchWord

    make(title="Fietsen naar school")
    SearchWord.objects.create(word="fietsen", documents=1)

    def recorded() -> float:
        return (
            REGISTRY.get_sample_value(
                "commonroom_search_duration_seconds_count", {"selector": "search_documents"}
            )
            or 0.0
        )

    before = recorded()
    warmup.warm_worker()
    assert recorded() == before
    # A search of a visitor is.
    from commonroom.search.facets import Filters
    from commonroom.search.selectors import search_documents

    assert search_documents(text="fietsen", filters=Filters()).total == 1
    assert recorded() == before + 1


def test_r8_a_forked_worker_connects_and_runs_each_apps_worker_warm_up(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from commonroom.search import warmup

    ran: list[str] = []
    monkeypatch.setattr(warmup, "warm_worker", lambda: ran.append("search"))
    connected: list[str] = []
    for alias in boot.connections:
        connection = boot.connections[alias]
        monkeypatch.setattr(connection, "ensure_connection", lambda a=alias: connected.append(a))

    timings = boot.warm_worker()

    assert ran == ["search"]
    assert connected == list(boot.connections)
    assert list(timings) == [f"connect {a}" for a in boot.connections] + [
        "commonroom.search.warmup",
        boot.KEPT_FOR_GOOD,
    ]


@pytest.mark.parametrize("warm", ["warm_up", "warm_worker"])
def test_r8_what_a_warm_up_loaded_is_kept_out_of_the_collectors_walks(
    monkeypatch: pytest.MonkeyPatch, warm: str
) -> None:
    """A full collection during a request no longer walks every module,
    template and cache the process loaded (nor, in a forked worker, writes
    to the pages it shares with the master); garbage is not kept."""
    monkeypatch.setattr(boot.connections, "close_all", lambda: None)

    class Unreachable:
        itself: object

    loaded = {"kept": ["as a cache keeps its values"]}
    garbage = Unreachable()
    garbage.itself = garbage  # a cycle, which nothing refers to once deleted
    del garbage
    assert any(o is loaded for o in gc.get_objects())

    getattr(boot, warm)()

    assert gc.get_freeze_count() > 0
    assert not any(o is loaded for o in gc.get_objects())
    gc.unfreeze()  # what was frozen is tracked again: the cycle is not among it
    assert any(o is loaded for o in gc.get_objects())
    assert [o for o in gc.get_objects() if type(o) is Unreachable] == []


@pytest.mark.parametrize(("warm_up", "runs"), [("true", 1), ("false", 0)])
def test_r8_gunicorn_warms_each_worker_unless_told_not_to(
    monkeypatch: pytest.MonkeyPatch, warm_up: str, runs: int
) -> None:
    from commonroom.core import gunicorn_hooks

    calls: list[bool] = []
    monkeypatch.setenv("WARM_UP", warm_up)
    monkeypatch.setattr(boot, "warm_worker", lambda: calls.append(True))

    gunicorn_hooks.post_worker_init(worker=None)

    assert len(calls) == runs
