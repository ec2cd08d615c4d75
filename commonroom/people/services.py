"""Every write of the people app: tutor listings (R18), verified
organisations and what moderators do to a reported profile (R21).

Following members and subjects is ``commonroom.social.services.follow``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commonroom.accounts.models import Member, Profile, ProfileVisibility
from commonroom.core.storage import files_delete_on_commit
from commonroom.moderation import audit
from commonroom.moderation.permissions import moderation_action
from commonroom.people.models import TutorListing, VerifiedProfile
from commonroom.taxonomy.models import EducationLevel, Province, Subject

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
PHONE = re.compile(r"(?:\+|\b0)\d[\d\s./-]{7,}\d")


def _refuse_contact_details(**texts: str) -> None:
    """Contact goes through private messages (R18), where blocking and the
    anti-spam rules apply; a listing never carries an address or number."""
    errors = {
        field: _("Leave out e-mail addresses and phone numbers: members contact you "
                 "through a private message.")
        for field, text in texts.items()
        if EMAIL.search(text) or PHONE.search(text)
    }  # fmt: skip
    if errors:
        raise ValidationError(errors, code="contact_details")


@transaction.atomic
def tutor_listing_save(
    *,
    member: Member,
    subjects: Iterable[Subject],
    levels: Iterable[EducationLevel],
    provinces: Iterable[Province],
    availability: str,
    offer: str,
    is_active: bool = True,
) -> TutorListing:
    """A member lists themselves in the tutor database, or updates the listing."""
    _refuse_contact_details(offer=offer, availability=availability)
    listing = TutorListing.objects.select_for_update().filter(member=member).first()
    listing = listing or TutorListing(member=member)
    listing.availability = " ".join(availability.split())
    listing.offer = offer.strip()
    listing.is_active = is_active
    listing.full_clean()
    listing.save()
    listing.subjects.set(subjects)
    listing.levels.set(levels)
    listing.provinces.set(provinces)
    return listing


@transaction.atomic
def tutor_listing_remove(*, member: Member) -> None:
    TutorListing.objects.filter(member=member).delete()


@moderation_action(subject="member")
@transaction.atomic
def profile_verify(*, member: Member, organisation_name: str, by: Member) -> VerifiedProfile:
    """Staff confirm that a profile speaks for the organisation it names."""
    verification, _created = VerifiedProfile.objects.select_for_update().get_or_create(
        member=member, defaults={"organisation_name": organisation_name, "verified_by": by}
    )
    verification.organisation_name = " ".join(organisation_name.split())
    verification.verified_by = by
    verification.verified_at = timezone.now()
    verification.full_clean()
    verification.save()
    audit.record(
        actor=by,
        action="profile_verify",
        target=f"profile:{member.pk}",
        reason=verification.organisation_name,
    )
    return verification


@moderation_action(subject="member")
@transaction.atomic
def profile_unverify(*, member: Member, by: Member, reason: str = "") -> None:
    deleted, _rows = VerifiedProfile.objects.filter(member=member).delete()
    if deleted:
        audit.record(
            actor=by, action="profile_unverify", target=f"profile:{member.pk}", reason=reason
        )


def _lock_profile(member: Member) -> Profile | None:
    return Profile.objects.select_for_update().filter(member=member).first()


@moderation_action(subject="member")
@transaction.atomic
def profile_hide(*, member: Member, by: Member, reason: str) -> None:
    """A moderator takes a profile out of sight: out of the directory and the
    tutor database, its page gone for everyone but the member and staff.
    The audit row is written by the moderation action that calls this."""
    profile = _lock_profile(member)
    if profile is not None:
        profile.visibility = ProfileVisibility.HIDDEN
        profile.hidden_by_moderator = True
        profile.save(update_fields=["visibility", "hidden_by_moderator", "updated_at"])


@moderation_action(subject="member")
@transaction.atomic
def profile_clear(*, member: Member, by: Member, reason: str) -> None:
    """A moderator removes what a profile shows (photo and "about me"); the
    account and everything else the member shared stay."""
    profile = _lock_profile(member)
    if profile is None:
        return
    old_photo = profile.photo.name if profile.photo else ""
    profile.photo = None
    profile.bio = ""
    profile.save(update_fields=["photo", "bio", "updated_at"])
    if old_photo:
        # After the commit, retried through the outbox while the bucket is away.
        files_delete_on_commit(names=[old_photo])
