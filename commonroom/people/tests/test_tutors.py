"""R18: the tutor database: members list and remove themselves; the list is
searchable by subject, level and region with exact counts per value."""

import re

import pytest

from commonroom.accounts.models import ProfileVisibility, Suspension
from commonroom.people import selectors
from commonroom.people.models import TutorListing
from commonroom.people.tests.factories import queries_for, tutor
from commonroom.taxonomy.models import EducationLevel, Province, Subject

pytestmark = pytest.mark.django_db

TUTOR_NAMES = re.compile(r'<h2><a href="/people/(\d+)/">')


def listed(client, query: str = "") -> list[int]:
    response = client.get(f"/people/tutors/{query}")
    assert response.status_code == 200
    return sorted(int(pk) for pk in TUTOR_NAMES.findall(response.content.decode()))


def ids(model: type, slugs: list[str]) -> list[int]:
    return list(model.objects.filter(slug__in=slugs).values_list("pk", flat=True))


def by_slug(model: type, counts: dict[int, int]) -> dict[str, int]:
    slugs = dict(model.objects.filter(pk__in=counts).values_list("pk", "slug"))
    return {slugs[pk]: n for pk, n in counts.items()}


@pytest.fixture
def tutors():
    """Four listed tutors, and three that must never be listed."""
    a = tutor(subjects=("mathematics",), levels=("primary-1",), provinces=("antwerp",))
    b = tutor(
        subjects=("mathematics", "physics"),
        levels=("secondary-2-dual",),
        provinces=("antwerp", "limburg"),
    )
    c = tutor(subjects=("physics", "chemistry"), levels=("secondary-1",), provinces=("limburg",))
    d = tutor(subjects=("dutch",), levels=("primary",), provinces=("east-flanders",))
    tutor(visibility=ProfileVisibility.HIDDEN)
    tutor(is_active=False)
    suspended = tutor()
    Suspension.objects.create(member=suspended.member, reason="Spam")
    return a, b, c, d


def test_r18_counts_per_value_without_filters(tutors):
    search = selectors.tutor_search()
    assert sorted(t.pk for t in search.listings) == sorted(t.pk for t in tutors)
    assert by_slug(Subject, search.subject_counts) == {
        "mathematics": 2,
        "science-technology": 2,  # b and c; c's two children count once
        "physics": 2,
        "chemistry": 1,
        "dutch": 1,
    }
    assert by_slug(EducationLevel, search.level_counts) == {
        "primary": 2,
        "primary-1": 1,
        "secondary": 2,
        "secondary-1": 1,
        "secondary-2": 1,
        "secondary-2-dual": 1,
    }
    assert by_slug(Province, search.province_counts) == {
        "antwerp": 2,
        "limburg": 2,
        "east-flanders": 1,
    }


def test_r18_counts_reflect_the_other_active_filters(tutors):
    _a, b, c, _d = tutors
    science = Subject.objects.get(slug="science-technology")
    limburg = Province.objects.get(slug="limburg")
    search = selectors.tutor_search(subject=science, province=limburg)
    assert sorted(t.pk for t in search.listings) == sorted([b.pk, c.pk])
    # Subjects counted among Limburg's tutors, whatever subject is chosen:
    assert by_slug(Subject, search.subject_counts) == {
        "mathematics": 1,
        "science-technology": 2,
        "physics": 2,
        "chemistry": 1,
    }
    # Regions counted among science tutors, whatever region is chosen:
    assert by_slug(Province, search.province_counts) == {"antwerp": 1, "limburg": 2}
    assert by_slug(EducationLevel, search.level_counts) == {
        "secondary": 2,
        "secondary-1": 1,
        "secondary-2": 1,
        "secondary-2-dual": 1,
    }


def test_r18_the_page_filters_by_subject_level_and_region_and_shows_counts(member_client, tutors):
    a, b, c, d = tutors
    assert listed(member_client) == sorted(t.member_id for t in tutors)
    assert listed(member_client, "?subject=science-technology") == sorted(
        [b.member_id, c.member_id]
    )
    assert listed(member_client, "?level=secondary-2") == [b.member_id]
    assert listed(member_client, "?level=primary") == sorted([a.member_id, d.member_id])
    assert listed(member_client, "?province=antwerp") == sorted([a.member_id, b.member_id])
    assert listed(member_client, "?subject=mathematics&province=limburg") == [b.member_id]
    html = member_client.get("/people/tutors/?province=limburg").content.decode()
    assert ">Mathematics (1)</option>" in html
    assert ">Science and technology (2)</option>" in html
    assert ">Science and technology › Chemistry (1)</option>" in html
    assert ">Antwerp (2)</option>" in html
    assert "selected>Limburg (2)</option>" in html
    # Values without tutors among the other filters are not offered.
    assert "Dutch (" not in html
    assert "2 tutors" in html


