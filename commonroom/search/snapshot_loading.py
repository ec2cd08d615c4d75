"""Reading the index into memory: the whole of it at one version, or the
itemised changes since the copy's version applied to it, cached word sets
carried over."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db import connection

from commonroom.core.db_router import read_connection
from commonroom.search import registry
from commonroom.search.index_snapshot import (
    KIND_COLUMN,
    NO_ROWS,
    VERSION_CACHED,
    Snapshot,
    term_lock,
)
from commonroom.search.models import ChangeKind, SearchDocument, SearchFacetValue
from commonroom.search.ranking import quality_factor
from commonroom.search.sqlarrays import aggregate, fetch_lists, parse_list
from commonroom.search.tokens import TokenMatcher, document_tokens


def _epoch(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"COALESCE(EXTRACT(EPOCH FROM {column}), 0)::float8"
    return f"COALESCE(CAST(strftime('%%s', {column}) AS REAL), 0)"


def _kind_code() -> str:
    """SQL for the number of a document's kind (keys are checked to be
    plain words by the registry)."""
    cases = " ".join(f"WHEN '{key}' THEN {code}" for key, code in registry.kind_codes().items())
    return f"CASE kind {cases} ELSE 0 END" if cases else "0"


# Name here -> (SQL expression, dtype). Missing ratings read as -1 (NaN here).
DOCUMENT_COLUMNS: dict[str, tuple[str, Any]] = {
    "id": ("id", np.int64),
    KIND_COLUMN: ("", np.int8),  # from the registry: _kind_code
    "published": ("", np.float64),  # vendor-specific: _epoch
    "saves": ("saves", np.int32),
    "rating": ("COALESCE(rating_average, -1)", np.float32),
    "ratings": ("rating_count", np.int32),
    "used": ("used_in_class", np.int32),
}


def _document_columns(where: str = "", params: list[Any] | None = None) -> Columns:
    computed = {"published": _epoch("published_at"), KIND_COLUMN: _kind_code()}
    expressions = [
        aggregate(computed.get(name, sql)) for name, (sql, _) in DOCUMENT_COLUMNS.items()
    ]
    table = SearchDocument._meta.db_table
    sql = f"SELECT {', '.join(expressions)} FROM {table} {where}"  # noqa: S608 - names are ours
    arrays = dict(
        zip(
            DOCUMENT_COLUMNS,
            fetch_lists(sql, params or [], [dtype for _, dtype in DOCUMENT_COLUMNS.values()]),
            strict=True,
        )
    )
    ids = arrays.pop("id")
    order = np.argsort(ids, kind="stable")
    return Columns.from_arrays(ids[order], {name: a[order] for name, a in arrays.items()})


def _facet_entries(
    where: str = "", params: list[Any] | None = None
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Per facet, (document ids, values) of its entries: one query."""
    table = SearchFacetValue._meta.db_table
    sql = (
        f"SELECT facet, {aggregate('document_id')}, {aggregate('value')} "  # noqa: S608 - ours
        f"FROM {table} {where} GROUP BY facet"
    )
    with read_connection().cursor() as cursor:
        cursor.execute(sql, params or [])
        rows = cursor.fetchall()
    return {
        str(name): (parse_list(documents, np.int64), parse_list(values, np.int32))
        for name, documents, values in rows
    }


def _in_clause(column: str, ids: list[int]) -> tuple[str, list[Any]]:
    return f"WHERE {column} IN ({', '.join(['%s'] * len(ids))})", list(ids)


@dataclass
class Columns:
    """The columns of a set of documents, one row each, ordered by id."""

    ids: np.ndarray
    values: dict[str, np.ndarray]

    @classmethod
    def from_arrays(cls, ids: np.ndarray, raw: dict[str, np.ndarray]) -> Columns:
        rating = raw["rating"].astype(np.float32)
        rating[rating < 0] = np.nan
        values = {**raw, "rating": rating}
        values["quality"] = quality_factor(
            saves=values["saves"], rating=rating, ratings=values["ratings"], used=values["used"]
        )
        return cls(ids=ids, values=values)


def load(version: int, stamp: str) -> Snapshot:
    columns = _document_columns()
    snapshot = Snapshot(
        version=version,
        stamp=stamp,
        ids=columns.ids,
        alive=np.ones(columns.ids.size, dtype=np.bool_),
        values=columns.values,
        entry_rows={},
        entry_values={},
    )
    _set_entries(snapshot)
    return snapshot


def _set_entries(snapshot: Snapshot, where: str = "", params: list[Any] | None = None) -> None:
    """The facet entries of the documents ``where`` selects."""
    for name, (documents, values) in _facet_entries(where, params).items():
        snapshot.entry_rows[name] = np.searchsorted(snapshot.ids, documents).astype(np.int32)
        snapshot.entry_values[name] = values


