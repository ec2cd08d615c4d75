"""Organisations test data: organisations in a given state with an
administrator, and training offers with their themes and provinces."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django.utils import timezone

from commonroom.accounts.models import Member
from commonroom.accounts.tests import factories as account_factories
from commonroom.moderation.lifecycle import State
from commonroom.organisations.models import (
    Organisation,
    OrganisationAdmin,
    OrganisationKind,
    PriceRange,
    TrainingOffer,
)
from commonroom.taxonomy.models import EducationLevel, Province, TrainingTheme


def _make(factory: Any, **kwargs: Any) -> Any:
    return factory(**kwargs)


def organisation(
    *,
    name: str = "Leerpunt Vorming",
    admin: Member | None = None,
    state: str = State.PUBLISHED,
    kind: str = OrganisationKind.TRAINING_PROVIDER,
    province: str = "antwerp",
    description: str = "We train teachers.",
    **fields: Any,
) -> Organisation:
    admin = admin or cast(
        Member,
        _make(
            account_factories.MemberFactory,
        ),
    )
    created = Organisation.objects.create(
        name=name,
        kind=kind,
        address="Schoolstraat 1, 2000 Antwerpen",
        province=Province.objects.get(slug=province),
        website="https://leerpunt.example",
        email="info@leerpunt.example",
        description=description,
        state=state,
        proposed_by=admin,
        published_at=timezone.now() if state == State.PUBLISHED else None,
        **fields,
    )
    OrganisationAdmin.objects.create(organisation=created, member=admin, added_by=admin)
    return created


def offer(
    organisation: Organisation,
    *,
    title: str = "Coaching STEM",
    themes: Sequence[str] = ("stem",),
    provinces: Sequence[str] = ("antwerp",),
    levels: Sequence[str] = (),
    roles: Sequence[str] = ("teachers",),
    formats: Sequence[str] = ("at_school",),
    sessions: int = 3,
    **fields: Any,
) -> TrainingOffer:
    created = TrainingOffer.objects.create(
        organisation=organisation,
        title=title,
        description=fields.pop("description", "Hands-on sessions in your school."),
        roles=list(roles),
        formats=list(formats),
        sessions=sessions,
        duration="Three afternoons",
        price_range=PriceRange.MEDIUM,
        contact_person="An Peeters",
        contact_channel="an@leerpunt.example",
        **fields,
    )
    created.themes.set(TrainingTheme.objects.filter(slug__in=themes))
    created.provinces.set(Province.objects.filter(slug__in=provinces))
    created.levels.set(EducationLevel.objects.filter(slug__in=levels))
    return created


def proposal_fields(**overrides: Any) -> dict[str, Any]:
    """What the proposal form sends."""
    return {
        "name": "Vormingshuis Gent",
        "kind": OrganisationKind.TRAINING_PROVIDER,
        "address": "Kouter 1, 9000 Gent",
        "province": Province.objects.get(slug="east-flanders"),
        "website": "https://vormingshuis.example",
        "email": "info@vormingshuis.example",
        "description": "Workshops on **reading** for primary schools.",
    } | overrides
