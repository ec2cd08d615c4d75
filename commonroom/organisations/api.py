"""Organisations and training offers through the API: the public ones for
all (proposals and excluded pages stay with their administrators and the
moderation team, as ``permissions`` says)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja import Query, Router, Schema

from commonroom.api import auth
from commonroom.api.attribution import attribution_text
from commonroom.api.pagination import (
    ObjectId,
    ObjectIdQuery,
    PageParams,
    keyset_page,
    links,
)
from commonroom.organisations import permissions
from commonroom.organisations.models import Organisation, TrainingOffer

router = Router(tags=["organisations"])


class OrganisationOut(Schema):
    id: int
    name: str
    kind: str
    description: str
    website: str
    province: str | None
    url: str


class OrganisationListOut(Schema):
    items: list[OrganisationOut]
    next: str | None
    attribution: str


class OrganisationDetailOut(OrganisationOut):
    attribution: str


class OfferOut(Schema):
    id: int
    title: str
    description: str
    organisation_id: int
    organisation: str
    price_range: str
    url: str


class OfferListOut(Schema):
    items: list[OfferOut]
    next: str | None
    attribution: str


class OfferDetailOut(OfferOut):
    attribution: str


def _organisation(o: Organisation) -> dict[str, Any]:
    return {
        "id": o.pk,
        "name": o.name,
        "kind": o.kind,
        "description": o.description,
        "website": o.website,
        "province": o.province.slug if o.province else None,
        "url": settings.SITE_URL + o.get_absolute_url(),
    }


def _offer(o: TrainingOffer) -> dict[str, Any]:
    return {
        "id": o.pk,
        "title": o.title,
        "description": o.description,
        "organisation_id": o.organisation_id,
        "organisation": o.organisation.name,
        "price_range": o.price_range,
        "url": settings.SITE_URL + o.get_absolute_url(),
    }


def _organisations(page: Sequence[Organisation]) -> list[dict[str, Any]]:
    return [_organisation(o) for o in page]


def _offers(page: Sequence[TrainingOffer]) -> list[dict[str, Any]]:
    return [_offer(o) for o in page]


@router.get(
    "/organisations",
    response=OrganisationListOut,
    auth=auth.PUBLIC,
    summary="Verified organisations",
    operation_id="organisation_list",
    openapi_extra=links(
        200, GetOrganisation=("organisation_detail", "organisation_id", "/items/0/id")
    ),
)
def organisation_list(
    request: HttpRequest,
    page: Query[PageParams],
) -> dict[str, Any]:
    organisations = Organisation.objects.public().select_related("province")
    return keyset_page(request, organisations, page, serialise=_organisations)


@router.get(
    "/organisations/{organisation_id}",
    response=OrganisationDetailOut,
    auth=auth.PUBLIC,
    summary="One organisation",
    operation_id="organisation_detail",
    openapi_extra=links(200, GetOffers=("offer_list", "organisation", "/id")),
)
def organisation_detail(request: HttpRequest, organisation_id: ObjectId) -> dict[str, Any]:
    organisation = permissions.organisation_for_view(request.user, organisation_id)
    return {**_organisation(organisation), "attribution": attribution_text()}


@router.get(
    "/training-offers",
    response=OfferListOut,
    auth=auth.PUBLIC,
    summary="Active training offers of verified providers",
    operation_id="offer_list",
    openapi_extra=links(200, GetOffer=("offer_detail", "offer_id", "/items/0/id")),
)
def offer_list(
    request: HttpRequest,
    page: Query[PageParams],
    organisation: ObjectIdQuery = None,
) -> dict[str, Any]:
    offers = TrainingOffer.objects.public().select_related("organisation")
    if organisation is not None:
        offers = offers.filter(organisation_id=organisation)
    return keyset_page(request, offers, page, serialise=_offers)


@router.get(
    "/training-offers/{offer_id}",
    response=OfferDetailOut,
    auth=auth.PUBLIC,
    summary="One training offer",
    operation_id="offer_detail",
    openapi_extra=links(
        200, GetOrganisation=("organisation_detail", "organisation_id", "/organisation_id")
    ),
)
def offer_detail(request: HttpRequest, offer_id: ObjectId) -> dict[str, Any]:
    offer = permissions.offer_for_view(request.user, offer_id)
    return {**_offer(offer), "attribution": attribution_text()}


ROUTERS = [("", router)]
