"""Issue 14's three bugs, each pinned by a test that failed before its fix."""

import pytest
from django.test import Client

from commonroom.moderation.tests.factories import ReviewFactory, moderator
from commonroom.taxonomy.models import EducationLevel, Subject

pytestmark = pytest.mark.django_db


@pytest.fixture
def mod_client() -> Client:
    client = Client()
    client.force_login(moderator(language="en"))
    return client


def queue_pks(client: Client, query: str) -> list[int]:
    response = client.get(f"/moderation/{query}")
    assert response.status_code == 200
    return [review.pk for review in response.context["page"].object_list]


def test_issue14_bug1_the_level_filter_finds_grandchild_levels(mod_client):
    on_grandchild = ReviewFactory(resource__levels=["secondary-1-a"])
    on_child = ReviewFactory(resource__levels=["secondary-1"])
    ReviewFactory(resource__levels=["primary"])
    secondary = EducationLevel.objects.get(slug="secondary").pk

    assert queue_pks(mod_client, f"?level={secondary}") == [on_grandchild.pk, on_child.pk]


def test_issue14_bug1_the_subject_filter_finds_grandchild_subjects(mod_client):
    maths = Subject.objects.get(slug="mathematics")
    child = Subject.objects.create(slug="i14-geometry", label_nl="M", label_en="M", parent=maths)
    Subject.objects.create(slug="i14-solids", label_nl="S", label_en="S", parent=child)
    on_grandchild = ReviewFactory(resource__subjects=["i14-solids"])
    ReviewFactory(resource__subjects=["english"])

    assert queue_pks(mod_client, f"?subject={maths.pk}") == [on_grandchild.pk]
