import json
import re
from pathlib import Path

import pytest
from django.core import mail
from PIL import Image

from commonroom.accounts.models import Member, Profile

pytestmark = [pytest.mark.browser]

PASSWORD = "lantern-meadow-2031-quill"


def test_r1_r3_r4_r6_r7_member_journey_from_sign_up_to_leaving(page, tmp_path: Path):
    photo = tmp_path / "me.png"
    Image.new("RGB", (800, 600), (30, 120, 160)).save(photo)

    # Sign up.
    page.goto("/")
    page.get_by_role("link", name="Join for free").click()
    page.get_by_label("First name").fill("Mira")
    page.get_by_label("Surname").fill("Desmet")
    page.get_by_label("Email").fill("mira.desmet@school.example")
    page.get_by_label("Year of birth").fill("1991")
    page.locator("#id_password1").fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_label("I am not a pupil in compulsory education.").check()
    page.locator("#id_accept_terms").check()
    page.get_by_role("button", name="Sign Up").click()
    page.wait_for_url("**/accounts/confirm-email/")

    # Open the verification link from the captured mail.
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[0].body)
    assert link is not None
    page.goto(link.group(0))
    page.get_by_role("button", name="Confirm").click()

    # Sign in.
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill("mira.desmet@school.example")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.get_by_text("Welcome to Commonroom, Mira.").wait_for()  # a first sign-in

    # Edit the profile with a photo.
    page.get_by_role("link", name="My profile").click()
    page.get_by_label("About me").fill("Teaching science with experiments.")
    page.get_by_label("School or organisation").fill("GO! Atheneum Gent")
    page.get_by_label("Photo", exact=True).set_input_files(str(photo))
    page.get_by_role("button", name="Save profile").click()
    page.get_by_text("Your profile has been saved.").wait_for()
    assert page.get_by_role("img", name="Photo of Mira Desmet").is_visible()
    profile = Profile.objects.get(member__email="mira.desmet@school.example")
    assert profile.school == "GO! Atheneum Gent"
    assert profile.photo.name.endswith(".jpg")

    # Switch the language.
    page.get_by_role("button", name="Nederlands").click()
    page.get_by_role("heading", name="Mijn profiel").wait_for()
    assert page.locator("html").get_attribute("lang") == "nl"

    # Download my data.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Mijn gegevens downloaden").click()
    data = json.loads(Path(download_info.value.path()).read_text())
    assert data["member"]["email"] == "mira.desmet@school.example"
    assert data["profile"]["school"] == "GO! Atheneum Gent"

    # Delete the account.
    page.locator(".subnav").get_by_role("link", name="Uitschrijven").click()
    page.get_by_label("Je wachtwoord").fill(PASSWORD)
    page.locator("#id_confirm").check()
    page.get_by_role("button", name="Mijn account verwijderen").click()
    page.wait_for_url(lambda url: "/accounts/delete/" not in url)
    member = Member.objects.get(first_name="Mira", last_name="Desmet")
    assert member.email is None

    # Signing in no longer works.
    page.goto("/accounts/login/")
    page.locator("#id_login").fill("mira.desmet@school.example")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form.form button[type=submit]").click()
    page.locator(".form-errors").wait_for()
    assert "_auth_user_id" not in page.context.cookies()
    assert page.get_by_role("link", name="Aanmelden").is_visible()
