"""What an organisation's page and a training offer's page tell machines
(commonroom.syndication): schema.org ``Organization`` (or
``EducationalOrganization``) and ``Course``, Open Graph, the feed of the
organisation's resources. Public ones only (R24)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from commonroom.organisations.models import Organisation, OrganisationKind, TrainingOffer
from commonroom.syndication.jsonld import publisher
from commonroom.syndication.protocol import FeedLink, PageMetadata

SCHEMA_TYPES = {
    OrganisationKind.SCHOOL: "School",
    OrganisationKind.SCHOOL_GROUP: "EducationalOrganization",
    OrganisationKind.TRAINING_PROVIDER: "EducationalOrganization",
    OrganisationKind.GOVERNMENT: "GovernmentOrganization",
}


def _logo(organisation: Organisation, request: HttpRequest) -> str:
    if not organisation.logo:
        return ""
    path = reverse("organisations:logo", args=[organisation.pk, organisation.logo_token])
    return request.build_absolute_uri(path)


def organisation_json_ld(organisation: Organisation, request: HttpRequest) -> dict[str, Any]:
    url = request.build_absolute_uri(organisation.get_absolute_url())
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": SCHEMA_TYPES.get(OrganisationKind(organisation.kind), "Organization"),
        "@id": url,
        "url": url,
        "name": organisation.name,
        "description": organisation.description,
        "sameAs": [organisation.website],
        "address": {
            "@type": "PostalAddress",
            "streetAddress": organisation.address,
            "addressRegion": organisation.province.label,
            "addressCountry": "BE",
        },
        "email": organisation.email,
    }
    logo = _logo(organisation, request)
    if logo:
        data["logo"] = logo
    return data


def _feed(organisation: Organisation) -> FeedLink:
    return FeedLink(
        _("New learning resources of %(name)s") % {"name": organisation.name},
        reverse("syndication:organisation_resources", args=[organisation.pk]),
    )


def organisation_metadata(organisation: Organisation, request: HttpRequest) -> PageMetadata | None:
    if not organisation.is_public:
        return None
    return PageMetadata(
        title=organisation.name,
        description=organisation.description,
        url=request.build_absolute_uri(organisation.get_absolute_url()),
        og_type="profile",
        image=_logo(organisation, request),
        json_ld=organisation_json_ld(organisation, request),
        feeds=[_feed(organisation)],
    )


def offer_metadata(offer: TrainingOffer, request: HttpRequest) -> PageMetadata | None:
    organisation = offer.organisation
    # TrainingOfferQuerySet.public()'s rule, on the loaded offer: an inactive
    # offer's page is its administrators' alone.
    if not (offer.is_shown and organisation.is_public and organisation.offers_training):
        return None
    url = request.build_absolute_uri(offer.get_absolute_url())
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Course",
        "@id": url,
        "url": url,
        "name": offer.title,
        "description": offer.description,
        "provider": {
            "@type": SCHEMA_TYPES.get(OrganisationKind(organisation.kind), "Organization"),
            "name": organisation.name,
            "url": request.build_absolute_uri(organisation.get_absolute_url()),
        },
        "about": [theme.label for theme in offer.themes.all()],
        "educationalLevel": [level.label for level in offer.levels.all()],
        "audience": [
            {"@type": "EducationalAudience", "educationalRole": role}
            for role in offer.role_labels()
        ],
        "timeRequired": offer.duration,
        "publisher": publisher(name=settings.PLATFORM_NAME, url=request.build_absolute_uri("/")),
        "dateModified": offer.updated_at.isoformat(),
    }
    return PageMetadata(
        title=offer.title,
        description=offer.description,
        url=url,
        json_ld=data,
        feeds=[_feed(organisation)],
    )


PAGE_METADATA = {Organisation: organisation_metadata, TrainingOffer: offer_metadata}
