"""Issue 17's acceptance in Chromium: a member proposes an organisation,
staff verify it, its administrator adds an offer with themes and provinces,
a visitor finds it through the selection guide and by searching by theme
and province; staff exclude it and it is gone from both (R17, R23 to R25)."""

import pytest

from commonroom.accounts.tests.factories import MemberFactory, StaffFactory
from commonroom.moderation.lifecycle import State
from commonroom.organisations.models import Organisation, TrainingOffer
from tests.browser.test_network_journey import sign_in

pytestmark = [pytest.mark.browser]

NAME = "Vormingshuis Zwalm"
OFFER = "Robots bouwen met je klas"


def _as_visitor(page) -> None:
    page.goto("about:blank")
    page.context.clear_cookies()


def _submit(page, name: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=name).click()


def _found_by_guide(page) -> bool:
    page.goto("/organisations/training/guide/")
    page.get_by_label("STEM", exact=True).check()
    page.locator("#id_province").select_option(label="Limburg")
    page.get_by_label("Teachers").check()
    _submit(page, "Show matching offers")
    assert "themes=stem" in page.url
    return page.get_by_role("link", name=OFFER).count() == 1


def _found_by_search(page) -> tuple[bool, bool]:
    page.goto("/organisations/training/")
    page.locator("#id_theme").select_option(value="stem")
    page.locator("#id_province").select_option(value="limburg")
    with page.expect_navigation():
        page.locator("form.filter-form button[type=submit]").click()
    in_directory = page.get_by_role("link", name=NAME).count() == 1
    page.goto("/search/?theme=stem&province=limburg")
    in_search = page.get_by_role("link", name=OFFER).count() == 1
    return in_directory, in_search


def test_r17_r23_r24_r25_organisation_journey(page) -> None:
    member = MemberFactory(first_name="Lies", last_name="Wouters")
    staff = StaffFactory()

    # A member proposes an organisation.
    sign_in(page, member.email)
    page.goto("/organisations/propose/")
    page.locator("#id_name").fill(NAME)
    page.locator("#id_kind").select_option(label="Training provider")
    page.locator("#id_address").fill("Markt 1, 3500 Hasselt")
    page.locator("#id_province").select_option(label="Limburg")
    page.locator("#id_website").fill("https://zwalm.example")
    page.locator("#id_email").fill("info@zwalm.example")
    page.locator("#id_description").fill("Workshops on **STEM** for primary schools.")
    _submit(page, "Send for verification")
    organisation = Organisation.objects.get(name=NAME)
    assert organisation.state == State.SUBMITTED
    assert page.get_by_text("Staff will verify the organisation").is_visible()

    # Staff verify it from their queue.
    sign_in(page, staff.email)
    page.goto("/organisations/staff/")
    with page.expect_navigation():
        page.get_by_role("link", name=NAME).click()
    _submit(page, "Verify and publish")
    organisation.refresh_from_db()
    assert organisation.state == State.PUBLISHED

    # Its administrator adds an offer with themes and provinces.
    sign_in(page, member.email)
    page.goto(organisation.get_absolute_url())
    with page.expect_navigation():
        page.get_by_role("link", name="Add an offer").click()
    page.locator("#id_title").fill(OFFER)
    page.locator("#id_description").fill("Three afternoons with robots.")
    page.get_by_label("STEM", exact=True).check()
    page.get_by_label("Digital skills and media literacy").check()
    page.get_by_label("Teachers").check()
    page.get_by_label("Limburg").check()
    page.get_by_label("Antwerp").check()
    page.get_by_label("At the school").check()
    page.locator("#id_sessions").fill("3")
    page.locator("#id_duration").fill("Three afternoons of three hours")
    page.locator("#id_price_range").select_option(label="€250 to €1,000")
    page.locator("#id_contact_person").fill("Lies Wouters")
    page.locator("#id_contact_channel").fill("lies@zwalm.example")
    _submit(page, "Save the offer")
    offer = TrainingOffer.objects.get(title=OFFER)
    assert sorted(p.slug for p in offer.provinces.all()) == ["antwerp", "limburg"]

    # A visitor finds it through the guide, which says why, and by searching.
    _as_visitor(page)
    assert _found_by_guide(page)
    reasons = page.locator("li.tutor-card").filter(has_text=OFFER).inner_text()
    assert "Works on STEM" in reasons
    assert "Comes to Limburg" in reasons
    assert "Meant for teachers" in reasons
    assert _found_by_search(page) == (True, True)

    # Staff exclude it, with the reason recorded; it is gone from both.
    sign_in(page, staff.email)
    page.goto(f"/organisations/staff/{organisation.pk}/")
    page.locator("#id_exclude-reason").fill(
        "Activities not compatible with the attainment targets."
    )
    _submit(page, "Exclude the organisation")
    organisation.refresh_from_db()
    assert organisation.state == State.REMOVED
    assert organisation.excluded_reason == "Activities not compatible with the attainment targets."

    _as_visitor(page)
    assert not _found_by_guide(page)
    assert page.get_by_text("No offer fits these answers.").is_visible()
    assert _found_by_search(page) == (False, False)
    assert page.goto(organisation.get_absolute_url()).status == 404
