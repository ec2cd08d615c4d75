"""R18: following members and subjects, with a notification and a rate limit."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client

from commonroom.accounts.models import Member, ProfileVisibility
from commonroom.notifications.models import Notification
from commonroom.people.tests.factories import person
from commonroom.social.models import Follow
from commonroom.taxonomy.models import Subject

pytestmark = pytest.mark.django_db


def follows_of(member: Member, model: type) -> list[int]:
    return sorted(
        Follow.objects.filter(
            follower=member, content_type=ContentType.objects.get_for_model(model)
        ).values_list("object_id", flat=True)
    )


def test_r18_following_a_member_notifies_them_and_counts_on_their_profile(member, member_client):
    anna = person(first_name="Anna", last_name="Peeters", visibility=ProfileVisibility.PUBLIC)
    response = member_client.post(f"/people/{anna.pk}/follow/", {"next": f"/people/{anna.pk}/"})
    assert response.status_code == 302
    assert response["Location"] == f"/people/{anna.pk}/"
    assert follows_of(member, Member) == [anna.pk]
    notification = Notification.objects.get(recipient=anna)
    assert notification.kind == "new_follower"
    assert notification.title == f"{member.display_name} follows you"
    assert notification.url == f"/people/{member.pk}/"
    html = Client().get(f"/people/{anna.pk}/").content.decode()
    assert "1 follower" in html


def test_r18_following_twice_keeps_one_follow_and_one_notification(member, member_client):
    anna = person()
    member_client.post(f"/people/{anna.pk}/follow/")
    member_client.post(f"/people/{anna.pk}/follow/")
    assert follows_of(member, Member) == [anna.pk]
    assert Notification.objects.filter(recipient=anna).count() == 1


def test_r18_unfollowing_removes_the_follow(member, member_client):
    anna = person()
    member_client.post(f"/people/{anna.pk}/follow/")
    response = member_client.post(f"/people/{anna.pk}/unfollow/")
    assert response.status_code == 302
    assert follows_of(member, Member) == []
    html = member_client.get(f"/people/{anna.pk}/").content.decode()
    assert "0 followers" in html
    assert f'action="/people/{anna.pk}/follow/"' in html


def test_r18_a_hidden_profile_cannot_be_followed(member, member_client):
    hidden = person(visibility=ProfileVisibility.HIDDEN)
    assert member_client.post(f"/people/{hidden.pk}/follow/").status_code == 404
    assert follows_of(member, Member) == []
    assert not Notification.objects.filter(recipient=hidden).exists()


def test_r18_nobody_follows_themselves(member, member_client):
    response = member_client.post(f"/people/{member.pk}/follow/", follow=True)
    assert "You cannot follow yourself." in response.content.decode()
    assert follows_of(member, Member) == []


def test_r18_follow_needs_a_signed_in_member_and_a_post(client, member_client):
    anna = person(visibility=ProfileVisibility.PUBLIC)
    response = client.post(f"/people/{anna.pk}/follow/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert member_client.get(f"/people/{anna.pk}/follow/").status_code == 405
    assert Follow.objects.count() == 0


def test_r18_following_is_rate_limited(member, member_client, settings):
    settings.POST_RATE_LIMITS = {**settings.POST_RATE_LIMITS, "follow": "2/h"}
    settings.NEW_ACCOUNT_RATE_LIMITS = {**settings.NEW_ACCOUNT_RATE_LIMITS, "follow": "2/h"}
    first, second, third = person(), person(), person()
    assert member_client.post(f"/people/{first.pk}/follow/").status_code == 302
    assert member_client.post(f"/people/{second.pk}/follow/").status_code == 302
    response = member_client.post(f"/people/{third.pk}/follow/")
    assert response.status_code == 429
    assert "Please wait a while" in response.content.decode()
    assert follows_of(member, Member) == sorted([first.pk, second.pk])
    assert not Notification.objects.filter(recipient=third).exists()


def test_r18_subjects_are_followed_and_unfollowed_from_the_subjects_page(member, member_client):
    physics = Subject.objects.get(slug="physics")
    html = member_client.get("/people/subjects/").content.decode()
    assert 'action="/people/subjects/physics/follow/"' in html
    response = member_client.post("/people/subjects/physics/follow/")
    assert response.status_code == 302
    assert response["Location"] == "/people/subjects/"
    assert follows_of(member, Subject) == [physics.pk]
    html = member_client.get("/people/subjects/").content.decode()
    assert 'action="/people/subjects/physics/unfollow/"' in html
    member_client.post("/people/subjects/physics/unfollow/")
    assert follows_of(member, Subject) == []
    assert member_client.post("/people/subjects/no-such-subject/follow/").status_code == 404


def test_r18_following_page_lists_members_and_subjects_i_follow(member, member_client):
    anna = person(first_name="Anna", last_name="Peeters")
    hidden = person(first_name="Hidden", last_name="Person")
    member_client.post(f"/people/{anna.pk}/follow/")
    member_client.post(f"/people/{hidden.pk}/follow/")
    hidden.profile.visibility = ProfileVisibility.HIDDEN
    hidden.profile.save()
    member_client.post("/people/subjects/physics/follow/")
    html = member_client.get("/people/following/").content.decode()
    assert f'<a href="/people/{anna.pk}/">Anna Peeters</a>' in html
    assert f'<a href="/people/{hidden.pk}/">' not in html
    assert "Hidden Person" in html
    assert "Science and technology › Physics" in html


def test_r18_following_pages_need_sign_in(client):
    for url in ("/people/following/", "/people/subjects/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/"), url
