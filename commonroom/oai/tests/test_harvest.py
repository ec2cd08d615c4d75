"""Issue 18 acceptance (R34): harvesting through resumption tokens, from/until,
sets, deleted records, harvester keys and their budget."""

from datetime import UTC, datetime
from typing import Any

import pytest
from lxml import etree
from sickle import Sickle

from commonroom.library.services import collection_delete, collection_update
from commonroom.library.tests.factories import CollectionFactory
from commonroom.oai.models import Tombstone
from commonroom.oai.services import harvester_key_create, harvester_key_revoke
from commonroom.oai.tests.conftest import NS, error_code
from commonroom.oai.tests.xsd_validation import validation_errors
from commonroom.resources.models import Resource, State
from commonroom.resources.tests.factories import PublishedResourceFactory


def _ids(document: Any) -> list[str]:
    return [e.text for e in document.iterfind(".//o:header/o:identifier", NS)]


@pytest.mark.django_db(transaction=True)
def test_issue18_sickle_harvests_every_record_through_resumption_tokens(
    live_server, seeded, settings
):
    """A real harvester (sickle) over HTTP: 120 resources in pages of 7, every
    response valid against the OAI-PMH and LOM schemas, a withdrawn one deleted."""
    settings.OAI_PAGE_SIZE = 7
    settings.SITE_URL = live_server.url
    resources = PublishedResourceFactory.create_batch(120)
    withdrawn = resources[5]
    withdrawn.state = State.WITHDRAWN
    withdrawn.save()
    pages: list[bytes] = []

    def check(response: Any, *args: Any, **kwargs: Any) -> None:
        assert response.status_code == 200
        pages.append(response.content)
        assert validation_errors(response.content) == []

    harvester = Sickle(f"{live_server.url}/oai", hooks={"response": [check]}, max_retries=0)
    records = list(harvester.ListRecords(metadataPrefix="lom", ignore_deleted=False))
    live = [r for r in records if not r.deleted]
    deleted = [r.header.identifier for r in records if r.deleted]
    host = live_server.url.split("//")[1].split(":")[0]
    assert len(records) == 120
    assert len(live) == Resource.objects.published().count() == 119
    assert deleted == [f"oai:{host}:resource/{withdrawn.pk}"]
    assert len(pages) == 18  # ceil(120 / 7)
    last = etree.fromstring(pages[-1]).find(".//o:resumptionToken", NS)
    assert last.text is None
    assert (last.get("completeListSize"), last.get("cursor")) == ("120", "119")
    second = etree.fromstring(pages[1]).find(".//o:resumptionToken", NS)
    assert (second.get("completeListSize"), second.get("cursor")) == ("120", "7")
    assert second.get("expirationDate").endswith("Z")


@pytest.mark.django_db
def test_issue18_from_until_select_by_datestamp(oai):
    early, middle, late = PublishedResourceFactory.create_batch(3)
    for resource, day in ((early, 1), (middle, 10), (late, 20)):
        Resource.objects.filter(pk=resource.pk).update(
            updated_at=datetime(2026, 3, day, 12, 0, 0, tzinfo=UTC)
        )
    ids = _ids(
        oai(
            verb="ListIdentifiers",
            metadataPrefix="oai_dc",
            **{"from": "2026-03-05T00:00:00Z", "until": "2026-03-10T12:00:00Z"},
        )
    )
    assert ids == [f"oai:testserver:resource/{middle.pk}"]
    by_day = _ids(oai(verb="ListIdentifiers", metadataPrefix="oai_dc", until="2026-03-10"))
    assert by_day == [f"oai:testserver:resource/{early.pk}", f"oai:testserver:resource/{middle.pk}"]
    stamp = oai(verb="ListIdentifiers", metadataPrefix="oai_dc", **{"from": "2026-03-20"})
    assert stamp.findtext(".//o:datestamp", namespaces=NS) == "2026-03-20T12:00:00Z"


@pytest.mark.django_db
def test_issue18_sets_follow_the_subject_and_level_trees(oai):
    physics = PublishedResourceFactory(subjects=["physics"], levels=["secondary-2"])
    maths = PublishedResourceFactory(subjects=["mathematics"], levels=["primary-1"])

    def in_set(spec: str) -> list[str]:
        document = oai(verb="ListIdentifiers", metadataPrefix="lom", set=spec)
        return [] if error_code(document) == "noRecordsMatch" else _ids(document)

    p, m = f"oai:testserver:resource/{physics.pk}", f"oai:testserver:resource/{maths.pk}"
    assert in_set("subject:science-technology") == [p]
    assert in_set("subject:science-technology:physics") == [p]
    assert in_set("subject:mathematics") == [m]
    assert in_set("level:primary") == [m]
    assert in_set("level:secondary:secondary-2") == [p]
    assert in_set("subject") == [p, m]
    specs = oai(verb="GetRecord", identifier=p, metadataPrefix="lom").findall(".//o:setSpec", NS)
    assert [s.text for s in specs] == [
        "subject",
        "subject:science-technology",
        "subject:science-technology:physics",
        "level",
        "level:secondary",
        "level:secondary:secondary-2",
    ]


@pytest.mark.django_db
def test_issue18_withdrawn_and_removed_resources_are_deleted_records(oai):
    withdrawn, removed, _shown = PublishedResourceFactory.create_batch(3)
    for resource, state in ((withdrawn, State.WITHDRAWN), (removed, State.REMOVED)):
        resource.state = state
        resource.save()
    document = oai(verb="ListRecords", metadataPrefix="oai_dc")
    headers = document.findall(".//o:header", NS)
    assert [h.get("status") for h in headers] == ["deleted", "deleted", None]
    assert document.findall(".//o:record/o:metadata", NS)[0] is not None
    assert len(document.findall(".//o:record/o:metadata", NS)) == 1
    one = oai(
        verb="GetRecord",
        identifier=f"oai:testserver:resource/{withdrawn.pk}",
        metadataPrefix="lom",
    )
    assert one.find(".//o:header", NS).get("status") == "deleted"
    assert one.find(".//o:metadata", NS) is None


