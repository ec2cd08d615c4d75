"""A rare word's matches are read in the statement that reads the index's
version (issue 15, item 3): on PostgreSQL one round trip of the three its
page cost (``memory.snapshot_with``, ``selectors._snapshot_and_read``)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commonroom.search import memory
from commonroom.search.backends import get_backend
from commonroom.search.facets import Filters
from commonroom.search.models import SearchIndexState
from commonroom.search.query import ParsedQuery, parse
from commonroom.search.selectors import SearchResult, search_documents
from commonroom.search.tests.conftest import make

pytestmark = pytest.mark.django_db

STATE = SearchIndexState._meta.db_table


def shown(result: SearchResult) -> tuple[int, list[str], dict]:
    return result.total, [hit.object.title for hit in result.hits], result.counts


@pytest.mark.parametrize("text", ["fractions", "photosynthesis", "fiets*", '"hele klas"'])
def test_r11_a_rare_words_matches_are_read_with_the_index_version(
    corpus, monkeypatch: pytest.MonkeyPatch, engine_calls: list[ParsedQuery], text: str
) -> None:
    # This process holds a copy, and what the query's parsing reads once.
    search_documents(text=text, filters=Filters())
    engine_calls.clear()
    calls = engine_calls

    with CaptureQueriesContext(connection) as captured:
        together = search_documents(text=text, filters=Filters())

    statements = [q["sql"] for q in captured.captured_queries]
    assert STATE in statements[0]
    assert "UNION ALL" in statements[0]
    assert not any(STATE in sql for sql in statements[1:])
    assert len(statements) == 3  # version and matches, the documents, the cards
    assert calls == []
    # The same page as when the version is read on its own first.
    monkeypatch.setattr(memory, "kept", lambda: None)
    apart = search_documents(text=text, filters=Filters())
    assert len(calls) == 1
    assert shown(together) == shown(apart)
    assert together.total > 0


def test_r11_a_rare_word_published_since_the_copy_was_made_is_found(corpus) -> None:
    search_documents(text="pizza", filters=Filters())
    before = memory.kept()
    assert before is not None

    make(title="Zonnewijzers bouwen", description="Een zonnewijzer van karton.")
    result = search_documents(text="zonnewijzers", filters=Filters())

    assert [hit.object.title for hit in result.hits] == ["Zonnewijzers bouwen"]
    assert memory.kept().version == before.version + 1


def test_r11_matches_read_at_a_version_the_copy_is_not_at_are_read_again(
    corpus, monkeypatch: pytest.MonkeyPatch, engine_calls: list[ParsedQuery]
) -> None:
    """A replica behind this process's copy: the copy stays where it is
    (the rest of the request reads from the primary), so rows read with the
    replica's version are not used; the engine is asked again."""
    older = memory.snapshot()
    make(title="Zonnewijzers bouwen", description="Een zonnewijzer van karton.")
    statement = get_backend().scored_matching_sql(parse("zonnewijzers"))
    assert statement is not None

    with monkeypatch.context() as behind:
        behind.setattr(memory, "_brought_to", lambda version, stamp: older)
        copy, rows = memory.snapshot_with(*statement)

    assert copy is older
    assert rows is None
    monkeypatch.setattr(memory, "snapshot_with", lambda sql, params: (memory.snapshot(), None))
    engine_calls.clear()
    result = search_documents(text="zonnewijzers", filters=Filters())
    assert [hit.object.title for hit in result.hits] == ["Zonnewijzers bouwen"]
    assert engine_calls == [parse("zonnewijzers")]


def test_r11_words_the_copy_holds_or_several_words_read_the_version_alone(
    corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    search_documents(text="pizza", filters=Filters())
    for text in ["fiets -verkeer", "pizza fractions", "-fiets", ""]:
        with CaptureQueriesContext(connection) as captured:
            search_documents(text=text, filters=Filters())
        first = captured.captured_queries[0]["sql"]
        assert STATE in first, text
        assert "UNION ALL" not in first, text
