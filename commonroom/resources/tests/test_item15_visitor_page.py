"""Issue 15 item 4: a visitor's resource page is kept rendered whole
(``resources.page_cache``) while the content versions (``core.versions``) of
everything it shows stay the same. Every kind of change the page shows is
seen by the very next visitor; a member's page is always rendered."""

from __future__ import annotations

import re

import pytest
from django.core.cache import caches
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from commonroom.accounts.services import member_erase, profile_update
from commonroom.accounts.tests.factories import MemberFactory, StaffFactory
from commonroom.core import counters, versions
from commonroom.core.fragments import FRAGMENT_CACHE
from commonroom.library.services import saved_item_create, saved_item_delete
from commonroom.moderation.appeals import notice_file
from commonroom.moderation.services import item_remove
from commonroom.moderation.tests.factories import moderator
from commonroom.organisations import changes
from commonroom.organisations.models import OrganisationChange
from commonroom.organisations.resources_under import resource_publish_under
from commonroom.organisations.services import organisation_exclude
from commonroom.organisations.tests.factories import organisation
from commonroom.resources.models import DailyStat, Resource
from commonroom.resources.moderation import resource_edit_by_moderator
from commonroom.resources.services import resource_withdraw
from commonroom.resources.tests.factories import PublishedResourceFactory
from commonroom.social.services import rating_set, reaction_post
from commonroom.social.services.reactions import reaction_hide

pytestmark = pytest.mark.django_db


