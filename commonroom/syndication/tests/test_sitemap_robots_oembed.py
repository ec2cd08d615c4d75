"""Issue 18 item 3: sitemap.xml, robots.txt and oEmbed."""

from __future__ import annotations

import json
from urllib.parse import urlencode
from xml.etree import ElementTree

import pytest
from django.test import Client
from django.utils import timezone

from commonroom.library.tests.factories import CollectionFactory
from commonroom.moderation.lifecycle import State
from commonroom.organisations.tests import factories as organisation_factories
from commonroom.resources.tests.factories import PublishedResourceFactory, ResourceFactory
from commonroom.staffroom.models import Post
from commonroom.staffroom.tests import factories as staffroom_factories
from commonroom.syndication.tests.helpers import alternates

pytestmark = pytest.mark.django_db
NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
BASE = "http://testserver"


def xml(client: Client, url: str) -> ElementTree.Element:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return ElementTree.fromstring(response.content)  # noqa: S314 - our own output


def locations(root: ElementTree.Element) -> list[str]:
    return [loc.text or "" for loc in root.findall(".//sm:loc", NS)]


def test_item3_the_sitemap_index_names_a_section_per_kind(client):
    root = xml(client, "/sitemap.xml")
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex"
    assert sorted(locations(root)) == sorted(
        f"{BASE}/sitemap-{name}.xml"
        for name in (
            "collections",
            "organisations",
            "pages",
            "resources",
            "staffroom",
            "threads",
            "training",
        )
    )


def test_item3_the_sitemap_lists_public_items_only_with_lastmod(client):
    published = PublishedResourceFactory()
    ResourceFactory(title="Draft")
    withdrawn = ResourceFactory(state=State.WITHDRAWN)
    public = CollectionFactory(is_public=True)
    CollectionFactory(is_public=False)
    organisation = organisation_factories.organisation()
    excluded = organisation_factories.organisation(name="Gone", state=State.REMOVED)
    offer = organisation_factories.offer(organisation)
    organisation_factories.offer(excluded, title="Gone too")
    visible = staffroom_factories.thread()
    held = staffroom_factories.thread(board=visible.category)
    Post.objects.filter(pk=held.opening_post_id).update(held=True)

    index = xml(client, "/sitemap.xml")
    sections = {
        entry.findtext("sm:loc", namespaces=NS): entry.findtext("sm:lastmod", namespaces=NS)
        for entry in index.findall("sm:sitemap", NS)
    }
    assert (sections[f"{BASE}/sitemap-resources.xml"] or "").startswith(
        timezone.localtime(published.updated_at).date().isoformat()
    )
    root = xml(client, "/sitemap-resources.xml")
    assert locations(root) == [f"{BASE}{published.get_absolute_url()}"]
    assert f"/resources/{withdrawn.pk}-" not in ElementTree.tostring(root).decode()
    [lastmod] = [e.text for e in root.findall(".//sm:lastmod", NS)]
    assert lastmod is not None
    assert lastmod.startswith(timezone.localtime(published.updated_at).date().isoformat())
    assert locations(xml(client, "/sitemap-collections.xml")) == [
        f"{BASE}{public.get_absolute_url()}"
    ]
    assert locations(xml(client, "/sitemap-organisations.xml")) == [
        f"{BASE}{organisation.get_absolute_url()}"
    ]
    assert locations(xml(client, "/sitemap-training.xml")) == [f"{BASE}{offer.get_absolute_url()}"]
    assert locations(xml(client, "/sitemap-threads.xml")) == [f"{BASE}{visible.get_absolute_url()}"]
    assert f"{BASE}/resources/" in locations(xml(client, "/sitemap-pages.xml"))
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_item3_a_large_section_is_paginated(client, monkeypatch):
    from commonroom.resources.feeds import ResourceSitemap

    monkeypatch.setattr(ResourceSitemap, "limit", 2)
    resources = [PublishedResourceFactory() for _ in range(3)]
    index = locations(xml(client, "/sitemap.xml"))
    assert f"{BASE}/sitemap-resources.xml?p=2" in index
    second = locations(xml(client, "/sitemap-resources.xml?p=2"))
    assert second == [f"{BASE}{resources[2].get_absolute_url()}"]


def test_item3_robots_allows_public_pages_and_points_at_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[:2] == ["User-agent: *", "Allow: /"]
    for private in ("/accounts/", "/staff/", "/moderation/", "/search/?", "/admin/", "/messages/"):
        assert f"Disallow: {private}" in lines
    assert "Disallow: /resources/" not in lines
    assert f"Sitemap: {BASE}/sitemap.xml" in lines


def oembed(client: Client, **params: str) -> tuple[int, dict[str, object]]:
    response = client.get(f"/oembed?{urlencode(params)}")
    assert response["Content-Type"] == "application/json"
    return response.status_code, json.loads(response.content)


def test_item3_oembed_answers_for_a_resource_with_a_rich_embed(client):
    resource = PublishedResourceFactory(title="Breuken")
    url = f"{BASE}{resource.get_absolute_url()}"
    status, body = oembed(client, url=url, format="json", maxwidth="500")
    assert status == 200
    assert body["version"] == "1.0"
    assert body["type"] == "rich"
    assert body["title"] == "Breuken"
    assert body["author_name"] == resource.author.display_name
    assert body["provider_name"] == "Commonroom"
    assert body["width"] == 500
    assert body["html"] == (
        f'<iframe src="{BASE}/library/embed/resource/{resource.pk}/" title="Breuken" '
        'width="500" height="400" loading="lazy" '
        'referrerpolicy="strict-origin-when-cross-origin"></iframe>'
    )
    # The short address works too, and the embed it names is served.
    status, _ = oembed(client, url=f"{BASE}/resources/{resource.pk}/")
    assert status == 200
    assert client.get(f"/library/embed/resource/{resource.pk}/").status_code == 200


def test_item3_oembed_answers_for_a_public_collection_only(client):
    public = CollectionFactory(title="Breukenweek", is_public=True)
    private = CollectionFactory(is_public=False)
    status, body = oembed(client, url=f"{BASE}{public.get_absolute_url()}")
    assert status == 200
    assert body["type"] == "rich"
    assert f"/library/embed/collection/{public.pk}/" in str(body["html"])
    assert oembed(client, url=f"{BASE}{private.get_absolute_url()}")[0] == 404


def test_item3_oembed_refuses_unknown_urls_and_formats_with_json(client):
    draft = ResourceFactory()
    resource = PublishedResourceFactory()
    for url in (
        f"{BASE}{draft.get_absolute_url()}",
        f"{BASE}/resources/999999/",
        f"{BASE}/staffroom/",
        f"https://elsewhere.example{resource.get_absolute_url()}",
        "not a url",
    ):
        status, body = oembed(client, url=url)
        assert (status, body["code"]) == (404, "not_found"), url
    status, body = oembed(client, url=f"{BASE}{resource.get_absolute_url()}", format="xml")
    assert (status, body["code"]) == (501, "format_not_supported")
    status, body = oembed(client)
    assert (status, body["code"]) == (400, "invalid")


def test_item3_the_collection_page_has_oembed_discovery(client):
    public = CollectionFactory(is_public=True)
    [link] = alternates(
        client.get(public.get_absolute_url()).content.decode(), "application/json+oembed"
    )
    assert link == f"{BASE}/oembed?" + urlencode(
        {"url": f"{BASE}{public.get_absolute_url()}", "format": "json"}
    )
