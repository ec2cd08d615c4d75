"""Rendered parts of pages that every visitor sees alike, kept in each
process (the ``fragments`` cache, ``{% panel %}`` in core's template tags).

A panel's key names everything it shows (``key_of``), so a change to any of
it is a new key: a stale panel is never served and no process needs to be
told to forget one; old entries age out (``FRAGMENT_CACHE_SECONDS``) or give
way to new ones (``FRAGMENT_CACHE_ENTRIES``).

A whole page is kept the other way round (``kept_get`` / ``kept_put``):
under a key of its address, with the content versions (``core.versions``)
of everything it shows, which one query compares with the current ones."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.core.cache import caches
from django.db.models import Model

from commonroom.core import versions

FRAGMENT_CACHE = "fragments"
_PLAIN = (str, int, float, bool, bytes, date, datetime, timedelta, Decimal, type(None))


def key_of(*parts: Any) -> str:
    """A short digest of plain values (strings, numbers, dates, lists)."""
    return hashlib.blake2b(repr(parts).encode(), digest_size=20).hexdigest()


def row(obj: Model | None) -> list[tuple[str, Any]]:
    """A model instance's plain values: its columns and annotations (an
    edit's ``updated_at``, a renamed title), and its parent's (a term's
    label shows with its parent's)."""
    if obj is None:
        return []
    values = sorted((k, v) for k, v in vars(obj).items() if _plain(v))
    parent = getattr(obj, "parent", None) if hasattr(obj, "parent_id") else None
    return values + ([("parent", row(parent))] if parent is not None else [])


def _plain(value: Any) -> bool:
    if isinstance(value, list | tuple):
        return all(isinstance(item, _PLAIN) for item in value)
    return isinstance(value, _PLAIN)


@dataclass(frozen=True)
class Kept:
    """A rendered thing kept in the fragment cache with the content
    versions (``core.versions``) of everything it shows, read before it was
    rendered. ``versions`` None: only the scopes are known yet (see
    ``kept_put``)."""

    scopes: tuple[str, ...]
    versions: tuple[int, ...] | None
    value: Any


@dataclass(frozen=True)
class Miss:
    """What a render that follows a miss needs to keep its result: the
    scopes it read and their versions, read before the render."""

    key: str
    scopes: tuple[str, ...]
    versions: tuple[int, ...]


def kept_get(key: str, scopes: Sequence[str]) -> tuple[Any, Miss | None]:
    """The value kept under ``key`` if none of the scopes it shows changed
    since (one query), else ``(None, miss)`` for ``kept_put`` after the
    render. ``scopes``: those known before the render (a page's own row);
    a kept entry adds those its render found (an adapted source)."""
    cache = caches[FRAGMENT_CACHE]
    entry: Kept | None = cache.get(key)
    wanted = tuple(dict.fromkeys([*scopes, *(entry.scopes if entry else ())]))
    now = versions.current(wanted)
    if entry is not None and entry.scopes == wanted and entry.versions == now:
        return entry.value, None
    return None, Miss(key, wanted, now)


def kept_put(miss: Miss, scopes: Iterable[str], value: Any, seconds: float) -> None:
    """Keep ``value``, rendered after ``miss``, if every scope it shows was
    read before the render. A render that found more (its versions could
    be newer than what it read) keeps only the list of scopes, so that the
    next render reads them first."""
    shown = tuple(dict.fromkeys([*miss.scopes, *scopes]))
    cache = caches[FRAGMENT_CACHE]
    if shown == miss.scopes:
        cache.set(miss.key, Kept(shown, miss.versions, value), seconds)
    else:
        cache.set(miss.key, Kept(shown, None, None), seconds)
