"""Organisations' Atom feed (resources published under one) and sitemap
sections (commonroom.syndication): public organisations and offers only; an
excluded organisation's feed, page and offers leave at once (R24)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from commonroom.organisations.models import Organisation, TrainingOffer
from commonroom.organisations.resources_under import resources_of
from commonroom.resources.feeds import ResourceFeed
from commonroom.resources.models import Resource
from commonroom.syndication.protocol import FeedRoute
from commonroom.syndication.sitemaps import ModelSitemap


class OrganisationResourcesFeed(ResourceFeed):
    def get_object(self, request: HttpRequest, organisation_id: int) -> Organisation:
        organisation = Organisation.objects.public().filter(pk=organisation_id).first()
        if organisation is None:
            raise Http404
        return organisation

    def title(self, obj: Organisation) -> str:
        return _("New learning resources of %(name)s") % {"name": obj.name}

    def link(self, obj: Organisation) -> str:
        return obj.get_absolute_url()

    def items(self, obj: Organisation) -> QuerySet[Resource]:
        return resources_of(obj).select_related("licence")[: self.size]


FEEDS = [
    FeedRoute(
        "organisations/<id:organisation_id>/resources/",
        "organisation_resources",
        OrganisationResourcesFeed(),
    )
]


class OrganisationSitemap(ModelSitemap):
    def items(self) -> QuerySet[Organisation]:
        return Organisation.objects.public().order_by("pk")


class OfferSitemap(ModelSitemap):
    def items(self) -> QuerySet[TrainingOffer]:
        return TrainingOffer.objects.public().order_by("pk")


SITEMAPS = {"organisations": OrganisationSitemap, "training": OfferSitemap}
