"""Writes of the oai app: harvester keys and tombstones."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from commonroom.oai.models import HarvesterKey, Tombstone
from commonroom.oai.registry import kind_named
from commonroom.oai.sets import SetIndex

KEY_PREFIX = "oai_"


def key_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def harvester_key_create(
    *, name: str, contact: str, created_by: object | None
) -> tuple[HarvesterKey, str]:
    """A new key and its secret, which is shown once and kept only hashed."""
    raw = KEY_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic(durable=True):
        key = HarvesterKey.objects.create(
            name=name,
            contact=contact,
            prefix=raw[:12],
            key_hash=key_hash(raw),
            created_by=created_by,  # type: ignore[misc]
        )
    return key, raw


def harvester_key_save_new(*, key: HarvesterKey, created_by: object | None) -> str:
    """Give a key made in the admin form its secret; return the secret."""
    raw = KEY_PREFIX + secrets.token_urlsafe(32)
    key.prefix = raw[:12]
    key.key_hash = key_hash(raw)
    key.created_by = created_by  # type: ignore[assignment]
    key.save()
    return raw


def harvester_key_revoke(*, key: HarvesterKey) -> None:
    with transaction.atomic(durable=True):
        HarvesterKey.objects.filter(pk=key.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )


def harvester_key_touch(*, key: HarvesterKey, now: datetime) -> None:
    """Note the key's use, at most once a minute (no write per request)."""
    if key.last_used_at is not None and now - key.last_used_at < timedelta(minutes=1):
        return
    HarvesterKey.objects.filter(pk=key.pk).update(last_used_at=now)


def records_leaving(*, kind: str, objects: Iterable[Any]) -> None:
    """Rows leaving public view (made private, hidden or deleted) that a
    harvester may have: each is reported as a deleted record from now on.
    Called by the owning app's services before the change, inside their
    transaction, as search's index is kept (no signals)."""
    harvest_kind = kind_named(kind)
    if harvest_kind is None:
        return
    sets = SetIndex()
    for obj in objects:
        if not harvest_kind.was_public(obj):
            continue
        specs = [
            spec
            for facet, ids in harvest_kind.term_ids(obj).items()
            for spec in sets.specs_for(facet, ids)
        ]
        tombstone_record(kind=kind, object_id=obj.pk, set_specs=specs)


def records_returning(*, kind: str, object_ids: Iterable[int]) -> None:
    """Rows public again: no longer deleted records."""
    Tombstone.objects.filter(kind=kind, object_id__in=list(object_ids)).delete()


def tombstone_record(*, kind: str, object_id: int, set_specs: Iterable[str]) -> None:
    """Report the record as deleted from now on (inside the caller's transaction)."""
    specs = " " + " ".join(sorted(set(set_specs))) + " "
    Tombstone.objects.update_or_create(
        kind=kind,
        object_id=object_id,
        defaults={"deleted_at": timezone.now(), "set_specs": specs.replace("  ", " ")},
    )


def tombstone_clear(*, kind: str, object_id: int) -> None:
    """The record is public again: no longer deleted."""
    Tombstone.objects.filter(kind=kind, object_id=object_id).delete()
