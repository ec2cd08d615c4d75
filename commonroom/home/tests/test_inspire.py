"""The "inspire" section on a member's home (R12): new resources for the
subjects and levels in their profile, found through the search index."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from commonroom.accounts.tests.factories import MemberFactory
from commonroom.home.inspire import inspire_for
from commonroom.search.tests.conftest import make
from commonroom.taxonomy.models import EducationLevel, Subject

pytestmark = pytest.mark.django_db


def teacher(subjects=(), levels=()):
    member = MemberFactory()
    member.profile.subjects.set(Subject.objects.filter(slug__in=subjects))
    member.profile.levels.set(EducationLevel.objects.filter(slug__in=levels))
    return member


def test_inspire_shows_new_resources_for_the_profile_and_its_subtrees():
    member = teacher(subjects=["mathematics"], levels=["primary"])
    fit = make(title="Breuken", subjects=["mathematics"], levels=["primary-3"])
    make(title="Wrong level", subjects=["mathematics"], levels=["secondary-1-a"])
    make(title="Wrong subject", subjects=["biology"], levels=["primary-3"])
    make(title="Mine", subjects=["mathematics"], levels=["primary-1"], author=member)
    old = make(title="Old", subjects=["mathematics"], levels=["primary-1"])
    old.published_at = timezone.now() - timedelta(days=40)
    old.save(update_fields=["published_at"])
    from commonroom.search.services import search_index_sync

    search_index_sync(kind="resource", object_id=old.pk)
    newer = make(title="Newer", subjects=["mathematics"], levels=["primary-1"])
    assert [r.title for r in inspire_for(member)] == [newer.title, fit.title]


def test_inspire_with_only_subjects_and_without_a_profile():
    make(title="Photosynthesis", subjects=["biology"], levels=["secondary-1-a"])
    assert [r.title for r in inspire_for(teacher(subjects=["biology"]))] == ["Photosynthesis"]
    assert inspire_for(teacher()) == []


def test_inspire_is_capped_and_runs_a_fixed_number_of_queries(django_assert_num_queries):
    member = teacher(subjects=["mathematics"], levels=["primary"])
    for n in range(3):
        make(title=f"Rekenen {n}", subjects=["mathematics"], levels=["primary-1"])
    # subjects, levels, resources, thumbnails
    with django_assert_num_queries(4):
        assert len(inspire_for(member)) == 3
    for n in range(3, 12):
        make(title=f"Rekenen {n}", subjects=["mathematics"], levels=["primary-2"])
    with django_assert_num_queries(4):
        shown = inspire_for(member)
    assert len(shown) == 8
    assert shown[0].title == "Rekenen 11"


def test_the_home_page_shows_inspire_beside_the_feed(client: Client):
    member = teacher(subjects=["mathematics"])
    make(title="Kommagetallen", subjects=["mathematics"])
    client.force_login(member)
    html = client.get(reverse("home")).content.decode()
    assert "New for your subjects and levels" in html
    assert "Kommagetallen" in html
    assert 'id="feed-title"' in html
    other = teacher()
    client.force_login(other)
    html = client.get(reverse("home")).content.decode()
    assert "Add the subjects and levels you teach" in html
