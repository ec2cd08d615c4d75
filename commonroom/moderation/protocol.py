"""What a moderated kind provides to the moderation kernel.

Each app that owns moderated content says so in ``<app>/moderation.py`` with
``MODERATED: list[ModeratedKind]`` (found with
``core.discovery.app_modules("moderation")``). The kernel reads an item's
title, authors, public address and text through its kind, changes its state
only through ``moderation.transitions.transition`` and lets the kind apply a
new state and say what it means for it (re-index, hide its files, notify...), so a new kind
needs no change in ``moderation/``.

A kind's adapter may carry more than the kernel reads here (what reports
need: an excerpt, who may see an item); the kernel only relies on this
protocol.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any, Protocol, runtime_checkable

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.functional import Promise as StrPromise

from commonroom.core.discovery import app_modules


@runtime_checkable
class ModeratedKind(Protocol):
    """One kind of moderated content, as the kernel sees it."""

    # The model of the kind's items.
    model: type[models.Model]
    # What an item of the kind is called in the queue ("Reaction").
    label: str | StrPromise
    # Whether a new item may need review before anyone else sees it (a held
    # reaction, a submitted resource): such items open a review when created.
    prepublication_review: bool
    # Whether anyone may file a notice of infringement against a public item (R29).
    accepts_notices: bool
    # Whether the author may object to a refusal (R28): the kind keeps the
    # "objection filed" state.
    accepts_objections: bool

    def title(self, item: Any) -> str:
        """A short name for the item, in the queue and in messages."""
        ...

    def queue_summary(self, item: Any) -> tuple[str, str]:
        """Two short lines the queue shows beside the item (what it is about)."""
        ...

    def authors(self, item: Any) -> frozenset[int]:
        """Member ids who may not decide on the item (nobody decides on their own work)."""
        ...

    def author(self, item: Any) -> Any:
        """The member told about decisions on the item (None if gone)."""
        ...

    def authored_by(self, member: Any) -> models.QuerySet[Any]:
        """The member's own items (a queue leaves them to another moderator)."""
        ...

    def public_url(self, item: Any) -> str:
        """Where the item is seen once published."""
        ...

    def review_text(self, item: Any) -> str:
        """The text a moderator reviews."""
        ...

    def lock(self, item: Any) -> Any:
        """The item fetched again with a row lock, inside the caller's transaction."""
        ...

    def state(self, item: Any) -> str:
        """The item's lifecycle state (a ``moderation.lifecycle.State`` value)."""
        ...

    def apply(self, item: Any, *, event: str, before: str, after: str, by: Any) -> None:
        """Put the item in state ``after`` (moved there by ``event``) and do what that means for the
        kind: publishing, hiding or removing (dates, files, the search index,
        telling followers...). Called only by ``transition``, inside its
        transaction; slow side effects belong in ``transaction.on_commit``."""
        ...

    def decided(self, item: Any, decision: Any, reasons: str) -> None:
        """Tell the people concerned about a moderator's decision
        (``moderation.models.Decision``) on the item, and carry out what the
        decision means besides the state (a removed resource's pending edits
        are declined); ``reasons`` is the criteria and free text as the
        author reads them."""
        ...

    # A kind whose published items take proposed changes (``Review.change``)
    # or whose decisions may concern a part of an item (``Decision.part``).

    def decide_change(self, item: Any, change: Any, *, accepted: bool, by: Any) -> None:
        """Apply or decline a proposed change; the item keeps its state."""
        ...

    def reinstate_change(self, item: Any, change: Any, *, by: Any) -> None:
        """A refused change was wrongly refused (an objection): apply it."""
        ...

    def restore_part(self, item: Any, part: Any) -> None:
        """A part was wrongly removed (an objection): it comes back."""
        ...


def kind_label(model: type[models.Model]) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


@functools.cache
def moderated_kinds() -> dict[str, ModeratedKind]:
    """Every registered kind by ``app_label.model_name``."""
    found: dict[str, ModeratedKind] = {}
    for module in app_modules("moderation"):
        for kind in getattr(module, "MODERATED", ()):
            if not isinstance(kind, ModeratedKind):
                raise ImproperlyConfigured(f"{module.__name__}: {kind!r} is not a ModeratedKind")
            found[kind_label(kind.model)] = kind
    return found


def kind_of(item: models.Model | type[models.Model]) -> ModeratedKind:
    """The registered kind of ``item`` (or of the model); unknown is a programming error."""
    model: type[models.Model] = item if isinstance(item, type) else type(item)
    kind = moderated_kinds().get(kind_label(model._meta.concrete_model or model))
    if kind is None:
        raise ImproperlyConfigured(f"{model.__name__} is not a registered moderated kind")
    return kind


def kind_for_type(content_type: ContentType) -> ModeratedKind | None:
    return moderated_kinds().get(f"{content_type.app_label}.{content_type.model}")


def is_moderated(item: object) -> bool:
    return isinstance(item, models.Model) and kind_label(type(item)) in moderated_kinds()


def content_types() -> Iterable[ContentType]:
    """The content types of every registered kind."""
    return ContentType.objects.get_for_models(
        *(kind.model for kind in moderated_kinds().values())
    ).values()


def target_filter(item: models.Model) -> dict[str, Any]:
    """Keyword filters selecting the moderation rows about ``item``."""
    return {
        "content_type": ContentType.objects.get_for_model(type(item)),
        "object_id": item.pk,
    }


def state_of(item: Any) -> str:
    return kind_of(item).state(item)
