"""Organisations and training offers over OAI-PMH (issue 18), in Dublin
Core. An organisation ever verified keeps its row and is reported as deleted
while it is not public (excluded, under a notice); an offer follows its own
switch and its organisation, with the later of the two datestamps."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.db.models.functions import Greatest

from commonroom.moderation.lifecycle import PUBLIC_STATES
from commonroom.oai.protocol import LangString, Metadata
from commonroom.organisations.models import Organisation, TrainingOffer


def _source(title: str, url: str) -> str:
    database = str(settings.DATABASE_NAME) or f"{settings.PLATFORM_NAME} learning resources"
    return f'"{title}", {url}. Source: {database}, produced by {settings.OPERATOR_NAME}.'


class OrganisationHarvest:
    name = "organisation"
    model = Organisation
    keeps_hidden_rows = True
    formats = frozenset({"oai_dc"})
    datestamp_field = "updated_at"
    set_lookups: Mapping[str, str] = {}

    def rows(self) -> QuerySet[Any]:
        return Organisation.objects.filter(published_at__isnull=False)

    def prefetch(self, rows: QuerySet[Any]) -> QuerySet[Any]:
        return rows.select_related("province")

    def is_public(self, obj: Any) -> bool:
        return bool(obj.state in PUBLIC_STATES)

    def was_public(self, obj: Any) -> bool:
        return obj.published_at is not None

    def term_ids(self, obj: Any) -> Mapping[str, Sequence[int]]:
        return {}

    def metadata(self, obj: Any, *, site_url: str) -> Metadata:
        organisation: Organisation = obj
        url = site_url + organisation.get_absolute_url()
        return Metadata(
            title=LangString(organisation.name),
            url=url,
            description=LangString(organisation.description),
            subjects=(LangString(str(organisation.get_kind_display())),),
            dc_type=("Organization",),
            date=organisation.published_at,
            attribution=_source(organisation.name, url),
            extra={"publisher": str(settings.OPERATOR_NAME)},
        )


class TrainingOfferHarvest:
    name = "training-offer"
    model = TrainingOffer
    keeps_hidden_rows = True
    formats = frozenset({"oai_dc"})
    datestamp_field = "oai_datestamp"
    set_lookups: Mapping[str, str] = {"level": "levels"}

    def rows(self) -> QuerySet[Any]:
        return TrainingOffer.objects.filter(organisation__published_at__isnull=False).annotate(
            oai_datestamp=Greatest("updated_at", "organisation__updated_at")
        )

    def prefetch(self, rows: QuerySet[Any]) -> QuerySet[Any]:
        return rows.select_related("organisation").prefetch_related("levels")

    def is_public(self, obj: Any) -> bool:
        return bool(
            obj.is_shown
            and obj.organisation.state in PUBLIC_STATES
            and obj.organisation.offers_training
        )

    def was_public(self, obj: Any) -> bool:
        return obj.organisation.published_at is not None

    def term_ids(self, obj: Any) -> Mapping[str, Sequence[int]]:
        return {"level": [level.pk for level in obj.levels.all()]}

    def metadata(self, obj: Any, *, site_url: str) -> Metadata:
        offer: TrainingOffer = obj
        url = site_url + offer.get_absolute_url()
        return Metadata(
            title=LangString(offer.title),
            url=url,
            description=LangString(offer.description),
            authors=(offer.organisation.name,),
            subjects=tuple(LangString(level.label_en, "en") for level in offer.levels.all()),
            dc_type=("Event", "Professional development"),
            date=offer.created_at,
            attribution=_source(offer.title, url),
            extra={"publisher": offer.organisation.name},
        )


HARVESTABLE = [OrganisationHarvest(), TrainingOfferHarvest()]
