"""Issue 18 item 3: schema.org JSON-LD and Open Graph on public pages."""

from __future__ import annotations

import pytest
from django.test import Client

from commonroom.accounts.models import Profile
from commonroom.library.tests.factories import CollectionFactory, CollectionItemFactory
from commonroom.moderation.lifecycle import State
from commonroom.organisations.models import OrganisationKind, OrganisationResource
from commonroom.organisations.tests import factories as organisation_factories
from commonroom.resources.tests.factories import PublishedResourceFactory, ResourceFactory
from commonroom.staffroom.tests import factories as staffroom_factories
from commonroom.syndication.tests.helpers import alternates, head_of, json_ld_blocks
from commonroom.taxonomy.models import CurriculumGoal, Licence

pytestmark = pytest.mark.django_db


def page(client: Client, url: str) -> str:
    response = client.get(url, follow=True)
    assert response.status_code == 200
    return response.content.decode()


def test_item3_a_resource_page_carries_lrmi_json_ld_with_every_field(client):
    resource = PublishedResourceFactory(
        title="Breuken met pizza",
        description="Een werkblad over breuken.",
        subjects=["mathematics"],
        levels=["primary"],
        age_min=8,
        age_max=10,
    )
    goal = CurriculumGoal.objects.first()
    assert goal is not None
    resource.curriculum_goals.add(goal)
    html = page(client, resource.get_absolute_url())
    [data] = json_ld_blocks(html)
    url = f"http://testserver{resource.get_absolute_url()}"
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "LearningResource"
    assert data["name"] == "Breuken met pizza"
    assert data["description"] == "Een werkblad over breuken."
    assert data["url"] == url
    assert [level["name"] for level in data["educationalLevel"]] == ["Primary education"]
    assert [subject["name"] for subject in data["about"]] == ["Mathematics"]
    assert data["teaches"] == [{"@type": "DefinedTerm", "termCode": goal.code, "name": goal.label}]
    assert data["learningResourceType"] == "Worksheet or exercise"
    assert data["license"] == Licence.objects.get(slug="cc-by-4.0").url
    assert data["author"] == {"@type": "Person", "name": resource.author.display_name}
    assert data["inLanguage"] == "en"
    assert data["datePublished"] == resource.published_at.isoformat()
    assert data["dateModified"].startswith(str(resource.updated_at.date()))
    assert data["keywords"] == "Mathematics"
    assert data["isAccessibleForFree"] is True
    assert data["publisher"] == {
        "@type": "Organization",
        "name": "Commonroom",
        "url": "http://testserver/",
    }
    assert data["typicalAgeRange"] == "8-10"


def test_item3_a_resource_published_under_an_organisation_has_it_as_author(client):
    resource = PublishedResourceFactory()
    organisation = organisation_factories.organisation(
        name="Leerpunt", admin=resource.author, kind=OrganisationKind.PUBLISHER
    )
    OrganisationResource.objects.create(organisation=organisation, resource=resource)
    [data] = json_ld_blocks(page(client, resource.get_absolute_url()))
    assert data["author"]["@type"] == "Organization"
    assert data["author"]["name"] == "Leerpunt"
    assert data["author"]["member"] == {"@type": "Person", "name": resource.author.display_name}


def test_item3_the_json_ld_cannot_end_its_script_element(client):
    resource = PublishedResourceFactory(title="</script><script>alert(1)</script> & co")
    html = page(client, resource.get_absolute_url())
    assert "</script><script>alert(1)" not in html
    assert "\\u003C/script\\u003E" in html
    [data] = json_ld_blocks(html)
    assert data["name"] == "</script><script>alert(1)</script> & co"


def test_item3_a_resource_page_has_open_graph_twitter_feed_and_oembed_links(client):
    resource = PublishedResourceFactory(title="Breuken", description="Over breuken.")
    html = page(client, resource.get_absolute_url())
    head = head_of(html)
    url = f"http://testserver{resource.get_absolute_url()}"
    assert head.meta["og:title"] == "Breuken"
    assert head.meta["og:description"] == "Over breuken."
    assert head.meta["og:url"] == url
    assert head.meta["og:type"] == "article"
    assert head.meta["og:locale"] == "en_GB"
    assert head.meta["og:site_name"] == "Commonroom"
    assert head.meta["twitter:card"] == "summary"
    assert "og:image" not in head.meta
    assert alternates(html, "application/atom+xml") == [
        "/feeds/resources/",
        "/feeds/resources/subject/mathematics/",
    ]
    [oembed] = alternates(html, "application/json+oembed")
    assert oembed.startswith("http://testserver/oembed?url=http%3A%2F%2Ftestserver%2Fresources%2F")
    dutch = client.get(resource.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="nl")
    assert head_of(dutch.content.decode()).meta["og:locale"] == "nl_BE"


