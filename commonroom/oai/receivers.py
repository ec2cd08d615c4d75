"""Tombstone keeping for the harvested kinds: a row that leaves public view
(hidden or deleted) is reported as deleted from then on. Connected for each
kind's model when the app is ready; bookkeeping of what harvesters were
shown, like a search index, with no rule of any content kind in it."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save, pre_save

from commonroom.oai.protocol import HarvestKind
from commonroom.oai.registry import harvest_kinds
from commonroom.oai.services import tombstone_clear, tombstone_record
from commonroom.oai.sets import SetIndex


def _specs(kind: HarvestKind, obj: Any) -> list[str]:
    sets = SetIndex()
    specs: list[str] = []
    for facet, ids in kind.term_ids(obj).items():
        specs.extend(sets.specs_for(facet, ids))
    return specs


def _receivers(kind: HarvestKind) -> None:
    def before_save(sender: type, instance: Any, raw: bool = False, **kwargs: Any) -> None:
        if raw or instance.pk is None or kind.keeps_hidden_rows:
            return
        old = kind.model._default_manager.filter(pk=instance.pk).first()
        if old is not None and kind.is_public(old) and not kind.is_public(instance):
            tombstone_record(kind=kind.name, object_id=instance.pk, set_specs=_specs(kind, old))

    def after_save(sender: type, instance: Any, raw: bool = False, **kwargs: Any) -> None:
        if not raw and kind.is_public(instance):
            tombstone_clear(kind=kind.name, object_id=instance.pk)

    def after_delete(sender: type, instance: Any, **kwargs: Any) -> None:
        if kind.was_public(instance):
            tombstone_record(kind=kind.name, object_id=instance.pk, set_specs=())

    uid = f"commonroom.oai.{kind.name}"
    pre_save.connect(before_save, sender=kind.model, weak=False, dispatch_uid=f"{uid}.pre_save")
    post_save.connect(after_save, sender=kind.model, weak=False, dispatch_uid=f"{uid}.post_save")
    post_delete.connect(
        after_delete, sender=kind.model, weak=False, dispatch_uid=f"{uid}.post_delete"
    )


def connect() -> None:
    for kind in harvest_kinds():
        _receivers(kind)
