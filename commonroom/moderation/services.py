"""The moderators' queue and decisions on items of any moderated kind
(DESIGN.md, Content lifecycle; R26 to R28): every state change goes through
``transitions.transition``, which writes the audit row (R30); the item's
kind (``moderation.protocol``) says what a decision means for it and tells
its author. Objections and notices are in ``appeals``, reports in ``reports``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from commonroom.accounts.models import Member
from commonroom.core import versions
from commonroom.moderation import audit
from commonroom.moderation.lifecycle import Event, State
from commonroom.moderation.models import Criterion, Decision, Report, Review
from commonroom.moderation.notifications import REVIEW_DUE
from commonroom.moderation.permissions import moderation_action
from commonroom.moderation.protocol import kind_of, moderated_kinds
from commonroom.moderation.transitions import transition
from commonroom.notifications.services import notify

Action = Decision.Action
# The decision a review action stands for in the lifecycle.
DECISION_EVENTS: dict[str, Event] = {
    Action.PUBLISH: Event.PUBLISH,
    Action.REQUEST_CHANGES: Event.REQUEST_CHANGES,
    Action.REJECT: Event.REJECT,
}


def lock(item: Any) -> Any:
    """The item again, locked for the rest of the caller's transaction."""
    return kind_of(item).lock(item)


def reasons_text(criteria: Sequence[Criterion], reason: str) -> str:
    lines = [f"- {c.label}" for c in criteria]
    if reason:
        lines.append(reason)
    return "\n".join(lines)


def objection_hint(decision: Decision) -> str:
    """The route to object, told with every refusal (R28)."""
    url = settings.SITE_URL + reverse("moderation:object", args=[decision.pk])
    return _("If you think this decision is wrong, you can file an objection: %(url)s") % {
        "url": url
    }


def tell_author(item: Any, *, kind: str, text: Any, url: str = "") -> None:
    moderated = kind_of(item)
    author = moderated.author(item)
    if author is not None:
        notify(recipient=author, kind=kind, text=text, url=url or moderated.public_url(item))


def decision_create(
    *,
    item: Any,
    by: Member,
    action: str,
    reason: str,
    criteria: Sequence[Criterion] = (),
    review: Review | None = None,
    part: models.Model | None = None,
) -> Decision:
    """A decision is stored with its criteria (R28); its audit row is
    written by ``transition`` or, when the state stays, by ``decision_audit``."""
    decision = Decision.objects.create(
        target=item, review=review, moderator=by, part=part, action=action, reason=reason.strip()
    )
    decision.criteria.set(criteria)
    return decision


def decision_audit(
    decision: Decision,
    *,
    criteria: Sequence[Criterion] = (),
    target: str = "",
    from_state: str = "",
    to_state: str = "",
) -> None:
    audit.record(
        actor=decision.moderator,
        action=f"decision_{decision.action}",
        subject=decision.target,
        target=target or f"decision:{decision.pk}",
        from_state=from_state,
        to_state=to_state,
        reason=decision.reason,
        criteria=criteria,
    )


@transaction.atomic
def review_open(*, item: Any, kind: str, change: models.Model | None = None) -> Review:
    """Put an item in the moderators' queue (a submission, a proposed edit,
    a held post); an item has one open review of each kind."""
    open_review = (
        Review.objects.about(item).filter(kind=kind, closed_at__isnull=True, change_id=None).first()
        if change is None
        else None
    )
    return open_review or Review.objects.create(target=item, kind=kind, change=change)


@transaction.atomic
def item_submit(*, item: Any, by: Member, audit_action: str = "") -> Any:
    """The author sends an item to the moderators' queue (R26): it is
    submitted and a submission review opens. A kind checks its own
    conditions (a licence, a verified address...) before."""
    item = lock(item)
    transition(item, event=Event.SUBMIT, by=by, audit_action=audit_action)
    review_open(item=item, kind=Review.Kind.SUBMISSION)
    return item


def reviews_close(*, item: Any) -> int:
    """The item was decided outside the queue (a page of its own app): its
    open reviews leave the queue."""
    return (
        Review.objects.about(item).filter(closed_at__isnull=True).update(closed_at=timezone.now())
    )


def _open_review(review: Review) -> Review:
    review = Review.objects.select_for_update().get(pk=review.pk)
    if review.closed_at:
        raise ValidationError(_("This item has already been decided."), code="closed")
    return review


@moderation_action(subject="review")
@transaction.atomic
def review_claim(*, review: Review, by: Member) -> Review:
    """A moderator takes an item from the queue, so two do not review it at once."""
    review = _open_review(review)
    if review.claimed_by_id and review.claimed_by_id != by.pk:
        raise ValidationError(
            _("%(name)s is already reviewing this item.") % {"name": review.claimed_by},
            code="claimed",
        )
    review.claimed_by = by
    review.claimed_at = timezone.now()
    review.save(update_fields=["claimed_by", "claimed_at"])
    item = lock(review.target)
    target = f"review:{review.pk}"
    if review.kind == Review.Kind.SUBMISSION and kind_of(item).state(item) == State.SUBMITTED:
        transition(item, event=Event.CLAIM, by=by, audit_action="review_claim", audit_target=target)
    else:
        audit.record(actor=by, action="review_claim", subject=item, target=target)
    return review


