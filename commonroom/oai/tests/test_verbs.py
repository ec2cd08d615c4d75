"""Issue 18 (R34 bulk access): the six OAI-PMH verbs and every error."""

from typing import Any

import pytest

from commonroom.library.tests.factories import CollectionFactory
from commonroom.oai.tests.conftest import NS, error_code
from commonroom.resources.tests.factories import PublishedResourceFactory, ResourceFactory

pytestmark = pytest.mark.django_db


def _ids(document: Any) -> list[str]:
    return [e.text for e in document.iterfind(".//o:header/o:identifier", NS)]


def test_issue18_identify(oai):
    document = oai(verb="Identify")
    identify = document.find("o:Identify", NS)
    assert identify.findtext("o:baseURL", namespaces=NS) == "http://testserver/oai"
    assert identify.findtext("o:protocolVersion", namespaces=NS) == "2.0"
    assert identify.findtext("o:deletedRecord", namespaces=NS) == "persistent"
    assert identify.findtext("o:granularity", namespaces=NS) == "YYYY-MM-DDThh:mm:ssZ"
    assert identify.findtext("o:repositoryName", namespaces=NS) == "Commonroom learning resources"
    rights = identify.findtext("o:description/oai_dc:dc/dc:rights", namespaces=NS)
    assert rights.startswith("Source: Commonroom learning resources, produced by ")


def test_issue18_list_metadata_formats(oai):
    resource = PublishedResourceFactory()
    collection = CollectionFactory()
    document = oai(verb="ListMetadataFormats")
    prefixes = [e.text for e in document.iterfind(".//o:metadataPrefix", NS)]
    assert prefixes == ["lom", "oai_dc"]
    one = oai(verb="ListMetadataFormats", identifier=f"oai:testserver:resource/{resource.pk}")
    assert [e.text for e in one.iterfind(".//o:metadataPrefix", NS)] == ["lom", "oai_dc"]
    other = oai(verb="ListMetadataFormats", identifier=f"oai:testserver:collection/{collection.pk}")
    assert [e.text for e in other.iterfind(".//o:metadataPrefix", NS)] == ["oai_dc"]
    missing = oai(verb="ListMetadataFormats", identifier="oai:testserver:resource/999999")
    assert error_code(missing) == "idDoesNotExist"


def test_issue18_list_sets_by_subject_and_level(oai):
    document = oai(verb="ListSets")
    specs = [e.text for e in document.iterfind(".//o:setSpec", NS)]
    assert "subject" in specs
    assert "level" in specs
    assert "subject:science-technology:physics" in specs
    assert "level:primary:primary-1" in specs
    assert error_code(oai(verb="ListSets", resumptionToken="x")) == "badResumptionToken"


def test_issue18_list_identifiers_and_records_in_both_formats(oai):
    resources = PublishedResourceFactory.create_batch(3)
    ResourceFactory()  # a draft: never harvested
    collection = CollectionFactory()
    CollectionFactory(is_public=False)
    expected = [f"oai:testserver:resource/{r.pk}" for r in resources]
    document = oai(verb="ListIdentifiers", metadataPrefix="oai_dc")
    assert _ids(document) == [*expected, f"oai:testserver:collection/{collection.pk}"]
    lom = oai(verb="ListRecords", metadataPrefix="lom")
    assert _ids(lom) == expected
    record = lom.find(".//o:record/o:metadata/lom:lom", NS)
    assert record.findtext("lom:general/lom:title/lom:string", namespaces=NS) == resources[0].title
    assert (
        record.findtext("lom:lifeCycle/lom:contribute/lom:role/lom:value", namespaces=NS)
        == "author"
    )
    assert "FN:" + resources[0].author.display_name in record.findtext(
        "lom:lifeCycle/lom:contribute/lom:entity", namespaces=NS
    )
    assert (
        record.findtext("lom:rights/lom:copyrightAndOtherRestrictions/lom:value", namespaces=NS)
        == "yes"
    )
    assert "https://creativecommons.org/licenses/by/4.0/" in record.findtext(
        "lom:rights/lom:description/lom:string", namespaces=NS
    )
    purposes = [e.text for e in record.iterfind("lom:classification/lom:purpose/lom:value", NS)]
    assert purposes == ["discipline", "educational level"]
    assert (
        record.findtext("lom:educational/lom:learningResourceType/lom:value", namespaces=NS)
        == "exercise"
    )
    assert record.findtext("lom:technical/lom:location", namespaces=NS) == (
        "http://testserver" + resources[0].get_absolute_url()
    )
    dc = oai(verb="ListRecords", metadataPrefix="oai_dc").find(".//oai_dc:dc", NS)
    rights = [e.text for e in dc.iterfind("dc:rights", NS)]
    assert rights[0] == "https://creativecommons.org/licenses/by/4.0/"
    assert "Source: Commonroom learning resources" in rights[2]


