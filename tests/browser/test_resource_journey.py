"""Issue #3's main flow in Chromium: share, license, moderate, publish, reuse."""

import io
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from pypdf import PdfReader

from commonroom.accounts.tests.factories import PASSWORD, MemberFactory
from commonroom.resources.models import Resource, State
from commonroom.resources.tests.helpers import pdf_bytes
from tests.browser.tree import fill_upload_form

pytestmark = [pytest.mark.browser]


def sign_in(page, email: str) -> None:
    # Leave the previous page first: a navigation still in flight could set
    # a new CSRF cookie after the sign-in form was served.
    page.goto("about:blank")
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def open_review(page, title: str) -> None:
    page.goto("/moderation/")
    page.get_by_role("link", name=title).click()
    page.get_by_role("button", name="Claim it").click()


def test_r26_r28_r32_r33_share_license_moderate_and_reuse(page, browser, live_server, tmp_path):
    author = MemberFactory(first_name="Lotte", last_name="Vermeulen")
    moderator = MemberFactory(first_name="Pieter", last_name="Janssens")
    moderator.groups.add(Group.objects.get(name="Moderators"))
    original = pdf_bytes()
    upload = tmp_path / "leaf-worksheet.pdf"
    upload.write_bytes(original)

    # The member uploads a PDF with metadata.
    sign_in(page, author.email)
    page.get_by_role("link", name="Share a resource").first.click()
    fill_upload_form(
        page,
        title="Parts of a leaf",
        description="Pupils label the parts of a leaf.",
        files=[upload],
    )
    page.get_by_role("button", name="Save draft and choose a licence").click()

    # The licence wizard: no commercial use, adaptations shared alike.
    page.wait_for_url("**/licence/")
    page.locator("#id_waive_1").check()
    page.locator("#id_commercial_1").check()
    page.locator("#id_adaptations_0").check()
    page.locator("#id_share_alike_0").check()
    page.get_by_role("heading", name="Proposed licence: CC BY-NC-SA 4.0").wait_for()
    page.get_by_role("button", name="Use CC BY-NC-SA 4.0").click()
    page.wait_for_url("**/resources/*-parts-of-a-leaf/")
    assert page.locator(".licence-badge").inner_text() == "CC BY-NC-SA 4.0"
    with page.expect_navigation():
        page.get_by_role("button", name="Submit for review").click()
    resource = Resource.objects.get(title="Parts of a leaf")
    assert resource.state == State.SUBMITTED

    # A moderator rejects it with two criteria.
    sign_in(page, moderator.email)
    open_review(page, "Parts of a leaf")
    page.get_by_label("Reject").check()
    page.get_by_label("Metadata correct and complete").check()
    page.get_by_label("Language correct").check()
    page.get_by_label("Reason").fill("Add the answer key.")
    with page.expect_navigation():
        page.get_by_role("button", name="Save the decision").click()
    resource.refresh_from_db()
    assert resource.state == State.REJECTED

    # The member sees the reasons, edits and resubmits.
    sign_in(page, author.email)
    page.goto(resource.get_absolute_url())
    reasons = page.locator(".author-box .message-warning").inner_text()
    assert "Metadata correct and complete" in reasons
    assert "Language correct" in reasons
    assert "Add the answer key." in reasons
    page.get_by_role("link", name="Edit", exact=True).click()
    page.get_by_label("Description").fill("Pupils label the parts of a leaf. Answer key included.")
    with page.expect_navigation():
        page.get_by_role("button", name="Save changes").click()
    page.get_by_role("button", name="Submit for review").click()
    page.get_by_text("Submitted. A moderator will review it").wait_for()
    resource.refresh_from_db()
    assert resource.state == State.SUBMITTED

    # The moderator publishes.
    sign_in(page, moderator.email)
    open_review(page, "Parts of a leaf")
    page.get_by_label("Publish").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Save the decision").click()
    resource.refresh_from_db()
    assert resource.state == State.PUBLISHED

    # A visitor sees the page with the attribution line.
    page.context.clear_cookies()
    page.goto(resource.get_absolute_url())
    line = page.locator("#attribution-text").input_value()
    assert line == (
        f'"Parts of a leaf" by Lotte Vermeulen, {live_server.url}{resource.get_absolute_url()}, '
        "licensed under CC BY-NC-SA 4.0 https://creativecommons.org/licenses/by-nc-sa/4.0/. "
        "Source: Commonroom learning resources, produced by Commonroom Foundation."
    )
    assert page.get_by_text("Sign in to download the files.").is_visible()

    # A signed-in member downloads the file: the upload, followed by a
    # revision that writes the attribution into its metadata (R33).
    reader = MemberFactory()
    sign_in(page, reader.email)
    page.goto(resource.get_absolute_url())
    with page.expect_download() as download:
        page.get_by_role("link", name="Download leaf-worksheet.pdf").click()
    downloaded = Path(download.value.path()).read_bytes()
    assert downloaded.startswith(original)
    info = PdfReader(io.BytesIO(downloaded)).metadata
    assert info is not None
    assert info["/Author"] == "Lotte Vermeulen"
