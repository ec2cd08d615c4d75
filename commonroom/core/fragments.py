"""Rendered parts of pages that every visitor sees alike, kept in each
process (the ``fragments`` cache, ``{% panel %}`` in core's template tags).

A panel's key names everything it shows (``key_of``), so a change to any of
it is a new key: a stale panel is never served and no process needs to be
told to forget one; old entries age out (``FRAGMENT_CACHE_SECONDS``) or give
way to new ones (``FRAGMENT_CACHE_ENTRIES``)."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Model

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
