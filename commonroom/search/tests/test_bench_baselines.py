"""The benchmark's side-by-side baselines (``bench/baselines.py``, issue 15
item 3) run on the small corpus and agree with the project: the same hit
counts for one-word queries and the same facet counts, on whichever
database the suite runs. tantivy is only installed for ``make bench``
(``requirements/bench.lock``): without it its test is skipped."""

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from django.http import QueryDict

from commonroom.search.forms import Vocabulary
from commonroom.search.selectors import search_documents

pytestmark = pytest.mark.django_db


def _load() -> ModuleType:
    # bench/ is a folder of scripts, not a package.
    path = Path(__file__).resolve().parents[3] / "bench" / "baselines.py"
    spec = importlib.util.spec_from_file_location("bench_baselines", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


baselines = _load()

# One word each, stemmed alike by the project's chained Dutch and English
# stemmers and by tantivy's Dutch stemmer; the last matches nothing.
WORDS = ["pizza", "geld", "budget", "chlorophyll", "school", "klas", "verkeer", "nergens"]
QUERIES: list[dict[str, Any]] = [
    {"text": ""},
    *({"text": word} for word in WORDS),
    {"text": "pizza", "filters": {"subject": "mathematics"}},
    {"text": "", "filters": {"subject": "science-technology", "language": "nl"}},
]


def project(query):
    vocabulary = Vocabulary.load()
    params = QueryDict(mutable=True)
    for name, value in query.get("filters", {}).items():
        params[name] = value
    result = search_documents(text=query["text"], filters=vocabulary.filters(params))
    return result.total, {facet: dict(counts) for facet, counts in result.counts.items()}


def assert_agrees(engine, corpus):
    vocabulary = Vocabulary.load()
    totals = {}
    for query in QUERIES:
        found = engine.search(query, baselines.Chosen.of(query, vocabulary))
        total, counts = project(query)
        assert found.total == total, query
        assert len(found.top) == min(total, baselines.TOP), query
        for facet in ("subject", "level", "language", "licence", "kind"):
            assert found.counts[facet] == counts.get(facet, {}), (query, facet)
        if not query.get("filters"):
            totals[query["text"] or "-"] = found.total
    # The corpus is what the assertions above compare over, not nothing.
    assert totals["pizza"] == 1
    assert totals["school"] == 1
    assert totals["nergens"] == 0
    assert totals["-"] == len(corpus)


def test_r2_plain_sql_baseline_finds_and_counts_what_the_project_does(corpus):
    assert_agrees(baselines.PlainSql(), corpus)


@pytest.mark.skipif(
    bool(baselines.tantivy_missing()),
    reason="tantivy is installed by `make bench` only (requirements/bench.lock)",
)
def test_r2_tantivy_baseline_finds_and_counts_what_the_project_does(corpus):
    engine = baselines.Tantivy(heap_bytes=20_000_000)
    try:
        assert engine.documents == len(corpus)
        assert_agrees(engine, corpus)
    finally:
        engine.close()
    assert not Path(engine.directory).exists()


def test_r2_the_baselines_cells_give_the_selector_over_each_baseline():
    row = {
        "selector": {"p95": 30.0},
        "search": {"p95": 25.0},
        "tantivy": {"p95": 10.0},
        "plain_sql": {"p95": 60.0},
    }
    assert baselines.Baselines.cells(row) == " 10.0 | 3.0× | 60.0 | 0.5× | 25.0 | 2.5× |"
    assert baselines.Baselines.cells({"selector": {"p95": 30.0}}) == " – | – | – | – | – | – |"
