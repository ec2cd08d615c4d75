"""Every change to a member account (R3 to R7)."""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commonroom.accounts.models import Member, Profile, ProfileVisibility, StaffAction
from commonroom.core import privacy, versions
from commonroom.core.images import image_reencode
from commonroom.core.storage import files_delete_on_commit


@transaction.atomic
def member_register(*, member: Member, birth_year: int, language: str = "nl") -> Member:
    """Store a new member from the sign-up form: the form has checked the age
    rule, and only the year of birth is asked and kept (R3). Acceptance of
    the terms is legal's (legal.services.member_register_accepting_terms)."""
    member.birth_year = birth_year
    member.declared_not_pupil_at = timezone.now()
    member.language = language[:2]
    member.full_clean(exclude=["password"])
    member.save()
    Profile.objects.create(member=member)
    return member


@transaction.atomic
def profile_update(
    *,
    member: Member,
    first_name: str,
    last_name: str,
    photo: UploadedFile | None = None,
    remove_photo: bool = False,
    **fields: Any,
) -> Profile:
    """Members correct their registration data and profile at any time (R4, R16)."""
    profile = Profile.objects.select_for_update().get_or_create(member=member)[0]
    named = Member.objects.filter(pk=member.pk).values_list("first_name", "last_name").get()
    member.first_name = " ".join(first_name.split())
    member.last_name = " ".join(last_name.split())
    member.full_clean(exclude=["password"])
    member.save(update_fields=["first_name", "last_name"])
    if (member.first_name, member.last_name) != tuple(named):
        # A name shows on many pages kept rendered (core.versions): all read
        # this one scope, as renames are rare.
        versions.changed(Member)
    subjects = fields.pop("subjects", None)
    levels = fields.pop("levels", None)
    if profile.hidden_by_moderator and fields.get("visibility", profile.visibility) != (
        ProfileVisibility.HIDDEN
    ):
        raise ValidationError(
            _("A moderator has hidden your profile; only staff can show it again."),
            code="hidden_by_moderator",
        )
    for name, value in fields.items():
        setattr(profile, name, value)
    old_photo = profile.photo.name if profile.photo else ""
    if photo is not None:
        clean = image_reencode(
            photo,
            max_bytes=settings.PROFILE_PHOTO_MAX_BYTES,
            max_side=settings.PROFILE_PHOTO_MAX_SIDE,
        )
        profile.photo.save("photo.jpg", clean.content, save=False)
    elif remove_photo:
        profile.photo = None
    profile.full_clean()
    profile.save()
    if subjects is not None:
        profile.subjects.set(subjects)
    if levels is not None:
        profile.levels.set(levels)
    if old_photo and old_photo != (profile.photo.name if profile.photo else ""):
        # After the commit, retried through the outbox while the bucket is away.
        files_delete_on_commit(names=[old_photo])
    return profile


@transaction.atomic
def member_erase(*, member: Member, actor: Member | None = None) -> Member:
    """Delete the member's personal data in one transaction (R6).

    Each app erases what it keeps (core.privacy); the member row keeps
    only the first name and surname, which stay on the member's contributions.
    Files are removed once the transaction has committed. ``actor``: the
    staff member who erased the account (in the admin), recorded in the
    staff actions; None when the member asked.
    """
    member = Member.objects.select_for_update().get(pk=member.pk)
    privacy.erase_all(member)
    member.email = None
    member.birth_year = None
    member.declared_not_pupil_at = None
    member.last_login = None
    member.set_unusable_password()
    member.is_active = False
    member.is_staff = False
    member.is_superuser = False
    member.erased_at = timezone.now()
    member.save()
    versions.changed(Member)  # its name loses its link; its saves and ratings are gone
    member.groups.clear()
    member.user_permissions.clear()
    StaffAction.objects.create(actor=actor, member=member, kind=StaffAction.Kind.ERASE)
    return member


def member_export(*, member: Member) -> dict[str, Any]:
    """Everything stored about the member, machine-readable (R7)."""
    return {
        "format": "commonroom-personal-data/1",
        "exported_at": timezone.now().isoformat(),
        "platform": settings.PLATFORM_NAME,
        "operator": settings.OPERATOR_NAME,
        **privacy.export_all(member),
    }
