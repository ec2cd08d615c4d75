"""Read use cases of the moderators' queue (R26): the open reviews of every
moderated kind, and what the review page shows of an item. Joins and
prefetches are decided here so pages run a fixed number of queries."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from commonroom.accounts.models import Member
from commonroom.moderation.lifecycle import State
from commonroom.moderation.models import Criterion, Decision, Objection, Report, Review
from commonroom.moderation.permissions import open_to
from commonroom.moderation.protocol import kind_of, moderated_kinds
from commonroom.taxonomy.models import EducationLevel, ResourceKind, Subject
from commonroom.taxonomy.selectors import subtree_ids

# --- the queue ----------------------------------------------------------------------------


def review_queue(
    *,
    kind: str = "",
    resource_kind: ResourceKind | None = None,
    subject: Subject | None = None,
    level: EducationLevel | None = None,
    older_than_days: int | None = None,
    now: datetime | None = None,
    for_member: Member | None = None,
) -> QuerySet[Review]:
    """Open reviews of every moderated kind, oldest first, with everything a
    queue row shows; for a moderator, without their own work, which another
    moderator decides. The facets (kind of resource, subject, level, each
    with the terms below it) keep the items of the kinds that have them."""
    reviews = Review.objects.filter(closed_at__isnull=True)
    if for_member is not None:
        reviews = reviews.filter(open_to(for_member)[Review])
    if kind:
        reviews = reviews.filter(kind=kind)
    facets = {
        "resource_kind": resource_kind,
        "subject": subtree_ids(Subject, subject) if subject is not None else None,
        "level": subtree_ids(EducationLevel, level) if level is not None else None,
    }
    if any(value is not None for value in facets.values()):
        reviews = reviews.filter(_with_facets(facets))
    if older_than_days:
        cutoff = (now or timezone.now()) - timedelta(days=older_than_days)
        reviews = reviews.filter(opened_at__lt=cutoff)
    queue: QuerySet[Review] = (
        reviews.select_related("claimed_by", "content_type")
        .prefetch_related(GenericPrefetch("target", _queue_querysets()))
        .annotate(open_reports=Count("reports", filter=Q(reports__status=Report.Status.OPEN)))
        .order_by("opened_at", "pk")
    )
    return queue


def _with_facets(facets: dict[str, Any]) -> Q:
    """Reviews of the items that have the facets (``queue_items`` of their kind)."""
    matching = Q(pk__in=[])
    for moderated in moderated_kinds().values():
        queue_items = getattr(moderated, "queue_items", None)
        if queue_items is None:
            continue
        content_type = ContentType.objects.get_for_model(moderated.model)
        matching |= Q(content_type=content_type, object_id__in=queue_items(**facets).values("pk"))
    return matching


def _queue_querysets() -> list[QuerySet[Any]]:
    """Each kind's items with what a queue row reads, one query per kind."""
    querysets = []
    for moderated in moderated_kinds().values():
        queue_queryset = getattr(moderated, "queue_queryset", None)
        items = queue_queryset() if queue_queryset else moderated.model._default_manager.all()
        querysets.append(items)
    return querysets


def queue_counts(for_member: Member | None = None) -> dict[str, int]:
    reviews = Review.objects.filter(closed_at__isnull=True)
    if for_member is not None:
        reviews = reviews.filter(open_to(for_member)[Review])
    rows = reviews.values("kind").annotate(n=Count("pk")).order_by()
    counts = {row["kind"]: row["n"] for row in rows}
    return {kind: counts.get(kind, 0) for kind in Review.Kind.values}


# --- the review page ----------------------------------------------------------------------


def active_criteria() -> QuerySet[Criterion]:
    return Criterion.objects.filter(active=True)


def review_page(review: Review, target: Any) -> dict[str, Any]:
    """What the review page shows of the item: the kind's own sections
    (``review_page`` of its adapter) or its title, text and address."""
    moderated = kind_of(target)
    page = {
        "item": target,
        "item_title": moderated.title(target),
        "item_author": moderated.author(target),
        "item_state": _state_label(moderated.state(target)),
        "item_offline": moderated.state(target) in (State.REMOVED_PENDING, State.REMOVED),
        "item_url": moderated.public_url(target),
        "item_text": moderated.review_text(target),
        "item_template": "moderation/_review_item.html",
        "actions_template": "moderation/_review_actions.html",
    }
    own_page = getattr(moderated, "review_page", None)
    if own_page is not None:
        page.update(own_page(review))
    return page


def _state_label(state: str) -> str:
    return str(dict(State.choices).get(state, state))


def review_reports(review: Review) -> QuerySet[Report]:
    return review.reports.select_related("reporter").order_by("created_at", "pk")


def decisions_about(item: Any) -> QuerySet[Decision]:
    return (
        Decision.objects.about(item)
        .select_related("moderator", "objection")
        .prefetch_related("criteria")
        .order_by("-created_at", "-pk")
    )


def objection_for(decision: Decision) -> Objection | None:
    return Objection.objects.filter(decision=decision).first()