def _visibility(collection, *, is_public):
    collection_update(
        collection=collection,
        by=collection.owner,
        title=collection.title,
        description=collection.description,
        is_public=is_public,
    )


@pytest.mark.django_db
def test_issue18_hidden_and_deleted_collections_keep_tombstones(oai):
    hidden, gone, shown = CollectionFactory.create_batch(3)
    _visibility(hidden, is_public=False)
    gone_pk = gone.pk
    collection_delete(collection=gone, by=gone.owner)
    assert set(Tombstone.objects.values_list("object_id", flat=True)) == {hidden.pk, gone_pk}
    document = oai(verb="ListIdentifiers", metadataPrefix="oai_dc")
    statuses = {
        h.findtext("o:identifier", namespaces=NS): h.get("status")
        for h in document.findall(".//o:header", NS)
    }
    assert statuses == {
        f"oai:testserver:collection/{shown.pk}": None,
        f"oai:testserver:collection/{hidden.pk}": "deleted",
        f"oai:testserver:collection/{gone_pk}": "deleted",
    }
    _visibility(hidden, is_public=True)
    assert list(Tombstone.objects.values_list("object_id", flat=True)) == [gone_pk]


@pytest.mark.django_db
def test_issue18_a_forged_or_altered_token_is_refused(oai, settings):
    settings.OAI_PAGE_SIZE = 2
    PublishedResourceFactory.create_batch(3)
    first = oai(verb="ListIdentifiers", metadataPrefix="oai_dc")
    token = first.findtext(".//o:resumptionToken", namespaces=NS)
    following = oai(verb="ListIdentifiers", resumptionToken=token)
    assert len(_ids(following)) == 1
    altered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert error_code(oai(verb="ListIdentifiers", resumptionToken=altered)) == (
        "badResumptionToken"
    )


@pytest.mark.django_db
def test_issue18_key_mode_refuses_requests_without_a_valid_key(client, settings):
    settings.OAI_REQUIRE_KEY = True
    key, raw = harvester_key_create(name="Partner", contact="partner@example.org", created_by=None)
    assert key.key_hash != raw
    assert raw not in key.key_hash
    assert client.get("/oai", {"verb": "Identify"}).status_code == 401
    assert client.get("/oai", {"verb": "Identify", "key": "oai_wrong"}).status_code == 403
    assert client.get("/oai", {"verb": "Identify", "key": raw}).status_code == 200
    bearer = client.get("/oai", {"verb": "Identify"}, HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert bearer.status_code == 200
    harvester_key_revoke(key=key)
    assert client.get("/oai", {"verb": "Identify", "key": raw}).status_code == 403


@pytest.mark.django_db
def test_issue18_each_key_has_its_own_budget(client, settings):
    settings.OAI_HARVESTER_RATE = "2/m"
    _key, first = harvester_key_create(name="A", contact="a@example.org", created_by=None)
    _key, second = harvester_key_create(name="B", contact="b@example.org", created_by=None)
    answers = [client.get("/oai", {"verb": "Identify", "key": first}) for _ in range(3)]
    assert [r.status_code for r in answers] == [200, 200, 429]
    assert 1 <= int(answers[2]["Retry-After"]) <= 60
    assert b"Commonroom learning resources" in answers[2].content
    assert client.get("/oai", {"verb": "Identify", "key": second}).status_code == 200


@pytest.mark.django_db
def test_issue18_anonymous_harvesting_has_a_budget_per_client(client, settings):
    settings.OAI_ANONYMOUS_RATE = "2/m"
    answers = [client.get("/oai", {"verb": "Identify"}) for _ in range(3)]
    assert [r.status_code for r in answers] == [200, 200, 429]
    other = client.get("/oai", {"verb": "Identify"}, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200


@pytest.mark.django_db
def test_issue18_the_validator_refuses_an_invalid_record():
    bad = b"""<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">
    <responseDate>2026-01-01T00:00:00Z</responseDate><request>http://x/oai</request>
    <GetRecord><record><header><identifier>oai:x:1</identifier>
    <datestamp>2026-01-01T00:00:00Z</datestamp></header><metadata>
    <lom xmlns="http://ltsc.ieee.org/xsd/LOM"><rights><cost><source>LOMv1.0</source>
    <value>maybe</value></cost></rights></lom></metadata></record></GetRecord></OAI-PMH>"""
    assert validation_errors(bad) != []


@pytest.mark.django_db
def test_issue18_an_incremental_harvest_sees_a_withdrawal_as_deleted(oai):
    _kept, withdrawn = PublishedResourceFactory.create_batch(2)
    Resource.objects.update(updated_at=datetime(2026, 1, 1, tzinfo=UTC))
    first = oai(verb="ListIdentifiers", metadataPrefix="lom")
    since = first.findtext("o:responseDate", namespaces=NS)
    withdrawn.refresh_from_db()
    withdrawn.state = State.WITHDRAWN
    withdrawn.save()
    later = oai(verb="ListIdentifiers", metadataPrefix="lom", **{"from": since})
    headers = later.findall(".//o:header", NS)
    assert [(h.findtext("o:identifier", namespaces=NS), h.get("status")) for h in headers] == [
        (f"oai:testserver:resource/{withdrawn.pk}", "deleted")
    ]
    assert headers[0].findtext("o:datestamp", namespaces=NS) >= since
