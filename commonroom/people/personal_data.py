"""What the people app keeps about a member: their tutor listing and a staff
verification of their profile. Follows are social.Follow rows, exported by
the social app ("follows"); erasure removes them here too, those the member
made and those of them, so leaving never depends on the order of the apps."""

from typing import Any

from django.contrib.contenttypes.models import ContentType

from commonroom.accounts.models import Member
from commonroom.people.models import TutorListing, VerifiedProfile
from commonroom.social.models import Follow


def export(member: Member) -> dict[str, Any]:
    listing = (
        TutorListing.objects.filter(member=member)
        .prefetch_related("subjects", "levels", "provinces")
        .first()
    )
    verification = VerifiedProfile.objects.filter(member=member).first()
    return {
        "tutor_listing": None
        if listing is None
        else {
            "offer": listing.offer,
            "availability": listing.availability,
            "subjects": sorted(s.slug for s in listing.subjects.all()),
            "levels": sorted(level.slug for level in listing.levels.all()),
            "regions": sorted(p.slug for p in listing.provinces.all()),
            "shown": listing.is_active,
            "created_at": listing.created_at.isoformat(),
            "updated_at": listing.updated_at.isoformat(),
        },
        "verified_organisation": None
        if verification is None
        else {
            "organisation": verification.organisation_name,
            "verified_at": verification.verified_at.isoformat(),
        },
    }


def erase(member: Member) -> None:
    TutorListing.objects.filter(member=member).delete()
    Follow.objects.filter(follower=member).delete()
    Follow.objects.filter(
        content_type=ContentType.objects.get_for_model(Member), object_id=member.pk
    ).delete()
    VerifiedProfile.objects.filter(member=member).delete()
