"""Organisation pages and the directory through the web (R2, R17, R23 to R25):
who may do what (403 and nothing changed), the directory's search, counts,
sorting and pinned queries, and an excluded organisation gone from the
directory and search at once."""

from __future__ import annotations

import io
from typing import Any, cast

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from commonroom.accounts.models import Member
from commonroom.accounts.tests import factories as account_factories
from commonroom.moderation.lifecycle import State
from commonroom.organisations import services
from commonroom.organisations.models import Organisation, OrganisationChange, TrainingOffer
from commonroom.organisations.search import index_organisation
from commonroom.organisations.tests.factories import offer, organisation
from commonroom.people.tests.factories import queries_for
from commonroom.search.facets import Filters
from commonroom.search.selectors import search_documents
from commonroom.taxonomy.models import Province, TrainingTheme

pytestmark = pytest.mark.django_db
DIRECTORY = "/organisations/training/"


def _make(factory: Any, **kwargs: Any) -> Any:
    return factory(**kwargs)


def _signed_in(member: Member) -> Client:
    client = Client()
    client.force_login(member)
    return client


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (900, 600), (10, 120, 200)).save(out, format="PNG")
    return out.getvalue()


def test_r24_a_member_proposes_with_a_logo_re_encoded_as_photos_are() -> None:
    member = cast(Member, _make(account_factories.MemberFactory))
    response = _signed_in(member).post(
        reverse("organisations:propose"),
        {
            "name": "Vormingshuis Gent",
            "kind": "training_provider",
            "address": "Kouter 1, 9000 Gent",
            "province": Province.objects.get(slug="east-flanders").pk,
            "website": "https://vormingshuis.example",
            "email": "info@vormingshuis.example",
            "description": "Workshops.",
            "logo": SimpleUploadedFile("logo.png", _png(), content_type="image/png"),
        },
    )

    proposed = Organisation.objects.get()
    assert response.status_code == 302
    assert proposed.state == State.SUBMITTED
    with Image.open(proposed.logo.path) as saved:
        assert (saved.format, max(saved.size)) == ("JPEG", 512)


def test_r24_a_file_that_is_not_an_image_is_refused_and_nothing_is_stored() -> None:
    member = cast(Member, _make(account_factories.MemberFactory))
    response = _signed_in(member).post(
        reverse("organisations:propose"),
        {
            "name": "Vormingshuis Gent",
            "kind": "school",
            "address": "Kouter 1",
            "province": Province.objects.get(slug="east-flanders").pk,
            "website": "https://vormingshuis.example",
            "email": "info@vormingshuis.example",
            "description": "Workshops.",
            "logo": SimpleUploadedFile("logo.png", b"%PDF-1.4", content_type="image/png"),
        },
    )

    assert response.status_code == 400
    assert "This file is not a JPEG, PNG, WebP or GIF image." in response.content.decode()
    assert Organisation.objects.count() == 0


def test_r17_a_non_administrator_gets_403_and_nothing_changes() -> None:
    verified = organisation()
    own_offer = offer(verified)
    client = _signed_in(cast(Member, _make(account_factories.MemberFactory)))

    edit = client.post(reverse("organisations:edit", args=[verified.pk]), {"name": "Hacked"})
    new_offer = client.post(reverse("organisations:offer_new", args=[verified.pk]), {"title": "X"})
    change_offer = client.post(reverse("organisations:offer_edit", args=[own_offer.pk]), {})
    delete_offer = client.post(reverse("organisations:offer_delete", args=[own_offer.pk]))

    assert [r.status_code for r in (edit, new_offer, change_offer, delete_offer)] == [403] * 4
    verified.refresh_from_db()
    assert verified.name == "Leerpunt Vorming"
    assert list(TrainingOffer.objects.values_list("title", flat=True)) == ["Coaching STEM"]
    assert OrganisationChange.objects.count() == 0


def test_r24_a_member_cannot_forge_staff_actions() -> None:
    admin = cast(Member, _make(account_factories.MemberFactory))
    proposed = organisation(admin=admin, state=State.SUBMITTED)
    client = _signed_in(admin)

    answers = [
        client.post(reverse(f"organisations:staff_{action}", args=[proposed.pk]), data).status_code
        for action, data in (
            ("verify", {}),
            ("reject", {"reject-reason": "No."}),
            ("exclude", {"exclude-reason": "No."}),
        )
    ]

    assert answers == [403, 403, 403]
    proposed.refresh_from_db()
    assert proposed.state == State.SUBMITTED


def test_r17_an_administrator_adds_an_offer_through_the_form() -> None:
    verified = organisation()
    admin = verified.administrators.get().member
    response = _signed_in(admin).post(
        reverse("organisations:offer_new", args=[verified.pk]),
        {
            "title": "Feedback die werkt",
            "description": "Two sessions on feedback.",
            "themes": [TrainingTheme.objects.get(slug="assessment").pk],
            "roles": ["teachers"],
            "provinces": [Province.objects.get(slug="antwerp").pk],
            "formats": ["at_school", "online"],
            "sessions": 2,
            "duration": "Two afternoons",
            "price_range": "low",
            "contact_person": "An",
            "contact_channel": "an@example.org",
            "is_active": "on",
        },
    )

    created = TrainingOffer.objects.get()
    assert response.status_code == 302
    assert (created.title, created.formats) == ("Feedback die werkt", ["at_school", "online"])
    assert [t.slug for t in created.themes.all()] == ["assessment"]


