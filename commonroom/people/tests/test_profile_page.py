"""R16: a member's profile page, shown as its visibility says, never with
contact details."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from commonroom.accounts.models import ProfileVisibility
from commonroom.accounts.roles import MODERATORS
from commonroom.accounts.services import member_erase
from commonroom.accounts.tests.factories import MemberFactory, StaffFactory
from commonroom.people.tests.factories import person, queries_for
from commonroom.resources.models import State
from commonroom.resources.tests.factories import ResourceFactory, published_resource

pytestmark = pytest.mark.django_db


def signed_in(member) -> Client:
    client = Client()
    client.force_login(member)
    return client


@pytest.fixture
def anna():
    return person(
        first_name="Anna",
        last_name="Peeters",
        email="anna.private@school.example",
        visibility=ProfileVisibility.PUBLIC,
        bio="I teach Dutch and history.",
        expertise="Project work",
        school="Sint-Jozef Gent",
        province="east-flanders",
        subjects=("dutch", "physics"),
        levels=("primary-3",),
    )


def test_r16_public_profile_shows_the_profile_and_no_contact_details_to_a_visitor(client, anna):
    response = client.get(f"/people/{anna.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    for text in (
        "Anna Peeters",
        "I teach Dutch and history.",
        "Project work",
        "Sint-Jozef Gent",
        "East Flanders",
        "Dutch",
        "Science and technology › Physics",
        "Primary education › Third stage (years 5-6)",
    ):
        assert text in html, text
    assert "anna.private@school.example" not in html
    assert "mailto:" not in html
    assert "Sign in to follow or send a message" in html
    assert "/messages/new/" not in html


def test_r16_members_only_profile_sends_a_visitor_to_sign_in(client):
    other = person(visibility=ProfileVisibility.MEMBERS, bio="Members only bio")
    response = client.get(f"/people/{other.pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next=/people/{other.pk}/"


def test_r16_members_only_profile_is_shown_to_members_with_follow_message_and_report(
    member_client,
):
    other = person(visibility=ProfileVisibility.MEMBERS, bio="Members only bio")
    html = member_client.get(f"/people/{other.pk}/").content.decode()
    assert "Members only bio" in html
    assert f'action="/people/{other.pk}/follow/"' in html
    assert f'href="/messages/new/?to={other.pk}"' in html
    assert f'href="/moderation/report/profile/{other.pk}/"' in html
    assert other.email not in html


def moderator():
    member = MemberFactory()
    member.groups.add(Group.objects.get(name=MODERATORS))
    return member


@pytest.mark.parametrize(
    ("who", "expected"),
    [("visitor", 404), ("member", 404), ("moderator", 404), ("self", 200), ("staff", 200)],
)
def test_r16_a_hidden_profile_exists_only_for_the_member_and_staff(who, expected):
    hidden = person(visibility=ProfileVisibility.HIDDEN, bio="Hidden bio")
    client = Client()
    viewer = {
        "visitor": None,
        "member": MemberFactory,
        "moderator": moderator,
        "self": lambda: hidden,
        "staff": StaffFactory,
    }[who]
    if viewer is not None:
        client.force_login(viewer())
    response = client.get(f"/people/{hidden.pk}/")
    assert response.status_code == expected
    assert ("Hidden bio" in response.content.decode()) is (expected == 200)


def test_r16_the_member_sees_that_their_own_profile_is_hidden():
    hidden = person(visibility=ProfileVisibility.HIDDEN)
    html = signed_in(hidden).get(f"/people/{hidden.pk}/").content.decode()
    assert "Your profile is hidden" in html
    assert "Edit my profile" in html
    assert "Report this profile" not in html


def test_r16_a_member_who_left_has_no_profile_page(member_client, anna):
    member_erase(member=anna)
    assert member_client.get(f"/people/{anna.pk}/").status_code == 404
    assert member_client.get("/people/999999/").status_code == 404


def test_r16_profile_lists_the_twelve_newest_published_resources(client, anna):
    now = timezone.now()
    for day in range(13):
        published_resource(
            author=anna,
            title=f"Lesson day {day:02d}",
            published_at=now - timezone.timedelta(days=day),
        )
    ResourceFactory(author=anna, title="Draft lesson", state=State.DRAFT)
    html = client.get(f"/people/{anna.pk}/").content.decode()
    assert html.count('class="resource-card"') == 12
    assert "Lesson day 00" in html
    assert "Lesson day 11" in html
    assert "Lesson day 12" not in html
    assert "Draft lesson" not in html


def test_r16_profile_page_runs_a_fixed_number_of_queries(client, anna):
    published_resource(author=anna)
    few = queries_for(client, f"/people/{anna.pk}/")
    for _ in range(8):
        published_resource(author=anna, subjects=["physics", "dutch"])
    assert queries_for(client, f"/people/{anna.pk}/") == few
