"""Issue #5's journey in Chromium: search with facets, save the search,
and find a new match in the next digest."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail

from commonroom.accounts.tests.factories import PASSWORD, MemberFactory
from commonroom.moderation import services as moderation
from commonroom.moderation.models import Review
from commonroom.notifications.services import digests_send
from commonroom.resources import services as resources
from commonroom.resources.tests.factories import ResourceFactory
from commonroom.search.models import SavedSearch
from commonroom.search.services import search_rebuild
from commonroom.search.tasks import saved_search_alerts

pytestmark = [pytest.mark.browser]


def publish(resource, moderator):
    resources.resource_submit(resource=resource, by=resource.author)
    review = Review.objects.get(resource=resource, closed_at__isnull=True)
    moderation.review_decide(review=review, by=moderator, action="publish")


def count_of(page, label: str) -> int:
    text = page.locator("label", has_text=label).first.inner_text()
    return int(re.search(r"\((\d+)\)", text).group(1))


def test_r11_r12_search_filter_save_and_get_the_alert(page):
    moderator = MemberFactory()
    moderator.groups.add(Group.objects.get(name="Moderators"))
    for title, subjects, levels in [
        ("Fractions with pizza", ["mathematics"], ["primary-2"]),
        ("Fractions on the number line", ["mathematics"], ["secondary-1"]),
        ("Fractions in music", ["music"], ["primary-2"]),
    ]:
        publish(ResourceFactory(title=title, subjects=subjects, levels=levels), moderator)
    search_rebuild()

    # Suggestions appear while typing; the arrow keys reach them.
    page.goto("/search/")
    box = page.locator("#search-q")
    box.press_sequentially("fract")
    page.locator("#search-suggestions a").first.wait_for()
    box.press("ArrowDown")
    focused = page.evaluate("document.activeElement.closest('#search-suggestions') !== null")
    assert focused
    page.keyboard.press("Escape")
    assert page.evaluate("document.activeElement.id") == "search-q"
    assert page.locator("#search-suggestions a").count() == 0

    # A visitor searches and filters by level and subject; the counts follow.
    page.goto("/search/?q=fractions")
    assert page.get_by_text("3 resources found").is_visible()
    assert count_of(page, "Mathematics") == 2
    page.locator("label", has_text="Second stage (years 3-4)").first.locator("input").check()
    page.get_by_role("button", name="Apply filters").click()
    page.get_by_text("2 resources found").wait_for()
    assert count_of(page, "Mathematics") == 1
    page.locator("label", has_text="Mathematics").first.locator("input").check()
    page.get_by_role("button", name="Apply filters").click()
    page.get_by_text("1 resource found").wait_for()
    page.get_by_role("link", name="Fractions with pizza").click()
    page.get_by_role("heading", name="Fractions with pizza").wait_for()

    # A member saves the search with a daily alert.
    member = MemberFactory()
    page.goto("/accounts/login/")
    page.locator("#id_login").fill(member.email)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form.form button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.goto("/search/?q=fractions&subject=mathematics")
    page.get_by_text("Save this search").first.click()
    page.get_by_label("Name").fill("Fractions in maths")
    page.get_by_label("E-mail me new results").select_option("daily")
    with page.expect_navigation():
        page.get_by_role("button", name="Save this search").last.click()
    saved = SavedSearch.objects.get(member=member)
    assert (saved.name, saved.frequency) == ("Fractions in maths", "daily")

    # A new matching resource is published; the next digest lists it.
    publish(ResourceFactory(title="Fractions with chocolate", subjects=["mathematics"]), moderator)
    SavedSearch.objects.filter(pk=saved.pk).update(
        last_checked_at=saved.created_at.replace(year=saved.created_at.year - 1)
    )
    saved_search_alerts.call()
    mail.outbox.clear()
    digests_send()
    digest = [m for m in mail.outbox if m.to == [member.email]]
    assert len(digest) == 1
    assert "Fractions with chocolate" in digest[0].body
    assert "/notifications/unsubscribe/" in digest[0].body


def test_r2_on_a_phone_the_results_come_before_the_folded_filters(page):
    moderator = MemberFactory()
    moderator.groups.add(Group.objects.get(name="Moderators"))
    publish(ResourceFactory(title="Fractions with pizza", subjects=["mathematics"]), moderator)
    search_rebuild()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/search/?q=fractions&subject=mathematics")
    filters = page.locator("details.search-filters")
    assert filters.evaluate("d => d.open") is False
    assert page.locator("details.search-filters > summary").inner_text() == "Filters (1)"
    assert page.get_by_text("1 resource found").is_visible()
    assert not page.get_by_text("Mathematics").first.is_visible()
    page.locator("details.search-filters > summary").press("Enter")  # keyboard opens them
    assert filters.evaluate("d => d.open") is True
    assert page.locator("label", has_text="Mathematics").first.is_visible()
