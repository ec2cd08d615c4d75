"""A read by ids whose SQL the ORM writes once per process (issue 15,
item 3): the same rows as the ORM's own query, whatever the ids."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext

from commonroom.search import compiled
from commonroom.search.models import SearchDocument

pytestmark = pytest.mark.django_db


def _titles(ids: list[int]) -> QuerySet[SearchDocument, tuple[Any, ...]]:
    return SearchDocument.objects.filter(pk__in=ids, kind="note").values_list("pk", "title")


def _every_note(ids: list[int]) -> QuerySet[SearchDocument, tuple[Any, ...]]:
    return SearchDocument.objects.filter(kind="note").values_list("pk", "title")


def test_issue15_rows_by_ids_give_the_orms_rows_with_sql_written_once(monkeypatch):
    monkeypatch.setattr(compiled, "_compiled", {})
    documents = [
        SearchDocument.objects.create(kind=kind, object_id=n, title=f"T{n}")
        for n, kind in enumerate(["note", "note", "other", "note"])
    ]
    a, b, other, c = (d.pk for d in documents)

    first = compiled.rows_by_ids("titles", _titles, [a, b, other])
    with CaptureQueriesContext(connection) as queries:
        again = compiled.rows_by_ids("titles", _titles, [c, a, other])

    assert sorted(first) == [(a, "T0"), (b, "T1")]
    assert sorted(again) == [(a, "T0"), (c, "T3")]
    assert len(queries) == 1
    assert str(-(2**52)) not in queries[0]["sql"]
    # A repeated id counts once, as the ORM's IN does.
    assert sorted(compiled.rows_by_ids("titles", _titles, [b, b, b])) == [(b, "T1")]
    assert compiled.rows_by_ids("titles", _titles, []) == []


def test_issue15_a_query_not_filtered_by_the_ids_is_left_to_the_orm(monkeypatch):
    monkeypatch.setattr(compiled, "_compiled", {})
    note = SearchDocument.objects.create(kind="note", object_id=1, title="Alone")
    assert compiled.rows_by_ids("every", _every_note, [12345]) == [(note.pk, "Alone")]
    assert compiled._compiled[("every", connection.vendor, 1)] is None


@pytest.mark.skipif(
    "not __import__('django.db').db.connection.vendor == 'postgresql'",
    reason="prepared statements are PostgreSQL's",
)
def test_issue15_postgresql_plans_a_read_by_ids_once_per_connection(monkeypatch):
    monkeypatch.setattr(compiled, "_compiled", {})
    notes = [
        SearchDocument.objects.create(kind="note", object_id=n, title=f"N{n}") for n in range(8)
    ]
    with CaptureQueriesContext(connection) as queries:
        for start in range(6):
            ids = [d.pk for d in notes[start : start + 2]]
            rows = compiled.rows_by_ids("prepared-titles", _titles, ids)
            assert sorted(rows) == [(d.pk, d.title) for d in notes[start : start + 2]]
    assert len(queries) == 6  # counted as any other query
    sql = compiled._compiled[("prepared-titles", "postgresql", 2)][0]  # type: ignore[index]
    # Logged under its text after it is prepared too (psycopg keeps none).
    assert [q["sql"] for q in queries] == [sql] * 6
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            [sql.split(" WHERE ")[0] + "%"],
        )
        assert cursor.fetchone() == (1,)


def test_issue15_a_read_of_n_ids_is_written_for_the_next_power_of_two():
    assert [compiled.id_bucket(n) for n in (1, 2, 3, 4, 5, 8, 9, 16, 17, 20, 32, 33)] == [
        1,
        2,
        4,
        4,
        8,
        8,
        16,
        16,
        32,
        32,
        32,
        64,
    ]
    assert compiled.padded([7]) == [7]
    assert compiled.padded([7, 3, 9]) == [7, 3, 9, 9]
    assert compiled.padded([1, 2, 3, 4, 5]) == [1, 2, 3, 4, 5, 5, 5, 5]


def test_issue15_pages_of_one_to_twenty_results_are_read_with_six_texts(monkeypatch):
    """Each text is written by the ORM (and on PostgreSQL prepared per
    connection) once: with one per number of ids, a page of 1 to 20 results
    had twenty, each paid by its first search in a process."""
    monkeypatch.setattr(compiled, "_compiled", {})
    notes = [
        SearchDocument.objects.create(kind="note", object_id=n, title=f"N{n}") for n in range(20)
    ]
    for n in range(1, 21):
        rows = compiled.rows_by_ids("bucketed-titles", _titles, [d.pk for d in notes[:n]])
        assert sorted(rows) == [(d.pk, d.title) for d in notes[:n]]
    assert sorted(places for _name, _vendor, places in compiled._compiled) == [1, 2, 4, 8, 16, 32]


def test_issue15_a_pages_documents_are_read_with_one_text_per_bucket(monkeypatch):
    from commonroom.search import selectors
    from commonroom.search.query import ParsedQuery

    notes = [
        SearchDocument.objects.create(kind="note", object_id=n, title=f"N{n}") for n in range(20)
    ]
    texts: list[str] = []
    prepared_cursor = selectors.prepared_cursor

    def recorded() -> Any:
        cursor = prepared_cursor()
        execute = cursor.execute

        def recorded_execute(sql: str, params: Any) -> Any:
            texts.append(sql)
            return execute(sql, params)

        cursor.execute = recorded_execute  # type: ignore[method-assign,assignment]
        return cursor

    monkeypatch.setattr(selectors, "prepared_cursor", recorded)
    for n in range(1, 21):
        hits = selectors.hits_of([d.pk for d in notes[:n]], ParsedQuery())
        assert hits == []  # no kind "note" registered: no card to show
    assert len(texts) == 20
    assert sorted(t.count("%s") for t in set(texts)) == [1, 2, 4, 8, 16, 32]
