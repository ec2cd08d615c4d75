"""Publishing one's resources under an organisation one administers (R17):
the organisation page lists them, the resource page and its attribution
name both, and followers of the organisation see them in their feed."""

from __future__ import annotations

from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from commonroom.accounts.models import Member
from commonroom.core import versions
from commonroom.organisations import permissions
from commonroom.organisations.models import Organisation, OrganisationResource
from commonroom.resources.models import Resource
from commonroom.resources.search import KEY as RESOURCE_KIND
from commonroom.search.services import search_index_sync


@transaction.atomic(durable=True)
def resource_publish_under(
    *, organisation: Organisation, resource: Resource, by: Member
) -> OrganisationResource:
    if not permissions.can_administer(by, organisation) or resource.author_id != by.pk:
        raise PermissionDenied
    if not organisation.is_public:
        raise ValidationError(
            _("Resources are published under an organisation once it is verified."),
            code="not_public",
        )
    link, created = OrganisationResource.objects.get_or_create(
        resource=resource, defaults={"organisation": organisation, "added_by": by}
    )
    if not created and link.organisation_id != organisation.pk:
        raise ValidationError(
            _("This resource is already published under another organisation."), code="taken"
        )
    versions.changed(resource)  # its byline names the organisation (resource_page.py)
    return link


@transaction.atomic(durable=True)
def resource_unlink(*, organisation: Organisation, resource: Resource, by: Member) -> None:
    """The resource's author or an administrator takes the organisation's name off it."""
    if resource.author_id != by.pk and not permissions.can_administer(by, organisation):
        raise PermissionDenied
    OrganisationResource.objects.filter(organisation=organisation, resource=resource).delete()
    versions.changed(resource)
    # Found again under its author's name alone, if it was withheld (R24).
    transaction.on_commit(partial(search_index_sync, kind=RESOURCE_KIND, object_id=resource.pk))


def resources_of(organisation: Organisation) -> QuerySet[Resource]:
    """Published resources under the organisation, newest first."""
    return (
        Resource.objects.published()
        .filter(organisation_link__organisation=organisation)
        .select_related("author", "kind")
        .order_by("-published_at", "-pk")
    )


def linkable_resources(organisation: Organisation, member: Member) -> QuerySet[Resource]:
    """The member's own resources not yet published under an organisation."""
    return Resource.objects.filter(author=member, organisation_link__isnull=True).order_by("title")
