"""Issue 13 item 17: after a failed submit a form starts with an error
summary that takes focus (autofocus, tabindex -1, no script) and links each
error to its field; a checkbox or radio group is a fieldset described by
its error, its inputs marked invalid."""

from html.parser import HTMLParser

import pytest

from commonroom.resources.forms import NO_CONTENT
from commonroom.resources.tests.factories import published_resource

pytestmark = pytest.mark.django_db


class Page(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.summaries: list[dict[str, str | None]] = []
        self.links: list[str] = []
        self.summary_text: list[str] = []
        self.in_summary = 0
        self.elements: dict[str, tuple[str, dict[str, str | None]]] = {}
        self.inputs: dict[str, list[dict[str, str | None]]] = {}
        self.fieldsets: list[dict[str, str | None]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.add(str(found["id"]))
            self.elements[str(found["id"])] = (tag, found)
        if tag == "fieldset":
            self.fieldsets.append(found)
        if tag == "input" and found.get("name"):
            self.inputs.setdefault(str(found["name"]), []).append(found)
        if tag == "section" and "error-summary" in (found.get("class") or ""):
            self.summaries.append(found)
            self.in_summary = 1
        elif self.in_summary and tag == "section":
            self.in_summary += 1
        if self.in_summary and tag == "a":
            self.links.append(str(found.get("href")))

    def handle_endtag(self, tag: str) -> None:
        if self.in_summary and tag == "section":
            self.in_summary -= 1

    def handle_data(self, data: str) -> None:
        if self.in_summary:
            self.summary_text.append(data)

    def assert_summary(self) -> None:
        assert len(self.summaries) == 1
        summary = self.summaries[0]
        assert summary["tabindex"] == "-1"
        assert "autofocus" in summary
        assert summary["aria-labelledby"] in self.ids
        assert self.links
        for href in self.links:
            assert href.startswith("#")
            assert href[1:] in self.ids, href


def test_item17_the_upload_form_summary_links_every_error_to_its_field(member_client):
    response = member_client.post("/resources/new/", {"title": ""})
    assert response.status_code == 400
    page = Page(response.content.decode())
    page.assert_summary()
    assert page.links == [
        "#id_title",
        "#id_description",
        "#id_kind",
        "#id_language",
        "#id_subjects_0",
        "#id_levels_0",
        "#id_rights_confirmed",
    ]
    assert str(NO_CONTENT) in "".join(page.summary_text)
    # Checkbox groups: the fieldset is described by the group's error.
    for name in ("levels", "subjects"):
        fieldsets = [
            attrs
            for attrs in page.fieldsets
            if f"id_{name}_error" in (attrs.get("aria-describedby") or "").split()
        ]
        assert len(fieldsets) == 1
        assert f"id_{name}_error" in page.ids
        assert {i.get("aria-invalid") for i in page.inputs[name]} == {"true"}
    assert page.elements["id_title"][1]["aria-describedby"] == "id_title_error"


def test_item17_a_valid_page_has_no_summary(member_client):
    page = Page(member_client.get("/resources/new/").content.decode())
    assert page.summaries == []
    assert "autofocus" not in member_client.get("/resources/new/").content.decode()


def test_item17_the_profile_form_has_the_summary(member_client):
    response = member_client.post("/accounts/profile/", {"first_name": "", "last_name": ""})
    page = Page(response.content.decode())
    page.assert_summary()
    assert "#id_first_name" in page.links
    assert "#id_visibility_0" in page.links


def test_item17_the_signup_form_has_the_summary(client):
    response = client.post("/accounts/signup/", {"email": "not an address"})
    page = Page(response.content.decode())
    page.assert_summary()
    assert "#id_email" in page.links


def test_item17_the_contact_form_has_the_summary(client):
    response = client.post("/contact/", {"name": ""})
    page = Page(response.content.decode())
    page.assert_summary()


def test_item17_the_report_form_has_the_summary_linking_the_reason_group(member_client):
    resource = published_resource()
    response = member_client.post(f"/moderation/reports/new/{resource.pk}/", {"text": "Wrong."})
    assert response.status_code == 400
    page = Page(response.content.decode())
    page.assert_summary()
    assert page.links == ["#id_reason_0"]
    assert {i.get("aria-invalid") for i in page.inputs["reason"]} == {"true"}
