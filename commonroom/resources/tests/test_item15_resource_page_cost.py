"""Issue 15 item 4: the resource page's per-request cost. A visitor's page
runs a fixed, small set of cheap queries; subjects, levels, the kind, the
language and the licence come from the vocabularies' per-process copy."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from django.core.cache import caches
from django.db import connection
from django.template.loader import get_template
from django.test import Client
from django.test.utils import CaptureQueriesContext

from commonroom.accounts.tests.factories import MemberFactory
from commonroom.core.fragments import FRAGMENT_CACHE
from commonroom.moderation.tests.factories import moderator
from commonroom.resources.models import Resource
from commonroom.resources.moderation import resource_edit_by_moderator
from commonroom.resources.services import resource_withdraw
from commonroom.resources.tests.factories import PublishedResourceFactory, ResourceFileFactory
from commonroom.social.services import rating_set
from commonroom.taxonomy.models import CurriculumGoal, Subject
from commonroom.taxonomy.selectors import terms_by_id
from commonroom.taxonomy.signals import taxonomy_changed_send

pytestmark = pytest.mark.django_db


def test_r2_issue15_a_visitors_resource_page_runs_eight_queries_and_shows_everything(
    client: Client,
) -> None:
    resource = PublishedResourceFactory(
        title="Krachten", subjects=["physics", "chemistry"], levels=["primary-2"]
    )
    goal = CurriculumGoal.objects.order_by("pk").first()
    assert goal is not None
    resource.curriculum_goals.add(goal)
    ResourceFileFactory(resource=resource)
    for stars in (4, 5):
        rating_set(resource=resource, member=MemberFactory(), stars=stars)
    client.get(PublishedResourceFactory().get_absolute_url())  # warms caches and copies
    with CaptureQueriesContext(connection) as queries:
        html = client.get(resource.get_absolute_url()).content.decode()
    # The site's state (cached), the content versions of what the page
    # shows (read before it is rendered, to keep it: page_cache), the
    # resource with its author, its files, the ids of its subjects, levels
    # and goals in one query, its goals, the save count, the ratings and
    # the reactions. The next visitor's page is kept: two queries
    # (test_item15_visitor_page.py).
    assert len(queries) == 9, [q["sql"][:80] for q in queries]
    assert "Science and technology › Physics, Science and technology › Chemistry" in html
    assert "<dd>Primary education › Second stage (years 3-4)</dd>" in html
    assert f'<span class="goal-code">{goal.code}</span>' in html
    assert "4.5 out of 5, from 2 ratings" in html
    assert "Worksheet or exercise · English" in html
    assert "CC BY 4.0" in html


def test_issue15_the_vocabulary_copy_asks_the_database_once(
    django_assert_num_queries,
) -> None:
    physics = Subject.objects.get(slug="physics")
    assert physics.parent_id is not None
    with django_assert_num_queries(1):
        first = terms_by_id(Subject, [physics.pk, physics.parent_id])
    # In the vocabulary's order, as a query would give them.
    in_order = Subject.objects.filter(pk__in=[physics.pk, physics.parent_id])
    assert [t.slug for t in first] == [t.slug for t in in_order]
    with django_assert_num_queries(0):
        again = terms_by_id(Subject, [physics.pk])
        assert again[0].parent.slug == "science-technology"
    added = Subject.objects.create(slug="astronomy", label_nl="Sterrenkunde", label_en="Astronomy")
    with django_assert_num_queries(1):  # a term added since: read again
        assert [t.slug for t in terms_by_id(Subject, [added.pk])] == ["astronomy"]
    Subject.objects.filter(pk=added.pk).update(label_en="Astronomy and space")
    taxonomy_changed_send(sender=Subject, moved=False)  # as the admin does
    assert terms_by_id(Subject, [added.pk])[0].label_en == "Astronomy and space"


@cache
def _layout_panels() -> frozenset[str]:
    """The layout's own panels, kept for members too: those base.html names."""
    source = Path(get_template("base.html").origin.name).read_text(encoding="utf-8")
    names = frozenset(re.findall(r"{% panel (\w+) ", source))
    assert names, "base.html keeps no panel: the layout's are no longer told apart"
    return names


def _kept() -> list[str]:
    """What the fragment cache holds of the resource page (not the layout)."""
    kept = caches[FRAGMENT_CACHE]._cache  # type: ignore[attr-defined]
    return [
        key
        for key in kept
        if not (key.startswith(":1:panel:") and key.split(":")[3] in _layout_panels())
    ]


def _panels() -> list[str]:
    return [key for key in _kept() if key.startswith(":1:panel:")]


def test_issue15_a_visitors_panels_are_rendered_once_and_served_from_the_cache(
    client: Client,
) -> None:
    resource = PublishedResourceFactory(title="Krachten")
    first = client.get(resource.get_absolute_url()).content.decode()
    assert sorted(key.split(":")[3] for key in _panels()) == ["head", "main", "side"]
    # Prove the page rendered after a change elsewhere on it (a rating)
    # takes the panels from what was kept: mark them.
    fragments = caches[FRAGMENT_CACHE]
    for key in _panels():
        name = key.split(":", 2)[2]
        fragments.set(name, fragments.get(name).replace("Krachten", "Kept-Krachten"))
    rating_set(resource=resource, member=MemberFactory(), stars=4)
    second = Client().get(resource.get_absolute_url()).content.decode()
    assert "Kept-Krachten" not in first
    assert '<h1 id="resource-title">Kept-Krachten</h1>' in second
    assert 'property="og:title" content="Kept-Krachten"' in second
    assert "<title>Krachten" in second  # the frame around the panels is rendered again
    assert "4.0 out of 5, from 1 rating" in second


def test_issue15_an_edit_makes_a_new_panel_at_once(client: Client) -> None:
    resource: Resource = PublishedResourceFactory.create(title="Krachten")
    client.get(resource.get_absolute_url())
    resource_edit_by_moderator(
        resource=resource, by=moderator(), fields={"title": "Krachten en beweging"}, reason="x"
    )
    resource.refresh_from_db()
    html = client.get(resource.get_absolute_url()).content.decode()
    assert '<h1 id="resource-title">Krachten en beweging</h1>' in html
    assert len(_panels()) == 6


def test_issue15_a_members_page_is_never_kept(client: Client) -> None:
    resource = PublishedResourceFactory(title="Krachten")
    client.force_login(MemberFactory())
    html = client.get(resource.get_absolute_url()).content.decode()
    assert '<h1 id="resource-title">Krachten</h1>' in html
    assert _kept() == []


def test_issue15_a_resource_taken_offline_is_not_served_from_the_cache(client: Client) -> None:
    resource = PublishedResourceFactory(title="Krachten")
    assert client.get(resource.get_absolute_url()).status_code == 200
    resource_withdraw(resource=resource, by=resource.author)
    assert client.get(resource.get_absolute_url()).status_code == 404