def _page(resource: Resource) -> str:
    """A new visitor's page (no cookies)."""
    response = Client().get(resource.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def _kept_pages() -> list[str]:
    kept = caches[FRAGMENT_CACHE]._cache  # type: ignore[attr-defined]
    return [key for key in kept if ":resource-page:" in key]


def _published(**kwargs: object) -> Resource:
    return PublishedResourceFactory.create(**kwargs)


def test_r2_issue15_the_second_visitor_gets_the_kept_page_in_two_queries() -> None:
    resource = _published(title="Krachten")
    first = _page(resource)
    assert len(_kept_pages()) == 1
    with CaptureQueriesContext(connection) as queries:
        second = _page(resource)
    # The site's state (the database cache) and the content versions.
    assert len(queries) == 2, [q["sql"][:80] for q in queries]
    assert "core_contentversion" in queries[1]["sql"]
    assert '<h1 id="resource-title">Krachten</h1>' in second

    def token(html: str) -> str:
        found = re.search(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"', html)
        assert found is not None
        return found.group(1)

    # Each visitor has a token of their own, in the header and in the form.
    assert token(first) != token(second)
    assert f'"X-CSRFToken": "{token(second)}"' in second
    assert "csrfplaceholder" not in first + second


def test_issue15_a_kept_pages_csrf_token_is_accepted() -> None:
    resource = _published()
    _page(resource)  # kept
    visitor = Client(enforce_csrf_checks=True)
    html = visitor.get(resource.get_absolute_url()).content.decode()
    found = re.search(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]+)"', html)
    assert found is not None
    response = visitor.post(
        "/i18n/setlang/", {"csrfmiddlewaretoken": found.group(1), "language": "en", "next": "/"}
    )
    assert response.status_code == 302


def test_issue15_every_view_of_a_kept_page_is_counted_without_a_write() -> None:
    resource = _published()
    for _ in range(3):
        _page(resource)
    assert DailyStat.objects.filter(resource=resource).count() == 0  # nothing written yet
    counters.flush()
    assert DailyStat.objects.get(resource=resource).views == 3


def test_issue15_an_edit_of_the_resource_is_seen_at_once() -> None:
    resource = _published(description="Over krachten.")
    _page(resource)
    resource_edit_by_moderator(
        resource=resource, by=moderator(), fields={"description": "Over beweging."}, reason="Typo"
    )
    assert '<p class="lead">Over beweging.</p>' in _page(resource)  # the same address


def test_issue15_a_new_reaction_and_a_hidden_one_are_seen_at_once() -> None:
    resource = _published()
    assert "No reactions yet." in _page(resource)
    reaction = reaction_post(resource=resource, author=MemberFactory(), body="Fijn materiaal")
    assert "Fijn materiaal" in _page(resource)
    reaction_hide(reaction=reaction, by=resource.author)
    assert "Fijn materiaal" not in _page(resource)


def test_issue15_a_rating_is_seen_at_once() -> None:
    resource = _published()
    assert "No ratings yet." in _page(resource)
    rating_set(resource=resource, member=MemberFactory(), stars=4)
    assert "4.0 out of 5, from 1 rating" in _page(resource)


def test_issue15_the_save_count_is_seen_at_once() -> None:
    resource = _published()
    member = MemberFactory()

    assert "Not saved by anyone yet" in _page(resource)
    saved_item_create(member=member, resource=resource)
    assert "Saved by 1 member<" in _page(resource)
    saved_item_delete(member=member, resource=resource)
    assert "Not saved by anyone yet" in _page(resource)


def test_issue15_the_authors_new_name_and_erasure_are_seen_at_once() -> None:
    author = MemberFactory(first_name="An", last_name="Peeters")
    resource = _published(author=author)
    assert "An Peeters" in _page(resource)
    profile_update(member=author, first_name="Anna", last_name="Peeters")
    html = _page(resource)
    assert "Anna Peeters</a>" in html  # linked to the profile
    member_erase(member=author)
    html = _page(resource)
    assert "By Anna Peeters" in html  # the name stays, without the link (R6)
    assert "Anna Peeters</a>" not in html


def test_issue15_a_reactors_new_name_is_seen_at_once() -> None:
    resource = _published()
    reactor = MemberFactory(first_name="Bram", last_name="Claes")
    reaction_post(resource=resource, author=reactor, body="Gebruikt in 3B")
    assert "Bram Claes" in _page(resource)
    profile_update(member=reactor, first_name="Bram", last_name="Claessens")
    assert "Bram Claessens" in _page(resource)


def test_issue15_the_organisations_name_and_exclusion_are_seen_at_once() -> None:
    admin = MemberFactory()
    org = organisation(name="Leerpunt Vorming", admin=admin)
    resource = _published(author=admin)
    assert "Leerpunt Vorming" not in _page(resource)
    resource_publish_under(organisation=org, resource=resource, by=admin)
    assert "Leerpunt Vorming" in _page(resource)
    with transaction.atomic():
        changes.change_apply(
            change=OrganisationChange.objects.create(
                organisation=org, created_by=admin, data={"name": "Leerpunt Nascholing"}
            )
        )
    assert "Leerpunt Nascholing" in _page(resource)
    organisation_exclude(organisation=org, by=StaffFactory(), reason="Not a school")
    assert "Leerpunt Nascholing" not in _page(resource)


def test_issue15_withdrawal_removal_and_a_notice_are_seen_at_once() -> None:
    resource = _published()
    _page(resource)
    resource_withdraw(resource=resource, by=resource.author)
    assert Client().get(resource.get_absolute_url()).status_code == 404

    removed = _published()
    _page(removed)
    item_remove(item=removed, by=moderator(), reason="Spam")
    assert Client().get(removed.get_absolute_url()).status_code == 404

    noticed = _published()
    assert "is investigated" not in _page(noticed)
    notice_file(
        item=noticed,
        name="Uitgeverij",
        email="rights@example.org",
        work="Our book",
        reasons="Copied pages",
        good_faith=True,
    )
    assert "is investigated" in _page(noticed)


def test_issue15_a_change_to_the_source_shows_on_its_adaptation_at_once() -> None:
    source = _published(title="Breuken met pizza's")
    adaptation = _published(title="Breuken met taart", adapted_from=source)
    assert "Breuken met pizza" in _page(adaptation)
    _page(adaptation)  # kept from now on, with the source's version
    resource_edit_by_moderator(
        resource=source, by=moderator(), fields={"title": "Breuken met pannenkoeken"}, reason="x"
    )
    html = _page(adaptation)
    assert "Breuken met pannenkoeken" in html


def test_issue15_a_members_page_is_never_kept_and_stays_live() -> None:
    resource = _published()
    member = MemberFactory()
    client = Client()
    client.force_login(member)
    client.get(resource.get_absolute_url())
    assert _kept_pages() == []
    rating_set(resource=resource, member=member, stars=5)
    assert "Your rating: 5 of 5" in client.get(resource.get_absolute_url()).content.decode()
    assert _kept_pages() == []


def test_issue15_a_query_string_or_a_message_is_rendered_not_kept() -> None:
    resource = _published(title="Krachten")
    html = Client().get(resource.get_absolute_url() + "?utm_source=mail").content.decode()
    assert 'value="' + resource.get_absolute_url() + '?utm_source=mail"' in html
    assert _kept_pages() == []


def test_issue15_versions_grow_per_scope_and_start_at_zero() -> None:
    resource = _published()
    scope = versions.scope_of(resource)
    assert scope == f"resources.resource:{resource.pk}"
    assert versions.scope_of(Resource, 7) == "resources.resource:7"
    assert versions.current([scope, "nothing:1"]) == (0, 0)
    versions.changed(resource)
    versions.changed(resource, "nothing:1")
    assert versions.current([scope, "nothing:1"]) == (2, 1)
