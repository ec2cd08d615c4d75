"""Reads of the people app: profile pages, the member directory, the tutor
database with its facet counts, and what a member follows.

Every list here runs a fixed number of queries whatever its length; the
facet counts are GROUP BY aggregates, one query per level of a vocabulary tree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    Model,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.db.models.functions import Coalesce

from commonroom.accounts.models import Member, Profile, ProfileVisibility
from commonroom.accounts.selectors import members_shown_to_members
from commonroom.people.models import TutorListing
from commonroom.resources.models import Resource
from commonroom.resources.selectors import resources_for_listing
from commonroom.social.models import Follow
from commonroom.taxonomy.models import EducationLevel, Province, Subject
from commonroom.taxonomy.selectors import subtree_ids

PROFILE_RESOURCES = 12
LISTED = (ProfileVisibility.MEMBERS, ProfileVisibility.PUBLIC)


# --- vocabulary trees ----------------------------------------------------------------------


def _tree_depth(model: type[Model]) -> int:
    parents = dict(model._default_manager.values_list("pk", "parent_id"))

    def depth(pk: int | None) -> int:
        return 0 if pk is None else 1 + depth(parents.get(pk))

    return max((depth(pk) for pk in parents), default=0)


def _ancestor_at(relation: str, depth: int, max_depth: int) -> Case:
    """For each row of ``relation``, its ancestor at ``depth`` (0 = root), so
    that one GROUP BY counts every term of that depth with its subtree."""
    whens = []
    for own_depth in range(depth, max_depth):
        at_own_depth = Q(**{f"{relation}{'__parent' * own_depth}__isnull": False}) & Q(
            **{f"{relation}{'__parent' * (own_depth + 1)}__isnull": True}
        )
        whens.append(When(at_own_depth, then=F(relation + "__parent" * (own_depth - depth))))
    return Case(*whens, default=None, output_field=IntegerField())


def tree_counts(base: QuerySet[Any], relation: str, model: type[Model]) -> dict[int, int]:
    """How many rows of ``base`` carry each term or one of its descendants."""
    counts: dict[int, int] = {}
    max_depth = _tree_depth(model)
    for depth in range(max_depth):
        rows = (
            base.order_by()
            .annotate(node=_ancestor_at(relation, depth, max_depth))
            .values("node")
            .annotate(n=Count("pk", distinct=True))
        )
        counts.update({row["node"]: row["n"] for row in rows if row["node"] is not None})
    return counts


def flat_counts(base: QuerySet[Any], relation: str) -> dict[int, int]:
    rows = base.order_by().values(relation).annotate(n=Count("pk", distinct=True))
    return {row[relation]: row["n"] for row in rows if row[relation] is not None}


# --- members that may be listed --------------------------------------------------------------


def listed_members() -> QuerySet[Member]:
    """Members the directory and the tutor database may show: those every
    member may see (the profile page's rule) who filled in a profile."""
    return members_shown_to_members().filter(profile__visibility__in=LISTED)


def _with_terms(relation: str) -> list[Prefetch[Any]]:
    return [
        Prefetch(f"{relation}__subjects", queryset=Subject.objects.select_related("parent")),
        Prefetch(
            f"{relation}__levels", queryset=EducationLevel.objects.select_related("parent__parent")
        ),
    ]


def profile_page(member_id: int) -> Member | None:
    return (
        Member.objects.select_related("profile__province", "verification")
        .prefetch_related(*_with_terms("profile"))
        .annotate(follower_count=_follower_count())
        .filter(pk=member_id)
        .first()
    )


def _follower_count() -> Coalesce:
    followers = (
        Follow.objects.filter(
            content_type=ContentType.objects.get_for_model(Member), object_id=OuterRef("pk")
        )
        .order_by()
        .values("object_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(followers, output_field=IntegerField()), 0)


def resources_of(member: Member) -> list[Resource]:
    return list(resources_for_listing().filter(author=member)[:PROFILE_RESOURCES])


def is_following(follower: Any, target: Model) -> bool:
    if not getattr(follower, "is_authenticated", False):
        return False
    return Follow.objects.filter(
        follower=follower,
        content_type=ContentType.objects.get_for_model(target),
        object_id=target.pk,
    ).exists()


# --- the directory (R18) ----------------------------------------------------------------------


def _words_match(members: QuerySet[Member], query: str) -> QuerySet[Member]:
    for word in query.split()[:8]:
        members = members.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(profile__school__icontains=word)
            | Q(profile__expertise__icontains=word)
        )
    return members


def _through_ids(relation: Any, column: str, ids: Iterable[int], owner: str) -> QuerySet[Any]:
    return relation.through.objects.filter(**{f"{column}__in": list(ids)}).values(owner)


def directory(
    *,
    query: str = "",
    subject: Subject | None = None,
    level: EducationLevel | None = None,
    province: Province | None = None,
) -> QuerySet[Member]:
    members = _words_match(listed_members(), query)
    if subject is not None:
        ids = subtree_ids(Subject, subject)
        members = members.filter(
            profile__in=_through_ids(Profile.subjects, "subject_id", ids, "profile_id")
        )
    if level is not None:
        ids = subtree_ids(EducationLevel, level)
        members = members.filter(
            profile__in=_through_ids(Profile.levels, "educationlevel_id", ids, "profile_id")
        )
    if province is not None:
        members = members.filter(profile__province=province)
    return (
        members.select_related("profile__province", "verification")
        .prefetch_related(*_with_terms("profile"))
        .order_by("last_name", "first_name", "pk")
    )


# --- the tutor database (R18) -----------------------------------------------------------------


@dataclass(frozen=True)
class TutorSearch:
    listings: QuerySet[TutorListing]
    subject_counts: dict[int, int]
    level_counts: dict[int, int]
    province_counts: dict[int, int]


def _tutor_filter(
    listings: QuerySet[TutorListing],
    *,
    subject_ids: list[int] | None,
    level_ids: list[int] | None,
    province: Province | None,
) -> QuerySet[TutorListing]:
    if subject_ids is not None:
        listings = listings.filter(
            pk__in=_through_ids(TutorListing.subjects, "subject_id", subject_ids, "tutorlisting_id")
        )
    if level_ids is not None:
        listings = listings.filter(
            pk__in=_through_ids(
                TutorListing.levels, "educationlevel_id", level_ids, "tutorlisting_id"
            )
        )
    if province is not None:
        listings = listings.filter(
            pk__in=_through_ids(
                TutorListing.provinces, "province_id", [province.pk], "tutorlisting_id"
            )
        )
    return listings


def tutor_search(
    *,
    subject: Subject | None = None,
    level: EducationLevel | None = None,
    province: Province | None = None,
) -> TutorSearch:
    """Active listings of listed members, and for each facet the number of
    listings per value given the other facets' choices."""
    base = TutorListing.objects.active().filter(member__in=listed_members())
    chosen: dict[str, Any] = {
        "subject_ids": subtree_ids(Subject, subject) if subject else None,
        "level_ids": subtree_ids(EducationLevel, level) if level else None,
        "province": province,
    }

    def others(facet: str) -> QuerySet[TutorListing]:
        return _tutor_filter(base, **{**chosen, facet: None})

    listings = (
        _tutor_filter(base, **chosen)
        .select_related("member__profile", "member__verification")
        .prefetch_related(
            Prefetch("subjects", queryset=Subject.objects.select_related("parent")),
            Prefetch("levels", queryset=EducationLevel.objects.select_related("parent__parent")),
            "provinces",
        )
        .order_by("member__last_name", "member__first_name", "pk")
    )
    return TutorSearch(
        listings=listings,
        subject_counts=tree_counts(others("subject_ids"), "subjects", Subject),
        level_counts=tree_counts(others("level_ids"), "levels", EducationLevel),
        province_counts=flat_counts(others("province"), "provinces"),
    )


def tutor_listing_of(member: Member) -> TutorListing | None:
    return (
        TutorListing.objects.filter(member=member)
        .prefetch_related("subjects", "levels", "provinces")
        .first()
    )


# --- what a member follows ---------------------------------------------------------------------


def followed_members(member: Member) -> QuerySet[Member]:
    ids = Follow.objects.filter(
        follower=member, content_type=ContentType.objects.get_for_model(Member)
    ).values("object_id")
    return (
        Member.objects.filter(pk__in=ids, erased_at__isnull=True)
        .select_related("profile")
        .order_by("last_name", "first_name", "pk")
    )


def followed_subject_ids(member: Member) -> set[int]:
    return set(
        Follow.objects.filter(
            follower=member, content_type=ContentType.objects.get_for_model(Subject)
        ).values_list("object_id", flat=True)
    )


def subject_tree() -> list[Subject]:
    return list(
        Subject.objects.roots().prefetch_related(
            Prefetch("children", queryset=Subject.objects.order_by("position", "slug"))
        )
    )
