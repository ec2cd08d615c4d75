from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from lxml import etree

from commonroom.oai.tests.xsd_validation import validation_errors

NS = {
    "o": "http://www.openarchives.org/OAI/2.0/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "oai_dc": "http://www.openarchives.org/OAI/2.0/oai_dc/",
    "lom": "http://ltsc.ieee.org/xsd/LOM",
}


@pytest.fixture(autouse=True)
def _oai_settings(settings: Any) -> None:
    settings.SITE_URL = "http://testserver"
    settings.OAI_ANONYMOUS_RATE = "100000/m"
    settings.OAI_HARVESTER_RATE = "100000/m"
    settings.OAI_REQUIRE_KEY = False
    cache.clear()


@pytest.fixture
def oai(client: Any) -> Callable[..., Any]:
    """GET /oai with these arguments; the response parsed after it is checked
    against the schemas (OAI-PMH, oai_dc, LOM)."""

    def get(**params: str) -> Any:
        response = client.get("/oai", params)
        assert response.status_code == 200, response.content
        assert response["Content-Type"] == "text/xml; charset=utf-8"
        errors = validation_errors(response.content)
        assert errors == [], errors
        return etree.fromstring(response.content)

    return get


def error_code(document: Any) -> str | None:
    found = document.findall("o:error", NS)
    return found[0].get("code") if found else None
