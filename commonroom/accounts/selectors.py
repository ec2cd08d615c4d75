from django.db.models import F, Prefetch, Q

from commonroom.accounts.models import Member, Profile, Suspension


def suspension_active_for(member: Member) -> Suspension | None:
    if not member.pk:
        return None
    # A permanent suspension (no end) outranks any temporary one.
    return (
        Suspension.objects.active()
        .filter(member=member)
        .order_by(F("ends_at").desc(nulls_first=True))
        .first()
    )


def profile_for(member: Member) -> Profile:
    """The member's profile, created empty on first use."""
    profile, _created = Profile.objects.select_related("province").get_or_create(member=member)
    return profile


def member_suspensions() -> list[Suspension]:
    return list(
        Suspension.objects.active().select_related("member", "suspended_by").order_by("ends_at")
    )


def members_for_staff(query: str = "") -> list[Member]:
    members = Member.objects.filter(erased_at__isnull=True).prefetch_related(
        Prefetch("suspensions", queryset=Suspension.objects.active(), to_attr="active_suspensions")
    )
    if query:
        for word in query.split():
            members = members.filter(
                Q(first_name__icontains=word) | Q(last_name__icontains=word)
                | Q(email__icontains=word)
            )  # fmt: skip
    return list(members.order_by("last_name", "first_name")[:100])
