"""The content lifecycle (DESIGN.md, Content lifecycle): every state a
moderated item can be in, every event that moves it, and which moves are
allowed, as one table. ``moderation.transitions.transition`` is the only
code that changes a moderated item's state, and it consults this table.

```
draft → submitted → in_review → published
                              ↘ changes_requested → submitted
                              ↘ rejected → objection_filed → upheld | overturned(→ published)
published → removed_pending (notice) → restored | removed
published → removed (moderation) ; published → due_for_review (periodic re-review)
```
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Waiting for review")
    IN_REVIEW = "in_review", _("In review")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    PUBLISHED = "published", _("Published")
    DUE_FOR_REVIEW = "due_for_review", _("Published, due for review")
    REJECTED = "rejected", _("Rejected")
    OBJECTION_FILED = "objection_filed", _("Objection filed")
    REMOVED_PENDING = "removed_pending", _("Removed pending investigation")
    REMOVED = "removed", _("Removed")
    WITHDRAWN = "withdrawn", _("Withdrawn by the author")


# Everyone may see an item in these states (R2).
PUBLIC_STATES = (State.PUBLISHED, State.DUE_FOR_REVIEW)
# Refusals an author may object to leave the item in one of these states.
REFUSED_STATES = (State.REJECTED, State.REMOVED, State.CHANGES_REQUESTED)
EVERY_STATE = frozenset(State)


class Event(StrEnum):
    SUBMIT = "submit"
    WITHDRAW = "withdraw"
    CLAIM = "claim"
    RELEASE = "release"
    PUBLISH = "publish"
    REQUEST_CHANGES = "request_changes"
    REJECT = "reject"
    REMOVE = "remove"
    OBJECT = "object"
    OVERTURN = "overturn"
    UPHOLD = "uphold"
    NOTICE = "notice"
    RESTORE = "restore"
    DUE = "due"


@dataclass(frozen=True)
class Move:
    """An event's allowed sources and targets. ``targets[0]`` is where the
    event leads unless the caller names another of ``targets`` (an upheld
    refusal returns to the refused state; a restored item to where it was).
    ``decides`` marks a moderator's or staff decision: nobody takes one on
    their own work."""

    sources: frozenset[State]
    targets: tuple[State, ...]
    decides: bool


def _move(sources: Iterable[State], *targets: State, decides: bool = True) -> Move:
    return Move(frozenset(sources), targets, decides)


LIFECYCLE: dict[Event, Move] = {
    # The author's own moves.
    Event.SUBMIT: _move(
        {State.DRAFT, State.CHANGES_REQUESTED, State.WITHDRAWN, State.REJECTED},
        State.SUBMITTED,
        decides=False,
    ),
    Event.WITHDRAW: _move(
        {*PUBLIC_STATES, State.SUBMITTED, State.CHANGES_REQUESTED},
        State.WITHDRAWN,
        decides=False,
    ),
    Event.OBJECT: _move(REFUSED_STATES, State.OBJECTION_FILED, decides=False),
    # Anyone's notice of infringement takes a public item offline at once (R29).
    Event.NOTICE: _move(
        {*PUBLIC_STATES, State.REMOVED_PENDING}, State.REMOVED_PENDING, decides=False
    ),
    # The periodic re-review: the system, no one's decision.
    Event.DUE: _move({State.PUBLISHED}, State.DUE_FOR_REVIEW, decides=False),
    # Moderators' decisions.
    Event.CLAIM: _move({State.SUBMITTED}, State.IN_REVIEW),
    Event.RELEASE: _move({State.IN_REVIEW}, State.SUBMITTED),
    Event.PUBLISH: _move(
        {State.SUBMITTED, State.IN_REVIEW, State.DUE_FOR_REVIEW, State.PUBLISHED},
        State.PUBLISHED,
    ),
    Event.REQUEST_CHANGES: _move(
        {State.SUBMITTED, State.IN_REVIEW, State.DUE_FOR_REVIEW, State.PUBLISHED},
        State.CHANGES_REQUESTED,
    ),
    Event.REJECT: _move(
        {State.SUBMITTED, State.IN_REVIEW, State.DUE_FOR_REVIEW, State.PUBLISHED},
        State.REJECTED,
    ),
    # A moderator takes an item offline whatever it is in (R27); a removed
    # item stays removed when a second report on it is upheld.
    Event.REMOVE: _move(EVERY_STATE, State.REMOVED),
    # Staff decide objections and notices.
    Event.OVERTURN: _move(EVERY_STATE - {State.DRAFT, State.WITHDRAWN}, State.PUBLISHED),
    Event.UPHOLD: _move({State.OBJECTION_FILED}, *REFUSED_STATES),
    Event.RESTORE: _move({State.REMOVED_PENDING}, State.PUBLISHED, State.DUE_FOR_REVIEW),
}


def target_of(event: Event, source: str, to: str = "") -> State | None:
    """Where ``event`` takes an item in ``source`` (``to`` when the event
    allows a choice), or None when the table does not allow it."""
    move = LIFECYCLE[event]
    if source not in move.sources:
        return None
    if not to:
        return move.targets[0]
    return State(to) if to in move.targets else None
