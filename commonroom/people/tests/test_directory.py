"""R18: the member directory, for signed-in members only, never listing
hidden profiles or members who left, are inactive or suspended."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from commonroom.accounts.models import Member, ProfileVisibility, Suspension
from commonroom.accounts.services import member_erase
from commonroom.accounts.tests.factories import StaffFactory
from commonroom.people.tests.factories import person, queries_for

pytestmark = pytest.mark.django_db

NAMES = re.compile(r'<h2><a href="/people/(\d+)/">')


def listed(client, query: str = "") -> list[int]:
    response = client.get(f"/people/{query}")
    assert response.status_code == 200
    return sorted(int(pk) for pk in NAMES.findall(response.content.decode()))


def test_r18_a_visitor_is_sent_to_sign_in_and_sees_no_profile(client):
    public = person(first_name="Public", last_name="Teacher", visibility=ProfileVisibility.PUBLIC)
    response = client.get("/people/?q=Public")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/people/%3Fq%3DPublic"
    assert public.display_name not in response.content.decode()


def test_r18_directory_never_lists_hidden_erased_inactive_or_suspended_members(member_client):
    shown = [
        person(visibility=ProfileVisibility.PUBLIC),
        person(visibility=ProfileVisibility.MEMBERS),
    ]
    hidden = person(visibility=ProfileVisibility.HIDDEN)
    erased = person()
    member_erase(member=erased)
    inactive = person(is_active=False)
    suspended = person()
    Suspension.objects.create(
        member=suspended, reason="Spam", ends_at=timezone.now() + timedelta(days=3)
    )
    ended = person()
    Suspension.objects.create(
        member=ended,
        reason="Spam",
        starts_at=timezone.now() - timedelta(days=9),
        ends_at=timezone.now() - timedelta(days=2),
    )
    ids = listed(member_client)
    assert set(ids) >= {m.pk for m in shown} | {ended.pk}
    assert not {hidden.pk, erased.pk, inactive.pk, suspended.pk} & set(ids)
    # Staff do not see them in the directory either: it is a directory, not an admin list.
    staff_ids = listed(_client_for(StaffFactory()))
    assert not {hidden.pk, erased.pk, inactive.pk, suspended.pk} & set(staff_ids)


def _client_for(member: Member) -> Client:
    client = Client()
    client.force_login(member)
    return client


def test_r18_text_search_matches_names_school_and_expertise(member_client):
    by_name = person(first_name="Griet", last_name="Vandamme")
    by_school = person(school="Atheneum Brugge")
    by_expertise = person(expertise="Dyslexia and reading support")
    person(first_name="Other", last_name="Teacher", school="Lyceum", expertise="Maths")
    assert listed(member_client, "?q=vandamme") == [by_name.pk]
    assert listed(member_client, "?q=griet+vand") == [by_name.pk]
    assert listed(member_client, "?q=brugge") == [by_school.pk]
    assert listed(member_client, "?q=DYSLEXIA") == [by_expertise.pk]


def test_r18_a_parent_subject_or_level_includes_its_children(member_client):
    physics = person(subjects=("physics",), levels=("secondary-2-dual",))
    chemistry_and_physics = person(subjects=("chemistry", "physics"), levels=("secondary-1",))
    maths = person(subjects=("mathematics",), levels=("primary-1",))
    assert listed(member_client, "?subject=science-technology") == sorted(
        [physics.pk, chemistry_and_physics.pk]
    )
    assert listed(member_client, "?subject=physics") == sorted(
        [physics.pk, chemistry_and_physics.pk]
    )
    assert listed(member_client, "?subject=mathematics") == [maths.pk]
    assert listed(member_client, "?level=secondary") == sorted(
        [physics.pk, chemistry_and_physics.pk]
    )
    assert listed(member_client, "?level=secondary-2") == [physics.pk]
    assert listed(member_client, "?level=primary") == [maths.pk]
    assert listed(member_client, "?subject=science-technology&level=secondary-2") == [physics.pk]


def test_r18_province_filter(member_client):
    antwerp = person(province="antwerp")
    person(province="limburg")
    assert listed(member_client, "?province=antwerp") == [antwerp.pk]


def test_r18_an_unknown_filter_value_is_ignored(member_client, member):
    assert listed(member_client, "?subject=no-such-subject") == listed(member_client)


def test_r18_directory_shows_no_contact_details(member_client):
    shown = person(email="secret.address@school.example", school="Atheneum")
    html = member_client.get("/people/").content.decode()
    assert f'href="/people/{shown.pk}/"' in html
    assert "secret.address@school.example" not in html
    assert "@" not in re.sub(r"<(script|link|meta|input)[^>]*>", "", html.split("<main")[1])


def test_r18_directory_pages_by_24(member_client):
    people = sorted(person(last_name="Zz-listed").pk for _ in range(25))
    first = listed(member_client, "?q=Zz-listed")
    second = listed(member_client, "?q=Zz-listed&page=2")
    assert (len(first), len(second)) == (24, 1)
    assert sorted(first + second) == people
    html = member_client.get("/people/?q=Zz-listed").content.decode()
    assert 'href="?q=Zz-listed&amp;page=2" rel="next"' in html


def test_r18_directory_runs_the_same_queries_for_3_or_30_members(member_client):
    def add(n: int) -> None:
        for _ in range(n):
            person(
                subjects=("physics", "dutch"),
                levels=("primary-1",),
                province="antwerp",
                school="Atheneum",
            )

    add(3)
    few = queries_for(member_client, "/people/?subject=science-technology&level=primary")
    add(27)
    assert len(listed(member_client, "?subject=science-technology&level=primary")) == 24
    assert queries_for(member_client, "/people/?subject=science-technology&level=primary") == few
