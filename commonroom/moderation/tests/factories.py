"""Moderation test data; resources come from resources/tests/factories.py."""

from typing import Any, cast

import factory
from django.contrib.auth.models import Group
from factory.django import DjangoModelFactory

from commonroom.accounts.models import Member
from commonroom.accounts.roles import MODERATORS
from commonroom.accounts.tests.factories import MemberFactory
from commonroom.moderation.models import Criterion, Review
from commonroom.resources.models import State
from commonroom.resources.tests.factories import ResourceFactory


def moderator(**kwargs: Any) -> Member:
    member = cast(Member, MemberFactory(**kwargs))
    member.groups.add(Group.objects.get(name=MODERATORS))
    return member


class ReviewFactory(DjangoModelFactory[Review]):
    """An open review of a submitted resource."""

    class Meta:
        model = Review
        exclude = ("resource", "revision")

    # A review points at any moderated kind; these tests review resources.
    resource = factory.SubFactory(ResourceFactory, state=State.SUBMITTED)
    revision = None
    target = factory.SelfAttribute("resource")
    change = factory.SelfAttribute("revision")
    kind = Review.Kind.SUBMISSION


def criteria(*slugs: str) -> list[Criterion]:
    """Criteria from the default checklist, in the order asked."""
    found = {c.slug: c for c in Criterion.objects.filter(slug__in=slugs)}
    return [found[slug] for slug in slugs]
