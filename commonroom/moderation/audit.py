"""The audit log (R30): one row per moderation or authoring action."""

from collections.abc import Iterable
from typing import Any

from commonroom.moderation.models import AuditEntry, Criterion


def record(
    *,
    actor: Any,
    action: str,
    resource: Any = None,
    target: str = "",
    from_state: str = "",
    to_state: str = "",
    reason: str = "",
    criteria: Iterable[Criterion] = (),
) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        resource=resource,
        target=target or (f"resource:{resource.pk}" if resource is not None else ""),
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        criteria=sorted(c.slug for c in criteria),
    )
