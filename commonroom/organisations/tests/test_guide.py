"""The selection guide (R25): ranking on fixed examples with the reasons
each offer matched; answers from a shareable link; alerts for saved answers."""

from __future__ import annotations

from typing import Any, cast

import pytest
from django.test import Client
from django.urls import reverse

from commonroom.accounts.models import Member
from commonroom.accounts.tests import factories as account_factories
from commonroom.notifications.models import Notification
from commonroom.organisations import offer_services, selectors, services
from commonroom.organisations.forms import answers_from_query
from commonroom.organisations.models import SavedGuide
from commonroom.organisations.notifications import OFFER_MATCH
from commonroom.organisations.tests.factories import offer, organisation
from commonroom.people.tests.factories import queries_for
from commonroom.taxonomy.models import Province, TrainingTheme

pytestmark = pytest.mark.django_db


def _make(factory: Any, **kwargs: Any) -> Any:
    return factory(**kwargs)


def _catalogue() -> None:
    """Three providers, four offers."""
    stem = organisation(name="STEM Academie", province="antwerp")
    offer(
        stem,
        title="Robots in de klas",
        themes=("stem", "digital"),
        provinces=("antwerp", "limburg"),
        levels=("primary",),
        roles=("teachers",),
        formats=("at_school",),
        sessions=3,
    )
    offer(
        stem,
        title="Online programmeren",
        themes=("digital",),
        provinces=("west-flanders",),
        roles=("teachers", "support_staff"),
        formats=("online",),
        sessions=6,
    )
    lezen = organisation(name="Leeshuis", province="east-flanders")
    offer(
        lezen,
        title="Leesbeleid op school",
        themes=("language-reading",),
        provinces=("east-flanders", "antwerp"),
        roles=("principals",),
        formats=("coaching",),
        sessions=1,
    )
    offer(
        organisation(name="Zorgpunt", province="limburg"),
        title="Zorgbeleid",
        themes=("care", "stem"),
        provinces=("limburg",),
        roles=("support_staff",),
        formats=("open_course",),
        sessions=2,
    )


def _ranked(query: str) -> list[tuple[str, int, list[str]]]:
    return [
        (m.offer.title, m.score, m.reasons)
        for m in selectors.guide_result(answers_from_query(query))
    ]


def test_r25_the_guide_ranks_matching_offers_and_says_why() -> None:
    _catalogue()

    ranked = _ranked(
        "themes=stem&themes=digital&province=antwerp&roles=teachers&formats=at_school&sessions=few"
    )

    assert ranked == [
        (
            "Robots in de klas",
            3 * 2 + 2 + 1 + 2 + 1,
            [
                "Works on Digital skills and media literacy, STEM",
                "Comes to Antwerp",
                "Meant for teachers",
                "As at the school",
                "3 sessions, as you asked",
            ],
        ),
        (
            "Online programmeren",
            3 + 1 + 1,
            [
                "Works on Digital skills and media literacy",
                "Online, so from anywhere",
                "Meant for teachers",
            ],
        ),
    ]


def test_r25_the_province_narrows_unless_the_offer_is_online() -> None:
    _catalogue()

    assert [title for title, _s, _r in _ranked("province=limburg")] == [
        "Robots in de klas",
        "Zorgbeleid",
        "Online programmeren",
    ]


def test_r25_a_role_and_a_format_only_rank() -> None:
    _catalogue()

    ranked = _ranked("roles=principals&formats=coaching")

    assert ranked[0] == ("Leesbeleid op school", 3, ["Meant for principals", "As coaching"])
    assert [title for title, score, _r in ranked[1:]] == [
        "Online programmeren",
        "Robots in de klas",
        "Zorgbeleid",
    ]
    assert {score for _t, score, _r in ranked[1:]} == {0}


def test_r25_unknown_answers_in_a_shared_link_are_left_out() -> None:
    _catalogue()

    assert _ranked("themes=care&themes=no-such-theme&province=atlantis") == [
        ("Zorgbeleid", 3, ["Works on Pupil guidance and care"])
    ]


def test_r24_an_excluded_organisations_offers_leave_the_guide() -> None:
    _catalogue()
    zorgpunt = organisation(name="Zorgpunt 2", province="limburg")
    offer(zorgpunt, title="Zorg op maat", themes=("care",), provinces=("limburg",))
    assert [t for t, _s, _r in _ranked("themes=care")] == ["Zorgbeleid", "Zorg op maat"]

    services.organisation_exclude(
        organisation=zorgpunt, by=_make(account_factories.StaffFactory), reason="Illegal."
    )

    assert [t for t, _s, _r in _ranked("themes=care")] == ["Zorgbeleid"]


def test_r25_the_guide_page_works_without_javascript_and_shares_its_answers(
    client: Client,
) -> None:
    _catalogue()
    url = reverse("organisations:guide")

    html = client.get(url, {"themes": "language-reading", "province": "antwerp"}).content.decode()

    assert '<form method="get" action="/organisations/training/guide/"' in html
    assert "1 matching offer" in html
    assert "Leesbeleid op school" in html
    assert "Works on Language and reading" in html
    assert "Comes to Antwerp" in html
    assert "themes=language-reading&amp;province=antwerp" in html
    assert "being listed is not a quality label" in html


def test_r25_the_guide_page_runs_in_pinned_queries(client: Client) -> None:
    _catalogue()
    url = reverse("organisations:guide") + "?themes=stem&themes=digital&province=antwerp"
    few = queries_for(client, url)
    for n in range(5):
        offer(organisation(name=f"Extra {n}"), title=f"Extra {n}", themes=("stem",))

    assert queries_for(client, url) == few


def test_r25_a_member_saves_answers_and_hears_of_a_new_matching_offer(client: Client) -> None:
    member = cast(Member, _make(account_factories.MemberFactory))
    client.force_login(member)
    provider = organisation(name="Nieuwe Aanbieder")
    admin = provider.administrators.get().member

    response = client.post(
        reverse("organisations:guide_save"), {"query": "themes=care&province=limburg"}
    )

    assert response.status_code == 302
    assert list(SavedGuide.objects.values_list("member_id", "query")) == [
        (member.pk, "themes=care&province=limburg")
    ]
    offer_services.guide_alerts_send(
        offer_id=offer_services_offer(provider, admin, themes=("care",), provinces=("limburg",))
    )
    offer_services.guide_alerts_send(
        offer_id=offer_services_offer(provider, admin, themes=("stem",), provinces=("limburg",))
    )
    notes = list(Notification.objects.filter(recipient=member).values_list("kind", "title"))
    assert notes == [(OFFER_MATCH, "A new training offer matches your selection guide: “Care 1”")]


def offer_services_offer(provider: Any, admin: Member, **terms: Any) -> int:
    """An offer added through the service, as an administrator does."""
    number = provider.offers.count() + 1
    created = offer_services.offer_save(
        organisation=provider,
        by=admin,
        themes=list(TrainingTheme.objects.filter(slug__in=terms["themes"])),
        provinces=list(Province.objects.filter(slug__in=terms["provinces"])),
        title=f"{terms['themes'][0].capitalize()} {number}",
        description="Sessions.",
        roles=["teachers"],
        formats=["at_school"],
        sessions=2,
        duration="Two mornings",
        price_range="free",
        contact_person="Jan",
        contact_channel="jan@example.org",
    )
    return created.pk
