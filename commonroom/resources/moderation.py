"""How moderation handles resources.

Reports (R21): a resource can be reported; a report joins the resource's
open report review, so moderators also meet it in the review queue, and
acting on it removes the resource (which tells its author)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from commonroom.accounts.models import Member
from commonroom.moderation.models import Review
from commonroom.moderation.report_registry import Reportable
from commonroom.resources.models import Resource
from commonroom.resources.permissions import can_view


def _remove(resource: Resource, by: Member, reason: str) -> None:
    # Imported here: moderation's services import this app's services.
    from commonroom.moderation.services import resource_remove

    resource_remove(resource=resource, by=by, reason=reason)


def _report_review(resource: Resource) -> Review:
    """The open report review on the resource, opened by its first report."""
    Resource.objects.select_for_update().filter(pk=resource.pk).first()  # one review at a time
    review = Review.objects.filter(
        resource=resource, kind=Review.Kind.REPORT, closed_at__isnull=True
    ).first()
    return review or Review.objects.create(resource=resource, kind=Review.Kind.REPORT)


def _resources() -> QuerySet[Resource]:
    return Resource.objects.select_related("author")


REPORTABLE = {
    "resource": Reportable(
        model=Resource,
        label=_("Resource"),
        author=lambda resource: resource.author,
        excerpt=lambda r: Truncator(f"{r.title} · {r.description}").chars(300),
        url=lambda resource: resource.get_absolute_url(),
        hide=_remove,
        remove=_remove,
        visible_to=lambda resource, user: can_view(user, resource),
        queryset=_resources,
        review_for=_report_review,
        hooks_tell_author=True,
    )
}
