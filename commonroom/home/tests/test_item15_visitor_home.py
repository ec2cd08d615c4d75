"""Issue 13 item 15: the home page shows what a visitor comes for (recent
and most-used resources, subjects to browse), from a cache."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from commonroom.resources.models import DailyStat, Resource, State
from commonroom.resources.selectors import (
    SubjectCount,
    home_showcase,
    most_used_resources,
    subjects_with_counts,
)
from commonroom.resources.tests.factories import ResourceFactory, published_resource
from commonroom.taxonomy.models import Subject

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache() -> object:
    cache.clear()
    yield
    cache.clear()


def _published_days_ago(days: int, **kwargs: object) -> Resource:
    return published_resource(published_at=timezone.now() - timedelta(days=days), **kwargs)


def test_item15_visitor_home_shows_the_newest_published_resources(client):
    older = [_published_days_ago(d, title=f"Older {d}") for d in (9, 8)]
    newest = [_published_days_ago(d, title=f"Newest {d}") for d in (4, 3, 2, 1)]
    ResourceFactory(title="A draft nobody sees", state=State.DRAFT)
    content = client.get("/").content.decode()
    shown = [t for t in ("Newest 1", "Newest 2", "Newest 3", "Newest 4") if t in content]
    assert shown == ["Newest 1", "Newest 2", "Newest 3", "Newest 4"]
    assert content.index("Newest 1") < content.index("Newest 4")
    assert "Older 8" not in content
    assert "Older 9" not in content
    assert "A draft nobody sees" not in content
    assert f'href="{newest[0].get_absolute_url()}"' in content
    assert older[0].pk != newest[0].pk
    assert 'href="/resources/">All learning resources</a>' in content


def test_item15_most_used_counts_views_and_downloads_of_the_last_30_days():
    today = timezone.localdate()
    viewed = published_resource(title="Viewed")
    downloaded = published_resource(title="Downloaded")
    long_ago = published_resource(title="Popular last year")
    published_resource(title="Never opened")
    draft = ResourceFactory(title="Draft", state=State.DRAFT)
    DailyStat.objects.create(resource=viewed, day=today, views=6, downloads=0)
    DailyStat.objects.create(resource=viewed, day=today - timedelta(days=29), views=4)
    DailyStat.objects.create(
        resource=downloaded, day=today - timedelta(days=3), views=1, downloads=2
    )
    DailyStat.objects.create(resource=long_ago, day=today - timedelta(days=30), views=500)
    DailyStat.objects.create(resource=draft, day=today, views=900)
    assert [r.title for r in most_used_resources(today=today)] == ["Viewed", "Downloaded"]
    assert [r.uses for r in most_used_resources(today=today)] == [10, 3]  # type: ignore[attr-defined]


def test_item15_subjects_count_each_resource_once_under_its_top_level_subject():
    child = Subject.objects.filter(parent__isnull=False).select_related("parent").first()
    assert child is not None
    assert child.parent is not None
    root = child.parent
    other = Subject.objects.roots().exclude(pk=root.pk).order_by("position", "slug").first()
    assert other is not None
    published_resource(subjects=[root.slug, child.slug])  # counted once
    published_resource(subjects=[child.slug])
    published_resource(subjects=[other.slug])
    ResourceFactory(subjects=[root.slug], state=State.DRAFT)
    counts = {s.slug: s.count for s in subjects_with_counts()}
    assert counts == {root.slug: 2, other.slug: 1}


def test_item15_visitor_home_links_subjects_to_the_filtered_search(client):
    mathematics = Subject.objects.get(slug="mathematics")
    published_resource(subjects=["mathematics"])
    published_resource(subjects=["mathematics"])
    content = client.get("/").content.decode()
    assert (
        '<a href="/search/?subject=mathematics">Mathematics '
        '<span class="subject-count">2 resources</span></a>'
    ) in content
    assert mathematics.label_en == "Mathematics"
    assert 'href="/accounts/signup/">Join for free</a>' in content


def test_item15_the_showcase_is_cached_per_language(client):
    published_resource(subjects=["mathematics"])
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    dutch = client.get("/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert '?subject=mathematics">Mathematics <span' in english
    assert '?subject=mathematics">Wiskunde <span' in dutch
    assert cache.get("home-showcase:v1:en").subjects == [
        SubjectCount("mathematics", "Mathematics", 1)
    ]
    assert cache.get("home-showcase:v1:nl").subjects == [SubjectCount("mathematics", "Wiskunde", 1)]


def test_item15_a_new_resource_shows_once_the_cache_expires(client):
    published_resource(title="First one")
    assert "First one" in client.get("/").content.decode()
    published_resource(title="Second one")
    assert "Second one" not in client.get("/").content.decode()  # cached
    cache.clear()  # what SHOWCASE_SECONDS of waiting does
    assert "Second one" in client.get("/").content.decode()


def test_item15_visitor_home_reads_in_pinned_queries_cold_and_two_warm(
    client, django_assert_num_queries
):
    for n in range(6):
        resource = published_resource(subjects=["mathematics", "biology"])
        DailyStat.objects.create(resource=resource, day=timezone.localdate(), views=n + 1)
    client.get("/terms/")  # the platform state every page reads, cached for all
    # Cold: the cached platform state and the showcase looked up (2), the six
    # reads of the showcase (recent and most-used cards with their pictures,
    # subject counts, subjects) and the database cache's write (5).
    with django_assert_num_queries(13):
        client.get("/")
    # Warm: the two cache look-ups only (in the embedded mode's database
    # cache; with Redis, none reaches the database).
    with django_assert_num_queries(2):
        client.get("/")


def test_item15_home_reads_never_write_statistics(client, member_client):
    resource = published_resource()
    DailyStat.objects.create(resource=resource, day=timezone.localdate(), views=3)
    with CaptureQueriesContext(connection) as queries:
        client.get("/")
        member_client.get("/")
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        and "commonroom_cache" not in q["sql"]
        and "django_session" not in q["sql"]
    ]
    assert writes == []
    assert list(DailyStat.objects.values_list("views", flat=True)) == [3]


def test_item15_member_home_also_offers_subjects_and_most_used(member_client):
    resource = published_resource(title="Much used", subjects=["mathematics"])
    DailyStat.objects.create(resource=resource, day=timezone.localdate(), downloads=4)
    content = member_client.get("/").content.decode()
    assert "Most used in the last 30 days" in content
    assert "Much used" in content
    assert (
        '?subject=mathematics">Mathematics <span class="subject-count">1 resource</span>' in content
    )
    assert home_showcase().most_used == [resource]
