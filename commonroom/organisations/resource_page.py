"""What organisations add to the resource page's one query: the verified
organisation a resource is published under (``published_for_id`` and
``published_for_name``), so its byline and attribution name both. Found by
``resources.selectors.resource_page`` through ``core.discovery``."""

from __future__ import annotations

from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery

from commonroom.core import versions
from commonroom.moderation.lifecycle import PUBLIC_STATES
from commonroom.organisations.models import Organisation, OrganisationResource
from commonroom.resources.models import Resource


def page_scopes() -> list[str]:
    """The content versions (``core.versions``) a kept resource page reads
    for what this module adds: any public organisation's name or state
    (bumped by ``changes.change_apply`` and ``moderation.py``); linking or
    unlinking a resource bumps the resource itself."""
    return [versions.scope_of(Organisation)]


def annotate(resources: QuerySet[Resource], viewer: Any) -> QuerySet[Resource]:
    # An excluded organisation's name leaves its resources at once (R24).
    links = OrganisationResource.objects.filter(
        resource=OuterRef("pk"), organisation__state__in=PUBLIC_STATES
    )
    return resources.annotate(
        published_for_id=Subquery(links.values("organisation_id")[:1]),
        published_for_name=Subquery(links.values("organisation__name")[:1]),
    )
