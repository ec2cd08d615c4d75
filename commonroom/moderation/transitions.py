"""The one place a moderated item's state changes (DESIGN.md, Content lifecycle).

``transition`` checks the move against ``lifecycle.LIFECYCLE``, refuses a
decision on one's own work, lets the item's kind apply the new state (what
publishing, hiding or removing means for it) and writes the audit row (R30).
Services of any app call it; none assigns a moderated state itself.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from commonroom.accounts.models import Member
from commonroom.core import versions
from commonroom.moderation import audit
from commonroom.moderation.lifecycle import LIFECYCLE, Event, State, target_of
from commonroom.moderation.models import Criterion
from commonroom.moderation.permissions import refuse_own_work
from commonroom.moderation.protocol import kind_of


class TransitionRefused(ValidationError):
    """The lifecycle does not allow the event from the item's current state."""


def allowed(item: models.Model, event: Event, to: str = "") -> bool:
    return target_of(event, kind_of(item).state(item), to) is not None


def transition(
    item: models.Model,
    *,
    event: Event,
    by: Member | None,
    to: str = "",
    audit_action: str = "",
    audit_target: str = "",
    reason: str = "",
    criteria: Sequence[Criterion] = (),
) -> State:
    """Move ``item`` by ``event`` and return its new state. The caller holds
    the item's row lock (``kind.lock``) inside its transaction. The audit row
    is named ``audit_action`` (default ``<kind>_<event>``)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("transition() runs inside the caller's transaction")
    kind = kind_of(item)
    move = LIFECYCLE[event]
    before = kind.state(item)
    after = target_of(event, before, to)
    if after is None:
        raise TransitionRefused(
            _("This cannot be done to the item in its current state."), code="not_allowed"
        )
    if move.decides:
        if not isinstance(by, Member):
            raise PermissionDenied
        refuse_own_work(by=by, subject=item)
    kind.apply(item, event=event, before=before, after=after, by=by)
    versions.changed(item)  # pages kept rendered that show it (core.versions)
    audit.record(
        actor=by,
        action=audit_action or f"{item._meta.model_name}_{event}",
        subject=item,
        target=audit_target,
        from_state=before,
        to_state=after,
        reason=reason,
        criteria=criteria,
    )
    return after
