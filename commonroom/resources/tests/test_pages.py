import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from commonroom.resources import services
from commonroom.resources.models import State
from commonroom.resources.tests.factories import (
    PublishedResourceFactory,
    ResourceFactory,
    ResourceFileFactory,
)
from commonroom.taxonomy.models import Subject


def queries_for(client: Client, url: str) -> int:
    client.get(url)  # warm session and cache
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_resource_page_runs_in_at_most_12_queries_whatever_its_size(member, member_client, client):
    small = PublishedResourceFactory()
    ResourceFileFactory(resource=small)
    big = PublishedResourceFactory(
        subjects=list(Subject.objects.values_list("slug", flat=True)[:12])
    )
    for _ in range(8):
        ResourceFileFactory(resource=big)
    for n in range(6):
        services.resource_update(
            resource=ResourceFactory(author=big.author), by=big.author, fields={"title": f"t{n}"}
        )
    for viewer in (client, member_client):
        counts = {queries_for(viewer, r.get_absolute_url()) for r in (small, big)}
        assert len(counts) == 1, counts
        assert counts.pop() <= 12


@pytest.mark.django_db
def test_r2_visitors_see_published_resources_but_not_drafts(client):
    published = PublishedResourceFactory(title="Volcanoes")
    draft = ResourceFactory(title="Secret draft")
    assert "Volcanoes" in client.get(published.get_absolute_url()).content.decode()
    assert client.get(draft.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_r2_downloading_needs_an_account(client, member_client):
    resource = PublishedResourceFactory()
    file = ResourceFileFactory(resource=resource)
    response = client.get(file.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={file.get_absolute_url()}"
    page = client.get(resource.get_absolute_url()).content.decode()
    assert "to download the files" in page
    assert member_client.get(file.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_r2_downloading_without_account_when_the_operator_allows_it(client, settings):
    settings.DOWNLOAD_REQUIRES_ACCOUNT = False
    file = ResourceFileFactory(resource=PublishedResourceFactory())
    assert client.get(file.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_r10_r33_page_shows_author_licence_and_attribution(client):
    resource = PublishedResourceFactory(
        title="Fractions with pizza", author__first_name="Anna", author__last_name="Peeters"
    )
    content = client.get(resource.get_absolute_url()).content.decode()
    assert f'By <a href="/people/{resource.author_id}/">Anna Peeters</a>' in content
    assert 'rel="license noopener" class="licence-badge">CC BY 4.0</a>' in content
    url = f"http://testserver{resource.get_absolute_url()}"
    assert (
        f'"Fractions with pizza" by Anna Peeters, {url}, licensed under CC BY 4.0 '
        "https://creativecommons.org/licenses/by/4.0/. Source: Commonroom learning resources, "
        "produced by Commonroom Foundation."
    ) in content.replace("&quot;", '"')


@pytest.mark.django_db
def test_r33_an_adaptation_shows_both_attributions(client):
    source = PublishedResourceFactory(title="Original map")
    adaptation = PublishedResourceFactory(title="Coloured map", adapted_from=source)
    content = client.get(adaptation.get_absolute_url()).content.decode()
    assert "Adapted from" in content
    assert "“Original map”" in content
    assert "“Coloured map”" in content


@pytest.mark.django_db
def test_r35_external_links_are_marked_with_rel_and_disclaimer(client):
    resource = PublishedResourceFactory(external_url="https://www.example.org/lesson")
    content = client.get(resource.get_absolute_url()).content.decode()
    assert (
        '<a href="https://www.example.org/lesson" rel="noopener nofollow ugc" '
        'class="external-link">'
    ) in content
    assert "does not mean that the site or its content is endorsed" in content


@pytest.mark.django_db
def test_video_loads_only_after_a_click_through_the_privacy_host(client):
    resource = PublishedResourceFactory(video_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ")
    response = client.get(resource.get_absolute_url())
    content = response.content.decode()
    assert "<iframe" not in content
    assert 'data-video-embed="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in content
    assert (
        "frame-src https://www.youtube-nocookie.com https://player.vimeo.com"
        in (response["Content-Security-Policy"])
    )


@pytest.mark.django_db
def test_duplicate_file_shows_a_warning_with_a_link(member, member_client):
    original = PublishedResourceFactory(title="Leaf worksheet")
    ResourceFileFactory(resource=original, sha256="ab" * 32)
    mine = ResourceFactory(author=member, title="My leaf")
    ResourceFileFactory(resource=mine, sha256="ab" * 32)
    content = member_client.get(mine.get_absolute_url()).content.decode()
    assert "The same file is already published:" in content
    assert f'href="{original.get_absolute_url()}">Leaf worksheet</a>' in content
    assert f"/resources/{mine.pk}/adapt-from/{original.pk}/" in content


@pytest.mark.django_db
def test_near_identical_title_and_description_show_a_warning(member, member_client):
    PublishedResourceFactory(title="Leaf worksheet", description="Label the parts of a leaf.")
    mine = ResourceFactory(
        author=member, title="Leaf Worksheet", description="Label the parts of a leaf!"
    )
    content = member_client.get(mine.get_absolute_url()).content.decode()
    assert "A resource with almost the same title and description is already published:" in content


@pytest.mark.django_db
def test_views_and_downloads_are_counted_without_ip(member_client, client):
    from commonroom.core import counters
    from commonroom.resources.models import DailyStat

    resource = PublishedResourceFactory()
    file = ResourceFileFactory(resource=resource)
    client.get(resource.get_absolute_url())
    member_client.get(resource.get_absolute_url())
    member_client.get(resource.get_absolute_url())  # same session: counted once
    member_client.get(file.get_absolute_url())
    assert not DailyStat.objects.exists()  # counted in the buffer, not written (issue 15)
    counters.flush()
    stat = DailyStat.objects.get(resource=resource)
    assert (stat.views, stat.downloads) == (2, 1)
    assert {f.name for f in DailyStat._meta.fields} == {
        "id",
        "resource",
        "day",
        "views",
        "downloads",
    }


@pytest.mark.django_db
def test_author_sees_the_stats_chart(member, member_client):
    resource = PublishedResourceFactory(author=member)
    content = member_client.get(f"/resources/{resource.pk}/stats/").content.decode()
    assert "<svg" in content
    assert "Views and downloads, last 90 days" in content


@pytest.mark.django_db
def test_only_the_author_edits(member_client):
    other = PublishedResourceFactory()
    assert member_client.get(f"/resources/{other.pk}/edit/").status_code == 403
    assert member_client.post(f"/resources/{other.pk}/withdraw/").status_code == 403
    assert (
        member_client.post(f"/resources/{other.pk}/delete/", {"confirm": "on"}).status_code == 403
    )
    other.refresh_from_db()
    assert other.state == State.PUBLISHED


@pytest.mark.django_db
@pytest.mark.parametrize("state", [s.value for s in State])
def test_r2_who_sees_a_resource_in_each_state(state, client, member_client, staff_client):
    resource = ResourceFactory(state=State(state))
    author = Client()
    author.force_login(resource.author)
    public = state in ("published", "due_for_review", "removed_pending")
    url = resource.get_absolute_url()
    assert client.get(url).status_code == (200 if public else 404)
    assert member_client.get(url).status_code == (200 if public else 404)
    assert author.get(url).status_code == 200
    assert staff_client.get(url).status_code == 200


@pytest.mark.django_db
def test_r2_the_resource_list_shows_published_resources_in_fixed_queries(client):
    def count() -> int:
        client.get("/resources/")  # warm the cache
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/resources/")
        assert response.status_code == 200
        return len(queries)

    PublishedResourceFactory.create_batch(3)
    ResourceFactory(title="A draft nobody sees")
    few = count()
    for resource in PublishedResourceFactory.create_batch(20):
        ResourceFileFactory(resource=resource, thumbnail="thumbnails/x.png")
    assert count() == few
    content = client.get("/resources/").content.decode()
    assert "A draft nobody sees" not in content
    assert content.count('class="resource-card"') == 23
