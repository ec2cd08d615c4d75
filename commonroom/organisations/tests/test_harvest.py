"""Issue 18: organisations and training offers over OAI-PMH (Dublin Core)."""

import pytest
from django.core.cache import cache
from lxml import etree

from commonroom.oai.tests.xsd_validation import validation_errors
from commonroom.organisations.models import Organisation
from commonroom.organisations.tests.factories import offer, organisation
from commonroom.resources.models import State

pytestmark = pytest.mark.django_db
NS = {"o": "http://www.openarchives.org/OAI/2.0/", "dc": "http://purl.org/dc/elements/1.1/"}


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = "http://testserver"
    settings.OAI_ANONYMOUS_RATE = "100000/m"
    cache.clear()


def _headers(client, **params):
    response = client.get("/oai", {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", **params})
    assert validation_errors(response.content) == []
    document = etree.fromstring(response.content)
    return {
        h.findtext("o:identifier", namespaces=NS): h.get("status")
        for h in document.iterfind(".//o:header", NS)
    }


def test_issue18_organisations_and_offers_are_harvested_and_excluded_ones_deleted(client):
    shown = organisation(name="Leerpunt")
    course = offer(shown, levels=["primary-1"])
    excluded = organisation(name="Gone")
    offer(excluded, title="Gone too")
    organisation(name="Proposed", state=State.SUBMITTED)
    Organisation.objects.filter(pk=excluded.pk).update(state=State.REMOVED)
    excluded_offer = excluded.offers.get()
    headers = _headers(client)
    assert headers == {
        f"oai:testserver:organisation/{shown.pk}": None,
        f"oai:testserver:organisation/{excluded.pk}": "deleted",
        f"oai:testserver:training-offer/{course.pk}": None,
        f"oai:testserver:training-offer/{excluded_offer.pk}": "deleted",
    }
    assert _headers(client, set="level:primary") == {
        f"oai:testserver:training-offer/{course.pk}": None
    }
    record = client.get(
        "/oai",
        {
            "verb": "GetRecord",
            "metadataPrefix": "oai_dc",
            "identifier": f"oai:testserver:training-offer/{course.pk}",
        },
    )
    assert validation_errors(record.content) == []
    document = etree.fromstring(record.content)
    assert document.findtext(".//dc:title", namespaces=NS) == "Coaching STEM"
    assert document.findtext(".//dc:creator", namespaces=NS) == "Leerpunt"
