"""Bases for a kind's adapter (moderation/protocol.py): a kind whose model
keeps the lifecycle state in a field, and a post that is held for review by
a flag and hidden by a date (reactions, messages). An adapter subclasses one
and adds what its kind means; the optional parts a kind lacks (proposed
changes, parts of an item) are refused here."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.functional import Promise as StrPromise

from commonroom.moderation.lifecycle import State


class StateFieldKind:
    """A kind that keeps the lifecycle state in one model field
    (``state_field``); ``on_state`` adds what the new state means."""

    model: type[models.Model]
    label: str | StrPromise = ""
    state_field: str = "state"
    prepublication_review: bool = True
    accepts_notices: bool = False
    accepts_objections: bool = True
    # Further fields saved with the state (an ``auto_now`` date, for one).
    state_save_fields: tuple[str, ...] = ()

    def lock(self, item: Any) -> Any:
        return self.model._default_manager.select_for_update().get(pk=item.pk)

    def queue_summary(self, item: Any) -> tuple[str, str]:
        """Nothing beyond the title by default."""
        return ("", "")

    def state(self, item: Any) -> str:
        return str(getattr(item, self.state_field))

    def apply(self, item: Any, *, event: str, before: str, after: str, by: Any) -> None:
        setattr(item, self.state_field, after)
        changed = self.on_state(item, event=event, before=before, after=after, by=by)
        item.save(update_fields=[self.state_field, *self.state_save_fields, *changed])

    def on_state(
        self, item: Any, *, event: str, before: str, after: str, by: Any
    ) -> tuple[str, ...]:
        """What the new state means beyond the field; returns other fields changed."""
        return ()

    def decided(self, item: Any, decision: Any, reasons: str) -> None:
        """Nothing to tell by default."""

    def decide_change(self, item: Any, change: Any, *, accepted: bool, by: Any) -> None:
        raise NotImplementedError(f"{type(self).__name__} has no proposed changes")

    def reinstate_change(self, item: Any, change: Any, *, by: Any) -> None:
        raise NotImplementedError(f"{type(self).__name__} has no proposed changes")

    def restore_part(self, item: Any, part: Any) -> None:
        raise NotImplementedError(f"{type(self).__name__} has no parts to restore")


class HeldPostKind(StateFieldKind):
    """A post shown at once unless held for review (a new account's link,
    R20), and hidden by a moderator: its state is read from ``held`` and
    ``hidden_at``. A held post is submitted, or in review once a moderator
    claimed its review; a hidden one is rejected (it was never shown) or
    removed. Such posts have no objection state, so no objections."""

    accepts_objections = False
    held_field = "held"
    hidden_field = "hidden_at"
    hidden_by_field = "hidden_by"

    def state(self, item: Any) -> str:
        held = bool(getattr(item, self.held_field))
        if getattr(item, self.hidden_field) is not None:
            return State.REJECTED if held else State.REMOVED
        if not held:
            return State.PUBLISHED
        from commonroom.moderation.models import Review

        claimed = (
            Review.objects.about(item)
            .filter(closed_at__isnull=True, claimed_by__isnull=False)
            .exists()
        )
        return State.IN_REVIEW if claimed else State.SUBMITTED

    # The reason of a hiding, kept on the post for its author and readers;
    # "" when the kind keeps none.
    hidden_reason_field = ""

    def decided(self, item: Any, decision: Any, reasons: str) -> None:
        """A decision in the queue does what the kind's own held-posts page
        does: let through, the post is shown and its author told; refused,
        the reason is kept and the author told why."""
        from commonroom.moderation.models import Decision

        if decision.action == Decision.Action.PUBLISH:
            self.let_through(item)
            return
        if self.hidden_reason_field:
            setattr(item, self.hidden_reason_field, decision.reason[:300])
            item.save(update_fields=[self.hidden_reason_field])
        self.refused(item, decision)

    def let_through(self, item: Any) -> None:
        """What showing a held post means beyond its state (tell, count, index)."""

    def refused(self, item: Any, decision: Any) -> None:
        """What refusing a held post means beyond its state: tell its author why."""

    def apply(self, item: Any, *, event: str, before: str, after: str, by: Any) -> None:
        changed: list[str] = []
        values: dict[str, Any]
        if after == State.PUBLISHED:
            values = {self.held_field: False, self.hidden_field: None, self.hidden_by_field: None}
        elif after in (State.REJECTED, State.REMOVED):
            values = {self.hidden_field: timezone.now(), self.hidden_by_field: by}
        else:
            values = {}  # claimed or released: read from its review
        for name, value in values.items():
            setattr(item, name, value)
            changed.append(name)
        changed += self.on_state(item, event=event, before=before, after=after, by=by)
        if changed:
            item.save(update_fields=changed)
