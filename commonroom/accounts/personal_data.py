"""What the accounts app stores about a member: the member row, the profile,
email addresses, two-factor devices and sessions (allauth's tables)."""

from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession

from commonroom.accounts.models import Member, Profile, StaffAction, Suspension
from commonroom.core.storage import files_delete_on_commit


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def export(member: Member) -> dict[str, Any]:
    profile = Profile.objects.filter(member=member).select_related("province").first()
    return {
        "member": {
            "id": member.pk,
            "email": member.email,
            "first_name": member.first_name,
            "last_name": member.last_name,
            "birth_year": member.birth_year,
            "declared_not_pupil_at": _iso(member.declared_not_pupil_at),
            "date_joined": _iso(member.date_joined),
            "last_login": _iso(member.last_login),
            "groups": sorted(member.groups.values_list("name", flat=True)),
        },
        "profile": None
        if profile is None
        else {
            "photo": profile.photo_url or None,
            "bio": profile.bio,
            "expertise": profile.expertise,
            "school": profile.school,
            "province": profile.province.slug if profile.province else None,
            "subjects": sorted(profile.subjects.values_list("slug", flat=True)),
            "levels": sorted(profile.levels.values_list("slug", flat=True)),
            "visibility": profile.visibility,
            "hidden_by_moderator": profile.hidden_by_moderator,
            "updated_at": _iso(profile.updated_at),
        },
        "email_addresses": [
            {"email": e.email, "verified": e.verified, "primary": e.primary}
            for e in EmailAddress.objects.filter(user=member)
        ],
        "two_factor_devices": [
            {"type": a.type, "created_at": _iso(a.created_at), "last_used_at": _iso(a.last_used_at)}
            for a in Authenticator.objects.filter(user=member)
        ],
        "sessions": [
            {
                "ip": s.ip,
                "user_agent": s.user_agent,
                "created_at": _iso(s.created_at),
                "last_seen_at": _iso(s.last_seen_at),
            }
            for s in UserSession.objects.filter(user=member)
        ],
        "suspensions": [
            {
                "reason": s.reason,
                "from": _iso(s.starts_at),
                "until": _iso(s.ends_at),
                "lifted_at": _iso(s.lifted_at),
            }
            for s in Suspension.objects.filter(member=member)
        ],
    }


def erase(member: Member) -> None:
    profile = Profile.objects.filter(member=member).first()
    if profile is not None:
        if profile.photo and profile.photo.name:
            # After the commit, retried through the outbox while the bucket is away.
            files_delete_on_commit(names=[profile.photo.name])
        profile.delete()
    EmailAddress.objects.filter(user=member).delete()
    Authenticator.objects.filter(user=member).delete()
    for session in UserSession.objects.filter(user=member):
        session.end()  # deletes the session from the session store too
    UserSession.objects.filter(user=member).delete()
    # The reasons staff gave may quote the member; the audit row stays.
    Suspension.objects.filter(member=member).delete()
    StaffAction.objects.filter(member=member).update(reason="")