def _final_kinds(changes: list[tuple[int, str, str, int]]) -> dict[int, str]:
    """Each document's last change: added then removed is removed."""
    kinds: dict[int, str] = {}
    for _, _, kind, document_id in changes:
        if kind == ChangeKind.UPDATED:
            # An added document is read whole anyway; a removed one stays so.
            kinds.setdefault(document_id, kind)
        else:
            kinds[document_id] = kind
    return kinds


def apply_changes(snapshot: Snapshot, changes: list[tuple[int, str, str, int]]) -> Snapshot:
    """A new snapshot with the itemised changes applied (idempotent: a
    document already present is not added twice, a missing one is not
    removed)."""
    version, stamp = changes[-1][0], changes[-1][1]
    kinds = _final_kinds(changes)
    alive = snapshot.alive.copy()
    values = {name: array.copy() for name, array in snapshot.values.items()}
    removed = [d for d, kind in kinds.items() if kind == ChangeKind.REMOVED]
    alive[snapshot.rows_of(np.array(removed, dtype=np.int64))] = False
    # Quality updates in place: the row keeps its facets.
    updated = sorted(d for d, kind in kinds.items() if kind == ChangeKind.UPDATED)
    if updated:
        fresh = _document_columns(*_in_clause("id", updated))
        rows = np.searchsorted(snapshot.ids, fresh.ids)
        rows[rows >= snapshot.ids.size] = 0
        keep = snapshot.ids[rows] == fresh.ids
        for name, array in fresh.values.items():
            values[name][rows[keep]] = array[keep]
    wanted = np.array(sorted(d for d, k in kinds.items() if k == ChangeKind.ADDED), dtype=np.int64)
    present = set(snapshot.ids[snapshot.rows_of(wanted)].tolist())
    added = [d for d in wanted.tolist() if d not in present]
    new = _document_columns(*_in_clause("id", added)) if added else None
    if new is None or not new.ids.size:
        # Same rows: what was derived from them still holds (a removed row
        # is masked by ``alive``), except the empty search's counts.
        kept = {k: v for k, v in snapshot.cache.items() if k not in VERSION_CACHED or not removed}
        return Snapshot(
            version=version,
            stamp=stamp,
            ids=snapshot.ids,
            alive=alive,
            values=values,
            entry_rows=snapshot.entry_rows,
            entry_values=snapshot.entry_values,
            _rows_with=snapshot._rows_with,
            cache=kept,
        )
    ids = np.concatenate([snapshot.ids, new.ids])
    order = np.argsort(ids, kind="stable")
    inverse = np.empty_like(order)
    inverse[order] = np.arange(order.size)
    result = Snapshot(
        version=version,
        stamp=stamp,
        ids=ids[order],
        alive=np.concatenate([alive, np.ones(new.ids.size, dtype=np.bool_)])[order],
        values={name: np.concatenate([values[name], new.values[name]])[order] for name in values},
        entry_rows={},
        entry_values={},
    )
    _set_entries(result, *_in_clause("document_id", new.ids.tolist()))
    for name in {*snapshot.entry_rows, *result.entry_rows}:
        # The old entries, renumbered for the new order.
        old_rows = inverse[snapshot.entry_rows.get(name, NO_ROWS)].astype(np.int32)
        result.entry_rows[name] = np.concatenate([old_rows, result.entry_rows.get(name, NO_ROWS)])
        result.entry_values[name] = np.concatenate(
            [
                snapshot.entry_values.get(name, NO_ROWS),
                result.entry_values.get(name, NO_ROWS),
            ]
        )
    if snapshot.cache.get("terms"):
        result.cache["terms"] = _extended_terms(snapshot, new.ids, order)
    return result


# Cached words carried over a publication, most recently used first: each
# costs an unpack and repack of its bitmap.
MAX_CARRIED_TERMS = 500


def _extended_terms(
    snapshot: Snapshot, added: np.ndarray, order: np.ndarray
) -> OrderedDict[tuple[Any, ...], np.ndarray]:
    """The cached words' match sets with the added documents matched here,
    on their stemmed fields, as the engines match them (a word is a token; a
    prefix starts one; a phrase is consecutive tokens within one field; a
    strong set looks at title and keywords only), so a publication does not
    empty the cache."""
    matcher = TokenMatcher(document_tokens(added.tolist()))
    with term_lock:
        carried = list(snapshot.cache["terms"].items())[-MAX_CARRIED_TERMS:]
    # New documents usually have the highest ids: the rows keep their order.
    in_order = bool(np.array_equal(order, np.arange(order.size)))
    terms: OrderedDict[tuple[Any, ...], np.ndarray] = OrderedDict()
    for key, packed in carried:
        stems, prefix, strong = key
        extra = matcher.matches(stems, prefix, strong=strong)
        mask = np.concatenate([np.unpackbits(packed, count=snapshot.size).astype(np.bool_), extra])
        terms[key] = np.packbits(mask if in_order else mask[order])
    return terms