def _directory_world() -> tuple[Organisation, Organisation, Organisation]:
    antwerp = organisation(name="Alfa Vorming", province="antwerp")
    offer(antwerp, themes=("stem",), provinces=("antwerp",))
    ghent = organisation(name="Beta Leren", province="east-flanders")
    offer(ghent, title="Lezen", themes=("language-reading",), provinces=("limburg",))
    offer(ghent, title="Rekenen", themes=("stem",), provinces=("east-flanders",))
    school = organisation(name="Gamma School", kind="school", province="antwerp")
    organisation(name="Delta Wacht", state=State.SUBMITTED)
    return antwerp, ghent, school


def _names(html: str) -> list[str]:
    names = ["Alfa Vorming", "Beta Leren", "Gamma School", "Delta Wacht"]
    return sorted((n for n in names if f">{n}</a>" in html), key=html.index)


def test_r25_the_directory_is_searched_by_name_theme_and_province_with_counts(
    client: Client,
) -> None:
    _directory_world()

    html = client.get(DIRECTORY).content.decode()
    assert _names(html) == ["Alfa Vorming", "Beta Leren"]
    assert "being listed is not a quality label" in html
    assert ">STEM (2)</option>" in html
    assert ">Language and reading (1)</option>" in html
    assert ">Limburg (1)</option>" in html
    assert _names(client.get(DIRECTORY, {"q": "beta"}).content.decode()) == ["Beta Leren"]
    by_theme = client.get(DIRECTORY, {"theme": "language-reading"}).content.decode()
    assert _names(by_theme) == ["Beta Leren"]
    by_province = client.get(DIRECTORY, {"province": "antwerp"}).content.decode()
    assert _names(by_province) == ["Alfa Vorming"]
    # Counts follow the other filter: in Antwerp, one organisation works on STEM.
    assert ">STEM (1)</option>" in by_province
    most = client.get(DIRECTORY, {"sort": "offers"}).content.decode()
    assert _names(most) == ["Beta Leren", "Alfa Vorming"]


def test_r25_the_directory_runs_in_pinned_queries(client: Client) -> None:
    _directory_world()
    url = DIRECTORY + "?theme=stem&sort=offers"
    few = queries_for(client, url)
    for n in range(6):
        offer(organisation(name=f"Extra {n}"), themes=("stem", "care"), provinces=("limburg",))

    assert queries_for(client, url) == few


def test_r23_a_directory_card_names_five_offers_and_links_to_all_of_them(client: Client) -> None:
    busy = organisation(name="Alfa Vorming")
    for title in ("Gamma", "Alfa", "Eta", "Beta", "Zeta", "Delta", "Epsilon"):
        offer(busy, title=title)
    offer(busy, title="Aaa stopgezet", is_active=False)
    offer(organisation(name="Beta Leren"), title="Lezen")

    html = client.get(DIRECTORY).content.decode()

    card = html[html.index(">Alfa Vorming</a>") : html.index(">Beta Leren</a>")]
    shown = [
        t
        for t in ("Alfa", "Beta", "Delta", "Epsilon", "Eta", "Gamma", "Zeta")
        if f">{t}</a>" in card
    ]
    assert shown == ["Alfa", "Beta", "Delta", "Epsilon", "Eta"]
    assert "7 offers" in card
    assert "Aaa stopgezet" not in card
    assert f'href="{busy.get_absolute_url()}#offers-title">All 7 offers of Alfa Vorming</a>' in card
    rest = html[html.index(">Beta Leren</a>") :]
    assert ">Lezen</a>" in rest
    assert "All 1 offers" not in rest


def _found(theme: str, province: str) -> list[tuple[str, str]]:
    values = {
        "theme": (TrainingTheme.objects.get(slug=theme).pk,),
        "province": (Province.objects.get(slug=province).pk,),
    }
    result = search_documents(text="", filters=Filters(values=values), page_size=50)
    return sorted((hit.kind, hit.title) for hit in result.hits)


def test_r24_an_excluded_organisation_is_gone_from_directory_and_search_at_once(
    client: Client,
) -> None:
    antwerp, ghent, _school = _directory_world()
    for o in (antwerp, ghent):
        index_organisation(o.pk)
    assert _found("stem", "antwerp") == [
        ("organisation", "Alfa Vorming"),
        ("training_offer", "Coaching STEM"),
    ]

    services.organisation_exclude(
        organisation=antwerp, by=_make(account_factories.StaffFactory), reason="Illegal."
    )

    assert _names(client.get(DIRECTORY).content.decode()) == ["Beta Leren"]
    assert _found("stem", "antwerp") == []
    assert client.get(antwerp.get_absolute_url()).status_code == 404
    assert (
        client.get(reverse("organisations:offer", args=[antwerp.offers.get().pk])).status_code
        == 404
    )
