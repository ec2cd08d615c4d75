"""Issue 13 item 16c: the upload progress bar of site.js posts the form
itself; the page after it must load once and show its "saved" message."""

import re

import pytest

from commonroom.accounts.tests.factories import MemberFactory
from commonroom.resources.models import Resource
from commonroom.resources.tests.helpers import pdf_bytes
from tests.browser.test_resource_journey import sign_in
from tests.browser.tree import fill_upload_form

pytestmark = [pytest.mark.browser]


def _document_gets(page, pattern: str) -> list[str]:
    seen: list[str] = []
    page.on(
        "request",
        lambda r: seen.append(r.url) if r.method == "GET" and re.search(pattern, r.url) else None,
    )
    return seen


def test_item16c_draft_with_a_file_shows_saved_once_and_loads_the_licence_page_once(page, tmp_path):
    author = MemberFactory()
    upload = tmp_path / "leaf.pdf"
    upload.write_bytes(pdf_bytes())
    sign_in(page, author.email)
    page.goto("/resources/new/")
    fill_upload_form(page, title="Parts of a leaf", description="Label the parts.", files=[upload])
    licence_gets = _document_gets(page, r"/resources/\d+/licence/$")
    page.get_by_role("button", name="Save draft and choose a licence").click()
    page.wait_for_url("**/licence/")
    page.wait_for_load_state("load")

    assert page.get_by_text("Your draft is saved. Now choose a licence.").count() == 1
    assert len(licence_gets) == 1
    assert Resource.objects.get().files.count() == 1


def test_item16c_edit_with_a_file_shows_saved_once_and_loads_the_resource_once(page, tmp_path):
    author = MemberFactory()
    upload = tmp_path / "leaf.pdf"
    upload.write_bytes(pdf_bytes())
    sign_in(page, author.email)
    page.goto("/resources/new/")
    fill_upload_form(page, title="Parts of a leaf", description="Label the parts.")
    page.get_by_label("Text", exact=True).fill("Leaf, stem and root.")
    page.get_by_role("button", name="Save draft and choose a licence").click()
    page.wait_for_url("**/licence/")
    resource = Resource.objects.get()

    page.goto(f"/resources/{resource.pk}/edit/")
    page.get_by_label("Files").set_input_files(str(upload))
    detail_gets = _document_gets(page, rf"/resources/{resource.pk}-[\w-]+/$")
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_url(f"**{resource.get_absolute_url()}")
    page.wait_for_load_state("load")

    assert page.get_by_text("Your changes are saved.").count() == 1
    assert len(detail_gets) == 1
    assert resource.files.count() == 1