def test_issue18_get_record_and_its_errors(oai):
    resource = PublishedResourceFactory()
    identifier = f"oai:testserver:resource/{resource.pk}"
    document = oai(verb="GetRecord", identifier=identifier, metadataPrefix="oai_dc")
    assert document.findtext(".//dc:title", namespaces=NS) == resource.title
    assert error_code(oai(verb="GetRecord", identifier=identifier, metadataPrefix="marc")) == (
        "cannotDisseminateFormat"
    )
    assert (
        error_code(
            oai(verb="GetRecord", identifier="oai:elsewhere:resource/1", metadataPrefix="oai_dc")
        )
        == "idDoesNotExist"
    )
    assert error_code(oai(verb="GetRecord", identifier=identifier)) == "badArgument"


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({}, "badVerb"),
        ({"verb": "Harvest"}, "badVerb"),
        ({"verb": "Identify", "set": "x"}, "badArgument"),
        ({"verb": "ListRecords"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2024-13-01"}, "badArgument"),
        (
            {
                "verb": "ListRecords",
                "metadataPrefix": "oai_dc",
                "from": "2024-01-01",
                "until": "2024-02-01T00:00:00Z",
            },
            "badArgument",
        ),
        ({"verb": "ListRecords", "metadataPrefix": "marc21"}, "cannotDisseminateFormat"),
        ({"verb": "ListIdentifiers", "resumptionToken": "forged"}, "badResumptionToken"),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc"}, "noRecordsMatch"),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "subject:nope"},
            "noRecordsMatch",
        ),
    ],
)
def test_issue18_errors(oai, params, code):
    document = oai(**params)
    assert error_code(document) == code
    if code in ("badVerb", "badArgument"):
        assert document.find("o:request", NS).attrib == {}


def test_issue18_repeated_argument_is_bad(client):
    response = client.get("/oai?verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=lom")
    assert b'code="badArgument"' in response.content


def test_issue18_no_set_hierarchy_when_no_kind_has_sets(oai, monkeypatch):
    from commonroom.oai import handlers

    monkeypatch.setattr(handlers, "harvest_kinds", lambda: ())
    assert error_code(oai(verb="ListSets")) == "noSetHierarchy"


def test_issue18_no_metadata_formats(oai, monkeypatch):
    collection = CollectionFactory()
    from commonroom.library.harvest import CollectionHarvest

    monkeypatch.setattr(CollectionHarvest, "formats", frozenset())
    document = oai(
        verb="ListMetadataFormats", identifier=f"oai:testserver:collection/{collection.pk}"
    )
    assert error_code(document) == "noMetadataFormats"


def test_issue18_post_is_answered_like_get(client):
    PublishedResourceFactory()
    response = client.post("/oai", {"verb": "ListIdentifiers", "metadataPrefix": "lom"})
    assert response.status_code == 200
    assert b"<oai:header>" in response.content or b"header>" in response.content