def test_item3_a_resource_with_a_thumbnail_names_it_as_og_image(client):
    from django.core.files.base import ContentFile

    from commonroom.resources.tests.factories import ResourceFileFactory

    resource = PublishedResourceFactory()
    file = ResourceFileFactory(resource=resource)
    file.thumbnail.save("t.png", ContentFile(b"\x89PNG fake"), save=True)
    html = page(client, resource.get_absolute_url())
    image = f"http://testserver/resources/{resource.pk}/files/{file.pk}/thumbnail.png"
    assert head_of(html).meta["og:image"] == image
    assert head_of(html).meta["twitter:card"] == "summary_large_image"
    assert json_ld_blocks(html)[0]["image"] == image


def test_item3_a_draft_tells_machines_nothing(client, member):
    draft = ResourceFactory(author=member)
    client.force_login(member)
    html = page(client, draft.get_absolute_url())
    assert json_ld_blocks(html) == []
    assert "og:title" not in head_of(html).meta


def test_item3_a_public_collection_is_an_item_list_of_its_published_resources(client):
    collection = CollectionFactory(title="Breukenweek")
    first = CollectionItemFactory(collection=collection, position=1)
    CollectionItemFactory(
        collection=collection, position=2, resource=ResourceFactory(state=State.WITHDRAWN)
    )
    html = page(client, collection.get_absolute_url())
    [data] = json_ld_blocks(html)
    assert data["@type"] == ["Collection", "ItemList"]
    assert data["name"] == "Breukenweek"
    assert data["author"] == {"@type": "Person", "name": collection.owner.display_name}
    assert data["itemListElement"] == [
        {
            "@type": "ListItem",
            "position": 1,
            "url": f"http://testserver{first.resource.get_absolute_url()}",
            "name": first.resource.title,
        }
    ]
    assert len(alternates(html, "application/json+oembed")) == 1


def test_item3_an_organisation_and_its_offer_carry_organisation_and_course(client):
    organisation = organisation_factories.organisation(name="Leerpunt Vorming")
    offer = organisation_factories.offer(organisation, title="Coaching STEM", levels=["primary"])
    html = page(client, organisation.get_absolute_url())
    [data] = json_ld_blocks(html)
    assert data["@type"] == "EducationalOrganization"
    assert data["name"] == "Leerpunt Vorming"
    assert data["sameAs"] == ["https://leerpunt.example"]
    assert data["address"]["addressRegion"] == "Antwerp"
    feed = f"/feeds/organisations/{organisation.pk}/resources/"
    assert alternates(html, "application/atom+xml") == [feed]
    html = page(client, offer.get_absolute_url())
    [course] = json_ld_blocks(html)
    assert course["@type"] == "Course"
    assert course["name"] == "Coaching STEM"
    assert course["provider"]["name"] == "Leerpunt Vorming"
    assert course["educationalLevel"] == ["Primary education"]
    assert course["timeRequired"] == "Three afternoons"


def test_item3_a_staffroom_thread_is_a_discussion_forum_posting(client):
    topic = staffroom_factories.thread(title="Hoe leer je breuken?", body="Ik begin met halven.")
    html = page(client, topic.get_absolute_url())
    [data] = json_ld_blocks(html)
    assert data["@type"] == "DiscussionForumPosting"
    assert data["headline"] == "Hoe leer je breuken?"
    assert data["text"] == "Ik begin met halven."
    assert data["author"]["name"] == topic.author.display_name
    assert data["isPartOf"]["url"] == f"http://testserver{topic.category.get_absolute_url()}"
    assert alternates(html, "application/atom+xml") == [f"/feeds/staffroom/{topic.category.slug}/"]


def test_item3_lists_link_their_feeds(client, member):
    Profile.objects.update_or_create(member=member, defaults={"visibility": "public"})
    client.force_login(member)
    html = page(client, f"/people/{member.pk}/")
    assert alternates(html, "application/atom+xml") == [f"/feeds/resources/member/{member.pk}/"]
    Profile.objects.filter(member=member).update(visibility="members")
    assert alternates(page(client, f"/people/{member.pk}/"), "application/atom+xml") == []
    client.logout()
    board = staffroom_factories.category(name="Wiskunde", slug="wiskunde")
    assert alternates(page(client, "/resources/"), "application/atom+xml") == ["/feeds/resources/"]
    html = page(client, board.get_absolute_url())
    assert alternates(html, "application/atom+xml") == ["/feeds/staffroom/wiskunde/"]


def test_item3_an_inactive_offer_tells_machines_nothing_even_to_its_administrator(client):
    admin = staffroom_factories.colleague()
    organisation = organisation_factories.organisation(admin=admin)
    offer = organisation_factories.offer(organisation, is_active=False)
    client.force_login(admin)
    html = page(client, offer.get_absolute_url())
    assert json_ld_blocks(html) == []
    assert "og:title" not in head_of(html).meta