def test_r18_hidden_inactive_and_suspended_tutors_are_never_listed(member_client, tutors):
    hidden = TutorListing.objects.get(member__profile__visibility=ProfileVisibility.HIDDEN)
    inactive = TutorListing.objects.get(is_active=False)
    suspended = TutorListing.objects.get(member__suspensions__isnull=False)
    shown = listed(member_client) + listed(member_client, "?subject=mathematics")
    assert not {hidden.member_id, inactive.member_id, suspended.member_id} & set(shown)


def test_r18_tutors_show_no_contact_details_but_a_message_link(member_client):
    listing = tutor()
    listing.member.email = "tutor.secret@school.example"
    listing.member.save()
    html = member_client.get("/people/tutors/").content.decode()
    assert "Wednesday afternoons" in html
    assert "Homework help and exam preparation." in html
    assert f'href="/messages/new/?to={listing.member_id}"' in html
    assert "tutor.secret@school.example" not in html


def test_r18_tutor_database_is_for_signed_in_members(client):
    tutor()
    for url in ("/people/tutors/", "/people/tutors/me/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/"), url


def listing_data(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "offer": "Maths tutoring for the first stage.",
        "subjects": ids(Subject, ["mathematics"]),
        "levels": ids(EducationLevel, ["secondary-1"]),
        "provinces": ids(Province, ["antwerp", "limburg"]),
        "availability": "  Wednesday   afternoons ",
        "is_active": "on",
    }
    data.update(overrides)
    return data


def test_r18_a_member_lists_themselves_edits_and_removes_the_listing(member, member_client):
    response = member_client.post("/people/tutors/me/", listing_data())
    assert response.status_code == 302
    listing = TutorListing.objects.get(member=member)
    assert listing.availability == "Wednesday afternoons"
    assert sorted(listing.provinces.values_list("slug", flat=True)) == ["antwerp", "limburg"]
    assert listed(member_client, "?subject=mathematics") == [member.pk]

    member_client.post("/people/tutors/me/", listing_data(is_active=""))
    listing.refresh_from_db()
    assert listing.is_active is False
    assert listed(member_client) == []

    response = member_client.post("/people/tutors/me/", {"remove": "1"})
    assert response.status_code == 302
    assert not TutorListing.objects.filter(member=member).exists()


def test_r18_a_listing_needs_subjects_regions_and_a_short_offer(member, member_client):
    response = member_client.post(
        "/people/tutors/me/", listing_data(subjects=[], provinces=[], offer="x" * 1001)
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) == {"subjects", "provinces", "offer"}
    assert not TutorListing.objects.filter(member=member).exists()


def test_r18_a_member_with_a_hidden_profile_is_told_their_listing_is_not_shown(
    member, member_client
):
    member.profile.visibility = ProfileVisibility.HIDDEN
    member.profile.save()
    member_client.post("/people/tutors/me/", listing_data())
    html = member_client.get("/people/tutors/me/").content.decode()
    assert "Your profile is hidden, so your listing is not shown to anyone." in html
    assert listed(member_client) == []


def test_r18_tutor_page_runs_the_same_queries_for_3_or_30_tutors(member_client):
    def add(n: int) -> None:
        for _ in range(n):
            tutor(subjects=("physics", "dutch"), levels=("primary-1",), provinces=("antwerp",))

    add(3)
    url = "/people/tutors/?subject=science-technology&level=primary"
    few = queries_for(member_client, url)
    add(27)
    assert len(listed(member_client, "?subject=science-technology&level=primary")) == 24
    assert queries_for(member_client, url) == few


@pytest.mark.parametrize(
    ("field", "text"),
    [
        ("offer", "Mail me at anna.peeters@school.example for a first lesson."),
        ("offer", "Call 0470 12 34 56 after school."),
        ("availability", "Saturdays, +32 9 123 45 67"),
    ],
)
def test_r18_a_listing_refuses_contact_details(member, member_client, field, text):
    response = member_client.post("/people/tutors/me/", listing_data(**{field: text}))
    assert response.status_code == 400
    assert list(response.context["form"].errors) == [field]
    assert not TutorListing.objects.filter(member=member).exists()


def test_r18_numbers_that_are_not_phone_numbers_are_fine(member, member_client):
    data = listing_data(offer="Exam practice for years 5-6, 2024-2025 syllabus, 45 minutes.")
    assert member_client.post("/people/tutors/me/", data).status_code == 302
