"""Columns of many rows read from SQL straight into numpy arrays.

A query that returns one comma-separated text per column (``group_concat`` /
``string_agg``) brings a million values in a fraction of a second, where as
many row tuples take seconds and a gigabyte: the search engines' match sets
and the in-memory index (``memory.py``) are read this way.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from django.db import connection

from commonroom.core.db_router import read_connection


def aggregate(expression: str) -> str:
    """SQL for all values of ``expression`` as one comma-separated text."""
    if connection.vendor == "postgresql":
        return f"string_agg(({expression})::text, ',')"
    return f"group_concat({expression})"


def parse_list(text: str | None, dtype: Any) -> np.ndarray:
    if not text:
        return np.empty(0, dtype=dtype)
    parsed = np.fromstring(text, dtype=np.float64 if dtype == np.float32 else dtype, sep=",")
    return parsed.astype(dtype)


def fetch_lists(sql: str, params: list[Any], dtypes: list[Any]) -> list[np.ndarray]:
    """The arrays of a query selecting one ``aggregate`` per column."""
    with read_connection().cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone() or [None] * len(dtypes)
    return [parse_list(text, dtype) for text, dtype in zip(row, dtypes, strict=True)]


def fetch_id_list(sql: str, params: list[Any]) -> np.ndarray:
    """Ids from a query selecting one ``aggregate`` of them."""
    return fetch_lists(sql, params, [np.int64])[0]


def fetch_scored(sql: str, params: list[Any]) -> tuple[np.ndarray, np.ndarray]:
    """(ids, scores) from a query returning rows of an id and a number."""
    with read_connection().cursor() as cursor:
        cursor.execute(sql, params)
        return scored_arrays(cursor.fetchall())


def scored_arrays(rows: Sequence[Sequence[Any]]) -> tuple[np.ndarray, np.ndarray]:
    """Rows of an id and a number as (ids, scores), in ascending id order."""
    ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    scores = np.fromiter((r[1] for r in rows), dtype=np.float64, count=len(rows))
    order = np.argsort(ids, kind="stable")
    return ids[order], scores[order]
