"""Profiles can be reported (R21), for impersonation among other reasons.

The reported object is the member, whose row outlives the profile, so a
report still points somewhere after the member has left.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from commonroom.accounts.models import Member, Profile
from commonroom.moderation.report_registry import Reportable
from commonroom.people import permissions, services


def _excerpt(member: Member) -> str:
    try:
        profile = member.profile
    except Profile.DoesNotExist:
        return member.display_name
    parts = [member.display_name, profile.school, profile.bio, profile.expertise]
    return Truncator(" · ".join(p for p in parts if p)).chars(300)


def _members() -> QuerySet[Member]:
    return Member.objects.select_related("profile")


REPORTABLE = {
    "profile": Reportable(
        model=Member,
        label=_("Profile"),
        author=lambda member: member,
        excerpt=_excerpt,
        url=lambda member: reverse("people:profile", args=[member.pk]),
        hide=lambda member, by, reason: services.profile_hide(member=member, by=by, reason=reason),
        remove=lambda member, by, reason: services.profile_clear(
            member=member, by=by, reason=reason
        ),
        visible_to=lambda member, user: permissions.can_view_profile(user, member),
        queryset=_members,
    )
}
