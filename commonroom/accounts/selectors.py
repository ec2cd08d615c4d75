from allauth.account.models import EmailAddress
from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet

from commonroom.accounts.models import Member, Profile, ProfileVisibility, Suspension


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


def profile_terms(member: Member) -> tuple[list[int], list[int]]:
    """The ids of the subjects and levels in the member's profile."""
    subjects = Profile.subjects.through.objects.filter(profile__member_id=member.pk)
    levels = Profile.levels.through.objects.filter(profile__member_id=member.pk)
    return (
        list(subjects.values_list("subject_id", flat=True)),
        list(levels.values_list("educationlevel_id", flat=True)),
    )


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


# --- who may see whom ----------------------------------------------------------------------------


def _shown_to_others(*, visitors: bool) -> Q:
    """Members whose profile others see: still here, address verified, not
    suspended, profile not hidden; visitors see public profiles only. A
    member without a profile row has the default visibility (members)."""
    suspended = Suspension.objects.active().filter(member=OuterRef("pk"))
    verified = EmailAddress.objects.filter(user=OuterRef("pk"), verified=True)
    if visitors:
        profile = Q(profile__visibility=ProfileVisibility.PUBLIC)
    else:
        profile = Q(profile__isnull=True) | Q(
            profile__visibility__in=(ProfileVisibility.MEMBERS, ProfileVisibility.PUBLIC)
        )
    return (
        Q(is_active=True, erased_at__isnull=True)
        & Q(Exists(verified))
        & ~Q(Exists(suspended))
        & profile
    )


def members_shown_to_members() -> QuerySet[Member]:
    """Members any signed-in member may see, whoever they are: what the
    directory and the tutor database list (without the viewer's own row)."""
    return Member.objects.filter(_shown_to_others(visitors=False))


def members_visible_to(
    viewer: Member | AnonymousUser, *, known: Q | None = None, signed_in: bool = False
) -> QuerySet[Member]:
    """The members this viewer may see by name: the profile page's rule, and
    the one every page that loads a member by id goes through, so that an id
    never reveals a name the profile page would not show (404 otherwise).

    ``known`` adds members the viewer already sees by name through a relation
    of their own (a conversation, a block, a follow), for the actions on that
    relation. ``signed_in`` answers for a visitor as if they were signed in,
    so a members-only profile asks them to sign in instead of not existing.
    """
    if viewer.is_authenticated and viewer.is_staff:
        return Member.objects.all()
    rule = _shown_to_others(visitors=not (viewer.is_authenticated or signed_in))
    if viewer.is_authenticated:
        rule |= Q(pk=viewer.pk)
    if known is not None:
        rule |= known
    return Member.objects.filter(rule)
