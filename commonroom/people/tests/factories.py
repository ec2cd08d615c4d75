"""People test data: members with a filled-in profile, tutor listings, and
the query counter that pins list pages."""

from typing import Any, cast

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from commonroom.accounts.models import Member, Profile, ProfileVisibility
from commonroom.accounts.tests.factories import MemberFactory
from commonroom.people.models import TutorListing
from commonroom.taxonomy.models import EducationLevel, Province, Subject


def person(
    *,
    visibility: str = ProfileVisibility.MEMBERS,
    subjects: tuple[str, ...] = (),
    levels: tuple[str, ...] = (),
    province: str | None = None,
    school: str = "",
    expertise: str = "",
    bio: str = "",
    **member: Any,
) -> Member:
    """A member whose profile says what the test needs."""
    created = cast(Member, MemberFactory(**member))
    Profile.objects.filter(member=created).update(
        visibility=visibility,
        school=school,
        expertise=expertise,
        bio=bio,
        province=Province.objects.get(slug=province) if province else None,
    )
    profile = Profile.objects.get(member=created)
    profile.subjects.set(Subject.objects.filter(slug__in=subjects))
    profile.levels.set(EducationLevel.objects.filter(slug__in=levels))
    return Member.objects.select_related("profile").get(pk=created.pk)


def tutor(
    *,
    subjects: tuple[str, ...] = ("mathematics",),
    levels: tuple[str, ...] = ("primary",),
    provinces: tuple[str, ...] = ("antwerp",),
    visibility: str = ProfileVisibility.MEMBERS,
    is_active: bool = True,
    **member: Any,
) -> TutorListing:
    listing = TutorListing.objects.create(
        member=person(visibility=visibility, **member),
        availability="Wednesday afternoons",
        offer="Homework help and exam preparation.",
        is_active=is_active,
    )
    listing.subjects.set(Subject.objects.filter(slug__in=subjects))
    listing.levels.set(EducationLevel.objects.filter(slug__in=levels))
    listing.provinces.set(Province.objects.filter(slug__in=provinces))
    return listing


def queries_for(client: Client, url: str) -> int:
    client.get(url)  # warms what the site's middleware caches on a first request
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


# The kinds of account whose name no id may reveal to another member (issue 12 item 3).
INVISIBLE_KINDS = ("hidden", "unverified", "suspended", "erased", "inactive")


def invisible(kind: str, **member: Any) -> Member:
    """A member of one of INVISIBLE_KINDS, named "Secret <Kind>"."""
    from allauth.account.models import EmailAddress
    from django.utils import timezone

    from commonroom.accounts.models import Suspension

    member.setdefault("first_name", "Secret")
    member.setdefault("last_name", kind.capitalize())
    if kind == "erased":
        member.update(erased_at=timezone.now(), is_active=False)
    if kind == "inactive":
        member.update(is_active=False)
    visibility = ProfileVisibility.HIDDEN if kind == "hidden" else ProfileVisibility.PUBLIC
    created = person(visibility=visibility, **member)
    if kind == "unverified":
        EmailAddress.objects.filter(user=created).update(verified=False)
    if kind == "suspended":
        Suspension.objects.create(member=created, reason="Spam")
    return created