@moderation_action(subject="review")
@transaction.atomic
def review_release(*, review: Review, by: Member) -> Review:
    review = _open_review(review)
    if review.claimed_by_id not in (None, by.pk) and not by.is_staff:
        raise ValidationError(
            _("Only %(name)s or staff can release this item.") % {"name": review.claimed_by},
            code="claimed",
        )
    review.claimed_by = None
    review.claimed_at = None
    review.save(update_fields=["claimed_by", "claimed_at"])
    item = lock(review.target)
    target = f"review:{review.pk}"
    if kind_of(item).state(item) == State.IN_REVIEW:
        transition(
            item, event=Event.RELEASE, by=by, audit_action="review_release", audit_target=target
        )
    else:
        audit.record(actor=by, action="review_release", subject=item, target=target)
    return review


@moderation_action(subject="review")
@transaction.atomic
def review_decide(
    *,
    review: Review,
    by: Member,
    action: str,
    criteria: Sequence[Criterion] = (),
    reason: str = "",
) -> Decision:
    """Publish, request changes or reject (R26, R28). Refusals need at least
    one criterion or a reason; the author is told why and how to object."""
    review = _open_review(review)
    if action not in DECISION_EVENTS:
        raise ValidationError(_("Unknown decision."), code="unknown_action")
    if action != Action.PUBLISH and not criteria and not reason.strip():
        raise ValidationError(
            _("Tick the criteria the resource does not meet, or write the reason."),
            code="reason_required",
        )
    item = lock(review.target)
    kind = kind_of(item)
    before = kind.state(item)
    decision = decision_create(
        item=item, by=by, action=action, reason=reason, criteria=criteria, review=review
    )
    if review.kind == Review.Kind.REVISION and review.change is not None:
        # An edit of a published item: the item keeps its state, the edit is
        # applied or declined.
        kind.decide_change(item, review.change, accepted=action == Action.PUBLISH, by=by)
        versions.changed(item)  # pages kept rendered that show it (core.versions)
        decision_audit(decision, criteria=criteria, from_state=before, to_state=kind.state(item))
    else:
        transition(
            item,
            event=DECISION_EVENTS[action],
            by=by,
            audit_action=f"decision_{action}",
            audit_target=f"decision:{decision.pk}",
            reason=reason,
            criteria=criteria,
        )
    # Closed after the move: a held post reads "in review" from its open review.
    review.closed_at = timezone.now()
    review.save(update_fields=["closed_at"])
    kind.decided(item, decision, reasons_text(criteria, decision.reason))
    return decision


@moderation_action(subject="item")
@transaction.atomic
def item_remove(
    *, item: Any, by: Member, reason: str, criteria: Sequence[Criterion] = ()
) -> Decision:
    """Take an item offline (R27), on the moderators' own initiative or after
    a report; its open reviews close and the reports on them are acted upon."""
    if not reason.strip() and not criteria:
        raise ValidationError(_("Say why the resource is removed."), code="reason_required")
    item = lock(item)
    now = timezone.now()
    open_reviews = Review.objects.about(item).filter(closed_at__isnull=True)
    Report.objects.on(item).open().update(
        status=Report.Status.ACTIONED, handled_by=by, handled_at=now
    )
    open_reviews.update(closed_at=now)
    decision = decision_create(
        item=item, by=by, action=Action.REMOVE, reason=reason, criteria=criteria
    )
    transition(
        item,
        event=Event.REMOVE,
        by=by,
        audit_action="decision_remove",
        audit_target=f"decision:{decision.pk}",
        reason=reason,
        criteria=criteria,
    )
    kind_of(item).decided(item, decision, reasons_text(criteria, decision.reason))
    return decision


def _review_due_text(title: str) -> tuple[str, str]:
    return (
        _("“%(title)s” is due for a check") % {"title": title},
        _(
            "Your resource was published a while ago. A moderator will check that it is "
            "still correct; you can update it yourself too."
        ),
    )


@transaction.atomic
def rereview_mark_due(*, now: datetime | None = None) -> int:
    """Published items of the kinds that are checked again
    (``due_for_rereview``) and not reviewed for REREVIEW_AFTER_DAYS enter
    the "due for review" queue; they stay visible meanwhile."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.REREVIEW_AFTER_DAYS)
    marked = 0
    for kind in moderated_kinds().values():
        due_for_rereview = getattr(kind, "due_for_rereview", None)
        if due_for_rereview is None:
            continue
        due = list(due_for_rereview(cutoff).select_for_update()[: 1000 - marked])
        for item in due:
            transition(item, event=Event.DUE, by=None, audit_action="rereview_due")
            Review.objects.create(target=item, kind=Review.Kind.REREVIEW, opened_at=now)
            tell_author(
                item,
                kind=REVIEW_DUE,
                text=partial(_review_due_text, kind.title(item)),
            )
        marked += len(due)
    return marked
