"""Reads of the harvested records: windows of a list in a stable order
(each kind's rows by primary key, then the tombstones), counts, one record."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Min, QuerySet

from commonroom.oai import conf
from commonroom.oai.models import Tombstone
from commonroom.oai.protocol import HarvestKind, Metadata, datestamp_of
from commonroom.oai.registry import harvest_kinds, kind_named
from commonroom.oai.sets import SetIndex, SetQuery
from commonroom.oai.tokens import Position


@dataclass(frozen=True)
class Query:
    """A list request: format, set and datestamp range (``until`` inclusive,
    to the second)."""

    prefix: str
    set_query: SetQuery | None = None
    from_: datetime | None = None
    until: datetime | None = None


@dataclass
class Entry:
    identifier: str
    datestamp: datetime
    deleted: bool
    set_specs: list[str] = field(default_factory=list)
    metadata: Metadata | None = None


def identifier_of(kind_name: str, pk: int) -> str:
    return f"oai:{conf.repository_id()}:{kind_name}/{pk}"


def identifier_parse(identifier: str) -> tuple[str, int] | None:
    """(kind, primary key) of one of our identifiers, or None."""
    head = f"oai:{conf.repository_id()}:"
    if not identifier.startswith(head):
        return None
    kind_name, _sep, pk = identifier[len(head) :].partition("/")
    if not pk.isdigit() or len(pk) > 18:
        return None
    return kind_name, int(pk)


def kinds_for(prefix: str) -> list[tuple[int, HarvestKind]]:
    """The kinds that can be disseminated in ``prefix``, with their stream number."""
    return [(i, k) for i, k in enumerate(harvest_kinds()) if prefix in k.formats]


def _rows(kind: HarvestKind, query: Query) -> QuerySet[Any] | None:
    rows = kind.rows()
    field_name = kind.datestamp_field
    if query.from_ is not None:
        rows = rows.filter(**{f"{field_name}__gte": query.from_})
    if query.until is not None:
        rows = rows.filter(**{f"{field_name}__lt": query.until + timedelta(seconds=1)})
    if query.set_query is not None:
        lookup = kind.set_lookups.get(query.set_query.facet)
        if lookup is None:
            return None
        ids = query.set_query.term_ids
        tagged = kind.model._default_manager.filter(
            **({f"{lookup}__isnull": False} if ids is None else {f"{lookup}__in": ids})
        )
        rows = rows.filter(pk__in=tagged.values("pk"))
    return rows


def _tombstones(query: Query) -> QuerySet[Tombstone]:
    names = [k.name for _i, k in kinds_for(query.prefix)]
    rows = Tombstone.objects.filter(kind__in=names)
    if query.from_ is not None:
        rows = rows.filter(deleted_at__gte=query.from_)
    if query.until is not None:
        rows = rows.filter(deleted_at__lt=query.until + timedelta(seconds=1))
    if query.set_query is not None:
        rows = rows.in_set(query.set_query.spec)
    return rows


def list_size(query: Query) -> int:
    total = _tombstones(query).count()
    for _i, kind in kinds_for(query.prefix):
        rows = _rows(kind, query)
        if rows is not None:
            total += rows.count()
    return total


def _entry(kind: HarvestKind, obj: Any, sets: SetIndex, *, with_metadata: bool) -> Entry:
    specs: list[str] = []
    for facet, ids in kind.term_ids(obj).items():
        specs.extend(sets.specs_for(facet, ids))
    deleted = not kind.is_public(obj)
    metadata = None
    if with_metadata and not deleted:
        metadata = kind.metadata(obj, site_url=conf.site_url())
    return Entry(
        identifier_of(kind.name, obj.pk), datestamp_of(kind, obj), deleted, specs, metadata
    )


def _tombstone_entry(tombstone: Tombstone) -> Entry:
    return Entry(
        identifier_of(tombstone.kind, tombstone.object_id),
        tombstone.deleted_at,
        True,
        tombstone.set_specs.split(),
    )


def window(
    query: Query, position: Position, sets: SetIndex, *, with_metadata: bool
) -> tuple[list[Entry], Position | None]:
    """Up to a page of entries from ``position`` on, and where the next page
    starts (None when this page ends the list). One more row than a page is
    read to know whether the list goes on."""
    size = conf.page_size()
    wanted = size + 1
    picked: list[tuple[int, HarvestKind | None, Any]] = []
    tombstone_stream = len(harvest_kinds())
    for number, kind in kinds_for(query.prefix):
        if number < position.stream:
            continue
        rows = _rows(kind, query)
        if rows is None:
            continue
        after = position.after if number == position.stream else 0
        page = kind.prefetch(rows.filter(pk__gt=after).order_by("pk"))[: wanted - len(picked)]
        picked.extend((number, kind, obj) for obj in page)
        if len(picked) >= wanted:
            break
    if len(picked) < wanted:
        after = position.after if position.stream == tombstone_stream else 0
        stones = _tombstones(query).filter(pk__gt=after).order_by("pk")[: wanted - len(picked)]
        picked.extend((tombstone_stream, None, stone) for stone in stones)
    more = len(picked) > size
    picked = picked[:size]
    entries = [
        _entry(kind, obj, sets, with_metadata=with_metadata)
        if kind is not None
        else _tombstone_entry(obj)
        for _number, kind, obj in picked
    ]
    if not more:
        return entries, None
    last_stream, _kind, last = picked[-1]
    return entries, replace(
        position, stream=last_stream, after=last.pk, cursor=position.cursor + len(entries)
    )


def record_get(kind_name: str, pk: int, sets: SetIndex) -> Entry | None:
    kind = kind_named(kind_name)
    if kind is None:
        return None
    obj = kind.prefetch(kind.rows().filter(pk=pk)).first()
    if obj is not None:
        return _entry(kind, obj, sets, with_metadata=True)
    tombstone = Tombstone.objects.filter(kind=kind_name, object_id=pk).first()
    return _tombstone_entry(tombstone) if tombstone is not None else None


def earliest_datestamp() -> datetime | None:
    found: list[datetime] = []
    for kind in harvest_kinds():
        value = kind.rows().aggregate(first=Min(kind.datestamp_field))["first"]
        if value is not None:
            found.append(value)
    first_stone = Tombstone.objects.aggregate(first=Min("deleted_at"))["first"]
    if first_stone is not None:
        found.append(first_stone)
    return min(found) if found else None
