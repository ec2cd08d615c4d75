"""Organisations and training offers as searchable kinds (``search/protocol.py``):
one search page finds them beside learning resources, by words, theme and
province; an excluded organisation and its offers leave the index at once."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from commonroom.organisations.models import Organisation, OrganisationResource, TrainingOffer
from commonroom.resources.search import KEY as RESOURCE_KIND
from commonroom.search.cards import card_from_template
from commonroom.search.protocol import Document, Facet
from commonroom.search.selectors import Hit
from commonroom.search.services import search_index_sync
from commonroom.search.vocabularies import LEVEL
from commonroom.taxonomy.models import Province, TrainingTheme

ORGANISATION = "organisation"
OFFER = "training_offer"

THEME = Facet(
    name="theme", title=_("Training theme"), terms=lambda: list(TrainingTheme.objects.all())
)
PROVINCE = Facet(name="province", title=_("Province"), terms=lambda: list(Province.objects.all()))


def index_organisation(organisation_id: int) -> None:
    """The organisation's document and its offers' documents, written or
    removed as they are now public or not."""
    search_index_sync(kind=ORGANISATION, object_id=organisation_id)
    for offer_id in TrainingOffer.objects.filter(organisation_id=organisation_id).values_list(
        "pk", flat=True
    ):
        search_index_sync(kind=OFFER, object_id=offer_id)


def index_resources_under(organisation_id: int) -> None:
    """The documents of the resources published under the organisation,
    written or removed as they are now found or withheld (R24)."""
    for resource_id in OrganisationResource.objects.filter(
        organisation_id=organisation_id
    ).values_list("resource_id", flat=True):
        search_index_sync(kind=RESOURCE_KIND, object_id=resource_id)


def index_offer(offer_id: int) -> None:
    search_index_sync(kind=OFFER, object_id=offer_id)
    organisation_id = (
        TrainingOffer.objects.filter(pk=offer_id).values_list("organisation_id", flat=True).first()
    )
    if organisation_id is not None:
        # The organisation's themes and provinces are its offers'.
        search_index_sync(kind=ORGANISATION, object_id=organisation_id)


class OrganisationSearch:
    key = ORGANISATION
    label = _("Organisation")
    noun = _("organisation")
    model = Organisation
    facets = (THEME, PROVINCE)

    def public(self) -> QuerySet[Organisation]:
        return Organisation.objects.public()

    def documents(self, object_ids: Sequence[int]) -> list[Document]:
        organisations = (
            self.public().filter(pk__in=list(object_ids)).select_related("province").order_by("pk")
        )
        offers = TrainingOffer.objects.public().filter(organisation__in=organisations)
        themes: dict[int, set[int]] = {}
        provinces: dict[int, set[int]] = {}
        through_themes = TrainingOffer.themes.through.objects.filter(trainingoffer__in=offers)
        for org_id, theme_id in through_themes.values_list(
            "trainingoffer__organisation_id", "trainingtheme_id"
        ):
            themes.setdefault(org_id, set()).add(theme_id)
        through_provinces = TrainingOffer.provinces.through.objects.filter(trainingoffer__in=offers)
        for org_id, province_id in through_provinces.values_list(
            "trainingoffer__organisation_id", "province_id"
        ):
            provinces.setdefault(org_id, set()).add(province_id)
        return [
            Document(
                object_id=o.pk,
                title=o.name,
                description=o.get_kind_display(),
                body=f"{o.description}\n{o.address}",
                published_at=o.published_at,
                facets={
                    "theme": sorted(themes.get(o.pk, ())),
                    "province": sorted(provinces.get(o.pk, set()) | {o.province_id}),
                },
            )
            for o in organisations
        ]

    def cards(self, object_ids: Sequence[int]) -> dict[int, Any]:
        found = self.public().filter(pk__in=list(object_ids)).select_related("province")
        return {o.pk: o for o in found}

    def card(self, hit: Hit, position: int) -> SafeString:
        return card_from_template("organisations/_search_card.html", hit, position)

    def url(self, object_id: int, title: str) -> str:
        slug = slugify(title)[:60] or "organisation"
        return reverse("organisations:detail", args=[object_id, slug])

    def found_text(self, n: int) -> str:
        return ngettext("%(n)s organisation found", "%(n)s organisations found", n) % {"n": n}


class OfferSearch:
    key = OFFER
    label = _("Training offer")
    noun = _("training offer")
    model = TrainingOffer
    facets = (THEME, PROVINCE, LEVEL)

    def public(self) -> QuerySet[TrainingOffer]:
        return TrainingOffer.objects.public()

    def documents(self, object_ids: Sequence[int]) -> list[Document]:
        offers = (
            self.public()
            .filter(pk__in=list(object_ids))
            .select_related("organisation")
            .prefetch_related("themes", "provinces", "levels")
            .order_by("pk")
        )
        return [
            Document(
                object_id=offer.pk,
                title=offer.title,
                description=offer.organisation.name,
                keywords=[str(t) for t in offer.themes.all()],
                body=offer.description,
                published_at=offer.created_at,
                facets={
                    "theme": [t.pk for t in offer.themes.all()],
                    "province": [p.pk for p in offer.provinces.all()],
                    "level": [level.pk for level in offer.levels.all()],
                },
            )
            for offer in offers
        ]

    def cards(self, object_ids: Sequence[int]) -> dict[int, Any]:
        found = self.public().filter(pk__in=list(object_ids)).select_related("organisation")
        return {offer.pk: offer for offer in found}

    def card(self, hit: Hit, position: int) -> SafeString:
        return card_from_template("organisations/_offer_search_card.html", hit, position)

    def url(self, object_id: int, title: str) -> str:
        return reverse("organisations:offer", args=[object_id])

    def found_text(self, n: int) -> str:
        return ngettext("%(n)s training offer found", "%(n)s training offers found", n) % {"n": n}


SEARCHABLE_KINDS = (OrganisationSearch(), OfferSearch())
