"""A new web process is ready before its first request (issue 15, item 5):
the WSGI module's warm-up loads the index's columns, the empty search's
counts and the templates, then closes the connections it opened so that
workers forked from it (gunicorn --preload) never share one."""

import gc
import logging
import re
from collections.abc import Iterator

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation
from django.utils.functional import SimpleLazyObject, empty

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
        "django patterns",
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


def test_r8_a_worker_searches_a_frequent_and_a_rare_word_before_its_first_visitor(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The frequent word's page reads the version, its set and a full
    page of cards; the rare word's match is read with the version, in a
    statement of its own."""
    from commonroom.search import warmup
    from commonroom.search.models import SearchWord

    SearchWord.objects.bulk_create(
        [
            SearchWord(word="breuken", documents=4),
            SearchWord(word="zeldzaam", documents=1),
            SearchWord(word="fietsen", documents=9),
            SearchWord(word="uniek", documents=1),
        ]
    )
    searched: list[str] = []
    monkeypatch.setattr(warmup, "search_documents", lambda **kw: searched.append(kw["text"]))

    warmup.warm_worker()

    assert searched == ["fietsen", "zeldzaam"] * warmup.WORKER_SEARCHES


def test_r8_a_worker_reads_a_page_of_each_size_on_its_own_connection(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from commonroom.search import warmup

    resources = [make(title=f"Breuken {n}") for n in range(5)]
    memory.forget()
    read: list[int] = []
    monkeypatch.setattr(warmup, "hits_of", lambda ids, query: read.append(len(ids)))

    warmup.warm_worker()

    assert len(resources) == 5
    # Pages of 1, 2 and 4, and of all 5 (8 places).
    assert read == [1, 2, 4, 5] * warmup.WORKER_SEARCHES


def test_r8_after_the_warm_up_a_page_of_any_size_writes_no_sql(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A rare word's first search in a process wrote its page's reads (a
    text per number of results) on the visitor's time."""
    from commonroom.search import compiled
    from commonroom.search.facets import Filters
    from commonroom.search.selectors import search_documents

    for n in range(7):
        make(title=f"Breuken {n}" if n < 3 else f"Fietsen {n}")
    memory.forget()
    monkeypatch.setattr(boot.connections, "close_all", lambda: None)
    monkeypatch.setattr(compiled, "_compiled", {})
    boot.warm_up()
    written = dict(compiled._compiled)
    # Pages of 1, 2 and 4, and the empty search's page of 7 (8 places).
    assert sorted(p for name, _v, p in written if name == "resource-cards") == [1, 2, 4, 8]

    for word, found in (("breuken", 3), ("fietsen", 4), ("breuken 2", 1)):
        assert search_documents(text=word, filters=Filters()).total == found

    assert compiled._compiled == written


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
    from commonroom.legal import warmup as legal_warmup
    from commonroom.search import warmup

    ran: list[str] = []
    monkeypatch.setattr(legal_warmup, "warm_worker", lambda: ran.append("legal"))
    monkeypatch.setattr(warmup, "warm_worker", lambda: ran.append("search"))
    connected: list[str] = []
    for alias in boot.connections:
        connection = boot.connections[alias]
        monkeypatch.setattr(connection, "ensure_connection", lambda a=alias: connected.append(a))

    timings = boot.warm_worker()

    assert ran == ["legal", "search"]
    assert connected == list(boot.connections)
    assert list(timings) == [f"connect {a}" for a in boot.connections] + [
        "commonroom.legal.warmup",
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


def _patterns(resolver: URLResolver) -> Iterator[URLPattern | URLResolver]:
    yield resolver
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry)
        else:
            yield entry


def test_r8_the_url_patterns_are_compiled_before_the_first_request() -> None:
    """Django compiles each pattern on first use; a first request compiled
    those it tried on its way to its view."""
    for entry in _patterns(get_resolver()):
        vars(entry.pattern).pop("regex", None)
        if hasattr(entry.pattern, "_regex_dict"):
            entry.pattern._regex_dict.clear()

    boot._translations()

    for entry in _patterns(get_resolver()):
        pattern = entry.pattern
        assert "regex" in vars(pattern) or set(getattr(pattern, "_regex_dict", {})) == {
            "nl",
            "en",
        }, pattern


def test_r8_reversing_the_navigations_links_compiles_nothing_after_the_warm_up() -> None:
    re.purge()
    boot._translations()
    kept = set(re._cache)  # type: ignore[attr-defined]

    for code in ("nl", "en"):
        with translation.override(code):
            reverse("search:search")
            reverse("home")

    assert set(re._cache) == kept  # type: ignore[attr-defined]


def test_r8_djangos_own_patterns_are_compiled_before_the_fork(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from django.http import request

    lazy = SimpleLazyObject(request.host_validation_re._setupfunc)
    monkeypatch.setattr(request, "host_validation_re", lazy)
    assert lazy._wrapped is empty

    boot._django_patterns()

    assert lazy._wrapped is not empty
    assert lazy.match("example.org") is not None


def test_r8_the_session_serializer_is_imported_before_the_first_request() -> None:
    import sys

    sys.modules.pop("django.contrib.sessions.serializers", None)

    boot._request_modules()

    assert "django.contrib.sessions.serializers" in sys.modules
