"""Issue 12 item 3: a member's id never reveals a name the profile page
would not show. Every page of the people app that loads a member by id goes
through accounts.selectors.members_visible_to; 404 otherwise."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client

from commonroom.accounts.models import Member, ProfileVisibility
from commonroom.notifications.models import Notification
from commonroom.people.tests.factories import INVISIBLE_KINDS, invisible, person
from commonroom.social.models import Follow

pytestmark = pytest.mark.django_db


def follow_ids(member: Member) -> list[int]:
    return sorted(
        Follow.objects.filter(
            follower=member, content_type=ContentType.objects.get_for_model(Member)
        ).values_list("object_id", flat=True)
    )


@pytest.mark.parametrize("kind", INVISIBLE_KINDS)
def test_item3_profile_page_is_404_for_an_invisible_account(member_client, kind):
    other = invisible(kind)
    response = member_client.get(f"/people/{other.pk}/")
    assert response.status_code == 404
    assert f"Secret {kind.capitalize()}" not in response.content.decode()


@pytest.mark.parametrize("kind", INVISIBLE_KINDS)
def test_item3_visitor_gets_404_not_a_sign_in_for_an_invisible_account(client, kind):
    other = invisible(kind)
    assert client.get(f"/people/{other.pk}/").status_code == 404


@pytest.mark.parametrize("kind", INVISIBLE_KINDS)
def test_item3_unfollow_by_id_is_404_and_names_nobody(member, member_client, kind):
    other = invisible(kind)
    response = member_client.post(f"/people/{other.pk}/unfollow/", follow=True)
    assert response.status_code == 404
    assert f"Secret {kind.capitalize()}" not in response.content.decode()


@pytest.mark.parametrize("kind", INVISIBLE_KINDS)
def test_item3_follow_by_id_is_404_and_follows_nobody(member, member_client, kind):
    other = invisible(kind)
    response = member_client.post(f"/people/{other.pk}/follow/", follow=True)
    assert response.status_code == 404
    assert f"Secret {kind.capitalize()}" not in response.content.decode()
    assert follow_ids(member) == []
    assert not Notification.objects.filter(recipient=other).exists()


def test_item3_a_member_followed_before_hiding_can_still_be_unfollowed(member, member_client):
    anna = person(first_name="Anna", last_name="Peeters")
    member_client.post(f"/people/{anna.pk}/follow/")
    anna.profile.visibility = ProfileVisibility.HIDDEN
    anna.profile.save(update_fields=["visibility"])
    response = member_client.post(f"/people/{anna.pk}/unfollow/", follow=True)
    assert response.status_code == 200
    assert "You no longer follow Anna Peeters." in response.content.decode()
    assert follow_ids(member) == []


def test_item3_the_following_page_links_only_visible_profiles(member, member_client):
    anna = person(first_name="Anna", last_name="Peeters")
    bram = person(first_name="Bram", last_name="Claes")
    member_client.post(f"/people/{anna.pk}/follow/")
    member_client.post(f"/people/{bram.pk}/follow/")
    bram.profile.visibility = ProfileVisibility.HIDDEN
    bram.profile.save(update_fields=["visibility"])
    html = member_client.get("/people/following/").content.decode()
    assert f'href="/people/{anna.pk}/"' in html
    assert f'href="/people/{bram.pk}/"' not in html
    assert html.count("(profile not visible)") == 1


@pytest.mark.parametrize("kind", ["hidden", "unverified", "suspended"])
def test_item3_staff_still_see_every_profile(staff_client, kind):
    other = invisible(kind)
    response = staff_client.get(f"/people/{other.pk}/")
    assert response.status_code == 200
    assert f"Secret {kind.capitalize()}" in response.content.decode()


def test_item3_a_members_only_profile_still_asks_a_visitor_to_sign_in():
    anna = person(visibility=ProfileVisibility.MEMBERS)
    response = Client().get(f"/people/{anna.pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next=/people/{anna.pk}/"
