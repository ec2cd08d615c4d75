"""The audit log (R30): one row per moderation or authoring action."""

from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType

from commonroom.moderation.models import AuditEntry, Criterion


def record(
    *,
    actor: Any,
    action: str,
    subject: Any = None,
    target: str = "",
    from_state: str = "",
    to_state: str = "",
    reason: str = "",
    criteria: Iterable[Criterion] = (),
    resource: Any = None,
) -> AuditEntry:
    """``subject`` is the moderated item concerned (any kind), ``target`` the
    row acted on as ``model:id``. ``resource`` is the former name of
    ``subject``, kept for callers not moved yet (the ``reportable`` modules)."""
    subject = subject if subject is not None else resource
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        content_type=ContentType.objects.get_for_model(subject) if subject is not None else None,
        object_id=subject.pk if subject is not None else None,
        target=target or (_label(subject) if subject is not None else ""),
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        criteria=sorted(c.slug for c in criteria),
    )


def _label(subject: Any) -> str:
    return f"{subject._meta.model_name}:{subject.pk}"
