"""Issue 13 items 17 and 18 in Chromium: an empty upload puts focus on the
error summary and its links move focus to the fields; the tree widget keeps
the upload form's Tab stops down (84 from title to submit before, 50 now)."""

import pytest

from commonroom.accounts.tests.factories import MemberFactory
from tests.browser.test_resource_journey import sign_in

pytestmark = [pytest.mark.browser]

FOCUSED_ID = "document.activeElement && document.activeElement.id"


def test_item17_an_empty_upload_focuses_the_summary_and_its_links_focus_the_fields(page):
    sign_in(page, MemberFactory().email)
    page.goto("/resources/new/")
    page.get_by_role("button", name="Save draft and choose a licence").click()
    summary = page.get_by_role("region", name="Check the following")
    summary.wait_for()
    page.wait_for_function(f"{FOCUSED_ID} === 'form-error-summary'")

    summary.get_by_role("link", name="Education levels: This field is required.").click()
    assert page.evaluate(FOCUSED_ID) == "id_levels_0"
    summary.get_by_role("link", name="Title: This field is required.").click()
    assert page.evaluate(FOCUSED_ID) == "id_title"


def test_item18_upload_form_tab_stops(page):
    sign_in(page, MemberFactory().email)
    page.goto("/resources/new/")
    page.locator("#id_title").focus()
    presses = 0
    while presses < 200:
        page.keyboard.press("Tab")
        presses += 1
        if page.evaluate("document.activeElement.type === 'submit'"):
            break
    assert page.evaluate("document.activeElement.textContent.trim()") == (
        "Save draft and choose a licence"
    )
    assert presses == 50
